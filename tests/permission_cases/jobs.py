"""Permission-matrix cases: background jobs. A job is its requester's alone."""

from tests.permission_roles import only


def _bappeda_excel_job():
    """A finished Excel export that Bappeda asked for (its file a stand-in: the export
    itself is tested in tests/jobs; here only who may open it matters)."""
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    from jobs.models import Job
    from tracker.models import Government

    job = Job(
        kind=Job.Kind.REPORT_EXCEL,
        government=Government.objects.get(region_code="36.72"),
        requested_by=get_user_model().objects.get(username="bappeda"),
        title="Laporan",
        state=Job.State.DONE,
        progress=100,
        step=Job.Step.FINISHED,
        file_name="evaluasi-tw3-2020.xlsx",
    )
    job.file.save("evaluasi-tw3-2020.xlsx", ContentFile(b"PK stand-in"), save=True)
    return [job.pk]


def _bappeda_failed_job():
    from django.contrib.auth import get_user_model

    from jobs.models import Job
    from tracker.models import Government

    return [
        Job.objects.create(
            kind=Job.Kind.REPORT_PDF,
            government=Government.objects.get(region_code="36.72"),
            requested_by=get_user_model().objects.get(username="bappeda"),
            title="Laporan",
            parameters={"year": 1999, "quarter": 1, "government_code": "36.72"},
            state=Job.State.FAILED,
            error="gagal",
        ).pk
    ]


def _bappeda_excel_job_then_demoted():
    """Bappeda's whole-government export, then Bappeda loses the role (a plain change, as
    the old admin made it): the file is no longer theirs to download (issue 23), as
    the PDF and the dashboard are not."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    args = _bappeda_excel_job()
    get_user_model().objects.get(username="bappeda").groups.clear()
    cache.clear()  # no history written, so no new data version: drop the cached actor
    return args


CASES = {
    "job-detail": ("job-detail", _bappeda_excel_job, "get", only("bappeda")),
    "job-status": ("job-status", _bappeda_excel_job, "get", only("bappeda")),
    "job-download": ("job-download", _bappeda_excel_job, "get", only("bappeda")),
    "job-download after demotion": (
        "job-download",
        _bappeda_excel_job_then_demoted,
        "get",
        only(),
    ),
    # Retrying a failed job goes back to its page (302); the job fails again
    # (1999 is outside every plan), and nobody else may retry it.
    "job-retry": ("job-retry", _bappeda_failed_job, "post", only("bappeda", ok=302)),
}
