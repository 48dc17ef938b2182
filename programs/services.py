"""Writes on the RPJMD plan, commitment programs, milestones and reporting periods.

Every write records the acting user and, where it matters, a reason. The
quarterly report's workflow lives in ``programs/reporting.py``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programs import status
from programs.models import (
    AdoptionIndicator,
    Goal,
    Indicator,
    IndicatorTarget,
    Milestone,
    Mission,
    Objective,
    Plan,
    PlanProgram,
    Program,
    ProgramBudget,
    ProgressReport,
    ReportingPeriod,
)
from tracker.history import save_tracked


@transaction.atomic
def create_plan(*, actor, government, name, start_year, end_year, legal_basis, vision, reason=""):
    """Create an RPJMD for ``government`` covering ``start_year``..``end_year``."""
    plan = Plan(
        government=government,
        name=name,
        start_year=start_year,
        end_year=end_year,
        legal_basis=legal_basis,
        vision=vision,
    )
    return save_tracked(plan, actor=actor, reason=reason)


@transaction.atomic
def add_mission(*, actor, plan, number, text, reason=""):
    """Add a mission (misi) to a plan."""
    return save_tracked(Mission(plan=plan, number=number, text=text), actor=actor, reason=reason)


@transaction.atomic
def add_goal(*, actor, mission, code, text, reason=""):
    """Add a goal (tujuan) to a mission."""
    return save_tracked(Goal(mission=mission, code=code, text=text), actor=actor, reason=reason)


@transaction.atomic
def add_objective(*, actor, goal, code, text, reason=""):
    """Add an objective (sasaran) to a goal."""
    return save_tracked(Objective(goal=goal, code=code, text=text), actor=actor, reason=reason)


@transaction.atomic
def add_plan_program(*, actor, objective, code, name, responsible_unit=None, reason=""):
    """Add an RPJMD budget program to an objective."""
    program = PlanProgram(
        objective=objective, code=code, name=name, responsible_unit=responsible_unit
    )
    return save_tracked(program, actor=actor, reason=reason)


@transaction.atomic
def add_indicator(*, actor, plan, level, reason="", **fields):
    """Add a performance indicator to a goal, objective or RPJMD program (``level``).

    ``fields`` are the indicator's own fields: code, name, unit_of_measure,
    direction, is_cumulative, baseline_value, baseline_year, final_target,
    responsible_unit.
    """
    indicator = Indicator(plan=plan, **fields)
    if isinstance(level, Goal):
        indicator.goal = level
    elif isinstance(level, Objective):
        indicator.objective = level
    elif isinstance(level, PlanProgram):
        indicator.plan_program = level
    else:
        raise TypeError(f"an indicator cannot belong to {type(level).__name__}")
    return save_tracked(indicator, actor=actor, reason=reason)


@transaction.atomic
def set_indicator_target(
    *, actor, indicator, year, target, budget=None, realisation=None, reason=""
):
    """Set (or change) an indicator's target and budget for one plan year.

    The year must lie within the plan period and the budget cannot be negative;
    a bad value raises ``ValidationError`` and nothing is saved.
    """
    existing = IndicatorTarget.objects.filter(indicator=indicator, year=year).first()
    row = existing or IndicatorTarget(indicator=indicator, year=year)
    row.target = target
    row.budget = budget
    row.realisation = realisation
    return save_tracked(row, actor=actor, reason=reason)


# --- Commitment programs and milestones -------------------------------------------------


@transaction.atomic
def create_program(
    *,
    actor,
    commitment,
    owner_unit,
    title,
    horizon,
    start_date,
    end_date,
    description="",
    code="",
    dimensions=(),
    indicators=(),
    supporting_units=(),
    budgets=None,
    adoption_indicators=(),
    reason="",
):
    """Create a commitment program owned by ``owner_unit``.

    Nothing is granted to anyone: the owner unit's members write its reports
    and the supporting units' members see it because the policy reads the
    program's units whenever it builds a query (``programs/apps.py``).

    ``code`` is the program or activity code of the budget (printed in the
    report's "Kode" column); ``budgets`` maps year -> Rupiah;
    ``adoption_indicators`` is a list of dicts (name, unit_of_measure,
    quarterly_target).
    """
    government_id = commitment.government_id
    for unit in [owner_unit, *supporting_units]:
        if unit.government_id != government_id:
            raise ValidationError(_("%(unit)s belongs to another government.") % {"unit": unit})
    for indicator in indicators:
        if indicator.plan.government_id != government_id:
            raise ValidationError(
                _("Indicator %(code)s belongs to another government.") % {"code": indicator.code}
            )
    if not dimensions:
        raise ValidationError({"dimensions": _("Choose at least one smart-city dimension.")})
    program = Program(
        commitment=commitment,
        owner_unit=owner_unit,
        code=code.strip(),
        title=title,
        description=description,
        horizon=horizon,
        start_date=start_date,
        end_date=end_date,
    )
    save_tracked(program, actor=actor, reason=reason)
    program.dimensions.set(dimensions)
    program.indicators.set(indicators)
    program.supporting_units.set(supporting_units)
    for year, amount in (budgets or {}).items():
        save_tracked(
            ProgramBudget(program=program, year=year, amount=amount), actor=actor, reason=reason
        )
    for fields in adoption_indicators:
        save_tracked(AdoptionIndicator(program=program, **fields), actor=actor, reason=reason)
    return program


@transaction.atomic
def assign_owner(program, *, actor, unit, reason=""):
    """Give the program to another unit, recorded in its history with ``reason``.

    From the next query on, the new unit's members write its reports and the
    previous unit's members no longer do (nor see it, unless their unit
    supports it): access is derived from the owner, never copied onto people.
    """
    if unit.government_id != program.commitment.government_id:
        raise ValidationError(_("%(unit)s belongs to another government.") % {"unit": unit})
    program.owner_unit = unit
    return save_tracked(program, actor=actor, reason=reason)


@transaction.atomic
def add_milestones(program, *, actor, milestones, reason=""):
    """Give a program its milestones; their weights must add up to 100 %.

    ``milestones`` is a list of dicts: title, deliverable, planned_start,
    planned_finish, weight. Every milestone lies within the program's dates.
    """
    if program.milestones.exists():
        raise ValidationError(_("This program already has its milestones."))
    total = sum((Decimal(m["weight"]) for m in milestones), Decimal(0))
    if total != 100:
        raise ValidationError(
            _("The milestone weights add up to %(total)s %%; they must add up to 100 %%.")
            % {"total": total}
        )
    created = []
    for index, fields in enumerate(milestones, start=1):
        milestone = Milestone(program=program, **fields)
        if milestone.planned_finish < milestone.planned_start:
            raise ValidationError(_("Milestone %(n)s finishes before it starts.") % {"n": index})
        if (
            milestone.planned_start < program.start_date
            or milestone.planned_finish > program.end_date
        ):
            raise ValidationError(
                _("Milestone %(n)s lies outside the program's dates (%(start)s – %(end)s).")
                % {"n": index, "start": program.start_date, "end": program.end_date}
            )
        created.append(save_tracked(milestone, actor=actor, reason=reason))
    return created


# --- Reporting periods ------------------------------------------------------------------


@transaction.atomic
def open_period(*, actor, government, year, quarter, reason=""):
    """Open a quarter for reporting, with deadlines in working days after it ends."""
    end = status.quarter_end(year, quarter)
    period = ReportingPeriod(
        government=government,
        year=year,
        quarter=quarter,
        submission_deadline=status.add_working_days(end, settings.SUBMISSION_WORKING_DAYS),
        verification_deadline=status.add_working_days(end, settings.VERIFICATION_WORKING_DAYS),
    )
    return save_tracked(period, actor=actor, reason=reason)


@transaction.atomic
def lock_period(period, *, actor, reason=""):
    """Lock a quarter once verification is over: it then accepts no writes."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_locked:
        raise ValidationError(_("This period is already locked."))
    waiting = period.reports.filter(state=ProgressReport.State.SUBMITTED).count()
    if waiting:
        raise ValidationError(
            _("%(count)s reports are still waiting for verification; verify or return them first.")
            % {"count": waiting}
        )
    period.state = ReportingPeriod.State.LOCKED
    return save_tracked(period, actor=actor, reason=reason)
