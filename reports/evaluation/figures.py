"""The figures of each program block, indicator line and RPJMD indicator, from ``Facts``.

Each program's own figures come from its own verified reports; an RPJMD
indicator's figures combine its programs' by the indicator's stored rule. A
gap (a year or quarter without data) is named in the line's notes.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programs import selectors as program_selectors
from programs import status
from programs.models import Indicator, ProgressReport
from reports.evaluation.rows import (
    QUARTERS,
    UNVERIFIED,
    Figures,
    IndicatorEvaluation,
    IndicatorLine,
    ProgramBlock,
    UnitSection,
    average_of,
    graded,
    rp_prefix,
)
from rpjmd import program_targets
from rpjmd.models import ProgramTarget
from tracker.achievement import achievement_percent, aggregate_realisation, predicate_label
from tracker.formatting import format_number_id, format_quarter


def _running_quarters(program, on_year):
    """The quarters of ``on_year`` in which ``program`` was running (had started)."""
    return [
        q
        for q in QUARTERS
        if status.quarter_end(on_year, q) >= program.start_date
        and status.quarter_start(on_year, q) <= program.end_date
    ]


def _quarter_list(quarters):
    return ", ".join(_("Q %(q)s") % {"q": format_quarter(q)} for q in quarters)


def _missing_note(on_year, missing, expected):
    """ "data 2019 belum ada" for a whole year, or the quarters that are missing."""
    if set(missing) >= set(expected):
        return _("no data for %(year)s") % {"year": on_year}
    return _("no data for %(year)s %(quarters)s") % {
        "year": on_year,
        "quarters": _quarter_list(missing),
    }


def _worth_naming(indicator, past, year, found, missing):
    """Whether a gap in a past year changes column 6: any gap for a cumulative
    indicator (the sum is short), only last year's absence for a rate."""
    if indicator.is_cumulative:
        return bool(missing)
    return past == year - 1 and not found


def _up_to_last_year(yearly, *, cumulative, last_year):
    """Column 6 from {year: value or None}: the sum (cumulative) or last year's value."""
    if cumulative:
        return aggregate_realisation(list(yearly.values()), cumulative=True)
    return yearly.get(last_year)


def program_block(program, number, facts):
    year, quarter = facts.year, facts.quarter
    quarters, notes = {}, []
    unverified, unreported = [], []
    for q in range(1, quarter + 1):
        report = facts.reports.get((program.pk, year, q))
        if report is None or report["state"] != ProgressReport.State.VERIFIED:
            quarters[q] = UNVERIFIED if report else None
            if q in _running_quarters(program, year):
                (unverified if report else unreported).append(q)
        else:
            quarters[q] = report["budget_realisation"]
    if unverified:
        notes.append(_("not verified yet: %(quarters)s") % {"quarters": _quarter_list(unverified)})
    if unreported:
        notes.append(_("not reported: %(quarters)s") % {"quarters": _quarter_list(unreported)})

    # Rp spent in the years before: verified reports only, every missing quarter named.
    spent = []
    for past in range(program.start_date.year, year):
        expected = _running_quarters(program, past)
        verified = {
            q: facts.reports[(program.pk, past, q)]["budget_realisation"]
            for q in expected
            if facts.reports.get((program.pk, past, q), {}).get("state")
            == ProgressReport.State.VERIFIED
        }
        missing = [q for q in expected if verified.get(q) is None]
        if missing:
            notes.append(rp_prefix() + _missing_note(past, missing, expected))
        spent.append(aggregate_realisation(list(verified.values()), cumulative=True))
    before = aggregate_realisation(spent, cumulative=True)
    year_values = [v for v in quarters.values() if v not in (None, UNVERIFIED)]
    year_total = sum(year_values, Decimal(0)) if year_values else None
    cumulative = aggregate_realisation([before, year_total], cumulative=True)
    budgets = facts.budgets.get(program.pk, {})
    total_budget = sum(budgets.values(), Decimal(0)) if budgets else None
    year_budget = budgets.get(year)
    rp = Figures(
        final_target=total_budget,
        before=before,
        year_target=year_budget,
        quarters=quarters,
        year_realisation=year_total,
        year_achievement=achievement_percent(year_total, year_budget),
        cumulative=cumulative,
        cumulative_achievement=achievement_percent(cumulative, total_budget),
    )
    lines = [_program_line(program, indicator, facts) for indicator in program.indicators.all()]
    if not lines:
        notes.append(_("no RPJMD indicator linked"))
    return ProgramBlock(number=number, program=program, rp=rp, lines=lines, notes=notes)


