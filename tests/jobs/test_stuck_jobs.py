"""Jobs never stay stuck (issue 24, item 5): the watchdog, a broker that is down, a
worker that died mid-job (redelivery), a database that went away mid-job, the purge."""

import datetime

import pytest
from django.db.models import QuerySet
from django.db.utils import OperationalError
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from jobs import services
from jobs.models import Job
from jobs.tasks import run_job
from tests.jobs.test_jobs import _request, bappeda, with_a_broker  # noqa: F401
from tracker.celery import app as celery_app

RETRY_BUTTON = "Coba lagi"


def _retry_button_on_its_page(login, job):
    response = login("bappeda").get(reverse("job-detail", args=[job.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    return reverse("job-retry", args=[job.pk]) in page and RETRY_BUTTON in page


def test_a_running_job_without_a_heartbeat_is_failed_with_the_retry_button(
    bappeda,  # noqa: F811
    with_a_broker,  # noqa: F811
    login,
    settings,
):
    job = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_EXCEL, actor=bappeda)
    assert services._claim(job.pk, job.attempts)  # a worker started it ...
    silent = timezone.now() - datetime.timedelta(minutes=settings.JOB_STALE_MINUTES + 1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=silent)  # ... and was killed
    fresh = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_PDF, actor=bappeda)

    assert services.expire_stuck_jobs() == 1
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.finished_at is not None
    assert job.error  # the reason, for the page
    assert _retry_button_on_its_page(login, job)
    fresh.refresh_from_db()
    assert fresh.state == Job.State.QUEUED  # a job still in time is left alone


def test_the_job_page_runs_the_watchdog_itself_and_progress_is_a_heartbeat(
    bappeda,  # noqa: F811
    with_a_broker,  # noqa: F811
    login,
    settings,
):
    """No beat needed: looking at one's jobs fails the stuck ones; a queued job too."""
    job = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_EXCEL, actor=bappeda)
    old = timezone.now() - datetime.timedelta(minutes=settings.JOB_QUEUED_MINUTES + 1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=old)  # the queue lost its message
    assert _retry_button_on_its_page(login, job)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED

    # A job that reports progress stays alive.
    other = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_EXCEL, actor=bappeda)
    Job.objects.filter(pk=other.pk).update(heartbeat_at=old)
    beats = []
    original = services._RUNNERS[Job.Kind.REPORT_EXCEL]

    def watching(job, progress):
        result = original(job, progress)
        beats.append(Job.objects.get(pk=job.pk).heartbeat_at)
        return result

    services._RUNNERS[Job.Kind.REPORT_EXCEL] = watching
    try:
        Job.objects.filter(pk=other.pk).update(heartbeat_at=timezone.now())
        services.run(other.pk)
    finally:
        services._RUNNERS[Job.Kind.REPORT_EXCEL] = original
    other.refresh_from_db()
    assert other.state == Job.State.DONE and beats[0] > old


def test_a_broker_that_is_down_fails_the_job_with_the_retry_button(
    bappeda,  # noqa: F811
    login,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from jobs import tasks

    class Down:
        @staticmethod
        def delay(*args, **kwargs):
            raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(tasks, "run_job", Down)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_PDF, actor=bappeda)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.error
    assert _retry_button_on_its_page(login, job)

    # Through the page: the report form answers with the job's page, not a 500.
    client = login("bappeda")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("job-retry", args=[job.pk]), follow=True, raise_request_exception=False
        )
    assert response.status_code == 200
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.FAILED, 2)


def test_a_redelivered_job_runs_once_more_then_fails(bappeda, with_a_broker):  # noqa: F811
    job = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_EXCEL, actor=bappeda)
    # The first worker process starts it and is killed: the broker redelivers.
    assert services._claim(job.pk, job.attempts)
    # Second delivery: run again, as the second run of this attempt, to the end.
    run_job(job.pk, job.attempts)
    job.refresh_from_db()
    assert (job.state, job.runs, job.attempts) == (Job.State.DONE, 2, 1)

    again = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_EXCEL, actor=bappeda)
    assert services._claim(again.pk, again.attempts)  # killed once
    assert services._claim(again.pk, again.attempts)  # killed twice
    run_job(again.pk, again.attempts)  # the third delivery fails it
    again.refresh_from_db()
    assert (again.state, again.runs) == (Job.State.FAILED, 2)
    assert str(again.pk) in again.error and again.finished_at is not None


def test_a_message_of_an_earlier_attempt_runs_nothing(bappeda, with_a_broker):  # noqa: F811
    job = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_EXCEL, actor=bappeda)
    services._fail(job.pk, "gagal")
    job.refresh_from_db()
    services.retry(job, actor=bappeda)
    run_job(job.pk, 1)  # the old message, redelivered late
    job.refresh_from_db()
    assert (job.state, job.attempts, job.runs) == (Job.State.QUEUED, 2, 0)
    run_job(job.pk, 2)
    job.refresh_from_db()
    assert job.state == Job.State.DONE


def test_the_failure_is_stored_after_the_database_connection_broke(
    bappeda,  # noqa: F811
    with_a_broker,  # noqa: F811
    monkeypatch,
):
    """The outage mid-job: the first write of the failure meets the broken connection."""
    monkeypatch.setattr(services, "FAIL_PAUSE_SECONDS", 0)
    job = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_EXCEL, actor=bappeda)
    original = QuerySet.update
    calls = []

    def flaky(self, **values):
        if values.get("state") == Job.State.FAILED and not calls:
            calls.append(values)
            raise OperationalError("server closed the connection unexpectedly")
        return original(self, **values)

    def lost(job, progress):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(QuerySet, "update", flaky)
    monkeypatch.setitem(services._RUNNERS, Job.Kind.REPORT_EXCEL, lost)
    services.run(job.pk)
    job.refresh_from_db()
    assert calls and job.state == Job.State.FAILED and str(job.pk) in job.error


@pytest.mark.parametrize("state", [Job.State.RUNNING, Job.State.QUEUED])
def test_the_purge_removes_stuck_jobs_too(bappeda, with_a_broker, settings, state):  # noqa: F811
    job = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_EXCEL, actor=bappeda)
    long_ago = timezone.now() - datetime.timedelta(days=settings.JOB_KEEP_DAYS + 1)
    Job.objects.filter(pk=job.pk).update(state=state, heartbeat_at=long_ago)
    assert services.purge_old_jobs() == 1
    assert not Job.objects.filter(pk=job.pk).exists()


def test_the_broker_keeps_a_message_longer_than_a_job_may_take(settings):
    options = celery_app.conf.broker_transport_options
    assert options["visibility_timeout"] > 2 * settings.JOB_TIME_LIMIT
    assert celery_app.conf.task_acks_late and celery_app.conf.task_reject_on_worker_lost
    assert settings.JOB_STALE_MINUTES * 60 > settings.JOB_TIME_LIMIT
    assert "expire-stuck-jobs" in settings.CELERY_BEAT_SCHEDULE
