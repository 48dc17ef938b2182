"""The report form's starting values and rows, read by the unit's form on screen and
by the quarterly progress workbook, so both start from the same figures."""

from decimal import Decimal

from programs import reporting
from programs.models import IndicatorTarget, ProgressReport


def form_values(program, period, report):
    """``(initial, rows, previous percents, targets)`` of ``program``'s report form for
    ``period``: the draft's values, else the last verified progress, each indicator's
    target of the year, and the previous quarter's values (the plausibility check's
    neighbours). ``rows`` are the form's keyword arguments."""
    previous = reporting.previous_verified_percents(program, period)
    current = {}
    if report is not None:
        current = {r.milestone_id: r.percent for r in report.milestone_rows.all()}
        indicator_rows = {r.indicator_id: r for r in report.indicator_rows.all()}
        adoption_values = {r.indicator_id: r.value for r in report.adoption_rows.all()}
    else:
        indicator_rows, adoption_values = {}, {}
    milestones = list(program.milestones.all())
    indicators = list(program.indicators.all())
    targets = dict(
        IndicatorTarget.objects.filter(indicator__in=indicators, year=period.year).values_list(
            "indicator_id", "target"
        )
    )
    adoption = list(program.adoption_indicators.all())
    initial = {"version": report.version if report else 1}
    if report is not None:
        initial.update(
            budget_realisation=report.budget_realisation,
            supporting_factors=report.supporting_factors,
            obstacles=report.obstacles,
            follow_up=report.follow_up,
            follow_up_next_plan=report.follow_up_next_plan,
        )
    for m in milestones:
        initial[f"milestone_{m.pk}"] = current.get(m.pk, previous.get(m.pk, 0))
    for i in indicators:
        row = indicator_rows.get(i.pk)
        initial[f"indicator_{i.pk}"] = _in_places(row.value if row else None, i.decimal_places)
        initial[f"indicator_note_{i.pk}"] = row.note if row else ""
    for a in adoption:
        initial[f"adoption_{a.pk}"] = adoption_values.get(a.pk)
    kwargs = {
        "milestones": [(m, previous.get(m.pk)) for m in milestones],
        "indicators": [(i, targets.get(i.pk)) for i in indicators],
        "adoption": adoption,
        "previous": _previous_quarter_values(program, period),
    }
    return initial, kwargs, previous, targets


def _previous_quarter_values(program, period):
    """The values the program reported in the quarter before ``period``, by form field
    name (``indicator_<id>``, ``adoption_<id>``, ``budget_realisation``): the
    neighbours of the plausibility check. Nothing if it has no report for that quarter."""
    year, quarter = (
        (period.year, period.quarter - 1) if period.quarter > 1 else (period.year - 1, 4)
    )
    report = ProgressReport.objects.filter(
        program=program, period__year=year, period__quarter=quarter
    ).first()
    if report is None:
        return {}
    values = {
        f"indicator_{indicator_id}": value
        for indicator_id, value in report.indicator_rows.values_list("indicator_id", "value")
    }
    values.update(
        (f"adoption_{indicator_id}", value)
        for indicator_id, value in report.adoption_rows.values_list("indicator_id", "value")
    )
    values["budget_realisation"] = report.budget_realisation
    return {name: value for name, value in values.items() if value is not None}


def _in_places(value, places):
    """``value`` written with the indicator's decimal places ("863", not "863.0000"),
    unless that would round it: a value with too many decimals stays as it is, so
    the unit sees and fixes it."""
    if value is None:
        return None
    exact = value.quantize(Decimal(1).scaleb(-places))
    return exact if exact == value else value
