"""Starting, running and retrying background jobs.

The web starts a job and shows its progress; a Celery worker runs it
(``jobs.tasks.run_job``). Without a broker (``make run``, the tests) Celery
is eager and the job runs inside the request that starts it, so the same
page simply finds it done. The command line does not use jobs: it issues
reports synchronously through ``reports.services``.

A job stores what was asked for as plain parameters and resolves them
again when it runs, as the person who asked: access that was withdrawn in
between, or a quarter that is no longer there, fails the job with the
reason instead of producing a report nobody may see.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs.models import Job
from reports import excel
from reports import services as report_services
from reports.models import GeneratedReport
from reports.selectors import report_table
from tracker.celery import app as celery_app

logger = logging.getLogger(__name__)

# A job that has been "running" this long without finishing is taken to be
# lost with its worker, and a redelivered message may run it again.
STALE_AFTER = datetime.timedelta(minutes=15)


def _request_parameters(request):
    """A ReportRequest as JSON-safe parameters for ``resolve_request``."""
    return {
        "year": request.year,
        "quarter": request.quarter,
        "government_code": request.government.region_code,
        "unit_code": request.unit.code if request.unit else None,
        "commitment_ids": [c.pk for c in request.commitments],
        "report_date": request.report_date.isoformat(),
    }


class FormAlreadyUsed(ValidationError):
    """The form's one-time token already started a job for a different request."""


def start_report_job(request, *, kind, actor, base_url=None, token=None):
    """Queue the quarterly report (PDF) or its evaluation table (Excel) for ``request``.

    ``request`` is a checked ``reports.selectors.ReportRequest``; ``actor``
    the user who asked (``None`` for the system). Returns the :class:`Job`.

    ``token`` is the one-time token of the form that asked (a UUID): the same
    form sent again by the same person for the same kind returns the job it
    started the first time, so a double click issues one report, not two.
    The token sent with different parameters (the form re-sent after going
    back and changing it) raises :class:`FormAlreadyUsed`.
    """
    parameters = {**_request_parameters(request), "base_url": base_url}
    if actor is None:
        token = None  # the system's jobs come from no form
    if token is not None:
        existing = Job.objects.filter(requested_by=actor, form_token=token, kind=kind).first()
        if existing is not None:
            return _same_request(existing, parameters)
    try:
        # A savepoint: on PostgreSQL a failed insert would otherwise break the
        # request's transaction, and the other job must still be read.
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                government=request.government,
                requested_by=actor,
                title=report_services.report_title(request),
                parameters=parameters,
                form_token=token,
            )
    except IntegrityError:
        # Both copies of the form arrived at once; the other one created the job.
        existing = Job.objects.get(requested_by=actor, form_token=token, kind=kind)
        return _same_request(existing, parameters)
    _enqueue(job)
    return job


def _same_request(job, parameters):
    """``job`` if it was asked for with ``parameters`` (the page's own address aside)."""

    def asked(values):
        return {key: value for key, value in values.items() if key != "base_url"}

    if asked(job.parameters) != asked(parameters):
        raise FormAlreadyUsed(
            _(
                "This form was already sent for another report (job %(id)s). "
                "Check the choices and send the form again."
            )
            % {"id": job.pk}
        )
    return job


def retry(job, *, actor):
    """Queue a failed job again, as a new attempt. Only failed jobs are retried."""
    if job.state != Job.State.FAILED:
        raise ValidationError(_("Only a failed job can be tried again."))
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.QUEUED,
        step=Job.Step.WAITING,
        progress=0,
        error="",
        attempts=job.attempts + 1,
        started_at=None,
        finished_at=None,
    )
    job.refresh_from_db()
    _enqueue(job)
    return job


def _enqueue(job):
    if celery_app.conf.task_always_eager:
        # No broker: run now, in this process. (Not on commit: the caller's
        # connection already sees the job, and tests run inside a transaction.)
        run(job.pk)
        return
    from jobs import tasks

    # On commit, so a worker never looks for a job row that is not there yet.
    transaction.on_commit(lambda: tasks.run_job.delay(job.pk))


def _claim(job_id):
    """Mark the job running; False if it is done, failed, or running elsewhere."""
    now = timezone.now()
    claimable = Job.objects.filter(pk=job_id, state=Job.State.QUEUED) | Job.objects.filter(
        pk=job_id, state=Job.State.RUNNING, started_at__lt=now - STALE_AFTER
    )
    return bool(claimable.update(state=Job.State.RUNNING, started_at=now, progress=1))


def run(job_id):
    """Run job ``job_id`` to the end: done with its result, or failed with the reason.

    Called by the worker (or eagerly). Never raises for a problem of the job
    itself: the reason is stored for the page, and the person may retry.
    """
    if not _claim(job_id):
        return
    job = Job.objects.select_related("requested_by", "government").get(pk=job_id)

    def progress(step, percent):
        Job.objects.filter(pk=job_id).update(step=step, progress=percent)

    try:
        with translation.override("id"):
            result = _RUNNERS[job.kind](job, progress)
    except ValidationError as error:
        _fail(job_id, " ".join(error.messages))
        return
    except Exception:
        logger.exception("Background job %s (%s) failed", job_id, job.kind)
        _fail(
            job_id,
            _(
                "An unexpected error stopped the job. Try again; if it fails again, "
                "tell the Administrator the job number %(id)s."
            )
            % {"id": job_id},
        )
        return
    Job.objects.filter(pk=job_id).update(
        state=Job.State.DONE,
        step=Job.Step.FINISHED,
        progress=100,
        finished_at=timezone.now(),
        **result,
    )


def _fail(job_id, message):
    Job.objects.filter(pk=job_id).update(
        state=Job.State.FAILED, error=message, finished_at=timezone.now()
    )


def _resolve(job):
    parameters = dict(job.parameters)
    parameters.pop("base_url", None)
    report_date = parameters.pop("report_date", None)
    return report_services.resolve_request(
        **parameters,
        user=job.requested_by,
        report_date=datetime.date.fromisoformat(report_date) if report_date else None,
    )


def _check_requester(job):
    user = job.requested_by
    if user is not None and not user.is_active:
        raise ValidationError(_("The account that asked for this job has been deactivated."))


def _run_pdf(job, progress):
    _check_requester(job)
    request = _resolve(job)
    report = report_services.issue_report(
        request,
        actor=job.requested_by,
        source=GeneratedReport.Source.WEB if job.requested_by else GeneratedReport.Source.COMMAND,
        base_url=job.parameters.get("base_url"),
        progress=progress,
    )
    return {"report_id": report.pk}


def _run_excel(job, progress):
    _check_requester(job)
    progress(Job.Step.READING, 5)
    request = _resolve(job)
    table = report_table(request)
    progress(Job.Step.LAYOUT, 50)
    content = excel.render(request, table)
    progress(Job.Step.STORING, 90)
    name = f"evaluasi-tw{request.quarter}-{request.year}.xlsx"
    job.file.save(name, ContentFile(content), save=False)
    return {"file": job.file.name, "file_name": name}


_RUNNERS = {Job.Kind.REPORT_PDF: _run_pdf, Job.Kind.REPORT_EXCEL: _run_excel}


def purge_old_jobs(*, now=None):
    """Delete jobs finished more than ``JOB_KEEP_DAYS`` days ago, with their export files.

    An issued report is not touched: it is a record of its own, kept for good
    (its code is printed on paper). An export is a copy of data that can be
    made again. Returns how many jobs were deleted.
    """
    from django.conf import settings

    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.JOB_KEEP_DAYS)
    old = Job.objects.filter(finished_at__lt=cutoff)
    count = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
