"""Pages of a background job: its progress (polled with htmx), retry and download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from jobs import services
from jobs.selectors import jobs_of
from tracker import policy
from tracker.models import Government, Unit
from tracker.uploads import download_response


def _job(request, pk):
    return get_object_or_404(jobs_of(request.user), pk=pk)


@login_required
@require_GET
def job_detail(request, pk):
    """The job's page: what was asked, a progress bar, then the download or the reason."""
    return render(request, "jobs/job_detail.html", {"job": _job(request, pk)})


@login_required
@require_GET
def job_status(request, pk):
    """The progress part of the job's page alone: htmx swaps it in every second."""
    return render(request, "jobs/_status.html", {"job": _job(request, pk)})


@login_required
@require_POST
def job_retry(request, pk):
    job = _job(request, pk)
    try:
        services.retry(job, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("job-detail", pk=job.pk)


def _still_sees_what_it_covers(user, job):
    """Whether ``user`` may still see what ``job`` exported, as their rights are now.

    The same rule as an issued report's download (``reports.selectors.visible``
    on the report's government and unit): a unit's export needs that unit in
    the user's scope, a whole-government export a user who still sees the whole
    government. Someone moved or demoted since asking gets a 404, as for the PDF.
    """
    unit_code = job.parameters.get("unit_code")
    if unit_code:
        units = Unit.objects.filter(government_id=job.government_id, code=unit_code)
        return policy.visible(user, units).exists()
    governments = Government.objects.filter(pk=job.government_id)
    return policy.sees_whole_government(user) and policy.visible(user, governments).exists()


@login_required
@require_GET
def job_download(request, pk):
    """The file an export job produced (an issued report is downloaded as a report)."""
    job = _job(request, pk)
    if not _still_sees_what_it_covers(request.user, job):
        raise Http404
    if not job.file:
        return redirect("job-detail", pk=job.pk)
    return download_response(job.file, job.file_name or None)
