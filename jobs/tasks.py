"""Celery tasks of the jobs app. The work itself is in ``jobs.services``."""

from celery import shared_task

from jobs import services


@shared_task(name="jobs.tasks.run_job")
def run_job(job_id):
    """Run one background job (see ``jobs.services.run``)."""
    services.run(job_id)
