"""Reading background jobs: a job is seen by the person who started it, nobody else."""

from jobs.models import Job


def jobs_of(user):
    """The jobs ``user`` started (a superuser also sees only their own: jobs are personal)."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(requested_by=user).select_related("report", "government")
