"""The monitoring dashboard's reads: compliance, status, late milestones and
achievement of the programs a user sees in one quarter, in a fixed number of
queries. The quarterly report's summary reads the same (``monitoring_summary``).
"""

from django.db.models import Q

from programs import status
from programs.models import Category, Indicator, Program, ProgressReport
from programs.selectors import (
    indicator_achievements,
    is_active_in,
    program_statuses,
    programs_active_in,
    programs_visible_to,
    year_quarter,
)
from reminders.deadlines import deadlines_of
from tracker.achievement import mean_percent


def _compliance_of(state, late):
    """on_time / sent_late / missing for a program's report (state, late) in a period."""
    if state == ProgressReport.State.DRAFT:
        return "missing"
    return "sent_late" if late else "on_time"


def compliance_by_program(program_ids, period):
    """Map program id -> on_time / sent_late / missing for its report in ``period``.

    Lateness is judged against the unit's deadline as it is now
    (``reminders.deadlines``), so an extension granted after a report was sent
    counts too; a report without ``submitted_at`` (imported) keeps its stored
    flag. Two queries.
    """
    deadlines = deadlines_of(period)
    rows = ProgressReport.objects.filter(program_id__in=program_ids, period=period).values_list(
        "program_id", "program__owner_unit_id", "state", "is_late", "submitted_at"
    )
    return {
        program_id: _compliance_of(
            state,
            deadlines.is_late(unit_id, submitted_at) if submitted_at else is_late,
        )
        for program_id, unit_id, state, is_late, submitted_at in rows
    }


def late_scope(period, programs):
    """The programs of ``programs`` (a queryset) whose late milestones count in ``period``.

    Those that started by the quarter's end and were not stopped or cancelled
    before it started, including those that ended earlier: a milestone that
    was never finished stays late, and the program page says so. Ordered by
    unit and title, with their units. One query.
    """
    year, quarter = year_quarter(period)
    start, end = status.quarter_start(year, quarter), status.quarter_end(year, quarter)
    return (
        programs.filter(start_date__lte=end)
        .filter(Q(state=Program.State.ACTIVE) | Q(state_since__gte=start))
        .select_related("owner_unit", "owner_unit__coordinator")
        .order_by("owner_unit__name", "title")
    )


def late_rows(programs, statuses):
    """``[(milestone, progress, program), ...]``: every milestone of ``programs`` that
    ``statuses`` (from :func:`program_statuses`) calls late, the longest overdue first."""
    rows = [
        (milestone, percent, program)
        for program in programs
        for milestone, percent, state in statuses[program.pk][1]
        if state == status.LATE
    ]
    rows.sort(key=lambda item: (item[0].planned_finish, item[2].title, item[0].pk))
    return rows


def late_milestones(user, period):
    """Every milestone late in ``period`` among the programs ``user`` may see, judged as
    the program page judges it (:func:`program_statuses`). Three queries."""
    programs = list(late_scope(period, programs_visible_to(user)))
    return late_rows(programs, program_statuses(programs, period))


def dashboard(user, period):
    """Everything the monitoring dashboard shows for ``period``, in a fixed number of queries."""
    return monitoring_summary(programs_visible_to(user), period)


