"""Background jobs of the reminders; the daily schedule is ``CELERY_BEAT_SCHEDULE``."""

from celery import shared_task

from reminders import services


@shared_task(name="reminders.tasks.send_reminders")
def send_reminders():
    """Send today's deadline reminders; returns the emails sent per step."""
    summary = services.send_reminders()
    return {
        "sent": dict(summary.sent),
        "no_email": summary.no_email,
        "failed": summary.failed,
    }
