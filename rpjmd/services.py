"""Writes on the RPJMD plan: the plan itself, its tree (missions, goals, objectives,
RPJMD programs), indicators and yearly targets.

Creating a node goes through ``programs.services`` (the seed uses those too);
this module adds the checks that keep a plan coherent for the Excel workbook
(codes unique within the plan, units of the plan's own government), the
updates (only fields that really change are saved, so the history shows real
edits and an unchanged import writes nothing) and the deletions (only of a
node nothing depends on). Every write records the acting user and a reason.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programs import models
from programs import services as plan_services
from rpjmd.fields import (
    GOAL_FIELDS,
    INDICATOR_FIELDS,
    LEVEL_FIELDS,
    MISSION_FIELDS,
    OBJECTIVE_FIELDS,
    PLAN_FIELDS,
    PLAN_PROGRAM_FIELDS,
)
from tracker.history import delete_tracked, save_tracked
from tracker.plausibility import with_notes


def plan_of(node):
    """The plan a mission, goal, objective, RPJMD program or indicator belongs to."""
    if isinstance(node, models.Plan):
        return node
    if isinstance(node, models.Mission | models.Indicator):
        return node.plan
    if isinstance(node, models.Goal):
        return node.mission.plan
    if isinstance(node, models.Objective):
        return node.goal.mission.plan
    if isinstance(node, models.PlanProgram):
        return node.objective.goal.mission.plan
    raise TypeError(f"{type(node).__name__} is not part of a plan")


def _locked(obj):
    """The record as stored now, locked until the transaction ends: a form's
    instance may already hold the new values, and two editors must not race."""
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _apply(obj, allowed, fields, *, actor, reason):
    """Set the ``fields`` that differ and save with history; nothing if none differ.

    Returns the list of field names that changed.
    """
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"cannot update {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, fields[name])
    if changed:
        save_tracked(obj, actor=actor, reason=reason)
    return changed


def _check_same_plan(node, plan, field):
    if node is not None and plan_of(node).pk != plan.pk:
        raise ValidationError({field: _("Choose a part of the same plan.")})


def _check_unit(unit, plan, field="responsible_unit"):
    if unit is not None and unit.government_id != plan.government_id:
        raise ValidationError(
            {field: _("The responsible unit must belong to the plan's government.")}
        )


def _check_code_free(queryset, code, what):
    if queryset.filter(code=code).exists():
        raise ValidationError(
            {
                "code": _("Another %(what)s of this plan has the code %(code)s.")
                % {"what": what, "code": code}
            }
        )


def _check_number_free(queryset, number):
    if queryset.filter(number=number).exists():
        raise ValidationError(
            {
                "number": _("Another mission of this plan has the number %(number)s.")
                % {"number": number}
            }
        )


# --- The plan ---------------------------------------------------------------------------


@transaction.atomic
def create_plan(*, actor, government, reason="", **fields):
    """Create an RPJMD for ``government`` (name, start_year, end_year, legal_basis, vision)."""
    return plan_services.create_plan(actor=actor, government=government, reason=reason, **fields)


@transaction.atomic
def update_plan(plan, *, actor, reason="", **fields):
    """Change a plan's name, period, legal basis or vision.

    The period cannot shrink past a year that already has a target: those
    targets would fall outside the plan.
    """
    plan = _locked(plan)
    start = fields.get("start_year", plan.start_year)
    end = fields.get("end_year", plan.end_year)
    outside = sorted(
        set(
            models.IndicatorTarget.objects.filter(indicator__plan=plan)
            .exclude(year__range=(start, end))
            .values_list("year", flat=True)
        )
    )
    if outside:
        raise ValidationError(
            _(
                "Yearly targets exist for %(years)s, outside the new period; clear them "
                "first on the indicators' target pages."
            )
            % {"years": ", ".join(str(y) for y in outside)}
        )
    _apply(plan, PLAN_FIELDS, fields, actor=actor, reason=reason)
    return plan


@transaction.atomic
def delete_plan(plan, *, actor, reason=""):
    """Delete a plan that has no missions and no indicators yet (one made by mistake)."""
    plan = _locked(plan)
    if plan.missions.exists() or plan.indicators.exists():
        raise ValidationError(
            _("The plan has missions or indicators; only an empty plan can be deleted.")
        )
    if plan.commitments.exists():
        raise ValidationError(_("Joint commitments refer to this plan; it cannot be deleted."))
    delete_tracked(plan, actor=actor, reason=reason)


# --- Missions, goals, objectives, RPJMD programs -----------------------------------------


@transaction.atomic
def add_mission(*, actor, plan, number, text, reason=""):
    """Add mission ``number`` to a plan."""
    _check_number_free(plan.missions.all(), number)
    return plan_services.add_mission(
        actor=actor, plan=plan, number=number, text=text, reason=reason
    )


@transaction.atomic
def update_mission(mission, *, actor, reason="", **fields):
    """Change a mission's number or text."""
    mission = _locked(mission)
    if "number" in fields:
        _check_number_free(mission.plan.missions.exclude(pk=mission.pk), fields["number"])
    _apply(mission, MISSION_FIELDS, fields, actor=actor, reason=reason)
    return mission


