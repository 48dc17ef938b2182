"""Changes to an existing commitment program: its fields and links, budgets, adoption
indicators, and its state (stopped, cancelled, active again); and the checks
every program write shares.

Creating a program, changing its owner and its milestones are in
``programs/services.py``; the same rules hold here: every write records the
acting user and the reason, everything is validated before anything changes
(one ``ValidationError`` keyed by form field; the i-th row of a list is keyed
``"<i>:<field>"``, see :func:`row_key`), and a program is never deleted.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from programs import status
from programs.models import (
    AdoptionIndicator,
    AdoptionRealisation,
    IndicatorRealisation,
    MilestoneProgress,
    Program,
    ProgramBudget,
    ProgressReport,
    ReportingPeriod,
)
from tracker.formatting import format_date_id
from tracker.history import delete_tracked, links_recorded_on_save, save_tracked

ADOPTION_FIELDS = ("name", "unit_of_measure", "quarterly_target")

# The fields of a program that update_program changes (the owner and state have their own).
PROGRAM_FIELDS = ("code", "title", "description", "horizon", "start_date", "end_date")

S = Program.State
# Allowed changes of a program's state (one table, as for the report workflow).
STATE_CHANGES = {
    S.ACTIVE: {S.STOPPED, S.CANCELLED},
    S.STOPPED: {S.ACTIVE, S.CANCELLED},
    S.CANCELLED: {S.ACTIVE},
}


# --- Checks shared by the program services -------------------------------------------


def row_key(index, field):
    """The error key of field ``field`` of the ``index``-th row (0-based) of a list."""
    return f"{index}:{field}"


class Errors:
    """Collects field errors; :meth:`raise_if_any` raises them as one ``ValidationError``."""

    def __init__(self):
        self.by_field = {}

    def add(self, field, message):
        self.by_field.setdefault(field or NON_FIELD_ERRORS, []).append(message)

    def absorb(self, error, prefix=None):
        """Add a model's ``ValidationError``, its fields optionally keyed by row."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                key = row_key(prefix, field) if prefix is not None else field
                for message in messages:
                    self.add(key, message)
        else:
            for message in error.messages:
                self.add(None, message)

    def __bool__(self):
        return bool(self.by_field)

    def raise_if_any(self):
        if self.by_field:
            raise ValidationError(self.by_field)


def check_links(errors, government_id, *, owner_unit=None, supporting_units=(), indicators=()):
    """Every unit and RPJMD indicator must be of the program's government."""
    if owner_unit is not None and owner_unit.government_id != government_id:
        errors.add(
            "owner_unit", _("%(unit)s belongs to another government.") % {"unit": owner_unit}
        )
    for unit in supporting_units:
        if unit.government_id != government_id:
            errors.add(
                "supporting_units", _("%(unit)s belongs to another government.") % {"unit": unit}
            )
    for indicator in indicators:
        if indicator.plan.government_id != government_id:
            errors.add(
                "indicators",
                _("Indicator %(code)s belongs to another government.") % {"code": indicator.code},
            )


def check_categories(errors, scheme, categories):
    """A program's categories come from its commitment's scheme; at least one where the
    scheme requires it."""
    for category in categories:
        if category.scheme_id != scheme.pk:
            errors.add(
                "categories",
                _("%(category)s is not a category of %(scheme)s.")
                % {"category": category, "scheme": scheme},
            )
    if scheme.categories_required and not categories:
        errors.add(
            "categories", _("Choose at least one category of %(scheme)s.") % {"scheme": scheme}
        )


def check_new_units(errors, *, owner_unit=None, supporting_units=(), already=()):
    """A deactivated unit can keep what it has, but is given nothing new."""
    if owner_unit is not None and not owner_unit.is_active and owner_unit.pk not in already:
        errors.add("owner_unit", _("%(unit)s is no longer active.") % {"unit": owner_unit})
    for unit in supporting_units:
        if not unit.is_active and unit.pk not in already:
            errors.add("supporting_units", _("%(unit)s is no longer active.") % {"unit": unit})


def check_dates(errors, start_date, end_date):
    if start_date and end_date and end_date < start_date:
        errors.add("end_date", _("The program cannot end before it starts."))


def span(start_date, end_date):
    return f"{format_date_id(start_date)} – {format_date_id(end_date)}"


