"""The benchmark's national report day: every government's quarterly PDF through Celery.

The whole-government report of every government in the database is queued
as a background job, as if every Bappeda pressed "issue" at once, and a
Celery worker with two processes works through them. Printed: reports per
minute and the time for all of them, and the time 552 governments would
take at the same rate. The synthetic governments are all shaped alike, so
each report costs the same and the time grows linearly with their number.
Every report is sealed: ``bench.run_size`` runs this inside ``bench.demo_seal``,
whose demo certificate the worker finds in its environment.
"""

import os
import subprocess
import sys
import time

from django.conf import settings
from django.db.models import Max, Min

from demo import scale
from jobs import services as job_services
from jobs.models import Job
from reports import services as report_services
from tracker.celery import app as celery_app

NATIONAL = 552  # Pemda in the Gerakan Menuju 100 Smart City's reach: every one of them


def report_day(*, year, quarter, workers=2, in_process=False, timeout=3600):
    """Queue every government's report for (year, quarter); wait; return the timings.

    ``in_process`` runs the jobs eagerly here instead of in a worker (the
    smoke test's in-memory database is not reachable from another process).
    """
    codes = list(
        scale.synthetic_governments().order_by("region_code").values_list("region_code", flat=True)
    )
    requests = [
        report_services.resolve_request(year=year, quarter=quarter, government_code=code)
        for code in codes
    ]
    worker = None if in_process else _start_worker(workers)
    saved = {key: celery_app.conf[key] for key in ("task_always_eager",)}
    celery_app.conf.task_always_eager = in_process
    try:
        started = time.perf_counter()
        jobs = [
            job_services.start_report_job(request, kind=Job.Kind.REPORT_PDF, actor=None).pk
            for request in requests
        ]
        pending = Job.objects.filter(pk__in=jobs, state__in=[Job.State.QUEUED, Job.State.RUNNING])
        deadline = time.monotonic() + timeout
        while pending.exists():
            if time.monotonic() > deadline:
                raise RuntimeError("the report day did not finish in time")
            if worker is not None and worker.poll() is not None:
                raise RuntimeError("the Celery worker exited")
            time.sleep(0.5)
        seconds = time.perf_counter() - started
    finally:
        celery_app.conf.update(saved)
        if worker is not None:
            _stop(worker)
    done = Job.objects.filter(pk__in=jobs, state=Job.State.DONE)
    span = done.aggregate(first=Min("started_at"), last=Max("finished_at"))
    per_minute = len(jobs) / seconds * 60
    return {
        "governments": len(jobs),
        "workers": 1 if in_process else workers,
        "done": done.count(),
        "failed": len(jobs) - done.count(),
        "seconds": round(seconds, 1),
        "working_seconds": round((span["last"] - span["first"]).total_seconds(), 1)
        if span["first"]
        else None,
        "reports_per_minute": round(per_minute, 1),
        "national_minutes": round(NATIONAL / per_minute, 1),
    }


def _start_worker(workers):
    """A Celery worker in a child process, on the broker of CELERY_BROKER_URL; waits until it
    answers a ping, so the time measured is the reports', not the worker's start."""
    if not settings.CELERY_BROKER_URL:
        raise RuntimeError("The report day needs CELERY_BROKER_URL (make bench sets it).")
    celery_app.control.purge()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tracker", "worker"]
        + ["--concurrency", str(workers), "--loglevel", "WARNING", "--without-gossip"]
        + ["--without-mingle", "--hostname", f"bench-{os.getpid()}@%h"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DEBUG": "0", "SECRET_KEY": settings.SECRET_KEY},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(timeout=1):
        if worker.poll() is not None or time.monotonic() > deadline:
            _stop(worker)
            raise RuntimeError("the Celery worker did not start")
    return worker


def _stop(worker):
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, 9)
        worker.wait()
