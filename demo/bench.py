"""The benchmark behind ``manage.py bench`` / ``make bench``.

It grows the database in ``DATABASE_URL`` to S synthetic governments,
measures, grows it to L and measures again, always looking at synthetic
government 1 through its own accounts (``bappeda-001``, ``opd-001``,
``walikota-001``). So the S and L columns compare the same pages of the
same government with 1 or 100 governments' data around it.

Measured at each size: hot pages (query count; median and p95 latency of
warm requests through Django's test client), the quarterly report as PDF
(sealed with a demo certificate made for the run, as an instance with a
certificate seals every report; the sealing step's own milliseconds too)
and Excel (wall time and peak RSS, in a child process), the write path
(submit + verify a progress report) and a load run (gunicorn with two
workers on loopback, hit by a bounded thread pool). Not a test: CI runs a
tiny smoke version only.
"""

import atexit
import contextlib
import functools
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from commitments.models import Commitment
from demo import bench_jobs, bench_load, scale
from demo.bench_load import CLIENT_SETTINGS, percentile
from programs import program_services, reporting, status
from programs import services as period_services
from programs.models import MilestoneProgress, Program, ProgressReport, ReportingPeriod

REPORT_YEAR, REPORT_QUARTER = 2021, 2  # the latest locked quarter of the synthetic data


class Subject:
    """Synthetic government 1 and the records the pages are opened on."""

    def __init__(self):
        self.government = scale.synthetic_governments().get(region_code=scale.region_code(1))
        users = get_user_model().objects.filter(
            username__in=[scale.username(k, 1) for k in ("bappeda", "opd", "walikota")]
        )
        self.users = {u.username.split("-")[0]: u for u in users}
        self.member_unit = self.users["opd"].profile.unit
        self.period = ReportingPeriod.objects.get(
            government=self.government, year=REPORT_YEAR, quarter=REPORT_QUARTER
        )
        self.program = Program.objects.filter(owner_unit=self.member_unit).order_by("pk").first()
        self.commitment = Commitment.objects.filter(government=self.government).order_by("pk")[0]

    def pages(self):
        """(name, role, url) for every page measured."""
        period = f"?periode={self.period.pk}"
        program_list = reverse("program-list")
        filtered = f"{program_list}?unit={self.member_unit.pk}&status=late&periode={self.period.pk}"
        dashboard = reverse("dashboard") + period
        detail = reverse("program-detail", args=[self.program.pk]) + period
        commitment = reverse("commitment-detail", args=[self.commitment.pk])
        return [
            ("dashboard", "bappeda", dashboard),
            ("dashboard", "walikota", dashboard),
            ("program list", "bappeda", program_list),
            ("program list", "opd", program_list),
            ("program list", "walikota", program_list),
            ("program list filtered", "bappeda", filtered),
            ("program detail", "bappeda", detail),
            ("program detail", "opd", detail),
            ("verification queue", "bappeda", reverse("verification-queue") + period),
            ("my tasks", "opd", reverse("my-tasks")),
            ("commitment detail", "bappeda", commitment),
            ("commitment detail", "walikota", commitment),
            ("commitment detail", "opd", commitment),
        ]


def measure_pages(subject, requests):
    results = []
    with override_settings(**CLIENT_SETTINGS):
        for name, role, url in subject.pages():
            client = Client()
            client.force_login(subject.users[role])
            for _ in range(2):  # warm: caches, templates, connections
                assert client.get(url).status_code == 200, (name, role, url)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            # Read the count now: the next request clears the connection's query log.
            query_count = len(queries)
            timings = []
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            results.append(
                {
                    "page": name,
                    "role": role,
                    "queries": query_count,
                    "median_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(percentile(timings, 0.95), 1),
                }
            )
    return results


def extended(program, end, *, actor):
    """``program``, its end moved to ``end`` (through the service) if it ended before."""
    if program.end_date >= end:
        return program
    return program_services.update_program(
        program, actor=actor, reason="bench: extended into the measured quarter", end_date=end
    )


