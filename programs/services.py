"""Writes on the RPJMD plan, commitment programs, milestones and reporting periods.

Every write records the acting user and, where it matters, a reason
(``tracker.history.save_tracked``). Each service validates everything first
and raises one ``ValidationError`` (keyed by the form field it belongs to)
before it changes anything, and runs in a transaction: on any error nothing is
saved. Editing a program, its budgets, adoption indicators and state lives in
``programs/program_services.py``; the quarterly report's workflow in
``programs/reporting.py``.

Rows of a list (milestones, adoption indicators) are answered by their
position: the error of the i-th row's field ``f`` is keyed ``"<i>:<f>"``
(``program_services.row_key``), so a page can put it next to the right row.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programs import models, status
from programs.program_services import (
    Errors,
    add_report_rows,
    check_adoption_rows,
    check_budgets,
    check_categories,
    check_dates,
    check_links,
    check_new_units,
    row_key,
    span,
)
from tracker.formatting import format_number_id
from tracker.history import delete_tracked, links_recorded_on_save, record_links, save_tracked

# A milestone's definition: changing any of these after its progress was verified needs a reason.
MILESTONE_DEFINITION = ("title", "deliverable", "planned_start", "planned_finish", "weight")
MILESTONE_FIELDS = (*MILESTONE_DEFINITION, "order")


@transaction.atomic
def create_plan(*, actor, government, name, start_year, end_year, legal_basis, vision, reason=""):
    """Create an RPJMD for ``government`` covering ``start_year``..``end_year``."""
    plan = models.Plan(
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
    return save_tracked(
        models.Mission(plan=plan, number=number, text=text), actor=actor, reason=reason
    )


@transaction.atomic
def add_goal(*, actor, mission, code, text, reason=""):
    """Add a goal (tujuan) to a mission."""
    return save_tracked(
        models.Goal(mission=mission, code=code, text=text), actor=actor, reason=reason
    )


@transaction.atomic
def add_objective(*, actor, goal, code, text, reason=""):
    """Add an objective (sasaran) to a goal."""
    return save_tracked(
        models.Objective(goal=goal, code=code, text=text), actor=actor, reason=reason
    )


@transaction.atomic
def add_plan_program(*, actor, objective, code, name, responsible_unit=None, reason=""):
    """Add an RPJMD budget program to an objective."""
    program = models.PlanProgram(
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
    indicator = models.Indicator(plan=plan, **fields)
    if isinstance(level, models.Goal):
        indicator.goal = level
    elif isinstance(level, models.Objective):
        indicator.objective = level
    elif isinstance(level, models.PlanProgram):
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
    existing = models.IndicatorTarget.objects.filter(indicator=indicator, year=year).first()
    row = existing or models.IndicatorTarget(indicator=indicator, year=year)
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
    categories=(),
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
    report's "Kode" column); ``budgets`` maps year -> Rupiah (years within the
    program's span); ``categories`` come from the commitment's classification scheme
    (at least one where it requires them); ``adoption_indicators`` is a list of dicts (name,
    unit_of_measure, quarterly_target). Units and RPJMD indicators must be of
    the commitment's government, and the units active.
    """
    errors = Errors()
    government_id = commitment.government_id
    check_links(
        errors,
        government_id,
        owner_unit=owner_unit,
        supporting_units=supporting_units,
        indicators=indicators,
    )
    check_new_units(errors, owner_unit=owner_unit, supporting_units=supporting_units)
    check_categories(errors, commitment.scheme, categories)
    check_dates(errors, start_date, end_date)
    budgets = dict(budgets or {})
    check_budgets(errors, budgets, start_date, end_date)
    program = models.Program(
        commitment=commitment,
        owner_unit=owner_unit,
        code=(code or "").strip(),
        title=title,
        description=description,
        horizon=horizon,
        start_date=start_date,
        end_date=end_date,
    )
    try:
        program.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors.absorb(error)
    adoption_rows = [dict(row) for row in adoption_indicators]
    check_adoption_rows(errors, program, adoption_rows)
    errors.raise_if_any()

    save_tracked(program, actor=actor, reason=reason)
    with links_recorded_on_save(program):
        program.categories.set(categories)
        program.indicators.set(indicators)
        program.supporting_units.set(supporting_units)
    record_links(program)  # the creation row holds the links it was created with
    for year, amount in sorted(budgets.items()):
        if amount is not None:
            save_tracked(
                models.ProgramBudget(program=program, year=year, amount=amount),
                actor=actor,
                reason=reason,
            )
    for fields in adoption_rows:
        fields.pop("pk", None)
        save_tracked(
            models.AdoptionIndicator(program=program, **fields), actor=actor, reason=reason
        )
    return program