def check_budgets(errors, budgets, start_date, end_date):
    """Budgets only for the years the program runs, in Rupiah, not negative."""
    if not (start_date and end_date):
        return
    for year, amount in budgets.items():
        if not start_date.year <= year <= end_date.year:
            errors.add(
                "budgets",
                _("The budget for %(year)s lies outside the program's years (%(first)s–%(last)s).")
                % {"year": year, "first": start_date.year, "last": end_date.year},
            )
        elif amount is not None and Decimal(amount) < 0:
            errors.add("budgets", _("A budget cannot be negative (%(year)s).") % {"year": year})


def _editable_reports(program):
    """The program's reports a unit still writes in (draft or returned, period open)."""
    return list(
        ProgressReport.objects.filter(
            program=program,
            state__in=[ProgressReport.State.DRAFT, ProgressReport.State.RETURNED],
            period__state=ReportingPeriod.State.OPEN,
        )
    )


def add_report_rows(model, program, items, *, actor, reason, **values):
    """Give the program's open draft or returned reports a row for each new item
    (milestone, indicator, adoption indicator), so the unit's form can fill it in."""
    if not items:
        return
    reports = _editable_reports(program)
    field = "milestone" if model is MilestoneProgress else "indicator"
    rows = [model(report=report, **{field: item}, **values) for report in reports for item in items]
    if rows:
        bulk_create_with_history(rows, model, default_user=actor, default_change_reason=reason)


def check_adoption_rows(errors, program, rows):
    for index, row in enumerate(rows):
        item = AdoptionIndicator(program=program, **{f: row.get(f) for f in ADOPTION_FIELDS})
        try:
            item.full_clean(exclude=["program"])
        except ValidationError as error:
            errors.absorb(error, prefix=index)


# --- Editing a program ------------------------------------------------------------------


def _reported_indicator_ids(program):
    """RPJMD indicators for which this program has reported a figure."""
    return set(
        IndicatorRealisation.objects.filter(report__program=program, value__isnull=False)
        .values_list("indicator_id", flat=True)
        .distinct()
    )


def _report_quarters(program):
    """(year, quarter, period label) of every report the program has, oldest first."""
    return [
        (report.period.year, report.period.quarter, str(report.period))
        for report in program.reports.select_related("period").order_by(
            "period__year", "period__quarter"
        )
    ]


def _check_new_span(errors, program, start_date, end_date):
    """A program's dates may not leave out its milestones nor a quarter it has reported on."""
    if not (start_date and end_date) or end_date < start_date:
        return
    for milestone in program.milestones.all():
        if milestone.planned_start < start_date or milestone.planned_finish > end_date:
            errors.add(
                "end_date" if milestone.planned_finish > end_date else "start_date",
                _(
                    "Milestone “%(title)s” (%(dates)s) would lie outside the program's new "
                    "dates; move or remove the milestone first."
                )
                % {
                    "title": milestone.title,
                    "dates": span(milestone.planned_start, milestone.planned_finish),
                },
            )
    for year, quarter, label in _report_quarters(program):
        if status.quarter_start(year, quarter) > end_date or (
            status.quarter_end(year, quarter) < start_date
        ):
            errors.add(
                "end_date" if status.quarter_start(year, quarter) > end_date else "start_date",
                _("The program already has a report for %(period)s; it must still run then.")
                % {"period": label},
            )