def measure_write_path(subject, requests):
    """Open a new quarter for government 1, let the unit submit and Bappeda verify reports."""
    member, bappeda = subject.users["opd"], subject.users["bappeda"]
    latest = ReportingPeriod.objects.filter(government=subject.government).order_by(
        "-year", "-quarter"
    )[0]
    year, quarter = (
        (latest.year, latest.quarter + 1) if latest.quarter < 4 else (latest.year + 1, 1)
    )
    period = period_services.open_period(
        actor=bappeda, government=subject.government, year=year, quarter=quarter, reason="bench"
    )
    programs = list(Program.objects.filter(owner_unit=subject.member_unit).order_by("pk"))
    # The synthetic programs end with the data (2021); Bappeda extends the measured ones
    # into the new quarter, as it would, so that a report is due for them.
    end = status.quarter_end(year, quarter)
    programs = [extended(program, end, actor=bappeda) for program in programs[:requests]]
    reports = [reporting.start_report(p, period, actor=member) for p in programs]
    results = {}
    with override_settings(**CLIENT_SETTINGS):
        for action, user, url_name in (
            ("submit", member, "report-submit"),
            ("verify", bappeda, "report-verify"),
        ):
            client = Client()
            client.force_login(user)
            timings, counts = [], []
            for report in reports:
                url = reverse(url_name, args=[report.pk])
                # A reviewer posts the version of the page they saw: the one after submitting.
                data = {} if action == "submit" else {"version": report.version + 1}
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.post(url, data)
                    timings.append((time.perf_counter() - started) * 1000)
                counts.append(len(queries))
                assert response.status_code == 302
            results[action] = {
                "requests": len(timings),
                "queries": max(counts),
                "median_ms": round(statistics.median(timings), 1),
                "p95_ms": round(percentile(timings, 0.95), 1),
            }
    verified = ProgressReport.objects.filter(
        pk__in=[r.pk for r in reports], state=ProgressReport.State.VERIFIED
    ).count()
    assert verified == len(reports), "every report went through submit and verify"
    return results


def measure_report(kind, in_process=False):
    """Run the report in a child process and return its time and peak RSS.

    ``in_process`` runs it here instead (the smoke test's database is not
    reachable from a child process); the RSS is then this process's.
    """
    if in_process:
        return render_once(kind)
    output = subprocess.run(
        [sys.executable, "manage.py", "bench", "--render-only", kind],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def render_once(kind):
    """In the child: issue the whole-government report of government 1 once.

    The PDF is sealed when a certificate is configured (``demo_seal`` sets one
    for the child); ``seal_ms`` is the sealing step's share of the time.
    """
    from django.utils import translation

    from reports import excel, services
    from reports.models import GeneratedReport
    from reports.selectors import report_table

    started = time.perf_counter()
    request = services.resolve_request(
        year=REPORT_YEAR, quarter=REPORT_QUARTER, government_code=scale.region_code(1)
    )
    result = {}
    if kind == "pdf":  # "excel" otherwise
        steps = {}

        def progress(step, percent):
            steps[step] = time.perf_counter()

        report = services.issue_report(
            request, source=GeneratedReport.Source.COMMAND, progress=progress
        )
        steps["end"] = time.perf_counter()
        size = report.size
        result["sealed"] = report.parameters["sealed"]
        result["seal_ms"] = round((steps["storing"] - steps["sealing"]) * 1000, 1)
        # Each phase of issue_report (reading, layout, sealing, storing), in its order.
        names = list(steps)
        result["phases_ms"] = {
            name: round((steps[after] - steps[name]) * 1000, 1)
            for name, after in zip(names, names[1:], strict=False)
        }
    else:
        with translation.override("id"):
            size = len(excel.render(request, report_table(request)))
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(peak_mb, 1),
        "bytes": size,
        **result,
    }


@functools.cache
def _demo_certificate():
    """A demo sealing certificate in a temporary folder, made once per benchmark run."""
    folder = tempfile.mkdtemp(prefix="monev-bench-seal-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    call_command(
        "make_signing_certificate", "--out-dir", folder, "--password", "bench", stdout=io.StringIO()
    )
    return os.path.join(folder, "demo-seal.p12")


@contextlib.contextmanager
def demo_seal():
    """Seal every report issued inside, here and in child processes (the report's child,
    the Celery worker), with the demo certificate; the previous settings come back after."""
    from reports import sealing

    values = {"REPORT_SIGNING_P12": _demo_certificate(), "REPORT_SIGNING_PASSWORD": "bench"}
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    sealing.clear_cache()
    try:
        with override_settings(**values):
            yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        sealing.clear_cache()


# --- Putting it together ----------------------------------------------------------------------


