"""A program's own yearly targets: writes, reads, and the check of a summed indicator.

Writes (``set_program_target``, ``clear_program_target``, ``set_program_targets``)
take the acting user and a reason, validate (``full_clean``: the indicator is
one the program is linked to, the year inside the plan) and keep history. The
pages and the workbook import call them; who may call them is the policy's
(``policy.can_change(user, ProgramTarget)``: whoever sets programs up).

Reads go through :func:`targets_visible_to` (the policy's scope of the
program) or take programs the caller already fetched for its reader.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from programs.models import Indicator, IndicatorTarget, Program
from rpjmd.models import ProgramTarget
from tracker import policy
from tracker.formatting import format_number_id
from tracker.history import delete_tracked, save_tracked

SUM = Indicator.Combination.SUM


def targets_visible_to(user):
    """The programs' own targets ``user`` may see (those of the programs they see)."""
    return policy.visible(user, ProgramTarget.objects.select_related("program", "indicator"))


@transaction.atomic
def set_program_target(
    *, actor, program, indicator, year, target, source=ProgramTarget.Source.RENJA, reason=""
):
    """Set ``program``'s own target for ``indicator`` in ``year``; nothing is written
    when it is unchanged. Returns whether anything changed. An indicator the
    program is not linked to, or a year outside the plan, raises
    ``ValidationError`` and nothing is saved."""
    row = (
        ProgramTarget.objects.select_for_update()
        .filter(program=program, indicator=indicator, year=year)
        .first()
    )
    if row is not None and (row.target, row.source) == (target, source):
        return False
    row = row or ProgramTarget(program=program, indicator=indicator, year=year)
    row.target, row.source = target, source
    save_tracked(row, actor=actor, reason=reason)
    return True


@transaction.atomic
def clear_program_target(*, actor, program, indicator, year, reason=""):
    """Remove ``program``'s own target for ``indicator`` in ``year`` (the report then
    grades it as before). Returns whether there was one."""
    row = (
        ProgramTarget.objects.select_for_update()
        .filter(program=program, indicator=indicator, year=year)
        .first()
    )
    if row is None:
        return False
    delete_tracked(row, actor=actor, reason=reason)
    return True


@transaction.atomic
def set_program_targets(program, *, actor, rows, reason=""):
    """Set several of ``program``'s own targets at once, all or nothing.

    ``rows`` maps ``(indicator, year)`` to ``(target, source)``, or to ``None``
    to clear that year's target. Returns the ``(indicator, year)`` pairs that
    changed.
    """
    program = Program.objects.select_for_update().get(pk=program.pk)
    changed = []
    for (indicator, year), values in sorted(
        rows.items(), key=lambda item: (item[0][0].code, item[0][1])
    ):
        if values is None:
            done = clear_program_target(
                actor=actor, program=program, indicator=indicator, year=year, reason=reason
            )
        else:
            target, source = values
            done = set_program_target(
                actor=actor,
                program=program,
                indicator=indicator,
                year=year,
                target=target,
                source=source,
                reason=reason,
            )
        if done:
            changed.append((indicator, year))
    return changed


def own_targets(programs):
    """``{(program id, indicator id, year): (target, source)}`` of ``programs``."""
    return {
        (row[0], row[1], row[2]): (row[3], row[4])
        for row in ProgramTarget.objects.filter(program__in=list(programs)).values_list(
            "program_id", "indicator_id", "year", "target", "source"
        )
    }


def own_final_target(indicator, targets, *, program):
    """The program's own target at the end of the plan (column 5), from ``targets``
    (``own_targets``), or ``None`` when it has not set enough of them.

    A rate's (non-cumulative) end target is its own target for the plan's
    last year; a cumulative indicator's is the sum of its own targets over the
    plan years in which the program runs, each of which must be set.
    """
    plan = indicator.plan
    if not indicator.is_cumulative:
        found = targets.get((program.pk, indicator.pk, plan.end_year))
        return found[0] if found else None
    years = [y for y in plan.years if program.start_date.year <= y <= program.end_date.year]
    values = [targets.get((program.pk, indicator.pk, y)) for y in years]
    if not years or any(v is None for v in values):
        return None
    return sum((v[0] for v in values), Decimal(0))


