"""Trends: verified figures quarter by quarter against what was planned.

Two series, each a list of :class:`TrendQuarter` (oldest first):

* an RPJMD indicator: its verified realisation per quarter against the year's
  target (``IndicatorTarget``). Only VERIFIED reports count, read by
  ``selectors.verified_indicator_rows`` (the same tie rule as the report).
  Figures of several programs are combined by the indicator's stored rule
  (``selectors.combined_values``: a "sum" indicator adds them up, "latest"
  takes the last verified, ...); one program's figures are its own
  (``selectors.values_by_program``), as ``selectors.indicator_achievements``
  counts them for the dashboard and the indicator page.
* a commitment program: its milestones' verified progress, averaged with the
  milestones' weights (as the public page does), against the progress planned
  by each quarter's end if every milestone went evenly from its planned start
  to its planned finish (``status.expected_percent``).

A quarter's "year to date" is what the year's realisation was at its end: the
sum of the quarters so far for a cumulative indicator, the latest value for
the others (``selectors.year_realisation``), so it is the figure to hold
against the year's target. Quarters without a verified figure stay empty:
nothing is carried forward or guessed.

Every function reads a fixed number of queries, whatever the number of
quarters, programs or rows.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from programs import charts, selectors, status
from programs.models import (
    Indicator,
    IndicatorTarget,
    Milestone,
    MilestoneProgress,
    Program,
    ProgressReport,
)
from tracker.achievement import achievement_percent

HUNDREDTH = Decimal("0.01")
QUARTERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class TrendQuarter:
    """One quarter of a trend.

    ``value``: the quarter's own verified figure (``None``: none verified);
    ``to_date``: the year's realisation at the quarter's end, the figure drawn
    against ``target`` (for a program both are its verified progress);
    ``target``: the year's target, or the progress planned by the quarter's end.
    """

    year: int
    quarter: int
    value: Decimal | None = None
    to_date: Decimal | None = None
    target: Decimal | None = None


@dataclass
class YearFigures:
    """An indicator's year: its target row (or ``None``), the verified quarters
    ``{quarter: value}``, the year's realisation and its achievement."""

    year: int
    target: IndicatorTarget | None
    quarters: dict = field(default_factory=dict)
    realisation: Decimal | None = None
    achievement: Decimal | None = None

    @property
    def target_value(self):
        return self.target.target if self.target is not None else None


@dataclass
class IndicatorTrend:
    """An indicator's quarters (every quarter of the years with a verified figure),
    its years (every year asked for) and whether a target is shown at all: a summed
    indicator shared by several programs has no target of one program's own."""

    indicator: Indicator
    quarters: list
    years: list
    shows_target: bool = True

    @property
    def has_data(self):
        return any(q.value is not None for q in self.quarters)


@dataclass
class ProgramTrend:
    """A program's quarters (its whole span) and its indicators' trends."""

    program: Program
    quarters: list
    indicators: list

    @property
    def has_data(self):
        return any(q.value is not None for q in self.quarters)


def _values(indicators, rows, programs):
    """Map indicator id -> {(year, quarter): value}, the way the dashboard counts:
    one program's own figures, or several combined by each indicator's rule."""
    if len(programs) == 1:
        return {i: v for (_p, i), v in selectors.values_by_program(rows).items()}
    return selectors.combined_values(indicators, rows)


def _indicator_trend(indicator, found, years, targets, *, shows_target=True):
    """Build one :class:`IndicatorTrend` from its verified ``found``
    ({(year, quarter): value}) and ``targets`` ({year: IndicatorTarget})."""
    year_rows = []
    quarters = []
    data_years = sorted({year for year, _q in found})
    for year in years:
        own = {q: v for (y, q), v in found.items() if y == year}
        target = targets.get(year) if shows_target else None
        realisation = selectors.year_realisation(indicator, own)
        year_rows.append(
            YearFigures(
                year=year,
                target=target,
                quarters=own,
                realisation=realisation,
                achievement=achievement_percent(
                    realisation,
                    target.target if target is not None else None,
                    direction=indicator.direction,
                ),
            )
        )
    # The chart spans the years with a verified figure (a year without one is an
    # empty stretch between them, never a guessed value).
    if data_years:
        for year in range(data_years[0], data_years[-1] + 1):
            target = targets.get(year) if shows_target else None
            so_far = {}
            for quarter in QUARTERS:
                value = found.get((year, quarter))
                if value is not None:
                    so_far[quarter] = value
                quarters.append(
                    TrendQuarter(
                        year=year,
                        quarter=quarter,
                        value=value,
                        to_date=(
                            selectors.year_realisation(indicator, so_far)
                            if value is not None
                            else None
                        ),
                        target=target.target if target is not None else None,
                    )
                )
    return IndicatorTrend(
        indicator=indicator, quarters=quarters, years=year_rows, shows_target=shows_target
    )


def indicator_trend(indicator, *, programs):
    """The trend of one RPJMD indicator over its plan's years, from the verified
    reports of ``programs`` (the ones the reader may see).

    Its years (every plan year, with the target row, the verified quarters, the
    year's realisation and achievement: the same figures as
    ``selectors.indicator_achievements`` gives year by year) and its quarters
    (every quarter of the years from the first to the last with a verified
    figure). Targets come from ``indicator.targets.all()`` (prefetch it). One
    query for the realisations.
    """
    programs = list(programs)
    years = indicator.plan.years
    rows = selectors.verified_indicator_rows(programs, [indicator], years=(years[0], years[-1]))
    found = _values([indicator], rows, programs).get(indicator.pk, {})
    targets = {t.year: t for t in indicator.targets.all()}
    return _indicator_trend(indicator, found, years, targets)


