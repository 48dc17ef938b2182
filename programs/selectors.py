"""Reads on the RPJMD plan, commitment programs and progress, through the permission policy."""

from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from programs import models, status
from programs.models.program import MILESTONE_FIELDS
from tracker import data_version, policy
from tracker.achievement import achievement_percent, aggregate_realisation, combine_programs


def plans_visible_to(user):
    """RPJMD plans the user may see, newest first."""
    return policy.visible(user, models.Plan.objects.select_related("government")).order_by(
        "government__name", "-start_year"
    )


def indicators_visible_to(user):
    """Indicators the user may see, with their plan, responsible unit and targets."""
    return policy.visible(
        user,
        models.Indicator.objects.select_related(
            "plan", "plan__government", "responsible_unit", "goal", "objective", "plan_program"
        ).prefetch_related("targets"),
    )


def plan_tree(plan):
    """The plan's missions with goals, objectives, programs, indicators and targets.

    A fixed number of queries whatever the size of the plan.
    """
    indicators = models.Indicator.objects.select_related("responsible_unit").prefetch_related(
        "targets"
    )
    return (
        models.Mission.objects.filter(plan=plan)
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=models.Goal.objects.order_by("code").prefetch_related(
                    Prefetch("indicators", queryset=indicators),
                    Prefetch(
                        "objectives",
                        queryset=models.Objective.objects.order_by("code").prefetch_related(
                            Prefetch("indicators", queryset=indicators),
                            Prefetch(
                                "plan_programs",
                                queryset=models.PlanProgram.objects.order_by("code")
                                .select_related("responsible_unit")
                                .prefetch_related(Prefetch("indicators", queryset=indicators)),
                            ),
                        ),
                    ),
                ),
            )
        )
    )


# --- Commitment programs, progress and monitoring -----------------------------------------


def programs_visible_to(user):
    """Commitment programs the user may see (own unit, granted, or whole government)."""
    return policy.visible(
        user,
        models.Program.objects.select_related(
            "owner_unit", "owner_unit__coordinator", "commitment"
        ),
    )


def year_quarter(period):
    """``(year, quarter)`` of a ``ReportingPeriod`` or of such a pair."""
    if isinstance(period, models.ReportingPeriod):
        return period.year, period.quarter
    year, quarter = period
    return year, quarter


def active_in_quarter(period, prefix=""):
    """The condition "the program runs in ``period``" (a period or ``(year, quarter)``):
    it starts by the quarter's end, ends on or after its start, and was not stopped or
    cancelled before the quarter started. ``prefix`` leads from another model to the
    program (e.g. ``"program__"``)."""
    year, quarter = year_quarter(period)
    start, end = status.quarter_start(year, quarter), status.quarter_end(year, quarter)
    return Q(**{f"{prefix}start_date__lte": end, f"{prefix}end_date__gte": start}) & (
        Q(**{f"{prefix}state": models.Program.State.ACTIVE})
        | Q(**{f"{prefix}state_since__gte": start})
    )


def programs_active_in(period, programs):
    """The programs of ``programs`` (a queryset) that run in ``period`` (a
    ``ReportingPeriod`` or ``(year, quarter)``): the ones with a report to write
    for it. Every per-quarter list (my tasks, the dashboard, the quarterly
    report's compliance, the report form) goes through here."""
    return programs.filter(active_in_quarter(period))


def is_active_in(program, period):
    """Whether one program runs in ``period`` (see :func:`programs_active_in`), in memory."""
    year, quarter = year_quarter(period)
    start, end = status.quarter_start(year, quarter), status.quarter_end(year, quarter)
    return (
        program.start_date <= end
        and program.end_date >= start
        and not program.stopped_before(start)
    )