@dataclass(frozen=True)
class Mismatch:
    """A summed indicator's year whose programs' own targets do not make the plan's."""

    indicator: Indicator
    year: int
    plan_target: Decimal | None
    total: Decimal
    with_target: int
    programs: int

    def text(self, *, figures=True):
        """The warning, with the figures (for whoever sees every program) or without."""
        places = self.indicator.decimal_places
        words = {
            "code": self.indicator.code,
            "year": self.year,
            "total": format_number_id(self.total, places),
            "target": format_number_id(self.plan_target, places),
            "count": self.with_target,
            "programs": self.programs,
        }
        if self.plan_target is None:
            return (
                _(
                    "%(code)s %(year)s: the programs have targets of their own but the RPJMD "
                    "has no target for that year"
                )
                % words
            )
        if not figures:
            return (
                _("%(code)s %(year)s: the programs' own targets do not add up to the RPJMD target")
                % words
            )
        if self.with_target < self.programs:
            return (
                _(
                    "%(code)s %(year)s: only %(count)s of the %(programs)s programs that share "
                    "this summed indicator have a target of their own (together %(total)s; the "
                    "RPJMD target is %(target)s)"
                )
                % words
            )
        return (
            _(
                "%(code)s %(year)s: the programs' own targets add up to %(total)s, not the "
                "RPJMD target of %(target)s"
            )
            % words
        )


def summed_mismatches(indicators, *, years=None):
    """The :class:`Mismatch` of every summed indicator among ``indicators`` (shared by
    two or more programs) in each year where a program has a target of its own and
    the programs running that year do not add up to the plan's target.

    All the programs linked to the indicator count (the plan's coherence is
    not a matter of who reads it). Three queries whatever the number of
    indicators. ``years`` limits the years checked.
    """
    summed = {i.pk: i for i in indicators if i.combination == SUM}
    if not summed:
        return []
    links = {}
    for indicator_id, program_id, start, end in Program.indicators.through.objects.filter(
        indicator_id__in=list(summed)
    ).values_list("indicator_id", "program_id", "program__start_date", "program__end_date"):
        links.setdefault(indicator_id, []).append((program_id, start.year, end.year))
    own = ProgramTarget.objects.filter(indicator_id__in=list(summed))
    if years is not None:
        own = own.filter(year__in=list(years))
    targets = {}
    for program_id, indicator_id, year, target in own.values_list(
        "program_id", "indicator_id", "year", "target"
    ):
        targets.setdefault((indicator_id, year), {})[program_id] = target
    plan_rows = IndicatorTarget.objects.filter(indicator_id__in=list(summed))
    plan_targets = {
        (i, y): t for i, y, t in plan_rows.values_list("indicator_id", "year", "target")
    }
    found = []
    for (indicator_id, year), by_program in sorted(targets.items()):
        linked = [p for p, start, end in links.get(indicator_id, ()) if start <= year <= end]
        if len(links.get(indicator_id, ())) < 2:
            continue
        set_ones = [by_program[p] for p in linked if p in by_program]
        total = sum(set_ones, Decimal(0))
        plan_target = plan_targets.get((indicator_id, year))
        if plan_target is not None and total == plan_target and len(set_ones) == len(linked):
            continue
        found.append(
            Mismatch(
                indicator=summed[indicator_id],
                year=year,
                plan_target=plan_target,
                total=total,
                with_target=len(set_ones),
                programs=len(linked),
            )
        )
    return found


@dataclass(frozen=True)
class TargetRow:
    """One linked indicator on a program's page: per plan year in which the program
    runs, ``(year, RPJMD target, own target or None, source label or "")``."""

    indicator: Indicator
    years: list


def program_target_rows(user, program, indicators):
    """The rows of ``program``'s targets section and its summed-indicator warnings.

    ``indicators`` are the program's, with their plans. The warnings give the
    figures only to whoever sees every program of the government (a unit
    member learns that the targets do not add up, not the other units' shares).
    """
    own = {
        (t.indicator_id, t.year): t
        for t in targets_visible_to(user).filter(program=program).order_by()
    }
    plan = {
        (t.indicator_id, t.year): t.target
        for t in IndicatorTarget.objects.filter(indicator__in=indicators).order_by()
    }
    rows = []
    for indicator in indicators:
        years = []
        for year in indicator.plan.years:
            if not program.start_date.year <= year <= program.end_date.year:
                continue
            found = own.get((indicator.pk, year))
            years.append(
                (
                    year,
                    plan.get((indicator.pk, year)),
                    found.target if found else None,
                    found.get_source_display() if found else "",
                )
            )
        rows.append(TargetRow(indicator=indicator, years=years))
    figures = policy.sees_whole_government(user)
    warnings = [m.text(figures=figures) for m in summed_mismatches(indicators)]
    return rows, warnings
