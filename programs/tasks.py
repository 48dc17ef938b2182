"""Celery tasks of the programs app. The work itself is in the services."""

from celery import shared_task

from programs.evidence import expire_pending_evidence


@shared_task(name="programs.tasks.expire_kept_evidence")
def expire_kept_evidence():
    """Nightly: drop the kept report-form files nobody will attach (KEPT_EVIDENCE_DAYS)."""
    return expire_pending_evidence()
