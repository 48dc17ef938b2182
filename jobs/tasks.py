"""Celery tasks of the jobs app. The work itself is in ``jobs.services``."""

from celery import shared_task

from jobs import services


@shared_task(name="jobs.tasks.run_job")
def run_job(job_id):
    """Run one background job (see ``jobs.services.run``)."""
    services.run(job_id)


@shared_task(name="jobs.tasks.purge_old_jobs")
def purge_old_jobs():
    """Daily: forget finished jobs and their export files after JOB_KEEP_DAYS."""
    return services.purge_old_jobs()
