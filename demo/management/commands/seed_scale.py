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

    On PostgreSQL the cost of a government stays flat as the database grows
    only with two precautions (measured in issue 27). Each government's COMMIT
    runs its rows' deferred foreign-key checks through plans the connection
    caches for its whole life; planned while the tables were nearly empty
    (or had statistics of one government) they are sequential scans, so the
    COMMIT grew with the tables: ``DISCARD PLANS`` before each government
    replans them at today's size. And the planner statistics are refreshed
    (``ANALYZE``) each time the number of synthetic governments doubles, so
    the queries the seeding itself makes are not planned on the statistics of
    one government.
    """
    existing = set(scale.synthetic_governments().values_list("region_code", flat=True))
    missing = [i for i in range(1, count + 1) if scale.region_code(i) not in existing]
    ensure_role_groups()
    progress = _Progress(len(existing), len(missing), log)
    if jobs > 1 and len(missing) > 1:
        # Forked children must not share the parent's database connection.
        connections.close_all()
        pool = multiprocessing.get_context("fork").Pool(jobs)
        try:
            for index, seconds in pool.imap_unordered(_build, [(i, seed_value) for i in missing]):
                progress.built(index, seconds)
        finally:
            pool.terminate()
            pool.join()
    else:
        for index in missing:
            progress.built(*_build((index, seed_value)))
    if missing:
        _analyze()
        progress.summary()
    return len(missing)


def _analyze():
    # Bulk loads leave the planner's statistics stale (and autovacuum may be
    # off or late); without them PostgreSQL picks sequential scans over
    # hundreds of thousands of rows.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _build(arguments):
    """Build one government; returns its index and the seconds it took (COMMIT included)."""
    index, seed_value = arguments
    started = time.monotonic()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DISCARD PLANS")
    scale.GovernmentBuilder(index, seed_value).build()
    return index, time.monotonic() - started


class _Progress:
    """Prints each government as it is ready, and the cost per government at the
    start and the end of the run (the figure that must stay flat); runs ANALYZE
    each time the synthetic governments in the database double."""

    SAMPLE = 10  # governments averaged for the first and the last cost

    def __init__(self, existing, total, log):
        self.existing, self.total, self.log = existing, total, log
        self.started = time.monotonic()
        self.seconds = []

    def built(self, index, seconds):
        self.seconds.append(seconds)
        done = len(self.seconds)
        self.log(
            _(
                "Government %(index)s ready (%(done)s/%(total)s, %(seconds).0f s; "
                "this one %(own).1f s)"
            )
            % {
                "index": scale.region_code(index),
                "done": done,
                "total": self.total,
                "seconds": time.monotonic() - self.started,
                "own": seconds,
            }
        )
        in_database = self.existing + done
        if done < self.total and in_database & (in_database - 1) == 0:  # a power of two
            _analyze()

    def summary(self):
        sample = min(self.SAMPLE, len(self.seconds))
        elapsed = time.monotonic() - self.started
        self.log(
            _(
                "Governments seeded: %(count)s in %(elapsed).0f s (%(rate).1f s each); "
                "seconds per government: %(first).1f over the first %(sample)s, "
                "%(last).1f over the last %(sample)s."
            )
            % {
                "count": len(self.seconds),
                "elapsed": elapsed,
                "rate": elapsed / len(self.seconds),
                "first": sum(self.seconds[:sample]) / sample,
                "last": sum(self.seconds[-sample:]) / sample,
                "sample": sample,
            }
        )
