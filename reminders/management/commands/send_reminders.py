"""``manage.py send_reminders``: today's deadline reminders, for cron.

``--date 2022-04-04`` acts as if today were that date; ``--dry-run`` lists who
would get what and neither sends nor records anything.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from reminders import services
from reminders.models import ReminderSent


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from error


class Command(BaseCommand):
    help = "Email the deadline reminders due today (each person at most once per step)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_date, help="act as if today were YYYY-MM-DD")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="list who would be reminded of what; send and record nothing",
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        summary = services.send_reminders(today=date, dry_run=dry_run)
        labels = dict(ReminderSent.Step.choices)
        if dry_run:
            for reminder in summary.planned:
                self.stdout.write(
                    f"{reminder.step}\t{reminder.period.government}\t{reminder.period}\t"
                    f"{reminder.user.username} <{reminder.user.email}>\t"
                    f"{len(reminder.items)} item(s)"
                )
            self.stdout.write(f"Would send: {len(summary.planned)}")
        else:
            for step, label in labels.items():
                if summary.sent[step]:
                    self.stdout.write(f"{step} ({label}): {summary.sent[step]}")
            self.stdout.write(f"Sent: {summary.total}; failed: {summary.failed}")
        self.stdout.write(f"Skipped without an email address: {summary.no_email}")