def opening_preview(government, year, quarter):
    """What opening ``year`` TW ``quarter`` for ``government`` would ask for:
    ``(report tasks, units)``: the programs running then and their owner units. One query."""
    return tuple(
        programs_active_in(
            (year, quarter), models.Program.objects.filter(commitment__government=government)
        )
        .aggregate(tasks=Count("pk"), units=Count("owner_unit", distinct=True))
        .values()
    )


def periods_of(user):
    """Reporting periods of the user's government(s), newest first."""
    return policy.visible(
        user, models.ReportingPeriod.objects.select_related("government")
    ).order_by("-year", "-quarter")


def current_period(user, on=None):
    """The period to report on now: the latest open one that has ended by ``on``,
    else the latest open one, else the latest one."""
    if on is None:
        # Every page asks for it: cached per government data version and day.
        today = timezone.localdate()
        return data_version.cached(
            data_version.government_of_user(user),
            ("current-period", policy.actor_for(user).role, today),
            lambda: _current_period(user, today),
        )
    return _current_period(user, on)


def _current_period(user, on):
    periods = periods_of(user)
    open_periods = periods.filter(state=models.ReportingPeriod.State.OPEN)
    for candidate in open_periods:
        if status.quarter_end(candidate.year, candidate.quarter) <= on:
            return candidate
    return open_periods.first() or periods.first()


def _up_to(period, prefix="report__period__"):
    return Q(**{f"{prefix}year__lt": period.year}) | Q(
        **{f"{prefix}year": period.year, f"{prefix}quarter__lte": period.quarter}
    )


def verified_progress(programs, period):
    """Map milestone id -> progress % in the latest verified report up to ``period``.

    Every report holds a row for each of its program's milestones, so only
    the latest verified report of each program is read. Two queries for any
    number of programs (a correlated "latest report" subquery was planned
    badly by PostgreSQL at national scale).
    """
    latest = {}
    reports = (
        models.ProgressReport.objects.filter(
            program_id__in=[p.pk for p in programs], state=models.ProgressReport.State.VERIFIED
        )
        .filter(_up_to(period, prefix="period__"))
        .order_by("period__year", "period__quarter")
        .values_list("program_id", "pk")
    )
    for program_id, report_id in reports:
        latest[program_id] = report_id
    rows = models.MilestoneProgress.objects.filter(report_id__in=list(latest.values())).values_list(
        "milestone_id", "percent"
    )
    return dict(rows)


def status_date(period):
    """The date statuses are judged on: the quarter's end, or today if earlier."""
    return min(status.quarter_end(period.year, period.quarter), timezone.localdate())


def planned_milestones(program, on=None):
    """``[(milestone, None, status), ...]`` of one program before any quarter is open:
    no progress reported, each status as of ``on`` (today)."""
    on = on or timezone.localdate()
    return [
        (
            milestone,
            None,
            status.milestone_status(
                planned_start=milestone.planned_start,
                planned_finish=milestone.planned_finish,
                progress=None,
                actual_finish=milestone.actual_finish,
                on=on,
                margin=settings.AT_RISK_MARGIN,
            ),
        )
        for milestone in program.milestones.order_by("order", "planned_start", "id")
    ]


def program_statuses(programs, period):
    """Map program id -> (status, [(milestone, progress, status), ...]) for ``period``.

    Two queries: the milestones and the verified progress.
    """
    programs = list(programs)
    progress = verified_progress(programs, period)
    on = status_date(period)
    margin = settings.AT_RISK_MARGIN
    by_program = {program.pk: [] for program in programs}
    milestones = (
        models.Milestone.objects.filter(program__in=[p.pk for p in programs])
        .only("program_id", *MILESTONE_FIELDS)
        .order_by("order", "planned_start", "id")
    )
    for milestone in milestones:
        percent = progress.get(milestone.pk)
        state = status.milestone_status(
            planned_start=milestone.planned_start,
            planned_finish=milestone.planned_finish,
            progress=percent,
            actual_finish=milestone.actual_finish,
            on=on,
            margin=margin,
        )
        by_program[milestone.program_id].append((milestone, percent, state))
    return {
        pk: (status.program_status(s for _m, _p, s in rows), rows)
        for pk, rows in by_program.items()
    }


