"""Writes on the RPJMD plan. Every one records the acting user and a reason."""

from django.db import transaction

from programs.models import (
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    Objective,
    Plan,
    PlanProgram,
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
