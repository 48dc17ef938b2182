"""Provisional reports (issue 22): issued while the quarter is open, stamped and said so.

In the demo, 2020 TW III is locked (final) and 2021 TW IV is still open.
"""

import io

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from programs.models import ReportingPeriod
from reports import services
from reports.models import GeneratedReport
from reports.pdf import stamp
from tracker.history import save_tracked

PROVISIONAL_NOTE = "Provisional, not the final report: issued while its quarter was still open."


def _issue(year, quarter, **extra):
    request = services.resolve_request(year=year, quarter=quarter, government_code="36.72", **extra)
    return services.issue_report(request, source=GeneratedReport.Source.COMMAND)


def _pages(report):
    with report.file.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read())).pages


def test_a_report_of_an_open_quarter_is_provisional_on_every_page(cilegon):
    report = _issue(2021, 4)
    assert report.is_provisional
    with translation.override("id"):
        suffix = gettext("%(title)s (provisional)") % {"title": ""}
    assert report.title.endswith(suffix)
    pages = _pages(report)
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        assert stamp.WORD in page.extract_text(), f"page {number} has no stamp"


def test_a_report_of_a_locked_quarter_is_final_and_unstamped(cilegon):
    report = _issue(2020, 3)
    assert not report.is_provisional
    assert "(provisional)" not in report.title
    assert not any(stamp.WORD in page.extract_text() for page in _pages(report))


def _text_in_band(page):
    """Every piece of text drawn in the stamp's band, with its x position."""
    height = float(page.mediabox.height)
    top, bottom = height - stamp.BOX_TOP, height - stamp.BOX_TOP - stamp.BOX_HEIGHT
    found = []

    def visit(text, cm, tm, _font, _size):
        y = tm[5] * cm[3] + tm[4] * cm[1] + cm[5]
        if text.strip() and bottom <= y <= top:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return found


def test_the_stamp_sits_alone_in_its_band(cilegon):
    """Nothing of the report (header, figures, table) is printed where the stamp is."""
    final = _pages(_issue(2020, 3))
    assert all(_text_in_band(page) == [] for page in final)
    for page in _pages(_issue(2021, 4)):
        band = _text_in_band(page)
        assert band and stamp.WORD in band[0], band


def test_the_list_and_the_job_say_provisional(login, cilegon):
    client = login("bappeda")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the source wording
    period = ReportingPeriod.objects.get(government=cilegon, year=2021, quarter=4)
    response = client.post(reverse("report-list"), {"period": period.pk})
    assert response.status_code == 302
    report = GeneratedReport.objects.get()
    assert report.is_provisional
    job_page = client.get(response["Location"]).content.decode()
    listing = client.get(reverse("report-list")).content.decode()
    assert "(provisional)" in job_page  # the job's title
    assert "Provisional, not the final report" in job_page
    assert PROVISIONAL_NOTE in listing


def test_the_command_says_whether_the_report_is_provisional(cilegon, tmp_path, capsys):
    with translation.override("en"):
        call_command(
            "quarterly_report",
            *("--government", "36.72", "--year", "2021", "--quarter", "4"),
            *("--output", str(tmp_path / "tw4.pdf")),
        )
        call_command(
            "quarterly_report",
            *("--government", "36.72", "--year", "2020", "--quarter", "3"),
            *("--output", str(tmp_path / "tw3.pdf")),
        )
    out = capsys.readouterr().out
    assert "Provisional, not the final report: Quarter IV 2021 is not locked yet" in out
    assert "Final report: Quarter III 2020 is locked." in out


def test_existing_reports_are_marked_from_the_period_history(cilegon, bappeda_user):
    """The migration decides each report from its period's state when it was generated."""
    migration = __import__(
        "reports.migrations.0002_report_is_provisional", fromlist=["mark_existing"]
    )
    open_then = _issue(2021, 4)  # issued while open, then the quarter is locked
    final = _issue(2020, 3)
    period = ReportingPeriod.objects.get(government=cilegon, year=2021, quarter=4)
    period.state = ReportingPeriod.State.LOCKED
    save_tracked(period, actor=bappeda_user, reason="Verifikasi selesai")
    still_open = ReportingPeriod.objects.get(government=cilegon, year=2021, quarter=3)
    assert not still_open.is_locked
    later = _issue(2021, 3)
    GeneratedReport.objects.update(is_provisional=False)

    migration.mark_existing(apps, None)

    flags = dict(GeneratedReport.objects.values_list("pk", "is_provisional"))
    assert flags == {open_then.pk: True, final.pk: False, later.pk: True}


@pytest.fixture
def bappeda_user(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="bappeda")