@transaction.atomic
def assign_owner(program, *, actor, unit, reason):
    """Give the program to another unit, recorded in its history with ``reason`` (required).

    From the next query on, the new unit's members write its reports and the
    previous unit's members no longer do (nor see it, unless their unit
    supports it): access is derived from the owner, never copied onto people.
    """
    errors = Errors()
    check_links(errors, program.commitment.government_id, owner_unit=unit)
    if unit.pk == program.owner_unit_id:
        errors.add("owner_unit", _("%(unit)s already owns this program.") % {"unit": unit})
    elif not errors:
        check_new_units(errors, owner_unit=unit)
    if not (reason or "").strip():
        errors.add("reason", _("Say why the program changes owner."))
    errors.raise_if_any()
    program.owner_unit = unit
    return save_tracked(program, actor=actor, reason=reason.strip())


def _has_progress(milestone_ids):
    """Milestones with any progress reported: a row above 0 %, or any row in a report
    that was sent (a draft's rows at 0 % are only the unit's empty form)."""
    return set(
        models.MilestoneProgress.objects.filter(milestone_id__in=milestone_ids)
        .exclude(percent=0, report__state=models.ProgressReport.State.DRAFT)
        .values_list("milestone_id", flat=True)
        .distinct()
    )


def _has_verified_progress(milestone_ids):
    """Milestones that appear in a verified report."""
    return set(
        models.MilestoneProgress.objects.filter(
            milestone_id__in=milestone_ids, report__state=models.ProgressReport.State.VERIFIED
        )
        .values_list("milestone_id", flat=True)
        .distinct()
    )


def weight_message(total):
    """What is wrong with milestone weights adding up to ``total`` %, or ``None``."""
    if total == 100:
        return None
    if total < 100:
        return _("The milestone weights add up to %(total)s %%; %(gap)s %% short of 100 %%.") % {
            "total": _number(total),
            "gap": _number(100 - total),
        }
    return _("The milestone weights add up to %(total)s %%; %(gap)s %% over 100 %%.") % {
        "total": _number(total),
        "gap": _number(total - 100),
    }


def _number(value):
    """A weight as people write it: "90", "12,50"."""
    value = Decimal(value)
    return format_number_id(value, 0 if value == value.to_integral_value() else 2)


def _check_milestone_row(errors, program, index, milestone):
    start, finish = milestone.planned_start, milestone.planned_finish
    if start and finish and finish < start:
        errors.add(row_key(index, "planned_finish"), _("It finishes before it starts."))
    for field, day in (("planned_start", start), ("planned_finish", finish)):
        if day and not program.start_date <= day <= program.end_date:
            errors.add(
                row_key(index, field),
                _("It lies outside the program's dates (%(dates)s).")
                % {"dates": span(program.start_date, program.end_date)},
            )
    if milestone.weight is not None and not Decimal(0) < Decimal(milestone.weight) <= 100:
        errors.add(row_key(index, "weight"), _("A weight lies between 0 and 100 %."))
    try:
        milestone.full_clean(exclude=["program"], validate_constraints=False)
    except ValidationError as error:
        errors.absorb(error, prefix=index)