def _objective_of(indicator):
    level = indicator.objective or (
        indicator.plan_program.objective if indicator.plan_program else indicator.goal
    )
    return f"{level.code} {level.text}" if level else ""


def _program_line(program, indicator, facts):
    """One program's own figures for one indicator."""
    year, quarter = facts.year, facts.quarter
    values = facts.by_program.get((program.pk, indicator.pk), {})
    notes = []
    first = max(indicator.plan.start_year, program.start_date.year)
    yearly = {}
    for past in range(first, year):
        found = {q: v for (y, q), v in values.items() if y == past}
        expected = _running_quarters(program, past)
        missing = [q for q in expected if q not in found]
        if _worth_naming(indicator, past, year, found, missing):
            notes.append(_missing_note(past, missing, expected))
        yearly[past] = program_selectors.year_realisation(indicator, found)
    before = _up_to_last_year(yearly, cumulative=indicator.is_cumulative, last_year=year - 1)

    quarters = {}
    for q in range(1, quarter + 1):
        report = facts.reports.get((program.pk, year, q))
        if (year, q) in values:
            quarters[q] = values[(year, q)]
        elif report is not None and report["state"] != ProgressReport.State.VERIFIED:
            quarters[q] = UNVERIFIED
        else:
            quarters[q] = None
            if report is not None:
                notes.append(_("%(quarter)s: no value reported") % {"quarter": _quarter_list([q])})
    year_quarters = {q: v for (y, q), v in values.items() if y == year}
    year_value = program_selectors.year_realisation(indicator, year_quarters)

    final_target, year_target = _line_targets(program, indicator, facts, notes)
    for q, text in facts.notes.get((program.pk, indicator.pk), []):
        notes.append(f"{_quarter_list([q])}: {text}")
    return IndicatorLine(
        indicator=indicator,
        objective=_objective_of(indicator),
        k=_k_figures(indicator, final_target, before, year_target, quarters, year_value),
        notes=notes,
    )


def _line_targets(program, indicator, facts, notes):
    """Columns 5 and 7 of a program's line: the program's own targets (Renstra/Renja)
    where it has them, else the plan's, except that a summed indicator shared by
    several programs has no plan target of one program's (both ``None``)."""
    year = facts.year
    shared = (
        indicator.combination == Indicator.Combination.SUM
        and facts.sharing.get(indicator.pk, 0) > 1
    )
    if shared:
        final_target = year_target = None
    else:
        final_target = indicator.final_target
        year_target = facts.targets.get((indicator.pk, year), {}).get("target")
    own_year = facts.own_targets.get((program.pk, indicator.pk, year))
    own_final = program_targets.own_final_target(indicator, facts.own_targets, program=program)
    if own_year is not None:
        year_target = own_year[0]
        notes.append(
            _("graded against the program's own target for %(year)s (%(source)s)")
            % {"year": year, "source": ProgramTarget.Source(own_year[1]).label}
        )
    if own_final is not None:
        final_target = own_final
    if shared and own_year is None:
        notes.append(
            _(
                "the RPJMD target is shared by %(count)s programs whose figures are summed; "
                "see the evaluation of the RPJMD indicators"
            )
            % {"count": facts.sharing[indicator.pk]}
        )
    return final_target, year_target


