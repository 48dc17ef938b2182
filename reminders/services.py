"""Deadline reminders by email, counted in the government's working days.

For every open reporting period of every government, once a day
(``reminders.tasks.send_reminders`` or ``manage.py send_reminders``):

* each active member of a unit that still has reports to write in the period
  (not started, draft or returned; what "My tasks" lists) is reminded
  ``settings.REMINDER_WORKING_DAYS_BEFORE`` working days before the submission
  deadline, on the deadline and once after it;
* each active Bappeda member of the government is reminded as many working days
  before the verification deadline and on it, while reports wait for verification.

Each unit is reminded against its own deadline (``reminders.deadlines``: the
period's, unless Bappeda extended it for that unit or for every unit), and
Bappeda against the verification deadline an extension for every unit may have
moved. A missed run catches up: the "before" reminder goes out on any day from
its trigger day until the day before the deadline. Each person gets each step of a
period at most once (``ReminderSent``).
"""

import logging
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programs import selectors, status
from programs.models import ProgressReport, ReportingPeriod
from reminders.deadlines import deadlines_of
from reminders.models import ReminderSent
from tracker import policy
from tracker.formatting import format_date_id
from tracker.working_days import Calendar

logger = logging.getLogger(__name__)

Step = ReminderSent.Step
R = ProgressReport.State
# Reports a unit still has to write or fix; a missing report counts too.
STILL_DUE = frozenset({R.DRAFT, R.RETURNED})
# Reminders are written in the language of the people reminded, whatever the
# site's default or the language of whoever runs the job.
EMAIL_LANGUAGE = "id"


@dataclass
class Reminder:
    """One email to be sent: who, for which period and step, and about what."""

    user: object
    period: ReportingPeriod
    step: str
    items: list  # (program title, note): the programs (or reports) concerned
    working_days_left: int = 0
    deadline: object = None  # the deadline it is about (an extended one, if any)


@dataclass
class Summary:
    """What a run did: emails sent per step, people skipped for lack of an address,
    emails the mail server refused, and (in a dry run) the reminders planned."""

    sent: Counter = field(default_factory=Counter)
    no_email: int = 0
    failed: int = 0
    planned: list = field(default_factory=list)

    @property
    def total(self):
        return sum(self.sent.values())


def submission_step(period, today, calendar, before=None, deadline=None):
    """The unit reminder due for ``period`` on ``today``, or ``None``.

    ``deadline`` is the unit's own (extended) deadline; default: the period's.
    """
    before = settings.REMINDER_WORKING_DAYS_BEFORE if before is None else before
    deadline = deadline or period.submission_deadline
    if today > deadline:
        return Step.SUBMISSION_OVERDUE
    if today == deadline:
        return Step.SUBMISSION_DAY
    if today >= calendar.add(deadline, -before):
        return Step.SUBMISSION_BEFORE
    return None


def verification_step(period, today, calendar, before=None, deadline=None):
    """The Bappeda reminder due for ``period`` on ``today``, or ``None`` (none once overdue:
    the period stays open until Bappeda locks it, and Bappeda sees the queue daily).
    ``deadline``: an extended verification deadline; default: the period's."""
    before = settings.REMINDER_WORKING_DAYS_BEFORE if before is None else before
    deadline = deadline or period.verification_deadline
    if today == deadline:
        return Step.VERIFICATION_DAY
    if today < deadline and today >= calendar.add(deadline, -before):
        return Step.VERIFICATION_BEFORE
    return None


def _already_reminded(period, step):
    return ReminderSent.objects.filter(period=period, step=step).values_list("user_id", flat=True)


def _unit_reminders(period, today, calendar, deadlines):
    """Reminders for the members of units with reports still due in ``period``.

    Each unit's step and days left follow its own deadline (an extension moves
    them: ``reminders.deadlines``). What is due comes from the "My tasks"
    selector, read once per unit and role (every member of a unit writes its
    programs, so they share the list).
    """
    reminded = set(ReminderSent.objects.filter(period=period).values_list("user_id", "step"))
    members = (
        get_user_model()
        .objects.filter(
            is_active=True,
            profile__government_id=period.government_id,
            profile__unit__isnull=False,
            profile__unit__is_active=True,
        )
        .select_related("profile")
        .order_by("profile__unit_id", "username")
    )
    due_by_unit = {}
    for user in members:
        unit_id = user.profile.unit_id
        deadline = deadlines.submission(unit_id)
        step = submission_step(period, today, calendar, deadline=deadline)
        if step is None or (user.pk, step) in reminded:
            continue
        key = (unit_id, policy.role_of(user))
        if key not in due_by_unit:
            rows, _returned = selectors.my_tasks(user, period)
            # Whole-government roles may write every program; a reminder is about
            # the member's own unit's reports only.
            due_by_unit[key] = [
                _item(program, report)
                for program, report in rows
                if program.owner_unit_id == unit_id
                and (report is None or report.state in STILL_DUE)
            ]
        if due_by_unit[key]:
            days_left = max(calendar.between(today, deadline), 0)
            yield Reminder(user, period, step, due_by_unit[key], days_left, deadline)


def _item(program, report):
    # The state's label is looked up when the email is written, in its language.
    label = R(report.state).label if report else status.LABELS[status.NOT_STARTED]
    return program.title, label


