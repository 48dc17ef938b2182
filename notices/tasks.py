"""Background jobs of the notices; the daily schedule is ``CELERY_BEAT_SCHEDULE``."""

from celery import shared_task

from notices import services


@shared_task(name="notices.tasks.send_notice_digest")
def send_notice_digest():
    """Send the daily digests; returns the emails sent and refused."""
    sent, failed = services.send_digests()
    return {"sent": sent, "failed": failed}
