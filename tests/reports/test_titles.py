"""A report of one commitment or of all of a government's: what it covers and what it is called.

Cilegon gets another commitment here (percepatan penurunan stunting, under the
stunting scheme), and the health office's programs move to it, with a category
of that scheme; the demo's own stunting commitment has no program running in
the quarter these reports cover (2020 TW III). Expected titles and programs are read here
from the rows the test made, and looked for in the text pypdf extracts.
"""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from commitments import services as commitment_services
from commitments.models import Commitment
from jobs.models import Job
from programs.models import ClassificationScheme, Program, ReportingPeriod
from reports.models import GeneratedReport
from tests.reports.test_quarterly_report import issue, pdf_text

STUNTING = "Komitmen Bersama Percepatan Penurunan Stunting"


def _id(message):
    with translation.override("id"):
        return gettext(message)


@pytest.fixture
def smart_city(cilegon):
    return Commitment.objects.get(government=cilegon, date=datetime.date(2019, 10, 11))


def _stunting_scheme():
    return ClassificationScheme.objects.get(government=None, categories__code="aksi-1")


def _open_commitment(government, title, signatory, date):
    bappeda = get_user_model().objects.get(username="bappeda")
    commitment = commitment_services.create_commitment(
        actor=bappeda,
        government=government,
        title=title,
        theme="Percepatan Penurunan Stunting",
        scheme=_stunting_scheme(),
        date=date,
        place="Aula Bappeda",
        legal_basis="Perpres 72/2021 (diuji)",
        points=["Melaksanakan delapan aksi konvergensi."],
        signatories=[signatory],
    )
    return commitment_services.open_for_signing(commitment, actor=bappeda)


@pytest.fixture
def stunting(cilegon, unit, smart_city):
    """Another open commitment of Cilegon, carrying the health office's Smart City programs."""
    commitment = _open_commitment(cilegon, STUNTING, unit("DINKES"), datetime.date(2020, 2, 3))
    moved = list(smart_city.programs.filter(owner_unit__code="DINKES"))
    assert moved, "the demo has health office programs"
    action = _stunting_scheme().categories.get(code="aksi-1")
    for program in moved:
        program.commitment = commitment
        program.save()
        program.categories.set([action])
    return commitment


def _flat(text):
    return " ".join(text.split())


@pytest.mark.django_db
def test_a_report_of_one_commitment_holds_its_programs_and_its_title(
    cilegon, smart_city, stunting, tmp_path
):
    text = pdf_text(issue(tmp_path, "--commitment", str(stunting.pk)))
    flat = _flat(text)

    # The cover names the stunting commitment, and nothing of the other one.
    assert f"{_id('MONITORING AND EVALUATION REPORT')} {STUNTING.upper()}" in flat
    assert "smart city" not in flat.lower()
    # Only its programs: the health office's, none of the Smart City commitment's.
    mine = set(stunting.programs.values_list("title", flat=True))
    others = set(smart_city.programs.values_list("title", flat=True)) - mine
    assert all(title in flat for title in mine)
    assert not [title for title in others if title in flat]
    # Every page's header names it.
    header = f"{_id('Monitoring of %(commitment)s · Quarter %(quarter)s %(year)s')}" % {
        "commitment": STUNTING,
        "quarter": "III",
        "year": 2020,
    }
    pages = text.count("Halaman ") or text.count("Page ")
    assert flat.count(header) == pages > 1

    # The executive summary counts the programs of that one commitment.
    due = _id(
        "%(programs)s programs of the commitment were due to report for this quarter. "
        "Only verified reports count in the figures below."
    ) % {"programs": len(mine)}
    assert due in flat

    report = GeneratedReport.objects.get()
    assert report.parameters["commitments"] == [stunting.pk]
    assert report.parameters["commitment_titles"] == [STUNTING]
    assert STUNTING in report.title and "Smart City" not in report.title


@pytest.mark.django_db
def test_a_report_of_all_commitments_lists_each_on_the_cover(
    cilegon, smart_city, stunting, unit, tmp_path
):
    # Open, but without programs yet: not among the report's commitments.
    empty = _open_commitment(
        cilegon, "Komitmen Bersama SPBE", unit("DKISS"), datetime.date(2020, 3, 1)
    )
    text = pdf_text(issue(tmp_path))
    assert empty.title.upper() not in text.upper()
    cover = _flat(text.split(_id("1. Executive summary"))[0])
    heading = _id("MONITORING AND EVALUATION REPORT ON THE JOINT COMMITMENTS")
    # One line per commitment, in the order they were signed, after the joint heading.
    assert f"{heading} {smart_city.title.upper()} {STUNTING.upper()}" in cover
    # The executive summary says the programs are of two commitments, not of "the" one.
    summary = _flat(text.split(_id("1. Executive summary"))[1])
    several = _id(
        "%(programs)s programs of the %(commitments)s commitments were due to report for "
        "this quarter. Only verified reports count in the figures below."
    )
    one = _id(
        "%(programs)s programs of the commitment were due to report for this quarter. "
        "Only verified reports count in the figures below."
    )
    assert several.split("%(programs)s")[1] % {"commitments": 2} in summary
    assert one.split("%(programs)s")[1] not in summary
    report = GeneratedReport.objects.get()
    assert report.parameters["commitments"] == [smart_city.pk, stunting.pk]
    assert smart_city.title not in report.title and STUNTING not in report.title


@pytest.mark.django_db
def test_the_verification_page_names_the_commitment(client, stunting, tmp_path):
    issue(tmp_path, "--commitment", str(stunting.pk))
    report = GeneratedReport.objects.get()
    # Renamed later: the page still says what the report covered when it was issued.
    Commitment.objects.filter(pk=stunting.pk).update(title="Komitmen lain")
    page = client.get(reverse("report-verify-public", args=[report.code])).content.decode()
    facts = page.split('id="report-commitments"')[1].split("</dd>")[0]
    assert STUNTING in facts and "Komitmen lain" not in facts


@pytest.mark.django_db
def test_the_form_and_the_excel_job_carry_the_commitment(login, cilegon, stunting):
    client = login("bappeda")
    period = ReportingPeriod.objects.get(government=cilegon, year=2020, quarter=3)
    response = client.post(
        reverse("report-list"),
        {"period": period.pk, "commitment": stunting.pk, "export": "excel"},
    )
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.state == Job.State.DONE, job.error
    assert job.parameters["commitment_ids"] == [stunting.pk]
    assert STUNTING in job.title
    download = client.get(reverse("job-download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet["A2"].value.startswith(f"{STUNTING} · ")
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    mine = set(stunting.programs.values_list("title", flat=True))
    others = set(Program.objects.exclude(commitment=stunting).values_list("title", flat=True))
    assert all(title in cells for title in mine)
    assert not [title for title in others - mine if title in cells]


@pytest.mark.django_db
def test_a_long_commitment_title_is_shortened_in_the_page_header(stunting, tmp_path):
    long_title = "Komitmen Bersama " + " ".join(["Percepatan Penurunan Stunting"] * 9)
    Commitment.objects.filter(pk=stunting.pk).update(title=long_title)
    text = pdf_text(issue(tmp_path, "--commitment", str(stunting.pk)))
    report = GeneratedReport.objects.get()
    assert len(report.title) <= 300
    # The cover prints it whole; the page header, beside the government's name, shortened.
    assert long_title.upper() in _flat(text)
    prefix = _id("Monitoring of %(commitment)s · Quarter %(quarter)s %(year)s").split("%")[0]
    headers = [line for line in text.splitlines() if prefix + "Komitmen Bersama" in line]
    assert headers and all("…" in line and long_title not in line for line in headers)
