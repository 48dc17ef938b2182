"""Background jobs: the quarterly PDF and the Excel table, queued, run, failed and retried."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from jobs import services
from jobs.models import Job
from jobs.tasks import run_job
from reports import services as report_services
from reports.models import GeneratedReport
from tracker.celery import app as celery_app


@pytest.fixture
def bappeda(db):
    return get_user_model().objects.get(username="bappeda")


def _request(user, **extra):
    return report_services.resolve_request(
        year=2020, quarter=3, government_code="36.72", user=user, **extra
    )


def test_without_a_broker_the_pdf_job_runs_at_once_and_issues_the_report(bappeda):
    job = services.start_report_job(
        _request(bappeda), kind=Job.Kind.REPORT_PDF, actor=bappeda, base_url="http://x/"
    )
    job.refresh_from_db()
    assert (job.state, job.progress, job.step) == (Job.State.DONE, 100, Job.Step.FINISHED)
    report = GeneratedReport.objects.get()
    assert job.report == report and report.generated_by == bappeda
    assert report.source == GeneratedReport.Source.WEB
    assert job.started_at <= job.finished_at


@pytest.fixture
def with_a_broker(monkeypatch):
    """Celery as on a server: ``delay`` sends to the broker (recorded here, not sent)."""
    from jobs import tasks

    sent = []
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(
        tasks, "run_job", SimpleNamespace(delay=lambda job_id, attempt=None: sent.append(job_id))
    )
    return sent


def test_with_a_broker_the_job_is_sent_when_the_transaction_commits(
    bappeda, with_a_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = services.start_report_job(
            _request(bappeda), kind=Job.Kind.REPORT_EXCEL, actor=bappeda
        )
        assert with_a_broker == []  # not before the job row is committed
    assert len(callbacks) == 1 and with_a_broker == [job.pk]
    job.refresh_from_db()
    assert (job.state, job.progress, job.step) == (Job.State.QUEUED, 0, Job.Step.WAITING)

    # The worker runs the task: the workbook is stored and the job is done.
    run_job(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.file_name == "evaluasi-tw3-2020.xlsx"
    with job.file.open("rb") as handle:
        assert handle.read(2) == b"PK"  # an xlsx is a zip archive
    # A second delivery of the same message runs nothing again.
    name = job.file.name
    run_job(job.pk)
    job.refresh_from_db()
    assert job.file.name == name


def test_the_status_part_polls_while_the_job_waits_and_stops_when_it_is_done(
    bappeda, with_a_broker, login
):
    job = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_PDF, actor=bappeda)
    client = login("bappeda")
    waiting = client.get(reverse("job-status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in waiting and 'aria-valuenow="0"' in waiting
    page = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "django_htmx/htmx-2.min.js" in page and 'http-equiv="refresh"' in page
    services.run(job.pk)
    done = client.get(reverse("job-status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in done and 'aria-valuenow="100"' in done
    assert reverse("report-download", args=[Job.objects.get().report_id]) in done


def test_a_job_checks_access_again_when_it_runs(bappeda, with_a_broker, unit):
    """DKISS's head asks for the DKISS report, then moves to Dinkes before a worker is free."""
    from tracker import services as org_services

    dkiss = get_user_model().objects.get(username="dkiss")
    job = services.start_report_job(
        _request(dkiss, unit_code="DKISS"), kind=Job.Kind.REPORT_PDF, actor=dkiss
    )
    org_services.move_user(dkiss, actor=bappeda, unit=unit("DINKES"), reason="mutasi")
    services.run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "DKISS" in job.error
    assert not GeneratedReport.objects.exists()


def test_a_failed_job_says_why_and_can_be_retried(bappeda, with_a_broker, monkeypatch, login):
    from reports import pdf

    job = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_PDF, actor=bappeda)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pdf, "render", broken)
    services.run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and f"{job.pk}" in job.error
    assert "disk full" not in job.error  # the details go to the log, not the page
    client = login("bappeda")
    page = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert reverse("job-retry", args=[job.pk]) in page

    monkeypatch.undo()  # the disk has room again
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    response = client.post(reverse("job-retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (Job.State.DONE, 2, "")
    assert GeneratedReport.objects.count() == 1


def test_only_a_failed_job_is_retried(bappeda, login):
    job = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_EXCEL, actor=bappeda)
    response = login("bappeda").post(reverse("job-retry", args=[job.pk]), follow=True)
    job.refresh_from_db()
    assert job.attempts == 1
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_a_deactivated_requester_gets_no_report(bappeda, with_a_broker):
    job = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_PDF, actor=bappeda)
    from tracker import services as org_services

    admin = get_user_model().objects.get(username="admin")
    org_services.deactivate_user(bappeda, actor=admin, reason="pensiun")
    services.run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and not GeneratedReport.objects.exists()


