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
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jobs.models import Job
from reports import excel
from reports import services as report_services
from reports.models import GeneratedReport
from reports.selectors import report_table
from tracker.celery import app as celery_app

logger = logging.getLogger(__name__)

# A job whose worker died is run once more (the broker redelivers its
# message: acks_late, reject_on_worker_lost); after that it fails, with the
# retry button.
MAX_RUNS = 2
# Marking a job failed survives a database that just went away: this many
# tries, with a fresh connection each time, this many seconds apart.
FAIL_TRIES = 3
FAIL_PAUSE_SECONDS = 2.0


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
        runs=0,
        heartbeat_at=timezone.now(),
        started_at=None,
        finished_at=None,
    )
    job.refresh_from_db()
    _enqueue(job)
    return job


def _stored(message, **values):
    """``message`` (marked with ``gettext_noop``) in the site's language: it is stored
    and shown to whoever opens the job, whatever language started it."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(message) % values if values else _(message)


def _enqueue(job):
    if celery_app.conf.task_always_eager:
        # No broker: run now, in this process. (Not on commit: the caller's
        # connection already sees the job, and tests run inside a transaction.)
        run(job.pk)
        return
    from jobs import tasks

    job_id, attempt = job.pk, job.attempts

    def send():
        try:
            tasks.run_job.delay(job_id, attempt)
        except Exception:
            # The broker is down or refused (kombu's OperationalError, a Redis
            # or socket error): the job fails now, with the retry button,
            # instead of the page failing or the job waiting for nothing.
            logger.exception("Background job %s could not be queued", job_id)
            _fail(
                job_id,
                _stored(
                    gettext_noop(
                        "The job could not be queued: the job service is not reachable "
                        "right now. Try again in a few minutes."
                    )
                ),
            )
            job.state = Job.State.FAILED

    # On commit, so a worker never looks for a job row that is not there yet.
    transaction.on_commit(send)


def _claim(job_id, attempt):
    """Mark the job running for this delivery; False if this delivery must not run it.

    Not run: a job that is done or failed, a message of an earlier attempt
    (the job was retried since), and a job whose worker already died
    ``MAX_RUNS`` times (it is failed here). A job found running was started
    by a worker that died: the broker redelivered its message.
    """
    job = Job.objects.filter(pk=job_id).values("state", "attempts", "runs").first()
    if job is None or (attempt is not None and job["attempts"] != attempt):
        return False
    if job["state"] not in (Job.State.QUEUED, Job.State.RUNNING):
        return False
    same = Job.objects.filter(
        pk=job_id, state=job["state"], attempts=job["attempts"], runs=job["runs"]
    )
    if job["state"] == Job.State.RUNNING and job["runs"] >= MAX_RUNS:
        logger.error("Background job %s: its worker stopped %s times", job_id, job["runs"])
        _fail(
            job_id,
            _stored(
                gettext_noop(
                    "The job was interrupted twice (its worker stopped). Try again; if it "
                    "fails again, tell the Administrator the job number %(id)s."
                ),
                id=job_id,
            ),
            jobs=same,
        )
        return False
    if job["state"] == Job.State.RUNNING:
        logger.warning("Background job %s: its worker stopped; running it again", job_id)
    now = timezone.now()
    return bool(
        same.update(
            state=Job.State.RUNNING,
            runs=job["runs"] + 1,
            started_at=now,
            heartbeat_at=now,
            progress=1,
        )
    )


def run(job_id, attempt=None):
    """Run job ``job_id`` to the end: done with its result, or failed with the reason.

    Called by the worker (or eagerly); ``attempt`` is the attempt the message
    was sent for (``None``: whatever the job's current one is). Never raises
    for a problem of the job itself: the reason is stored for the page, and
    the person may retry.
    """
    if not _claim(job_id, attempt):
        return
    job = Job.objects.select_related("requested_by", "government").get(pk=job_id)

    def progress(step, percent):
        # Every step is also a sign of life for the watchdog.
        Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(
            step=step, progress=percent, heartbeat_at=timezone.now()
        )

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
    # Done even if the watchdog gave up on it meanwhile (the result is real),
    # unless it was retried since.
    Job.objects.filter(pk=job_id, attempts=job.attempts).update(
        state=Job.State.DONE,
        step=Job.Step.FINISHED,
        progress=100,
        error="",
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        **result,
    )


def _fail(job_id, message, *, jobs=None):
    """Mark the job failed with ``message``; True if stored.

    The error being handled may be the database's (an outage mid-job): the
    broken connection is closed and the write tried again on a fresh one. If
    the database stays away, the job is left to the watchdog.
    """
    jobs = Job.objects.filter(pk=job_id) if jobs is None else jobs
    for attempt in range(1, FAIL_TRIES + 1):
        try:
            now = timezone.now()
            jobs.filter(state__in=(Job.State.QUEUED, Job.State.RUNNING)).update(
                state=Job.State.FAILED, error=message, finished_at=now, heartbeat_at=now
            )
            return True
        except (OperationalError, InterfaceError) as error:
            logger.warning("Background job %s: cannot store its failure: %s", job_id, error)
            if not connection.in_atomic_block:
                connection.close()  # the next query connects afresh
            if attempt < FAIL_TRIES:
                time.sleep(FAIL_PAUSE_SECONDS * attempt)
    logger.error("Background job %s: failure not stored; the watchdog will fail it", job_id)
    return False


def expire_stuck_jobs(*, now=None, **filters):
    """Fail the jobs that will not finish by themselves; returns how many.

    A running job silent for ``JOB_STALE_MINUTES`` (its worker was killed, or
    lost the database and could not say so), and a job still queued after
    ``JOB_QUEUED_MINUTES`` (its message was lost: Redis restarted empty, or no
    worker runs). Both get the reason and the retry button. Run by beat every
    five minutes, by ``manage.py expire_stuck_jobs``, and for a user's own jobs
    whenever they look at them (``jobs.selectors.jobs_of``), so it works without
    beat too. ``filters`` narrow the jobs looked at (``requested_by=user``).
    """
    now = now or timezone.now()
    jobs = Job.objects.filter(**filters)
    rules = [
        (
            jobs.filter(
                state=Job.State.RUNNING,
                heartbeat_at__lt=now - datetime.timedelta(minutes=settings.JOB_STALE_MINUTES),
            ),
            _stored(
                gettext_noop(
                    "The job stopped without finishing (its worker was stopped or lost its "
                    "connection). Try again; if it fails again, tell the Administrator."
                )
            ),
        ),
        (
            jobs.filter(
                state=Job.State.QUEUED,
                heartbeat_at__lt=now - datetime.timedelta(minutes=settings.JOB_QUEUED_MINUTES),
            ),
            _stored(
                gettext_noop(
                    "The job waited too long without being started (the job service may have "
                    "been restarted). Try again; if it fails again, tell the Administrator."
                )
            ),
        ),
    ]
    count = 0
    for stuck, message in rules:
        # A read first: the job pages call this at every poll, and most find nothing.
        ids = list(stuck.values_list("pk", flat=True)[:500])
        if ids:
            count += stuck.filter(pk__in=ids).update(
                state=Job.State.FAILED, error=message, finished_at=now
            )
            logger.warning("Marked %s stuck background job(s) failed: %s", len(ids), ids)
    return count


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
    made again. Returns how many jobs were deleted. Jobs that never finished
    (stuck) are failed and purged too.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.JOB_KEEP_DAYS)
    # A job that never finished and gave no sign of life since the cutoff is stuck.
    old = Job.objects.filter(finished_at__lt=cutoff) | Job.objects.filter(
        finished_at__isnull=True, heartbeat_at__lt=cutoff
    )
    count = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    expire_stuck_jobs(now=now)  # the younger stuck ones: failed now, purged in time
    return count