class VerifiedValue(NamedTuple):
    """One verified realisation, with what orders it among its quarter's others."""

    program_id: int
    indicator_id: int
    year: int
    quarter: int
    value: object  # Decimal
    note: str
    verified_at: object  # datetime
    submitted_at: object  # datetime or None
    report_id: int

    @property
    def order_key(self):
        """Verification time, then submission time, then report id: the tie rule."""
        return (self.verified_at, self.submitted_at or self.verified_at, self.report_id)


def verified_indicator_rows(programs, indicators, *, years, up_to=None):
    """The verified realisations of ``indicators`` reported by ``programs``.

    A list of :class:`VerifiedValue` in the order the reports were verified;
    reports verified at the same moment are ordered by submission time, then
    by report id, so "the latest" is the same in every run (the tie rule the
    report's legend states). ``years`` is a (first, last) pair; ``up_to`` a
    (year, quarter) after which nothing counts, so a past quarter's figures
    do not move when later quarters are reported. One query.
    """
    rows = models.IndicatorRealisation.objects.filter(
        indicator__in=list(indicators),
        report__program__in=[p.pk for p in programs],
        report__state=models.ProgressReport.State.VERIFIED,
        report__period__year__gte=years[0],
        report__period__year__lte=years[1],
        value__isnull=False,
    )
    if up_to is not None:
        rows = rows.filter(
            Q(report__period__year__lt=up_to[0])
            | Q(report__period__year=up_to[0], report__period__quarter__lte=up_to[1])
        )
    found = [
        VerifiedValue(*row)
        for row in rows.values_list(
            "report__program_id",
            "indicator_id",
            "report__period__year",
            "report__period__quarter",
            "value",
            "note",
            "report__verified_at",
            "report__submitted_at",
            "report_id",
        )
    ]
    # Sorted here rather than in SQL: a NULL submission time sorts differently
    # in SQLite and PostgreSQL, and the order must not depend on the database.
    found.sort(key=lambda row: (row.order_key, row.indicator_id))
    return found


def values_by_program(rows):
    """Map (program id, indicator id) -> {(year, quarter): value}: each program's own
    figures, never another program's (rows from ``verified_indicator_rows``)."""
    result = {}
    for row in rows:
        result.setdefault((row.program_id, row.indicator_id), {})[(row.year, row.quarter)] = (
            row.value
        )
    return result


def _counted_rows(indicators, rows):
    """Map indicator id -> {(year, quarter): [rows]} of the rows its rule counts."""
    by_pk = {indicator.pk: indicator for indicator in indicators}
    gathered = {}
    for row in rows:
        indicator = by_pk[row.indicator_id]
        if (
            indicator.combination == models.Indicator.Combination.DESIGNATED
            and row.program_id != indicator.designated_program_id
        ):
            continue
        gathered.setdefault(row.indicator_id, {}).setdefault((row.year, row.quarter), []).append(
            row
        )
    return by_pk, gathered


def combined_values(indicators, rows):
    """Map indicator id -> {(year, quarter): value}: the programs' figures of each
    quarter combined by the indicator's stored rule (``Indicator.combination``).

    With the rule "one designated program" only that program's figures count.
    """
    by_pk, gathered = _counted_rows(indicators, rows)
    return {
        indicator_id: {
            key: combine_programs([row.value for row in found], by_pk[indicator_id].combination)
            for key, found in quarters.items()
        }
        for indicator_id, quarters in gathered.items()
    }


