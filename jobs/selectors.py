"""Reading background jobs: a job is seen by the person who started it, nobody else."""

from jobs.models import Job


def jobs_of(user):
    """The jobs ``user`` started (a superuser also sees only their own: jobs are personal).

    Their stuck jobs are failed first (``jobs.services.expire_stuck_jobs``), so a
    job page or list never shows a job waiting for nothing, even without beat.
    """
    if not user.is_authenticated:
        return Job.objects.none()
    from jobs.services import expire_stuck_jobs

    expire_stuck_jobs(requested_by=user)
    return Job.objects.filter(requested_by=user).select_related("report", "government")