def _average(weights, percents):
    """The weighted mean of ``percents`` ({milestone id: %}, missing = 0) to two places."""
    total = sum(weights.values(), Decimal(0))
    if not total:
        return None
    done = sum(
        (weight * Decimal(percents.get(pk) or 0) for pk, weight in weights.items()), Decimal(0)
    )
    return (done / total).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _program_quarters(program, milestones):
    """The program's quarters: from its start's quarter to its end's, and any quarter
    with a verified report besides."""
    verified = {}
    for year, quarter, milestone_id, percent in MilestoneProgress.objects.filter(
        report__program=program, report__state=ProgressReport.State.VERIFIED
    ).values_list("report__period__year", "report__period__quarter", "milestone_id", "percent"):
        verified.setdefault((year, quarter), {})[milestone_id] = percent
    first = (program.start_date.year, (program.start_date.month - 1) // 3 + 1)
    last = (program.end_date.year, (program.end_date.month - 1) // 3 + 1)
    if verified:
        first, last = min(first, min(verified)), max(last, max(verified))
    # Weights of the milestones the program has now; a milestone a report has no
    # row for (added later) counts as 0 %, as on the public page.
    weights = {m.pk: Decimal(m.weight) for m in milestones}
    quarters = []
    year, quarter = first
    while (year, quarter) <= last:
        end = status.quarter_end(year, quarter)
        planned = _average(
            weights,
            {
                m.pk: status.expected_percent(m.planned_start, m.planned_finish, end)
                for m in milestones
            },
        )
        percents = verified.get((year, quarter))
        value = _average(weights, percents) if percents is not None else None
        quarters.append(
            TrendQuarter(year=year, quarter=quarter, value=value, to_date=value, target=planned)
        )
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters


def program_trend(program, *, milestones=None, indicators=None):
    """The trend of one commitment program: its milestones' verified progress per
    quarter against the progress planned by the quarter's end, and its RPJMD
    indicators' trends over the program's years from its own verified figures.

    ``milestones`` and ``indicators`` may be passed when already read (the page
    has them). The target of a summed indicator shared with other programs is
    theirs together, so it is not drawn against one program's figures (as in
    the report's program rows). Four queries, and one more for each of
    ``milestones`` and ``indicators`` not passed.
    """
    if milestones is None:
        milestones = list(Milestone.objects.filter(program=program))
    if indicators is None:
        indicators = list(program.indicators.select_related("plan"))
    quarters = _program_quarters(program, milestones)
    years = list(range(program.start_date.year, program.end_date.year + 1))
    trends = []
    if indicators:
        rows = selectors.verified_indicator_rows([program], indicators, years=(years[0], years[-1]))
        found = _values(indicators, rows, [program])
        targets = {}
        for target in IndicatorTarget.objects.filter(indicator__in=indicators, year__in=years):
            targets.setdefault(target.indicator_id, {})[target.year] = target
        sharing = dict(
            Program.indicators.through.objects.filter(indicator__in=indicators)
            .order_by()
            .values("indicator_id")
            .annotate(n=Count("program_id"))
            .values_list("indicator_id", "n")
        )
        for indicator in indicators:
            shared = (
                indicator.combination == Indicator.Combination.SUM
                and sharing.get(indicator.pk, 0) > 1
            )
            trends.append(
                _indicator_trend(
                    indicator,
                    found.get(indicator.pk, {}),
                    years,
                    targets.get(indicator.pk, {}),
                    shows_target=not shared,
                )
            )
    return ProgramTrend(program=program, quarters=quarters, indicators=trends)


# --- What the pages draw ------------------------------------------------------------------


def indicator_chart(trend, *, chart_id, title):
    """What ``includes/trend_chart.html`` needs to draw an indicator's trend: the
    layout (``charts.trend_layout``), its words and the figures of its table."""
    indicator = trend.indicator
    return {
        "id": chart_id,
        "title": title,
        "kind": "indicator",
        "has_data": trend.has_data,
        "quarters": trend.quarters,
        "layout": charts.trend_layout(trend.quarters) if trend.has_data else None,
        "places": indicator.decimal_places,
        "unit": indicator.unit_of_measure,
        "cumulative": indicator.is_cumulative,
        "lower_is_better": indicator.direction == Indicator.Direction.LOWER,
        "shows_target": trend.shows_target,
    }


def program_chart(trend, *, chart_id, title):
    """What ``includes/trend_chart.html`` needs to draw a program's progress trend."""
    return {
        "id": chart_id,
        "title": title,
        "kind": "program",
        "has_data": trend.has_data,
        "quarters": trend.quarters,
        "layout": (
            charts.trend_layout(trend.quarters, percent=True, step_target=False)
            if trend.has_data
            else None
        ),
        "places": 2,
        "unit": "%",
        "cumulative": False,
        "lower_is_better": False,
        "shows_target": True,
    }
