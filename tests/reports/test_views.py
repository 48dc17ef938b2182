"""The report pages: issuing from the web, the Excel table, and public verification."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from commitments import services as commitment_services
from jobs.models import Job
from programs.models import ReportingPeriod
from reports import services
from reports.models import GeneratedReport
from reports.selectors import report_table
from tests.factories import smart_city_scheme


@pytest.fixture
def period(cilegon):
    return ReportingPeriod.objects.get(government=cilegon, year=2020, quarter=3)


def _issue(client, period, **extra):
    return client.post(reverse("report-list"), {"period": period.pk, **extra})


def test_bappeda_issues_the_whole_government_report(login, period):
    client = login("bappeda")
    response = _issue(client, period)
    assert response.status_code == 302
    report = GeneratedReport.objects.get()
    assert report.unit is None
    assert report.generated_by.username == "bappeda"
    assert report.source == GeneratedReport.Source.WEB
    page = client.get(response["Location"]).content.decode()
    assert report.code in page
    download = client.get(reverse("report-download", args=[report.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF-") and len(body) == report.size
    # The printed link (and the QR code) point at this server's verification page.
    first_page = PdfReader(io.BytesIO(body)).pages[0].extract_text()
    assert f"http://testserver/verifikasi/{report.code}/" in first_page
    # The day after the deadline (15 October), or the last verification it counts
    # if that is later (tests/reports/test_report_date.py).
    last = services.last_verification_date(
        services.resolve_request(year=2020, quarter=3, government_code="36.72")
    )
    expected = max(datetime.date(2020, 10, 15), last or datetime.date.min)
    assert report.parameters["report_date"] == expected.isoformat()


def test_a_unit_member_gets_their_own_unit_only(login, period, unit):
    client = login("dkiss")
    response = _issue(client, period, unit=unit("DKISS").pk)
    assert response.status_code == 302
    assert GeneratedReport.objects.get().unit == unit("DKISS")

    # Another unit is not among the choices: the form refuses, nothing is issued.
    response = _issue(client, period, unit=unit("DINKES").pk)
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert GeneratedReport.objects.count() == 1

    # Bappeda's whole-government report is not theirs to download.
    login("bappeda")
    client.get(_issue(client, period)["Location"])  # shows (and so clears) the message
    whole = GeneratedReport.objects.get(unit=None)
    client = login("dkiss")
    assert client.get(reverse("report-download", args=[whole.pk])).status_code == 404
    listed = client.get(reverse("report-list")).content.decode()
    assert whole.code not in listed


def test_another_government_cannot_ask_for_cilegon(login, period):
    response = _issue(login("serang"), period)
    assert response.status_code == 200
    assert response.context["form"].errors["period"]
    assert not GeneratedReport.objects.exists()


def _export_excel(client, period, **extra):
    """Ask for the Excel table (a background job, run at once without a broker)."""
    response = client.post(
        reverse("report-list"), {"period": period.pk, "export": "excel", **extra}
    )
    assert response.status_code == 302
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))
    assert job.state == Job.State.DONE, job.error
    download = client.get(reverse("job-download", args=[job.pk]))
    assert download.status_code == 200
    return job, download


def test_the_excel_table_has_the_same_figures_as_numbers(login, period):
    job, response = _export_excel(login("bappeda"), period)
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    # Header rows 5-7 stay frozen, and so do No, Sasaran, Kode and Program / indikator.
    assert sheet.freeze_panes == "E8"
    assert sheet.title.endswith("III 2020")

    table = report_table(services.resolve_request(year=2020, quarter=3, government_code="36.72"))
    block = table.sections[0].programs[0]
    line = block.lines[0]
    # The first row under the header is the first unit's title, then its first program.
    assert sheet.cell(row=8, column=1).value == table.sections[0].unit.name
    row = sheet[9]
    assert row[0].value == int(block.number)
    assert row[3].value.startswith(block.program.title)
    # Columns E/F: the end-of-RPJMD target's K / Rp pair, on the same row; the
    # tenth pair (columns W/X) is column 14, the realisation up to this year.
    assert row[4].data_type == "n"
    assert Decimal(str(row[4].value)) == line.k.final_target
    assert Decimal(str(row[4 + 2 * 9].value)) == line.k.cumulative
    assert row[4].number_format.startswith("[$-421]#,##0")
    assert Decimal(str(row[5].value)) == block.rp.final_target
    assert Decimal(str(row[5 + 2 * 9].value)) == block.rp.cumulative
    assert row[5].number_format == "[$-421]#,##0"


def test_excel_with_a_bad_request_stays_on_the_form(login):
    response = login("bappeda").post(
        reverse("report-list"), {"period": "999999", "export": "excel"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["period"]
    assert not Job.objects.exists()


def test_the_excel_button_starts_an_export_job_and_issues_no_pdf(login, period, unit):
    client = login("bappeda")
    page = client.get(reverse("report-list")).content.decode()
    assert 'name="export" value="excel"' in page
    job, download = _export_excel(client, period, unit=unit("DKISS").pk)
    assert job.kind == Job.Kind.REPORT_EXCEL and job.parameters["unit_code"] == "DKISS"
    assert download["Content-Disposition"] == 'attachment; filename="evaluasi-tw3-2020.xlsx"'
    assert not GeneratedReport.objects.exists()  # exporting issues no PDF
    # The job's page links the file; the report list names the job.
    assert (
        reverse("job-download", args=[job.pk])
        in client.get(reverse("job-detail", args=[job.pk])).content.decode()
    )
    assert (
        reverse("job-detail", args=[job.pk]) in client.get(reverse("report-list")).content.decode()
    )


def test_a_draft_commitment_is_offered_to_bappeda_only(login, period, cilegon, unit):
    draft = commitment_services.create_commitment(
        actor=get_user_model().objects.get(username="bappeda"),
        government=cilegon,
        theme="Smart City",
        scheme=smart_city_scheme(),
        title="Draf Komitmen Data",
        date=datetime.date(2020, 2, 3),
        place="Aula",
        legal_basis="-",
        points=["Satu data"],
        signatories=[unit("DKISS")],
    )
    bappeda_choices = login("bappeda").get(reverse("report-list")).context["form"]
    assert draft in bappeda_choices.fields["commitment"].queryset
    for username in ("dkiss", "asda1", "walikota"):
        form = login(username).get(reverse("report-list")).context["form"]
        assert draft not in form.fields["commitment"].queryset, username
    response = login("dkiss").post(
        reverse("report-list"),
        {"period": period.pk, "unit": unit("DKISS").pk, "commitment": draft.pk},
    )
    assert response.context["form"].errors["commitment"]
    assert not GeneratedReport.objects.exists()


# --- Public verification -------------------------------------------------------------------


@pytest.fixture
def issued(period):
    request = services.resolve_request(year=2020, quarter=3, government_code="36.72")
    return services.issue_report(request, source=GeneratedReport.Source.COMMAND)


def _check(client, report, content, name="laporan.pdf"):
    return client.post(
        reverse("report-verify-public", args=[report.code]),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_anyone_sees_what_was_issued(client, issued):
    page = client.get(reverse("report-verify-public", args=[issued.code])).content.decode()
    assert issued.sha256 in page
    assert "Triwulan III 2020" in page
    assert issued.title in page


def test_the_issued_pdf_is_accepted_and_a_changed_byte_is_not(client, issued):
    content = issued.file.read()
    ok = _check(client, issued, content)
    assert ok.status_code == 200 and ok.context["result"] is True
    changed = bytearray(content)
    changed[len(changed) // 2] ^= 0x01
    refused = _check(client, issued, bytes(changed))
    assert refused.status_code == 200 and refused.context["result"] is False
    assert "BUKAN" in refused.content.decode()


def test_a_file_that_is_not_a_pdf_or_too_big_is_refused(client, issued, settings):
    response = _check(client, issued, b"\x89PNG\r\n\x1a\nnot a pdf", "foto.png")
    assert response.status_code == 400
    assert "bukan PDF" in response.content.decode()
    settings.REPORT_VERIFY_MAX_BYTES = 100
    response = _check(client, issued, b"%PDF-1.4" + b"0" * 200)
    assert response.status_code == 400
    assert response.context["result"] is None
    assert "MB" in response.content.decode()


def test_an_unknown_code_is_a_plain_404(client, issued):
    response = client.get(reverse("report-verify-public", args=["ABCDEFGHJK"]))
    assert response.status_code == 404
    assert issued.code not in response.content.decode()