def latest_ties(indicators, rows):
    """Map (indicator id, (year, quarter)) -> the row taken, where the rule "latest"
    had to choose between reports verified at the same moment.

    The report names the report taken in such a quarter, so a reader sees
    that the choice was made by the tie rule (submission time, then report id)
    and not by the verification time.
    """
    by_pk, gathered = _counted_rows(indicators, rows)
    ties = {}
    for indicator_id, quarters in gathered.items():
        if by_pk[indicator_id].combination != models.Indicator.Combination.LATEST:
            continue
        for key, found in quarters.items():
            if len(found) > 1 and found[-1].verified_at == found[-2].verified_at:
                ties[(indicator_id, key)] = found[-1]
    return ties


def year_realisation(indicator, quarter_values):
    """The year's realisation from its quarters' values ({quarter: value}), or ``None``."""
    values = [value for _quarter, value in sorted(quarter_values.items())]
    return aggregate_realisation(values, cumulative=indicator.is_cumulative)


def indicator_achievements(indicators, year, *, programs, up_to=None):
    """Realisation and achievement of indicators for ``year`` from verified reports only.

    Counts the reports of ``programs``: one program's own figures, or for
    several the figures combined by each indicator's rule. Cumulative
    indicators add up their quarters; others take the latest quarter's value.
    Returns indicator id -> dict(realisation, target, achievement, quarters).
    Two queries.
    """
    indicators = list(indicators)
    programs = list(programs)
    rows = verified_indicator_rows(
        programs, indicators, years=(year, year), up_to=(year, up_to) if up_to else None
    )
    if len(programs) == 1:
        values = {i: v for (_p, i), v in values_by_program(rows).items()}
    else:
        values = combined_values(indicators, rows)
    targets = dict(
        models.IndicatorTarget.objects.filter(indicator__in=indicators, year=year).values_list(
            "indicator_id", "target"
        )
    )
    result = {}
    for indicator in indicators:
        quarters = {q: v for (_y, q), v in values.get(indicator.pk, {}).items()}
        realisation = year_realisation(indicator, quarters)
        target = targets.get(indicator.pk)
        result[indicator.pk] = {
            "realisation": realisation,
            "target": target,
            "achievement": achievement_percent(realisation, target, direction=indicator.direction),
            "quarters": quarters,
        }
    return result


def reports_for_period(programs, period):
    """Map program id -> its report for ``period`` (one query)."""
    return {
        report.program_id: report
        for report in models.ProgressReport.objects.filter(program__in=programs, period=period)
    }


def my_tasks_cached(user, period):
    """:func:`my_tasks`, evaluated and cached per government data version, scope and period."""

    def compute():
        rows, returned = my_tasks(user, period)
        return rows, list(returned)

    return data_version.cached(
        data_version.government_of_user(user),
        data_version.page_parts(user, "my-tasks", period.pk),
        compute,
    )


def my_tasks(user, period):
    """What a unit member has to do: this period's report per program they write that
    runs in the period, and every returned report (with its reason) in an open period
    (of any program they write, also one that has ended since)."""
    visible = list(programs_visible_to(user).order_by("title"))
    writable = policy.changeable_ids(user, visible)
    programs = [p for p in visible if p.pk in writable]
    due = [p for p in programs if period and is_active_in(p, period)]
    # Read for every program they write, so the page costs the same queries whether
    # or not anything is due.
    reports = reports_for_period(programs, period) if period else {}
    returned = (
        policy.visible(user, models.ProgressReport.objects.select_related("program", "period"))
        .filter(
            state=models.ProgressReport.State.RETURNED,
            period__state=models.ReportingPeriod.State.OPEN,
            program__in=programs,
        )
        .order_by("period__year", "period__quarter")
    )
    return [(program, reports.get(program.pk)) for program in due], returned


def verification_queue(user, period):
    """Reports of ``period`` the user may review, oldest submission first."""
    return (
        policy.visible(
            user,
            models.ProgressReport.objects.select_related(
                "program", "program__owner_unit", "program__owner_unit__coordinator", "period"
            ),
        )
        .filter(period=period)
        .order_by("submitted_at", "program__owner_unit__name", "program__title")
    )