def test_old_jobs_and_their_exports_are_purged_but_issued_reports_stay(bappeda):
    import datetime

    from django.core.files.storage import default_storage
    from django.utils import timezone

    excel = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_EXCEL, actor=bappeda)
    pdf = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_PDF, actor=bappeda)
    excel.refresh_from_db()
    name = excel.file.name
    assert default_storage.exists(name)
    week_later = timezone.now() + datetime.timedelta(days=7, minutes=1)
    assert services.purge_old_jobs(now=week_later - datetime.timedelta(days=1)) == 0
    assert services.purge_old_jobs(now=week_later) == 2
    assert not Job.objects.filter(pk__in=[excel.pk, pdf.pk]).exists()
    assert not default_storage.exists(name)
    assert GeneratedReport.objects.count() == 1  # the issued report is a record of its own


def test_the_same_form_token_gives_the_same_job(bappeda):
    import uuid

    token = uuid.uuid4()
    first = services.start_report_job(
        _request(bappeda), kind=Job.Kind.REPORT_PDF, actor=bappeda, token=token
    )
    again = services.start_report_job(
        _request(bappeda), kind=Job.Kind.REPORT_PDF, actor=bappeda, token=token
    )
    assert again.pk == first.pk
    assert Job.objects.count() == 1 and GeneratedReport.objects.count() == 1
    with pytest.raises(services.FormAlreadyUsed):
        services.start_report_job(
            report_services.resolve_request(
                year=2020, quarter=2, government_code="36.72", user=bappeda
            ),
            kind=Job.Kind.REPORT_PDF,
            actor=bappeda,
            token=token,
        )


def test_two_copies_of_a_form_at_once_make_one_job(bappeda, monkeypatch):
    """The second copy's insert meets the unique token and takes the first copy's job."""
    import uuid

    token = uuid.uuid4()
    first = services.start_report_job(
        _request(bappeda), kind=Job.Kind.REPORT_PDF, actor=bappeda, token=token
    )
    real_filter = Job.objects.filter
    # As if the first copy's row was not there yet when the second copy looked.
    monkeypatch.setattr(Job.objects, "filter", lambda *a, **kw: real_filter(*a, **kw).none())
    again = services.start_report_job(
        _request(bappeda), kind=Job.Kind.REPORT_PDF, actor=bappeda, token=token
    )
    monkeypatch.undo()
    assert again.pk == first.pk
    assert Job.objects.count() == 1 and GeneratedReport.objects.count() == 1


# --- The download follows the requester's rights as they are now (issue 23) ----------------


def _download(login, username, job):
    return login(username).get(reverse("job-download", args=[job.pk]))


def test_a_demoted_requester_no_longer_downloads_the_whole_government_export(bappeda, login):
    from tracker import services as org_services

    job = services.start_report_job(_request(bappeda), kind=Job.Kind.REPORT_EXCEL, actor=bappeda)
    assert _download(login, "bappeda", job).status_code == 200
    pengelola = get_user_model().objects.get(username="pengelola")
    org_services.set_user_roles(bappeda, actor=pengelola, groups=[], reason="Bukan Bappeda lagi")
    # As the PDF (404) and the dashboard (403): the file is no longer theirs.
    assert _download(login, "bappeda", job).status_code == 404


def test_a_unit_export_follows_its_requester_s_unit(login):
    from tracker import services as org_services
    from tracker.models import Unit

    dkiss = get_user_model().objects.get(username="dkiss")
    job = services.start_report_job(_request(dkiss), kind=Job.Kind.REPORT_EXCEL, actor=dkiss)
    job.refresh_from_db()
    assert job.parameters["unit_code"] == "DKISS"
    assert _download(login, "dkiss", job).status_code == 200
    dinkes = Unit.objects.get(government__region_code="36.72", code="DINKES")
    org_services.move_user(dkiss, actor=None, unit=dinkes, reason="Mutasi")
    assert _download(login, "dkiss", job).status_code == 404