@transaction.atomic
def delete_mission(mission, *, actor, reason=""):
    """Delete a mission without goals."""
    _delete_empty(
        mission,
        ("goals",),
        _("The mission still has goals; delete or move them first."),
        actor,
        reason,
    )


def _update_level(node, allowed, parent_field, nodes_of, label, actor, reason, fields):
    """Change a goal, objective or RPJMD program: a new parent must be in the same plan,
    a new code free among the plan's nodes of that level (``nodes_of(plan)``)."""
    node = _locked(node)
    plan = plan_of(node)
    _check_same_plan(fields.get(parent_field), plan, parent_field)
    if "code" in fields:
        _check_code_free(nodes_of(plan).exclude(pk=node.pk), fields["code"], label)
    _apply(node, allowed, fields, actor=actor, reason=reason)
    return node


def _delete_empty(node, children, message, actor, reason):
    """Delete a level of the plan only when none of its ``children`` relations has rows:
    nothing below it is deleted with it unseen."""
    node = _locked(node)
    if any(getattr(node, name).exists() for name in children):
        raise ValidationError(message)
    delete_tracked(node, actor=actor, reason=reason)


def _goals_of(plan):
    return models.Goal.objects.filter(mission__plan=plan)


def _objectives_of(plan):
    return models.Objective.objects.filter(goal__mission__plan=plan)


def _plan_programs_of(plan):
    return models.PlanProgram.objects.filter(objective__goal__mission__plan=plan)


@transaction.atomic
def add_goal(*, actor, mission, code, text, reason=""):
    """Add a goal (tujuan) to a mission; its code is unique within the plan."""
    _check_code_free(_goals_of(mission.plan), code, _("goal"))
    return plan_services.add_goal(actor=actor, mission=mission, code=code, text=text, reason=reason)


@transaction.atomic
def update_goal(goal, *, actor, reason="", **fields):
    """Change a goal's code or text, or move it to another mission of the plan."""
    return _update_level(goal, GOAL_FIELDS, "mission", _goals_of, _("goal"), actor, reason, fields)


@transaction.atomic
def delete_goal(goal, *, actor, reason=""):
    """Delete a goal without objectives and indicators."""
    _delete_empty(
        goal,
        ("objectives", "indicators"),
        _("The goal still has objectives or indicators; delete or move them first."),
        actor,
        reason,
    )


@transaction.atomic
def add_objective(*, actor, goal, code, text, reason=""):
    """Add an objective (sasaran) to a goal; its code is unique within the plan."""
    _check_code_free(_objectives_of(goal.mission.plan), code, _("objective"))
    return plan_services.add_objective(actor=actor, goal=goal, code=code, text=text, reason=reason)


@transaction.atomic
def update_objective(objective, *, actor, reason="", **fields):
    """Change an objective's code or text, or move it to another goal of the plan."""
    return _update_level(
        objective, OBJECTIVE_FIELDS, "goal", _objectives_of, _("objective"), actor, reason, fields
    )


@transaction.atomic
def delete_objective(objective, *, actor, reason=""):
    """Delete an objective without RPJMD programs and indicators."""
    _delete_empty(
        objective,
        ("plan_programs", "indicators"),
        _("The objective still has programs or indicators; delete or move them first."),
        actor,
        reason,
    )


@transaction.atomic
def add_plan_program(*, actor, objective, code, name, responsible_unit=None, reason=""):
    """Add an RPJMD program to an objective, run by a unit of the plan's government."""
    plan = plan_of(objective)
    _check_unit(responsible_unit, plan)
    _check_code_free(_plan_programs_of(plan), code, _("RPJMD program"))
    return plan_services.add_plan_program(
        actor=actor,
        objective=objective,
        code=code,
        name=name,
        responsible_unit=responsible_unit,
        reason=reason,
    )


@transaction.atomic
def update_plan_program(program, *, actor, reason="", **fields):
    """Change an RPJMD program's code, name or unit, or move it to another objective."""
    _check_unit(fields.get("responsible_unit"), plan_of(program))
    return _update_level(
        program,
        PLAN_PROGRAM_FIELDS,
        "objective",
        _plan_programs_of,
        _("RPJMD program"),
        actor,
        reason,
        fields,
    )


@transaction.atomic
def delete_plan_program(program, *, actor, reason=""):
    """Delete an RPJMD program without indicators."""
    _delete_empty(
        program,
        ("indicators",),
        _("The program still has indicators; delete or move them first."),
        actor,
        reason,
    )


# --- Indicators and yearly targets --------------------------------------------------------