@transaction.atomic
def set_milestones(program, *, actor, rows, reason=""):
    """Make ``rows`` the program's milestones, in that order: add, change, reorder, remove.

    ``rows`` is the whole new list, each a dict: ``pk`` (an existing milestone of
    this program, or ``None`` for a new one), title, deliverable, planned_start,
    planned_finish, weight. A milestone missing from ``rows`` is removed, unless
    any progress was reported on it. Weights add up to 100 %; planned dates lie
    within the program's dates and a milestone finishes on or after its start.
    A milestone with verified progress changes its title, deliverable, dates or
    weight only with a reason. All or nothing: every error is raised at once
    (the i-th row's keyed ``"<i>:<field>"``) and nothing is saved. Each
    milestone's history row records ``reason``. New milestones get a row in the
    program's open draft reports. Returns the milestones in order.
    """
    program = models.Program.objects.select_for_update().get(pk=program.pk)
    existing = {m.pk: m for m in program.milestones.all()}
    errors = Errors()
    reason = (reason or "").strip()
    verified = _has_verified_progress(list(existing))
    wanted, kept, needs_reason = [], set(), []
    total = Decimal(0)
    for index, row in enumerate(rows):
        pk = row.get("pk")
        if pk is not None and pk not in existing:
            errors.add(row_key(index, NON_FIELD_ERRORS), _("Unknown milestone."))
            continue
        if pk in kept:
            errors.add(row_key(index, NON_FIELD_ERRORS), _("This milestone is listed twice."))
            continue
        milestone = existing[pk] if pk is not None else models.Milestone(program=program)
        before = {f: getattr(milestone, f) for f in MILESTONE_FIELDS}
        for field in MILESTONE_DEFINITION:
            value = row.get(field)
            setattr(milestone, field, "" if value is None and field == "deliverable" else value)
        milestone.order = index + 1
        _check_milestone_row(errors, program, index, milestone)
        total += Decimal(milestone.weight or 0)
        if pk is not None:
            kept.add(pk)
            if pk in verified and _differs(milestone, before, MILESTONE_DEFINITION):
                needs_reason.append(before["title"])
        wanted.append((milestone, pk is None or _differs(milestone, before, MILESTONE_FIELDS)))
    message = weight_message(total)
    if message:
        errors.add(NON_FIELD_ERRORS, message)
    removed = [m for pk, m in existing.items() if pk not in kept]
    reported = _has_progress([m.pk for m in removed]) if removed else set()
    for milestone in (m for m in removed if m.pk in reported):
        errors.add(
            NON_FIELD_ERRORS,
            _("Milestone “%(title)s” already has reported progress; it cannot be removed.")
            % {"title": milestone.title},
        )
    if needs_reason and not reason:
        errors.add(
            "reason",
            _(
                "%(titles)s already has verified progress: say why it changes (the reason "
                "is kept in its history)."
            )
            % {"titles": ", ".join(f"“{title}”" for title in needs_reason)},
        )
    errors.raise_if_any()

    for milestone in removed:
        delete_tracked(milestone, actor=actor, reason=reason)
    added = []
    for milestone, changed in wanted:
        if milestone.pk is None:
            added.append(milestone)
        if changed:
            save_tracked(milestone, actor=actor, reason=reason)
    add_report_rows(models.MilestoneProgress, program, added, actor=actor, reason=reason, percent=0)
    return [milestone for milestone, _changed in wanted]


def _differs(milestone, before, fields):
    return any(getattr(milestone, f) != before[f] for f in fields)


@transaction.atomic
def add_milestones(program, *, actor, milestones, reason=""):
    """Give a program without milestones its first milestones (see :func:`set_milestones`).

    ``milestones`` is a list of dicts: title, deliverable, planned_start,
    planned_finish, weight; they keep that order.
    """
    if program.milestones.exists():
        raise ValidationError(_("This program already has its milestones."))
    rows = [{"pk": None, "deliverable": "", **row} for row in milestones]
    return set_milestones(program, actor=actor, rows=rows, reason=reason)


# --- Reporting periods ------------------------------------------------------------------


def quarter_deadlines(government, year, quarter):
    """The quarter's usual deadlines: ``SUBMISSION_WORKING_DAYS`` and
    ``VERIFICATION_WORKING_DAYS`` working days (the government's calendar) after it ends,
    as the keyword arguments of a ``ReportingPeriod``."""
    end = status.quarter_end(year, quarter)
    return {
        "submission_deadline": status.add_working_days(
            end, settings.SUBMISSION_WORKING_DAYS, government
        ),
        "verification_deadline": status.add_working_days(
            end, settings.VERIFICATION_WORKING_DAYS, government
        ),
    }


@transaction.atomic
def open_period(*, actor, government, year, quarter, reason=""):
    """Open a quarter for reporting, with deadlines in working days after it ends."""
    period = models.ReportingPeriod(
        government=government,
        year=year,
        quarter=quarter,
        **quarter_deadlines(government, year, quarter),
    )
    return save_tracked(period, actor=actor, reason=reason)


@transaction.atomic
def lock_period(period, *, actor, reason=""):
    """Lock a quarter once verification is over: it then accepts no writes."""
    period = models.ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_locked:
        raise ValidationError(_("This period is already locked."))
    waiting = period.reports.filter(state=models.ProgressReport.State.SUBMITTED).count()
    if waiting:
        raise ValidationError(
            _("%(count)s reports are still waiting for verification; verify or return them first.")
            % {"count": waiting}
        )
    period.state = models.ReportingPeriod.State.LOCKED
    return save_tracked(period, actor=actor, reason=reason)