def _k_figures(indicator, final_target, before, year_target, quarters, year_value):
    if indicator.is_cumulative:
        cumulative = aggregate_realisation([before, year_value], cumulative=True)
    else:
        # A rate's level up to this year is this year's level, never an older one.
        cumulative = year_value
    return Figures(
        final_target=final_target,
        before=before,
        year_target=year_target,
        quarters=quarters,
        year_realisation=year_value,
        year_achievement=achievement_percent(
            year_value, year_target, direction=indicator.direction
        ),
        cumulative=cumulative,
        cumulative_achievement=achievement_percent(
            cumulative, final_target, direction=indicator.direction
        ),
    )


def unit_section(unit, blocks, facts):
    k = [line.k.year_achievement for block in blocks for line in block.lines]
    rp = [block.rp.year_achievement for block in blocks]
    texts = {name: [] for name in TEXT_FIELDS}
    for block in blocks:
        report = facts.reports.get((block.program.pk, facts.year, facts.quarter))
        if report is None or report["state"] != ProgressReport.State.VERIFIED:
            continue
        for name, found in texts.items():
            text = (report[name] or "").strip()
            if text:
                found.append((block.program.title, text))
    return UnitSection(unit=unit, programs=blocks, **graded(average_of(k), average_of(rp)), **texts)


TEXT_FIELDS = ("supporting_factors", "obstacles", "follow_up", "follow_up_next_plan")


def indicator_evaluation(indicator, number, reporting, facts, *, budgets=None):
    """An RPJMD indicator as a whole, its programs combined by its stored rule.

    A past year counts the realisation published in the LKjIP where one is
    recorded, otherwise the combined verified quarters. ``budgets`` maps a
    program id to its block's Rp figures, from which the indicator's Rp is
    combined (``_indicator_rp``).
    """
    year, quarter = facts.year, facts.quarter
    values = facts.combined.get(indicator.pk, {})
    notes = []
    designated = indicator.combination == Indicator.Combination.DESIGNATED
    if designated and indicator.designated_program not in reporting:
        notes.append(_("the designated program is not part of this report"))
    yearly = {}
    for past in range(indicator.plan.start_year, year):
        published = facts.targets.get((indicator.pk, past), {}).get("realisation")
        found = {q: v for (y, q), v in values.items() if y == past}
        if published is not None:
            yearly[past] = published
            continue
        missing = [q for q in QUARTERS if q not in found]
        if _worth_naming(indicator, past, year, found, missing):
            notes.append(_missing_note(past, missing, QUARTERS))
        yearly[past] = program_selectors.year_realisation(indicator, found)
    before = _up_to_last_year(yearly, cumulative=indicator.is_cumulative, last_year=year - 1)
    quarters = {q: values.get((year, q)) for q in range(1, quarter + 1)}
    year_value = program_selectors.year_realisation(
        indicator, {q: v for q, v in quarters.items() if v is not None}
    )
    notes.extend(_tie_notes(indicator, facts))
    notes.extend(found.text() for found in facts.mismatches.get(indicator.pk, ()))
    k = _k_figures(
        indicator,
        indicator.final_target,
        before,
        facts.targets.get((indicator.pk, year), {}).get("target"),
        quarters,
        year_value,
    )
    rp, rp_notes = _indicator_rp(indicator, reporting, facts, budgets or {})
    return IndicatorEvaluation(
        number=number,
        indicator=indicator,
        objective=_objective_of(indicator),
        rule=_rule_text(indicator),
        programs=reporting,
        k=k,
        predicate=str(predicate_label(k.year_achievement)),
        notes=notes + rp_notes,
        rp=rp,
        responsible_unit=indicator.responsible_unit,
    )


def _money_sum(values):
    """The sum of the Rupiah figures among ``values``; ``None`` when there is none."""
    found = [v for v in values if v not in (None, UNVERIFIED)]
    return sum(found, Decimal(0)) if found else None