def monitoring_summary(programs, period):
    """Compliance, status, overdue milestones and achievement of ``programs`` in ``period``.

    ``programs`` is a queryset already restricted to what the reader may see;
    only the programs running in the quarter count in the tallies
    (``is_active_in``): one that starts later, ended before, or was stopped
    before the quarter has no report due. The overdue milestones also cover
    programs that ended earlier with a milestone never finished
    (:func:`late_scope`), as their program pages show them. The dashboard and
    the quarterly report both read from here, so they show the same figures.
    """
    # One read serves both lists: the programs running in the quarter (the
    # tallies) and, for the late milestones, also those that ended before it.
    visible = programs
    candidates = list(late_scope(period, visible))
    programs = [program for program in candidates if is_active_in(program, period)]
    ids = [program.pk for program in programs]
    # Plain id pairs from the link tables: thousands of prefetched model
    # instances cost more than the rest of the page.
    links = list(
        Program.categories.through.objects.filter(program_id__in=ids).values_list(
            "program_id", "category_id"
        )
    )
    categories = Category.objects.select_related("scheme").in_bulk({c for _p, c in links})
    categories_of = {}
    for program_id, category_id in links:
        categories_of.setdefault(program_id, []).append(categories[category_id])
    indicator_ids = set(
        Program.indicators.through.objects.filter(program_id__in=ids).values_list(
            "indicator_id", flat=True
        )
    )
    compliance_of = compliance_by_program(ids, period)
    statuses = program_statuses(candidates, period)

    def tally():
        return {
            "on_time": 0,
            "sent_late": 0,
            "missing": 0,
            "programs": 0,
            **dict.fromkeys(status.ORDER, 0),
        }

    by_unit, by_asda, by_category, totals = {}, {}, {}, tally()
    for program in programs:
        program_status, rows = statuses[program.pk]
        compliance = compliance_of.get(program.pk, "missing")
        unit = program.owner_unit
        groups = [
            by_unit.setdefault(unit, tally()),
            by_asda.setdefault(unit.coordinator, tally()),
            totals,
        ]
        groups += [by_category.setdefault(c, tally()) for c in categories_of.get(program.pk, [])]
        for group in groups:
            group["programs"] += 1
            group[compliance] += 1
            group[program_status] += 1
    overdue = late_rows(candidates, statuses)

    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in=indicator_ids)}
    # The year's figure of an indicator counts every program that reported it
    # (verified, up to the quarter), also one that has ended or stopped since:
    # its quarters still belong to the year. The indicator's page counts the same.
    reporters = list(visible.select_related(None).only("pk"))
    achievements = indicator_achievements(
        indicators.values(), period.year, programs=reporters, up_to=period.quarter
    )
    values = [a["achievement"] for a in achievements.values() if a["achievement"] is not None]
    average = mean_percent(values)
    return {
        "programs": programs,
        "statuses": statuses,
        "totals": totals,
        "by_unit": sorted(by_unit.items(), key=lambda item: item[0].name),
        "by_asda": sorted(by_asda.items(), key=lambda item: (item[0] is None, str(item[0] or ""))),
        "by_scheme": per_scheme(by_category),
        "overdue": overdue,
        "indicators": [(indicators[pk], a) for pk, a in achievements.items()],
        "average_achievement": average,
    }


def per_scheme(by_category):
    """``[(scheme, [(category, tally), ...]), ...]``: the tallies of ``{category: tally}``
    grouped by classification scheme (the programs of several commitments may follow
    several), schemes by name and categories in their order."""
    schemes = {}
    for category in sorted(by_category, key=lambda c: (c.scheme.name, c.scheme_id, c.order, c.pk)):
        schemes.setdefault(category.scheme, []).append((category, by_category[category]))
    return list(schemes.items())


def home_counts(user, period):
    """Bappeda's home page for ``period``: reports waiting for verification, programs
    whose report is missing (not sent), reports sent late (against each unit's
    deadline as it is now) and overdue milestones, among what ``user`` sees. The
    same rules as the dashboard (:func:`monitoring_summary`), in a fixed number of
    queries whatever the number of programs."""
    visible = programs_visible_to(user)
    active = set(programs_active_in(period, visible).values_list("pk", flat=True))
    deadlines = deadlines_of(period)
    rows = ProgressReport.objects.filter(program__in=visible, period=period).values_list(
        "program_id", "program__owner_unit_id", "state", "is_late", "submitted_at"
    )
    waiting = sent_late = 0
    sent = set()
    for program_id, unit_id, state, is_late, submitted_at in rows:
        if state == ProgressReport.State.SUBMITTED:
            waiting += 1
        if program_id not in active or state == ProgressReport.State.DRAFT:
            continue
        sent.add(program_id)
        if deadlines.is_late(unit_id, submitted_at) if submitted_at else is_late:
            sent_late += 1
    return {
        "waiting": waiting,
        "missing": len(active - sent),
        "sent_late": sent_late,
        "overdue_milestones": len(late_milestones(user, period)),
    }
