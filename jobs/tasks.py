"""Celery tasks of the jobs app. The work itself is in ``jobs.services``."""

from celery import shared_task

from jobs import services


@shared_task(name="jobs.tasks.run_job")
def run_job(job_id, attempt=None):
    """Run one background job (see ``jobs.services.run``); ``attempt``: the attempt
    this message was sent for, so a message of an earlier attempt does nothing."""
    services.run(job_id, attempt)


@shared_task(name="jobs.tasks.purge_old_jobs")
def purge_old_jobs():
    """Daily: forget finished (and stuck) jobs and their export files after JOB_KEEP_DAYS."""
    return services.purge_old_jobs()


@shared_task(name="jobs.tasks.expire_stuck_jobs")
def expire_stuck_jobs():
    """Every few minutes: fail the jobs that will not finish by themselves (retry button)."""
    return services.expire_stuck_jobs()
