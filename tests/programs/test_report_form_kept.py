"""The report form loses nothing on an error (issue 25): chosen files are kept and listed,
removable without saving, attached by the next save; every error is listed at the top,
linked to its field; a count typed "1.240" is 1240."""

from decimal import Decimal as D

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.evidence import keep_pending_evidence, pending_evidence_of
from programs.forms import ProgressReportForm
from programs.models import Indicator, PendingEvidence, ProgressReport
from tests.programs import conftest as _programs
from tests.programs.test_progress_views import _form_data

bappeda_user = _programs.bappeda_user
dkiss_user = _programs.dkiss_user
make_program = _programs.make_program
period_2022 = _programs.period_2022

PDF = b"%PDF-1.4 berita acara serah terima"


def _pdf(name="kept-berita-acara.pdf", extra=b""):
    return SimpleUploadedFile(name, PDF + extra, content_type="application/pdf")


def _first_milestone(program):
    return program.milestones.order_by("planned_start").first()


def test_files_chosen_before_an_error_are_kept_then_attached(
    login, make_program, period_2022, dkiss_user
):
    program, period = make_program(), period_2022(1)
    client = login("dkiss")
    url = reverse("report-edit", args=[program.pk, period.pk])
    milestone = _first_milestone(program)

    refused = client.post(url, {**_form_data(None, program, kak="140"), "evidence": [_pdf()]})
    assert refused.status_code == 200
    assert f"milestone_{milestone.pk}" in refused.context["form"].errors
    assert not ProgressReport.objects.filter(program=program, period=period).exists()
    (kept,) = pending_evidence_of(dkiss_user, program, period)
    page = refused.content.decode()
    assert 'id="kept-evidence"' in page and "kept-berita-acara.pdf" in page
    assert f'name="remove_pending" value="{kept.pk}"' in page
    # The form says how long kept files wait (KEPT_EVIDENCE_DAYS).
    days = settings.KEPT_EVIDENCE_DAYS
    assert f"Berkas yang tidak dilampirkan dalam {days} hari akan dihapus." in page

    # Fixed, saved without choosing the file again: it is the report's evidence now.
    saved = client.post(url, _form_data(None, program, kak="40"))
    assert saved.status_code == 302
    report = ProgressReport.objects.get(program=program, period=period)
    assert [str(e) for e in report.evidence.all()] == ["kept-berita-acara.pdf"]
    assert not PendingEvidence.objects.filter(program=program).exists()


def test_a_stale_form_keeps_its_files(login, make_program, period_2022, dkiss_user):
    program, period = make_program(), period_2022(1)
    client = login("dkiss")
    url = reverse("report-edit", args=[program.pk, period.pk])
    assert client.post(url, _form_data(None, program)).status_code == 302
    # version 1 is stale now (the save made it 2)
    stale = client.post(url, {**_form_data(None, program, version=1), "evidence": [_pdf()]})
    assert stale.status_code == 200 and stale.context["conflict"] is not None
    assert pending_evidence_of(dkiss_user, program, period).count() == 1


def test_remove_drops_a_kept_file_and_saves_nothing_else(
    login, make_program, period_2022, dkiss_user
):
    program, period = make_program(), period_2022(1)
    (kept,) = keep_pending_evidence(program, period, [_pdf()], actor=dkiss_user)
    url = reverse("report-edit", args=[program.pk, period.pk])
    data = {**_form_data(None, program), "supporting_factors": "Diketik, belum disimpan"}
    response = login("dkiss").post(url, {**data, "remove_pending": str(kept.pk)})
    assert response.status_code == 200
    assert not PendingEvidence.objects.filter(program=program).exists()
    assert not ProgressReport.objects.filter(program=program, period=period).exists()
    assert "Diketik, belum disimpan" in response.content.decode()  # what was typed stays


def test_remove_reaches_only_the_kept_files_of_this_form(
    login, make_program, period_2022, dkiss_user
):
    program = make_program()
    first, second = period_2022(1), period_2022(2)
    (other_quarter,) = keep_pending_evidence(program, second, [_pdf()], actor=dkiss_user)
    url = reverse("report-edit", args=[program.pk, first.pk])
    response = login("dkiss").post(
        url, {**_form_data(None, program), "remove_pending": str(other_quarter.pk)}
    )
    assert response.status_code == 404
    assert PendingEvidence.objects.filter(pk=other_quarter.pk).exists()


def test_the_error_summary_lists_every_error_linked_to_its_field(login, make_program, period_2022):
    program, period = make_program(), period_2022(1)
    milestone = _first_milestone(program)
    indicator = program.indicators.get()
    url = reverse("report-edit", args=[program.pk, period.pk])
    data = _form_data(None, program, kak="140")
    data[f"indicator_{indicator.pk}"] = "tiga"
    data["budget_realisation"] = "-5"
    response = login("dkiss").post(url, data)
    page = response.content.decode()
    summary = page[
        page.index('id="error-summary"') : page.index("</ul>", page.index('id="error-summary"'))
    ]
    for field in (f"milestone_{milestone.pk}", f"indicator_{indicator.pk}", "budget_realisation"):
        assert f'href="#id_{field}"' in summary, field
        assert f'id="id_{field}"' in page
    assert summary.count("<li>") == 3
    assert milestone.title in summary and indicator.name in summary
    # The row inputs say they are wrong and point at their message.
    assert f'aria-describedby="id_milestone_{milestone.pk}-error"' in page
    assert f'id="id_milestone_{milestone.pk}-error"' in page
    assert 'aria-invalid="true"' in page
    assert 'src="/static/js/report_form.js"' in page


def test_a_count_typed_1_240_is_1240(login, make_program, period_2022, cilegon):
    program = make_program(indicators=("IKP-2.16.03",))
    count = Indicator.objects.get(plan__government=cilegon, code="IKP-2.16.03")
    assert count.decimal_places == 0
    form = ProgressReportForm(
        {"version": 1, f"indicator_{count.pk}": "1.240"},
        milestones=[],
        indicators=[(count, None)],
        adoption=[],
    )
    assert form.is_valid(), form.errors
    assert form.values("indicator") == {count.pk: D("1240")}

    period = period_2022(1)
    data = _form_data(None, program)
    data[f"indicator_{count.pk}"] = "1.240"
    url = reverse("report-edit", args=[program.pk, period.pk])
    assert login("dkiss").post(url, data).status_code == 302
    report = ProgressReport.objects.get(program=program, period=period)
    assert report.indicator_rows.get(indicator=count).value == D("1240")


def test_the_form_reads_kept_files_in_queries_that_do_not_grow(
    login, make_program, period_2022, dkiss_user
):
    program, period = make_program(), period_2022(1)
    client = login("dkiss")
    url = reverse("report-edit", args=[program.pk, period.pk])
    keep_pending_evidence(program, period, [_pdf("a.pdf")], actor=dkiss_user)
    client.get(url)  # warm the per-request caches of the session
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    keep_pending_evidence(
        program,
        period,
        [_pdf(f"{n}.pdf", extra=str(n).encode()) for n in range(5)],
        actor=dkiss_user,
    )
    with CaptureQueriesContext(connection) as six:
        page = client.get(url).content.decode()
    assert page.count("kept-file") == 6
    assert len(six) == len(one), [q["sql"] for q in six.captured_queries]