@transaction.atomic
def update_program(
    program,
    *,
    actor,
    reason="",
    supporting_units=None,
    categories=None,
    indicators=None,
    budgets=None,
    adoption_indicators=None,
    **fields,
):
    """Change a program's fields (``PROGRAM_FIELDS``), its supporting units, categories
    (of its commitment's scheme) and RPJMD indicators, and, if given, its budgets (year ->
    Rupiah, the whole new list) and adoption indicators (rows as
    :func:`set_adoption_indicators`).

    The owner changes through :func:`assign_owner`, the state through
    :func:`set_program_state`. Once the program has reports, a change needs a
    reason. The new dates must still hold every milestone and every quarter the
    program has reported on; an indicator the program has reported a figure for
    stays linked. A newly linked indicator or adoption indicator gets a row in
    the program's open draft reports. Returns the program.
    """
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"update_program() cannot change {', '.join(sorted(unknown))}")
    program = Program.objects.select_for_update().get(pk=program.pk)
    errors = Errors()
    government_id = program.commitment.government_id
    old_supporting = set(program.supporting_units.values_list("pk", flat=True))
    old_indicators = set(program.indicators.values_list("pk", flat=True))
    check_links(
        errors,
        government_id,
        supporting_units=supporting_units or (),
        indicators=indicators or (),
    )
    check_new_units(errors, supporting_units=supporting_units or (), already=old_supporting)
    if categories is not None:
        check_categories(errors, program.commitment.scheme, categories)
    before = {name: getattr(program, name) for name in PROGRAM_FIELDS}
    for name, value in fields.items():
        setattr(program, name, value.strip() if name == "code" and value else value)
    check_dates(errors, program.start_date, program.end_date)
    _check_new_span(errors, program, program.start_date, program.end_date)
    try:
        program.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors.absorb(error)
    if indicators is not None:
        kept = {indicator.pk for indicator in indicators}
        for indicator in program.indicators.filter(pk__in=_reported_indicator_ids(program)):
            if indicator.pk not in kept:
                errors.add(
                    "indicators",
                    _(
                        "The program has already reported figures for indicator %(code)s; "
                        "it stays linked."
                    )
                    % {"code": indicator.code},
                )
    if budgets is not None:
        budgets = dict(budgets)
        check_budgets(errors, budgets, program.start_date, program.end_date)
    else:
        existing = dict(program.budgets.values_list("year", "amount"))
        check_budgets(errors, existing, program.start_date, program.end_date)

    changed = any(getattr(program, name) != value for name, value in before.items())
    links = {
        "supporting_units": (supporting_units, old_supporting),
        "categories": (categories, set(program.categories.values_list("pk", flat=True))),
        "indicators": (indicators, old_indicators),
    }
    for new, old in links.values():
        if new is not None and {item.pk for item in new} != old:
            changed = True
    if budgets is not None and any(_budget_changes(program, budgets)):
        changed = True
    adoption_changes = None
    if adoption_indicators is not None:
        adoption_changes = _adoption_changes(errors, program, list(adoption_indicators))
        changed = changed or adoption_changes.any
    if changed and not (reason or "").strip() and program.reports.exists():
        errors.add("reason", _("This program already has reports: say why it changes."))
    errors.raise_if_any()
    if not changed:
        return program

    reason = (reason or "").strip()
    with links_recorded_on_save(program):
        for name, (new, _old) in links.items():
            if new is not None:
                getattr(program, name).set(new)
    save_tracked(program, actor=actor, reason=reason)  # one history row, links included
    if indicators is not None:
        added = [indicator for indicator in indicators if indicator.pk not in old_indicators]
        add_report_rows(IndicatorRealisation, program, added, actor=actor, reason=reason)
    if budgets is not None:
        _apply_budgets(program, budgets, actor=actor, reason=reason)
    if adoption_changes is not None:
        _apply_adoption(program, adoption_changes, actor=actor, reason=reason)
    return program


# --- Budgets ------------------------------------------------------------------------------


def _budget_changes(program, budgets):
    """(to save, to remove) for the new budget list ``budgets`` (year -> amount or None)."""
    existing = {budget.year: budget for budget in program.budgets.all()}
    save, remove = [], []
    for year, amount in budgets.items():
        row = existing.get(year)
        if amount is None:
            if row is not None:
                remove.append(row)
        elif row is None:
            save.append(ProgramBudget(program=program, year=year, amount=amount))
        elif row.amount != Decimal(amount):
            row.amount = amount
            save.append(row)
    remove += [row for year, row in existing.items() if year not in budgets]
    return save, remove


def _apply_budgets(program, budgets, *, actor, reason):
    save, remove = _budget_changes(program, budgets)
    for row in remove:
        delete_tracked(row, actor=actor, reason=reason)
    for row in save:
        save_tracked(row, actor=actor, reason=reason)


@transaction.atomic
def set_budgets(program, *, actor, budgets, reason=""):
    """Replace a program's yearly budgets by ``budgets`` (year -> Rupiah; ``None`` or a
    missing year removes that year's budget). Years lie within the program's span.
    Each added, changed or removed row is in the history with ``reason``."""
    return update_program(program, actor=actor, budgets=budgets, reason=reason)


# --- Adoption indicators ------------------------------------------------------------------