def _indicator_rp(indicator, reporting, facts, budgets):
    """The Rp figures of an RPJMD indicator and the notes that explain them.

    Targets are the plan's pagu: the year's for column 7, the sum over the
    plan's years for column 5. Realisations are the reporting programs' own
    verified budget realisations (their blocks' Rp figures), added up: money
    adds whatever rule combines the indicator's performance figures, except
    that a designated program's indicator counts that program's money alone.
    A program that reports several indicators has one budget: its whole
    realisation is counted under each, and the notes say so.
    """
    year, quarter = facts.year, facts.quarter
    notes = []
    counted = list(reporting)
    if indicator.combination == Indicator.Combination.DESIGNATED:
        counted = [p for p in reporting if p.pk == indicator.designated_program_id]
    figures = [budgets[p.pk] for p in counted if p.pk in budgets]
    pagu = {
        y: facts.targets.get((indicator.pk, y), {}).get("budget")
        for y in range(indicator.plan.start_year, indicator.plan.end_year + 1)
    }
    without = [str(y) for y, amount in pagu.items() if amount is None]
    if len(without) == len(pagu):
        notes.append(_("Rp: the RPJMD records no budget (pagu) for this indicator"))
    elif without:
        notes.append(
            _("Rp: no budget (pagu) in the RPJMD for %(years)s") % {"years": ", ".join(without)}
        )
    final_target = _money_sum(pagu.values())
    year_target = pagu.get(year)

    quarters = {}
    for q in range(1, quarter + 1):
        values = [f.quarters.get(q) for f in figures]
        total = _money_sum(values)
        if total is None and UNVERIFIED in values:
            quarters[q] = UNVERIFIED
        else:
            quarters[q] = total
            waiting = sum(1 for v in values if v == UNVERIFIED)
            if total is not None and waiting:
                notes.append(
                    _("Rp %(quarter)s: %(waiting)s of %(count)s programs not verified yet")
                    % {"quarter": _quarter_list([q]), "waiting": waiting, "count": len(values)}
                )
    before = _money_sum(f.before for f in figures)
    year_total = _money_sum(f.year_realisation for f in figures)
    cumulative = aggregate_realisation([before, year_total], cumulative=True)
    shared = sum(1 for p in counted if len(p.indicators.all()) > 1)
    if shared:
        notes.append(
            ngettext(
                "Rp counts the whole budget of %(count)s program that also reports other "
                "indicators",
                "Rp counts the whole budget of %(count)s programs that also report other "
                "indicators",
                shared,
            )
            % {"count": shared}
        )
    rp = Figures(
        final_target=final_target,
        before=before,
        year_target=year_target,
        quarters=quarters,
        year_realisation=year_total,
        year_achievement=achievement_percent(year_total, year_target),
        cumulative=cumulative,
        cumulative_achievement=achievement_percent(cumulative, final_target),
    )
    return rp, notes


def _tie_notes(indicator, facts):
    """Name the report "latest" took where reports were verified at the same moment."""
    notes = []
    for q in range(1, facts.quarter + 1):
        taken = facts.ties.get((indicator.pk, (facts.year, q)))
        if taken is None:
            continue
        notes.append(
            _(
                "%(quarter)s: reports verified at the same moment; the latest by submission "
                "time, then report number, was taken: %(program)s (%(value)s)"
            )
            % {
                "quarter": _quarter_list([q]),
                "program": facts.program_titles.get(taken.program_id, taken.program_id),
                "value": format_number_id(taken.value, places=indicator.decimal_places),
            }
        )
    return notes


def _rule_text(indicator):
    if indicator.combination == Indicator.Combination.DESIGNATED:
        program = indicator.designated_program
        return _("one designated program: %(program)s") % {"program": program.title}
    return str(indicator.get_combination_display())
