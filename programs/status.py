"""Derived status of milestones and programs, and quarter dates.

Pure functions, except ``add_working_days``, which asks the government's
working-day calendar (public holidays and its recorded leave days).

A milestone's status is never typed in:

* done: it had finished by the day judged (actual finish date on or before
  it), or its reported progress is 100 %;
* late: the planned finish has passed and it is not done;
* not started: the planned start is still ahead and nothing was reported;
* at risk: its progress trails the time-proportional plan by more than the
  margin (``settings.AT_RISK_MARGIN`` points);
* on track: otherwise.

A program is as bad as its worst milestone: late, then at risk, then on
track; done when every milestone is done.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from tracker import working_days

NOT_STARTED = "not_started"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
LATE = "late"
DONE = "done"

LABELS = {
    NOT_STARTED: _("Not started"),
    ON_TRACK: _("On track"),
    AT_RISK: _("At risk"),
    LATE: _("Late"),
    DONE: _("Done"),
}
ORDER = (ON_TRACK, AT_RISK, LATE, DONE, NOT_STARTED)
# Worst first, for a program's status.
SEVERITY = (LATE, AT_RISK, ON_TRACK, NOT_STARTED)


def expected_percent(planned_start, planned_finish, on):
    """The progress a milestone should have on ``on`` if work went evenly."""
    if on <= planned_start:
        return Decimal(0)
    if on >= planned_finish:
        return Decimal(100)
    elapsed = (on - planned_start).days
    total = (planned_finish - planned_start).days or 1
    return Decimal(100) * elapsed / total


def milestone_status(*, planned_start, planned_finish, progress, actual_finish, on, margin):
    """Status of one milestone on date ``on`` given its reported ``progress`` (or None)."""
    progress = Decimal(progress or 0)
    # A finish recorded later does not rewrite an earlier quarter's status:
    # a report for a past period must show what was true then.
    if (actual_finish is not None and actual_finish <= on) or progress >= 100:
        return DONE
    if on > planned_finish:
        return LATE
    if on < planned_start and progress == 0:
        return NOT_STARTED
    if expected_percent(planned_start, planned_finish, on) - progress > margin:
        return AT_RISK
    return ON_TRACK


def program_status(milestone_statuses):
    """A program's status from its milestones' statuses."""
    statuses = list(milestone_statuses)
    if not statuses:
        return NOT_STARTED
    if all(s == DONE for s in statuses):
        return DONE
    for status in SEVERITY:
        if status in statuses:
            return status
    return ON_TRACK


def quarter_start(year, quarter):
    """The first day of a quarter."""
    return datetime.date(year, quarter * 3 - 2, 1)


def quarter_end(year, quarter):
    """The last day of a quarter."""
    if quarter == 4:
        return datetime.date(year, 12, 31)
    return datetime.date(year, quarter * 3 + 1, 1) - datetime.timedelta(days=1)


def add_working_days(day, count, government=None):
    """The date ``count`` working days after ``day``: weekends, Indonesian public
    holidays and ``government``'s collective leave days do not count
    (``tracker.working_days``). A period's deadlines are stored when it opens, so a
    leave day recorded later does not move them; Bappeda can still move a deadline.
    """
    return working_days.add_working_days(day, count, government)