def _check_indicator(plan, fields):
    _check_unit(fields.get("responsible_unit"), plan)
    program = fields.get("designated_program")
    if program is not None and program.commitment.government_id != plan.government_id:
        raise ValidationError(
            {"designated_program": _("The program must belong to the plan's government.")}
        )


@transaction.atomic
def add_indicator(*, actor, plan, level, reason="", **fields):
    """Add an indicator to a goal, objective or RPJMD program (``level``) of ``plan``.

    ``fields`` are those of :data:`INDICATOR_FIELDS`; the code is unique in the plan.
    """
    _check_same_plan(level, plan, "level")
    _check_indicator(plan, fields)
    _check_code_free(plan.indicators.all(), fields.get("code"), _("indicator"))
    return plan_services.add_indicator(actor=actor, plan=plan, level=level, reason=reason, **fields)


@transaction.atomic
def update_indicator(indicator, *, actor, level=None, reason="", **fields):
    """Change an indicator's fields (:data:`INDICATOR_FIELDS`) or the level it belongs to."""
    indicator = _locked(indicator)
    plan = indicator.plan
    _check_indicator(plan, fields)
    if "code" in fields:
        _check_code_free(plan.indicators.exclude(pk=indicator.pk), fields["code"], _("indicator"))
    if level is not None:
        _check_same_plan(level, plan, "level")
        field = {
            models.Goal: "goal",
            models.Objective: "objective",
            models.PlanProgram: "plan_program",
        }[type(level)]
        for name in LEVEL_FIELDS:
            fields[name] = level if name == field else None
    _apply(indicator, INDICATOR_FIELDS + LEVEL_FIELDS, fields, actor=actor, reason=reason)
    return indicator


def indicator_dependents(indicator):
    """Why ``indicator`` cannot be deleted: a list of messages, empty if it can."""
    reasons = []
    if indicator.programs.exists():
        reasons.append(_("commitment programs report it"))
    if indicator.realisations.exists():
        reasons.append(_("quarterly reports hold realisations of it"))
    if indicator.targets.filter(realisation__isnull=False).exists():
        reasons.append(_("a yearly target has an LKjIP realisation"))
    return reasons


@transaction.atomic
def delete_indicator(indicator, *, actor, reason=""):
    """Delete an indicator and its yearly targets, unless something depends on it
    (programs that report it, quarterly realisations, an LKjIP realisation)."""
    indicator = _locked(indicator)
    reasons = indicator_dependents(indicator)
    if reasons:
        raise ValidationError(
            _("The indicator cannot be deleted: %(reasons)s.") % {"reasons": "; ".join(reasons)}
        )
    for target in indicator.targets.all():
        delete_tracked(target, actor=actor, reason=reason)
    delete_tracked(indicator, actor=actor, reason=reason)


def _same_target(row, target, budget, realisation):
    return (row.target, row.budget, row.realisation) == (target, budget, realisation)


@transaction.atomic
def set_target(*, actor, indicator, year, target, budget=None, realisation=None, reason=""):
    """Set one year's target, budget (pagu) and LKjIP realisation; nothing is written
    when they are unchanged. Returns whether anything changed."""
    row = (
        models.IndicatorTarget.objects.select_for_update()
        .filter(indicator=indicator, year=year)
        .first()
    )
    if row is not None and _same_target(row, target, budget, realisation):
        return False
    plan_services.set_indicator_target(
        actor=actor,
        indicator=indicator,
        year=year,
        target=target,
        budget=budget,
        realisation=realisation,
        reason=reason,
    )
    return True


@transaction.atomic
def set_targets(indicator, *, actor, rows, reason="", confirmations=None):
    """Set an indicator's targets for several years at once.

    ``rows`` maps a year to ``(target, budget, realisation)``, or to ``None``
    to clear that year (its target row is deleted). Years outside the plan are
    refused. ``confirmations`` maps a year to the notes of the far-off numbers
    the person confirmed (``tracker.plausibility``); they follow ``reason`` in
    that year's history. Returns the years that changed.
    """
    confirmations = confirmations or {}
    indicator = _locked(indicator)
    plan = indicator.plan
    outside = [year for year in rows if not plan.start_year <= year <= plan.end_year]
    if outside:
        raise ValidationError(
            _("%(year)s is outside the plan period %(period)s.")
            % {"year": outside[0], "period": plan.period}
        )
    existing = {t.year: t for t in indicator.targets.select_for_update()}
    changed = []
    for year, values in sorted(rows.items()):
        if values is None:
            if year in existing:
                delete_tracked(existing[year], actor=actor, reason=reason)
                changed.append(year)
            continue
        figures = dict(zip(("target", "budget", "realisation"), values, strict=True))
        reason_here = with_notes(reason, confirmations.get(year, ()))
        if set_target(actor=actor, indicator=indicator, year=year, reason=reason_here, **figures):
            changed.append(year)
    return changed
