"""Per-quarter lists count only the programs running in that quarter.

A program runs in a quarter when it starts by the quarter's end, ends on or
after its start, and was not stopped or cancelled before it started. Opening a
quarter says first how many report tasks it creates for how many units.
"""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from programs import program_services, reporting, selectors, services
from programs.models import Category, Program, ProgressReport, ReportingPeriod
from reports import selectors as report_selectors
from reports.services import resolve_request


def _p01():
    return Program.objects.get(title="Layanan Panggilan Darurat 112")


@pytest.fixture
def bappeda(login):
    client = login("bappeda")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _program(commitment, unit, start, end, title="Program uji"):
    return services.create_program(
        actor=None,
        commitment=commitment,
        owner_unit=unit,
        title=title,
        horizon="short",
        start_date=start,
        end_date=end,
        categories=[Category.objects.get(code="governance")],
    )


@pytest.mark.parametrize(
    "start, end, stopped_on, runs",
    [
        ("2022-01-01", "2022-12-31", None, True),
        ("2022-03-31", "2022-12-31", None, True),  # starts on the quarter's last day
        ("2022-04-01", "2022-12-31", None, False),  # starts after the quarter
        ("2021-01-01", "2021-12-31", None, False),  # ended before it
        ("2021-01-01", "2022-01-01", None, True),  # ends on its first day
        ("2021-01-01", "2022-12-31", "2021-12-31", False),  # stopped before it started
        ("2021-01-01", "2022-12-31", "2022-01-01", True),  # stopped during it: still due
    ],
)
def test_which_programs_run_in_a_quarter(make_program, start, end, stopped_on, runs):
    program = make_program()
    program.start_date = datetime.date.fromisoformat(start)
    program.end_date = datetime.date.fromisoformat(end)
    if stopped_on:
        program.state = Program.State.STOPPED
        program.state_since = datetime.date.fromisoformat(stopped_on)
    program.save()
    in_query = selectors.programs_active_in((2022, 1), Program.objects.filter(pk=program.pk))
    assert in_query.exists() is runs
    assert selectors.is_active_in(program, (2022, 1)) is runs


def test_opening_a_quarter_asks_first_and_counts_tasks_and_units(bappeda, cilegon, make_program):
    url = reverse("period-list")
    # The demo's programs all ended by 2021: 2022 TW I gives no task at all.
    response = bappeda.post(url, {"year": "2022", "quarter": "1"})
    preview = response.context["preview"]
    assert (preview["label"], preview["tasks"], preview["units"]) == ("Quarter I 2022", 0, 0)
    make_program(title="A")
    make_program(title="B")
    make_program(owner="DINKES", title="C")
    response = bappeda.post(url, {"year": "2022", "quarter": "1"})
    text = response.content.decode()
    assert "Opening Quarter I 2022 will create 3 report tasks for 2 units." in text
    assert 'name="confirm"' in text
    assert not ReportingPeriod.objects.filter(government=cilegon, year=2022).exists()

    response = bappeda.post(url, {"year": "2022", "quarter": "1", "confirm": "1"})
    assert response.status_code == 302
    assert ReportingPeriod.objects.filter(government=cilegon, year=2022, quarter=1).exists()
    again = bappeda.post(url, {"year": "2022", "quarter": "1"})
    assert "Quarter I 2022 is already open." in again.content.decode()


def test_opening_2022_gives_dkiss_no_task_for_programs_that_ended_in_2021(
    login, make_program, period_2022, dkiss_user
):
    program = make_program(title="Aplikasi 2022")
    period = period_2022(1)
    rows, _returned = selectors.my_tasks(dkiss_user, period)
    assert [p.title for p, _report in rows] == ["Aplikasi 2022"]
    page = login("dkiss").get(reverse("my-tasks") + f"?periode={period.pk}").content.decode()
    assert "Aplikasi 2022" in page and "Layanan Panggilan Darurat 112" not in page
    summary = login("bappeda").get(reverse("dashboard") + f"?periode={period.pk}").context
    assert [p.pk for p in summary["programs"]] == [program.pk]
    assert summary["totals"]["missing"] == 1


def test_a_returned_report_stays_a_task_after_the_program_ended(
    login, make_program, period_2022, dkiss_user, bappeda_user
):
    program = make_program(title="Aplikasi 2022")
    first = period_2022(4)
    report = reporting.start_report(program, first, actor=dkiss_user)
    reporting.submit_report(report, actor=dkiss_user)
    reporting.return_report(report, actor=bappeda_user, reason="Lengkapi bukti")
    later = services.open_period(
        actor=bappeda_user, government=first.government, year=2023, quarter=1
    )
    rows, returned = selectors.my_tasks(dkiss_user, later)
    assert program not in [p for p, _report in rows]
    assert [r.program for r in returned] == [program]


