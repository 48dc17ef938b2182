"""``python manage.py time_report [--government 36.72] [--repeat 3] [--profile out.prof]``.

Issues the whole-government quarterly report (as ``issue_report`` does for
the web and the job queue: read, lay out, seal, store) and prints the time of
each phase and the process's peak memory, so a change to the report can be
measured the same way before and after. Each run stores one report, like
the command line's ``quarterly_report``: use it on a demo or benchmark
database. ``--profile`` writes a cProfile file of the last run.
"""

import cProfile
import json
import resource
import time
import tracemalloc

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from programs.models import ReportingPeriod
from reports import services
from reports.models import GeneratedReport
from tracker.models import Government

# The phases ``issue_report`` reports to its ``progress`` callback, in order.
PHASES = ("reading", "layout", "sealing", "storing")


def timed_issue(request, *, profile=None):
    """Issue the report for ``request``; return (report, seconds per phase and in total).

    Each phase has its wall time and, as ``<phase>_cpu``, this process's CPU time: on
    a shared machine the wall time also counts the time spent waiting for a CPU.
    """
    marks = []

    def progress(step, percent):
        marks.append((step, time.perf_counter(), time.process_time()))

    started = (time.perf_counter(), time.process_time())
    if profile is not None:
        profile.enable()
    report = services.issue_report(
        request, source=GeneratedReport.Source.COMMAND, progress=progress
    )
    if profile is not None:
        profile.disable()
    finished = (time.perf_counter(), time.process_time())
    ends = [(wall, cpu) for _step, wall, cpu in marks[1:]] + [finished]
    seconds = {}
    for (step, wall, cpu), (end_wall, end_cpu) in zip(marks, ends, strict=True):
        seconds[step] = round(end_wall - wall, 3)
        seconds[f"{step}_cpu"] = round(end_cpu - cpu, 3)
    seconds["total"] = round(finished[0] - started[0], 3)
    seconds["total_cpu"] = round(finished[1] - started[1], 3)
    return report, seconds


def peak_rss_mb():
    """The process's peak resident memory so far, in MB (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Command(BaseCommand):
    help = "Issue the whole-government report and print each phase's time and peak memory."

    def add_arguments(self, parser):
        parser.add_argument(
            "--government", help="Region code (e.g. 36.72). Default: the first government."
        )
        parser.add_argument("--year", type=int, help="Default: the latest locked quarter's.")
        parser.add_argument("--quarter", type=int, help="1-4. Default: the latest locked one.")
        parser.add_argument("--repeat", type=int, default=1, help="Runs (default 1).")
        parser.add_argument("--profile", help="Write a cProfile file of the last run here.")
        parser.add_argument(
            "--tracemalloc",
            action="store_true",
            help="Also print the peak of Python's own allocations (slows the run down).",
        )
        parser.add_argument("--json", action="store_true", help="One JSON line per run.")

    def handle(self, *args, **options):
        government = _government(options["government"])
        year, quarter = options["year"], options["quarter"]
        if year is None or quarter is None:
            period = (
                ReportingPeriod.objects.filter(
                    government=government, state=ReportingPeriod.State.LOCKED
                )
                .order_by("-year", "-quarter")
                .first()
            )
            if period is None:
                raise CommandError(
                    _("%(government)s has no locked quarter.") % {"government": government}
                )
            year, quarter = period.year, period.quarter
        try:
            request = services.resolve_request(
                year=year, quarter=quarter, government_code=government.region_code
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for run in range(1, options["repeat"] + 1):
            last = run == options["repeat"]
            profile = cProfile.Profile() if options["profile"] and last else None
            if options["tracemalloc"]:
                tracemalloc.start()
            report, seconds = timed_issue(request, profile=profile)
            result = {
                "run": run,
                **seconds,
                "peak_rss_mb": peak_rss_mb(),
                "bytes": report.size,
                "sealed": report.parameters["sealed"],
            }
            if options["tracemalloc"]:
                result["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
                tracemalloc.stop()
            if profile is not None:
                profile.dump_stats(options["profile"])
            if options["json"]:
                self.stdout.write(json.dumps(result))
            else:
                self.stdout.write("  ".join(f"{key} {value}" for key, value in result.items()))


def _government(code):
    governments = Government.objects.order_by("region_code")
    government = governments.filter(region_code=code).first() if code else governments.first()
    if government is None:
        raise CommandError(_("No government has the code “%(code)s”.") % {"code": code})
    return government
