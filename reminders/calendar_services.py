"""Writes on a government's collective leave days (``tracker.models.LeaveDay``).

Only the Administrator of the government (and a superuser) records or removes
them (``tracker.policy``). A period's deadlines are stored when it opens, so
changing leave days moves no deadline of a period already open.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tracker import policy
from tracker.history import delete_tracked, save_tracked
from tracker.models import LeaveDay

# Leave days are decided a year or so ahead; a date far outside this window is a slip.
EARLIEST_YEAR = 2000
YEARS_AHEAD = 5


def year_range(today=None):
    """The years a leave day may fall in: ``EARLIEST_YEAR`` to ``YEARS_AHEAD`` from now."""
    today = today or datetime.date.today()
    return EARLIEST_YEAR, today.year + YEARS_AHEAD


def _check_may_change(actor, obj_or_model):
    # actor None is the system (seeding, tests); everyone else asks the policy.
    if actor is not None and not policy.can_change(actor, obj_or_model):
        raise PermissionDenied


@transaction.atomic
def add_leave_day(*, actor, government, date, name, reason=""):
    """Record ``date`` as a collective leave day of ``government``.

    Refused (``ValidationError``) for a date already recorded for that government
    or outside :func:`year_range`.
    """
    _check_may_change(actor, LeaveDay)
    # A new record has no government to check visibility by yet: compare directly.
    if actor is not None:
        who = policy.actor_for(actor)
        if who.role != policy.Role.SUPERUSER and who.government_id != government.pk:
            raise PermissionDenied
    earliest, latest = year_range()
    if date is not None and not earliest <= date.year <= latest:
        raise ValidationError(
            {
                "date": _("Enter a date in the years %(earliest)s to %(latest)s.")
                % {"earliest": earliest, "latest": latest}
            }
        )
    if LeaveDay.objects.filter(government=government, date=date).exists():
        raise ValidationError({"date": _("This date is already recorded as a leave day.")})
    day = LeaveDay(government=government, date=date, name=(name or "").strip())
    return save_tracked(day, actor=actor, reason=reason)


@transaction.atomic
def delete_leave_day(day, *, actor, reason):
    """Remove a collective leave day; its history keeps who removed it and why."""
    _check_may_change(actor, day)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the leave day is removed.")})
    delete_tracked(day, actor=actor, reason=reason.strip())
