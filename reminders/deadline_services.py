"""Writes on deadline extensions (``reminders.models.DeadlineExtension``).

Bappeda (or the government's Administrator) gives one unit, or every unit, a
later submission deadline for a period, always with a reason; extending again
changes the same row, and its history keeps every earlier date, who set it
and why. Lateness follows at once (``reminders.deadlines``), also for reports
already sent: their late flag is judged again against the new deadline.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from programs.models import ProgressReport
from reminders.deadlines import deadlines_of
from reminders.models import DeadlineExtension
from tracker import policy
from tracker.formatting import format_date_id
from tracker.history import save_tracked
from tracker.working_days import Calendar


def _check_may_extend(actor, period):
    # actor None is the system (seeding, tests); everyone else asks the policy.
    if actor is None:
        return
    if not policy.can_change(actor, DeadlineExtension) or not policy.can_view(actor, period):
        raise PermissionDenied


@transaction.atomic
def extend_deadline(
    period, *, actor, unit, submission_deadline, reason, verification_deadline=None
):
    """Give ``unit`` (``None``: every unit) the submission deadline ``submission_deadline``
    in ``period``; returns the extension.

    Refused (``ValidationError``, nothing saved) without a reason, for a locked
    period, a unit of another government, a date not after the period's own
    deadline, or a verification deadline on one unit's extension or before the
    new submission deadline.
    """
    _check_may_extend(actor, period)
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the deadline is extended.")
    if period.is_locked:
        errors["__all__"] = _("This period is locked: its deadlines no longer change.")
    if unit is not None and unit.government_id != period.government_id:
        errors["unit"] = _("Choose a unit of this period's government.")
    if submission_deadline is None:
        errors["submission_deadline"] = _("Enter the new deadline.")
    elif submission_deadline <= period.submission_deadline:
        errors["submission_deadline"] = _(
            "Enter a date after the period's deadline (%(deadline)s)."
        ) % {"deadline": format_date_id(period.submission_deadline)}
    if verification_deadline is not None:
        if unit is not None:
            errors["verification_deadline"] = _(
                "Only an extension for every unit moves Bappeda's deadline."
            )
        elif submission_deadline and verification_deadline < submission_deadline:
            errors["verification_deadline"] = _(
                "Bappeda's deadline cannot be before the units' deadline."
            )
    if errors:
        raise ValidationError(errors)
    # OF self: the unit is a nullable key (every unit is NULL), and PostgreSQL locks no
    # row on the outer-joined side the ordering brings in.
    locked = DeadlineExtension.objects.select_for_update(of=("self",))
    extension = locked.filter(period=period, unit=unit).first() or DeadlineExtension(
        period=period, unit=unit
    )
    extension.submission_deadline = submission_deadline
    extension.verification_deadline = verification_deadline
    extension.reason = reason
    save_tracked(extension, actor=actor, reason=reason)
    _rejudge_sent_reports(period, unit, actor=actor, reason=reason)
    return extension


def _rejudge_sent_reports(period, unit, *, actor, reason):
    """Give the reports already sent in ``period`` (by ``unit``, or by every unit) the
    late flag the new deadline gives them, so every screen, export and the API say
    the same as the dashboard; each change is in the report's history with the reason."""
    deadlines = deadlines_of(period)
    reports = ProgressReport.objects.filter(period=period, submitted_at__isnull=False)
    if unit is not None:
        reports = reports.filter(program__owner_unit=unit)
    changed = []
    for report in reports.select_related("program"):
        late = deadlines.is_late(report.program.owner_unit_id, report.submitted_at)
        if late != report.is_late:
            report.is_late = late
            changed.append(report)
    if changed:
        bulk_update_with_history(
            changed,
            ProgressReport,
            ["is_late"],
            default_user=actor,
            default_change_reason=reason,
        )


def proposed_deadlines(government, today=None):
    """Deadlines to propose for a quarter opened after its own deadlines passed:
    ``(units, Bappeda)``, the usual number of working days counted from ``today``
    (``SUBMISSION_WORKING_DAYS`` and ``VERIFICATION_WORKING_DAYS``)."""
    today = today or timezone.localdate()
    calendar = Calendar(government)
    return (
        calendar.add(today, settings.SUBMISSION_WORKING_DAYS),
        calendar.add(today, settings.VERIFICATION_WORKING_DAYS),
    )


def is_past(deadline, today=None):
    """Whether ``deadline`` (a date) has passed on ``today`` (default: today in WIB)."""
    return deadline < (today or timezone.localdate())