def _bappeda_reminders(period, step, days_left, deadline):
    """Reminders for the government's Bappeda members while reports wait for verification."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=policy.BAPPEDA_GROUP,
            profile__government_id=period.government_id,
        )
        .exclude(pk__in=_already_reminded(period, step))
        .distinct()
        .order_by("username")
    )
    for user in users:
        waiting = selectors.verification_queue(user, period).filter(state=R.SUBMITTED)
        items = [(report.program.title, report.program.owner_unit.name) for report in waiting]
        if items:
            yield Reminder(user, period, step, items, days_left, deadline)


def due_reminders(today):
    """Every reminder due on ``today`` that has not gone out yet, as :class:`Reminder` s."""
    periods = (
        ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN)
        .select_related("government")
        .order_by("government__name", "year", "quarter")
    )
    calendars = {}
    for period in periods:
        calendar = calendars.setdefault(period.government_id, Calendar(period.government_id))
        deadlines = deadlines_of(period)
        yield from _unit_reminders(period, today, calendar, deadlines)
        step = verification_step(period, today, calendar, deadline=deadlines.verification)
        if step:
            left = max(calendar.between(today, deadlines.verification), 0)
            yield from _bappeda_reminders(period, step, left, deadlines.verification)


# --- The emails ------------------------------------------------------------------------


def _lead(reminder):
    period = reminder.period
    values = {
        "government": period.government.name,
        "period": str(period),
        "deadline": format_date_id(
            reminder.deadline
            or (
                period.verification_deadline
                if reminder.step in (Step.VERIFICATION_BEFORE, Step.VERIFICATION_DAY)
                else period.submission_deadline
            )
        ),
        "days": reminder.working_days_left,
    }
    if reminder.step == Step.SUBMISSION_BEFORE:
        subject = _("Reminder: progress reports for %(period)s are due on %(deadline)s")
        lead = ngettext(
            "The progress reports of %(government)s for %(period)s are due on %(deadline)s, "
            "in %(days)s working day.",
            "The progress reports of %(government)s for %(period)s are due on %(deadline)s, "
            "in %(days)s working days.",
            reminder.working_days_left,
        )
    elif reminder.step == Step.SUBMISSION_DAY:
        subject = _("Today is the deadline for the progress reports for %(period)s")
        lead = _(
            "Today, %(deadline)s, is the deadline for the progress reports of %(government)s "
            "for %(period)s."
        )
    elif reminder.step == Step.SUBMISSION_OVERDUE:
        subject = _("Overdue: progress reports for %(period)s")
        lead = _(
            "The deadline for the progress reports of %(government)s for %(period)s was "
            "%(deadline)s. Reports submitted now are marked late."
        )
    elif reminder.step == Step.VERIFICATION_BEFORE:
        subject = _("Reminder: verify the reports for %(period)s by %(deadline)s")
        lead = ngettext(
            "The reports of %(government)s for %(period)s are to be verified by "
            "%(deadline)s, in %(days)s working day.",
            "The reports of %(government)s for %(period)s are to be verified by "
            "%(deadline)s, in %(days)s working days.",
            reminder.working_days_left,
        )
    else:
        subject = _("Today is the deadline for verifying the reports for %(period)s")
        lead = _(
            "Today, %(deadline)s, is the deadline for verifying the reports of "
            "%(government)s for %(period)s."
        )
    subject = f"[{period.government.name}] {subject % values}"
    return subject, lead % values


def build_message(reminder):
    """The reminder's email, in Indonesian whatever language is active."""
    for_bappeda = reminder.step in (Step.VERIFICATION_BEFORE, Step.VERIFICATION_DAY)
    with translation.override(EMAIL_LANGUAGE):
        subject, lead = _lead(reminder)
        link = reverse("verification-queue" if for_bappeda else "my-tasks")
        context = {
            "name": reminder.user.get_full_name() or reminder.user.username,
            "lead": lead,
            "heading": _("Reports waiting for your verification:")
            if for_bappeda
            else _("Programs of your unit whose report is still due:"),
            "items": [f"{title} ({note})" for title, note in reminder.items],
            "link": f"{settings.SITE_URL}{link}?periode={reminder.period.pk}",
        }
        body = render_to_string("reminders/reminder_email.txt", context)
    return EmailMessage(subject, body, None, [reminder.user.email])


# --- The run -----------------------------------------------------------------------------


def _claim(reminder):
    """Record the reminder as sent; ``False`` if someone (another run) already did.

    Written and committed *before* the email goes out: if sending then fails, the
    person misses this reminder, but no failure or concurrent run can make them
    get it twice. Sending first and recording afterwards would, after a crash
    between the two, send it again on the next run (at least once, not at most).
    """
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                user=reminder.user, period=reminder.period, step=reminder.step
            )
    except IntegrityError:
        return False
    return True


def send_reminders(*, today=None, dry_run=False):
    """Send every reminder due on ``today`` (default: today in WIB); returns a :class:`Summary`.

    ``dry_run`` lists the reminders in ``Summary.planned`` and neither sends nor
    records anything. People without an email address are skipped and counted
    (and reminded later, if they add one before the step is over).
    """
    today = today or timezone.localdate()
    summary = Summary()
    outgoing = []
    for reminder in due_reminders(today):
        if not reminder.user.email:
            summary.no_email += 1
            continue
        if dry_run:
            summary.planned.append(reminder)
            continue
        message = build_message(reminder)
        if _claim(reminder):
            outgoing.append((reminder, message))
    if outgoing:
        # One connection for the whole run; each message on its own so one refused
        # address does not hide whether the others went out.
        with get_connection() as connection:
            for reminder, message in outgoing:
                try:
                    connection.send_messages([message])
                except OSError:  # smtplib's errors are OSErrors
                    logger.exception("Reminder to %s could not be sent", reminder.user.username)
                    summary.failed += 1
                else:
                    summary.sent[reminder.step] += 1
    return summary