def test_writing_a_report_for_a_program_not_running_is_refused(login, cilegon, period_2022):
    period = period_2022(1)
    client = login("dkiss")
    url = reverse("report-edit", args=[_p01().pk, period.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("program-detail", args=[_p01().pk])
    assert client.post(url, {"version": "1"}).status_code == 302
    assert not ProgressReport.objects.filter(program=_p01(), period=period).exists()
    detail = client.get(reverse("program-detail", args=[_p01().pk]) + f"?periode={period.pk}")
    assert 'id="not-running"' in detail.content.decode()


def test_the_service_refuses_a_report_for_a_quarter_the_program_does_not_run_in(
    period_2022, django_user_model
):
    """Every interface (page, command, import) goes through start_report: it says no."""
    dkiss = django_user_model.objects.get(username="dkiss")
    period = period_2022(1)  # P01 ended on 31 December 2021
    with pytest.raises(ValidationError, match="tidak berjalan pada Triwulan I 2022"):
        reporting.start_report(_p01(), period, actor=dkiss)
    assert not ProgressReport.objects.filter(program=_p01(), period=period).exists()


def test_the_demo_has_no_report_for_a_quarter_its_program_did_not_run_in(cilegon):
    reports = ProgressReport.objects.filter(program__commitment__government=cilegon)
    assert reports.count() > 150
    outside = [
        (r.program.title, str(r.period))
        for r in reports.select_related("program", "period")
        if not selectors.is_active_in(r.program, r.period)
    ]
    assert outside == []


def test_planned_milestones_before_any_quarter_is_open(make_program):
    """What the program page lists when its government has no quarter open yet (the
    browser test of a new government sees it on the page): every milestone in its
    order, no progress, a status as of the given day."""
    program = make_program()
    rows = selectors.planned_milestones(program, on=datetime.date(2022, 5, 1))
    assert [m.title for m, _percent, _state in rows] == list(
        program.milestones.order_by("order").values_list("title", flat=True)
    )
    assert [percent for _m, percent, _state in rows] == [None] * len(rows)
    # the first milestone (Jan-Mar 2022) is late on 1 May with nothing reported
    assert rows[0][2] == "late"


def test_a_stopped_program_leaves_later_quarters_but_keeps_its_past(
    login, cilegon, make_program, period_2022, bappeda_user, dkiss_user
):
    program = make_program(title="Aplikasi Berhenti")
    first = period_2022(1)
    report = reporting.start_report(program, first, actor=dkiss_user)
    reporting.submit_report(report, actor=dkiss_user)
    program_services.set_program_state(
        program,
        actor=bappeda_user,
        state="stopped",
        on=datetime.date(2022, 3, 15),
        reason="Anggaran dialihkan",
    )
    second = period_2022(2)
    # TW I: it ran (stopped during the quarter), its report stays; TW II: nothing due.
    due = selectors.programs_active_in(first, Program.objects.filter(pk=program.pk))
    assert due.exists()
    rows, _returned = selectors.my_tasks(dkiss_user, second)
    assert program not in [p for p, _report in rows]
    assert selectors.opening_preview(cilegon, 2022, 3) == (0, 0)
    dashboard = login("bappeda").get(reverse("dashboard") + f"?periode={second.pk}").context
    assert program not in dashboard["programs"]
    assert dashboard["totals"]["missing"] == 0
    # Its history and its report stay.
    assert ProgressReport.objects.filter(program=program, period=first).exists()
    assert program.history.count() >= 2


def test_the_quarterly_report_keeps_a_program_for_the_quarters_it_ran(cilegon, unit, bappeda_user):
    commitment = _p01().commitment
    program = _program(
        commitment,
        unit("DKISS"),
        datetime.date(2020, 1, 1),
        datetime.date(2021, 12, 31),
        title="Program dihentikan 2020",
    )
    program_services.set_program_state(
        program,
        actor=bappeda_user,
        state="stopped",
        on=datetime.date(2020, 5, 31),
        reason="Tidak dilanjutkan",
    )

    def covered(year, quarter):
        request = resolve_request(year=year, quarter=quarter, government_code="36.72")
        programs = report_selectors.report_programs(request)
        summary = report_selectors.monitoring_summary(programs, request.period)
        return program in programs, program in summary["programs"]

    assert covered(2020, 2) == (True, True)  # it ran in TW II
    assert covered(2020, 3) == (True, False)  # in the year's table, no report due
    assert covered(2021, 1) == (False, False)  # stopped before the year
