"""``manage.py seed_scale --governments N [--seed S]``: synthetic governments for the benchmark.

Governments 1..N are created if missing (one transaction each, so Ctrl-C
leaves no half-written government), with progress printed as it goes.
"""

import multiprocessing
import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils.translation import gettext as _

from demo import scale
from tracker.services import ensure_role_groups


class Command(BaseCommand):
    help = "Create N synthetic governments shaped like the Cilegon demo (for the benchmark)."

    def add_arguments(self, parser):
        parser.add_argument("--governments", type=int, required=True, help="How many (N >= 1).")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="Parallel workers on PostgreSQL (default: the number of cores).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add synthetic governments even though the database holds real ones.",
        )

    def handle(self, *args, **options):
        count = options["governments"]
        if count < 1:
            raise CommandError(_("The number of governments must be at least 1."))
        if scale.real_governments().exists() and not options["force"]:
            raise CommandError(
                _(
                    "This database holds real governments; synthetic data would mix with "
                    "them. Use an empty database, or --force if you mean it."
                )
            )
        jobs = options["jobs"] or os.cpu_count() or 1
        if connection.vendor != "postgresql":
            jobs = 1  # SQLite takes one writer at a time
        created = seed(count, options["seed"], jobs=jobs, log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(created)s synthetic governments created; %(total)s in the database.")
                % {"created": created, "total": scale.synthetic_governments().count()}
            )
        )


def seed(count, seed_value, *, jobs=1, log=lambda message: None):
    """Create synthetic governments 1..count that do not exist yet; returns how many.

    With ``jobs`` > 1 the governments are built by that many forked workers,
    each government still in its own transaction.
    """
    existing = set(scale.synthetic_governments().values_list("region_code", flat=True))
    missing = [i for i in range(1, count + 1) if scale.region_code(i) not in existing]
    ensure_role_groups()
    started = time.monotonic()
    if jobs > 1 and len(missing) > 1:
        # Forked children must not share the parent's database connection.
        connections.close_all()
        pool = multiprocessing.get_context("fork").Pool(jobs)
        try:
            built = pool.imap_unordered(_build, [(i, seed_value) for i in missing])
            _report_progress(built, missing, started, log)
        finally:
            pool.terminate()
            pool.join()
    else:
        built = (_build((index, seed_value)) for index in missing)
        _report_progress(built, missing, started, log)
    if missing and connection.vendor == "postgresql":
        # Bulk loads leave the planner's statistics stale; without them
        # PostgreSQL picks sequential scans over hundreds of thousands of rows.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return len(missing)


def _build(arguments):
    index, seed_value = arguments
    scale.GovernmentBuilder(index, seed_value).build()
    return index


def _report_progress(built, missing, started, log):
    for done, index in enumerate(built, start=1):
        elapsed = time.monotonic() - started
        log(
            _("Government %(index)s ready (%(done)s/%(total)s, %(seconds).0f s)")
            % {
                "index": scale.region_code(index),
                "done": done,
                "total": len(missing),
                "seconds": elapsed,
            }
        )
    return len(missing)