class _AdoptionChanges:
    def __init__(self):
        self.create, self.update, self.remove = [], [], []

    @property
    def any(self):
        return bool(self.create or self.update or self.remove)


def _adoption_changes(errors, program, rows):
    """What turning the program's adoption indicators into ``rows`` means; refuses
    unknown rows and removing one that has realisations."""
    existing = {item.pk: item for item in program.adoption_indicators.all()}
    changes = _AdoptionChanges()
    check_adoption_rows(errors, program, rows)
    kept = set()
    for index, row in enumerate(rows):
        pk = row.get("pk")
        if pk is None:
            changes.create.append(
                AdoptionIndicator(program=program, **{f: row.get(f) for f in ADOPTION_FIELDS})
            )
            continue
        item = existing.get(pk)
        if item is None:
            errors.add(row_key(index, NON_FIELD_ERRORS), _("Unknown adoption indicator."))
            continue
        kept.add(pk)
        new = {f: row.get(f) for f in ADOPTION_FIELDS}
        if any(getattr(item, f) != value for f, value in new.items()):
            for f, value in new.items():
                setattr(item, f, value)
            changes.update.append(item)
    gone = [item for pk, item in existing.items() if pk not in kept]
    if gone:
        reported = set(
            AdoptionRealisation.objects.filter(indicator__in=gone, value__isnull=False)
            .values_list("indicator_id", flat=True)
            .distinct()
        )
        for item in gone:
            if item.pk in reported:
                errors.add(
                    None,
                    _(
                        "Adoption indicator “%(name)s” already has realisations in reports; "
                        "it cannot be removed."
                    )
                    % {"name": item.name},
                )
            else:
                changes.remove.append(item)
    return changes


def _apply_adoption(program, changes, *, actor, reason):
    for item in changes.remove:
        delete_tracked(item, actor=actor, reason=reason)
    for item in changes.update:
        save_tracked(item, actor=actor, reason=reason)
    for item in changes.create:
        save_tracked(item, actor=actor, reason=reason)
    add_report_rows(AdoptionRealisation, program, changes.create, actor=actor, reason=reason)


@transaction.atomic
def set_adoption_indicators(program, *, actor, rows, reason=""):
    """Replace a program's adoption indicators by ``rows`` (dicts: ``pk`` of an existing
    one or ``None`` for a new one, name, unit_of_measure, quarterly_target).

    An existing indicator missing from ``rows`` is removed, unless a report
    already gave it a realisation (refused). Errors of the i-th row are keyed
    ``"<i>:<field>"``. Once the program has reports a change needs a reason.
    """
    return update_program(program, actor=actor, adoption_indicators=rows, reason=reason)


# --- State ----------------------------------------------------------------------------


@transaction.atomic
def set_program_state(program, *, actor, state, on, reason):
    """Stop or cancel a program from the date ``on``, or make it active again, with a reason.

    A stopped or cancelled program is left out of every quarter that starts
    after ``on`` (no task, no missing report) and keeps its history and its
    past reports; it is never deleted. It cannot stop before a quarter it
    already has a report for.
    """
    program = Program.objects.select_for_update().get(pk=program.pk)
    errors = Errors()
    state = S(state) if state in S.values else None
    if state is None or state not in STATE_CHANGES[S(program.state)]:
        errors.add(
            "state",
            _("A program that is “%(old)s” cannot become “%(new)s”.")
            % {
                "old": program.get_state_display(),
                "new": S(state).label if state else "?",
            },
        )
    if not isinstance(on, datetime.date):
        errors.add("on", _("Give the date the change takes effect."))
    elif state in (S.STOPPED, S.CANCELLED):
        if on > program.end_date:
            errors.add(
                "on",
                _("The program ends on %(end)s anyway; choose a date before that.")
                % {"end": format_date_id(program.end_date)},
            )
        for year, quarter, label in _report_quarters(program):
            if status.quarter_start(year, quarter) > on:
                errors.add(
                    "on",
                    _(
                        "The program already has a report for %(period)s, which starts after "
                        "that date; choose a later date."
                    )
                    % {"period": label},
                )
                break
    if not (reason or "").strip():
        errors.add("reason", _("Say why."))
    errors.raise_if_any()
    program.state = state
    program.state_since = on
    program.state_reason = reason.strip()
    return save_tracked(program, actor=actor, reason=reason.strip())