def machine():
    memory_kb = 0
    try:
        with open("/proc/meminfo") as meminfo:
            memory_kb = int(meminfo.readline().split()[1])
    except OSError:
        pass
    database = connection.vendor
    if database == "postgresql":
        database += (
            " "
            + ".".join(str(connection.pg_version // 10000).split())
            + f".{connection.pg_version % 10000}"
        )
    elif database == "sqlite":
        import sqlite3

        database += " " + sqlite3.sqlite_version
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "database": database,
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def data_size():
    return {
        "governments": scale.synthetic_governments().count(),
        "programs": Program.objects.count(),
        "progress_reports": ProgressReport.objects.count(),
        "milestone_rows": MilestoneProgress.objects.count(),
        "history_rows": MilestoneProgress.history.count() + ProgressReport.history.count(),
    }


def measure_dashboard_cache(subject, requests):
    """The dashboard's median with a warm cache, and with an empty one before every request."""
    url = reverse("dashboard") + f"?periode={subject.period.pk}"
    result = {}
    with override_settings(**CLIENT_SETTINGS):
        client = Client()
        client.force_login(subject.users["bappeda"])
        for state in ("warm", "cold"):
            client.get(url)
            timings = []
            for _ in range(requests):
                if state == "cold":
                    cache.clear()
                started = time.perf_counter()
                assert client.get(url).status_code == 200
                timings.append((time.perf_counter() - started) * 1000)
            result[state] = round(statistics.median(timings), 1)
    return result


def run_size(size, *, requests, load_users, load_seconds, report_in_process=False, workers=2):
    subject = Subject()
    result = {"size": size, "data": data_size()}
    result["pages"] = measure_pages(subject, requests)
    result["dashboard_cache"] = measure_dashboard_cache(subject, requests)
    with demo_seal():
        result["report"] = {
            kind: measure_report(kind, report_in_process) for kind in ("pdf", "excel")
        }
    result["write"] = measure_write_path(subject, requests)
    if load_seconds > 0:
        result["load"] = bench_load.load_run(users=load_users, seconds=load_seconds)
    with demo_seal():
        result["report_day"] = bench_jobs.report_day(
            year=REPORT_YEAR,
            quarter=REPORT_QUARTER,
            workers=workers,
            in_process=report_in_process,
        )
    return result


def table(machine_info, results):
    """The results as a text table: one column per size."""
    sizes = [r["size"] for r in results]
    rows = [("measure", [f"{'S=' if i == 0 else 'L='}{s}" for i, s in enumerate(sizes)])]

    def row(label, values):
        rows.append((label, [str(v) for v in values]))

    for key in ("governments", "programs", "progress_reports", "milestone_rows", "history_rows"):
        row(f"data: {key}", [r["data"][key] for r in results])
    for index, page in enumerate(results[0]["pages"]):
        label = f"{page['page']} ({page['role']})"
        row(f"{label}: queries", [r["pages"][index]["queries"] for r in results])
        row(
            f"{label}: median / p95 ms",
            [f"{r['pages'][index]['median_ms']} / {r['pages'][index]['p95_ms']}" for r in results],
        )
    for kind in ("pdf", "excel"):
        row(
            f"report {kind}: seconds / peak RSS MB",
            [
                f"{r['report'][kind]['seconds']} / {r['report'][kind]['peak_rss_mb']}"
                for r in results
            ],
        )
    row(
        "report pdf: sealing ms (in the seconds)",
        [r["report"]["pdf"].get("seal_ms", "-") for r in results],
    )
    row(
        "report pdf: read / layout / seal / store ms",
        [" / ".join(map(str, r["report"]["pdf"].get("phases_ms", {}).values())) for r in results],
    )
    for action in ("submit", "verify"):
        row(f"write {action}: queries", [r["write"][action]["queries"] for r in results])
        row(
            f"write {action}: median / p95 ms",
            [
                f"{r['write'][action]['median_ms']} / {r['write'][action]['p95_ms']}"
                for r in results
            ],
        )
    row(
        "dashboard median ms, cache warm / cold",
        [f"{r['dashboard_cache']['warm']} / {r['dashboard_cache']['cold']}" for r in results],
    )
    if all("load" in r for r in results):
        row(
            "load: users x seconds",
            [f"{r['load']['users']} x {r['load']['seconds']}" for r in results],
        )
        row("load: requests/s", [r["load"]["requests_per_second"] for r in results])
        row(
            "load: p95 ms / errors",
            [f"{r['load']['p95_ms']} / {r['load']['errors']}" for r in results],
        )
        row(
            "ceiling (minimal page): requests/s",
            [r["load"]["ceiling"]["requests_per_second"] for r in results],
        )
        row(
            "ceiling: p95 ms / errors",
            [
                f"{r['load']['ceiling']['p95_ms']} / {r['load']['ceiling']['errors']}"
                for r in results
            ],
        )
        row("load as a share of the ceiling", [r["load"]["share_of_ceiling"] for r in results])
    day = [r["report_day"] for r in results]
    row("report day: reports (workers)", [f"{d['governments']} ({d['workers']})" for d in day])
    row("report day: seconds / failed", [f"{d['seconds']} / {d['failed']}" for d in day])
    row("report day: reports per minute", [d["reports_per_minute"] for d in day])
    row(f"report day: minutes for {bench_jobs.NATIONAL}", [d["national_minutes"] for d in day])
    # Each column as wide as its widest text, two spaces apart: a long label never
    # runs into its figures.
    widths = [max(len(label) for label, _values in rows)] + [
        max(len(values[i]) for _label, values in rows) for i in range(len(sizes))
    ]
    lines = [
        "  ".join(
            text.ljust(width) for text, width in zip([label, *values], widths, strict=True)
        ).rstrip()
        for label, values in rows
    ]
    machine = (
        f"machine: {machine_info['cores']} cores, {machine_info['memory_gib']} GiB, "
        f"{machine_info['database']}, Python {machine_info['python']}, "
        f"Django {machine_info['django']}"
    )
    return "\n".join([machine, lines[0], "-" * len(lines[0]), *lines[1:]])
