"""``python manage.py bench``: the scale benchmark (``demo/bench.py``); ``make bench`` runs it."""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from demo import bench, scale
from demo.management.commands.seed_scale import seed


class Command(BaseCommand):
    help = "Measure pages, report, writes and load at S and L synthetic governments."

    def add_arguments(self, parser):
        parser.add_argument("--small", type=int, default=1, help="S: governments (default 1).")
        parser.add_argument("--large", type=int, default=100, help="L: governments (default 100).")
        parser.add_argument("--requests", type=int, default=30, help="Timed requests per page.")
        parser.add_argument("--load-users", type=int, default=20)
        parser.add_argument("--load-seconds", type=int, default=30, help="0 skips the load run.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--report-workers",
            type=int,
            default=2,
            help="Celery worker processes for the national report day (default 2).",
        )
        parser.add_argument("--jobs", type=int, default=None, help="Seeding workers.")
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "var" / "bench.json"))
        parser.add_argument(
            "--force", action="store_true", help="Run even though real governments are present."
        )
        parser.add_argument(
            "--recreate-database",
            action="store_true",
            help="Drop and create the PostgreSQL database first, then migrate (make bench).",
        )
        parser.add_argument("--render-only", choices=["pdf", "excel"], help="(internal)")
        parser.add_argument(
            "--report-in-process",
            action="store_true",
            help="Time the report in this process (for the smoke test's test database).",
        )

    def handle(self, *args, **options):
        if options["render_only"]:
            self.stdout.write(json.dumps(bench.render_once(options["render_only"])))
            return
        if options["recreate_database"]:
            _recreate_database()
            call_command("migrate", verbosity=0)
            call_command("collectstatic", interactive=False, verbosity=0)
        small, large = options["small"], options["large"]
        if not 1 <= small <= large:
            raise CommandError(_("Sizes must satisfy 1 <= S <= L."))
        if scale.real_governments().exists() and not options["force"]:
            raise CommandError(
                _("This database holds real governments; run the benchmark on its own database.")
            )
        if scale.synthetic_governments().count() > small:
            raise CommandError(
                _(
                    "The database already holds more than %(small)s synthetic governments, so "
                    "it cannot be measured at S; start from an empty database (make bench does)."
                )
                % {"small": small}
            )
        machine = bench.machine()
        results = []
        for size in (small, large) if large != small else (small,):
            seed(size, options["seed"], jobs=_jobs(options), log=self.stdout.write)
            # Seeding writes in bulk, past the services: start from an empty cache.
            cache.clear()
            self.stdout.write(_("Measuring at %(size)s governments…") % {"size": size})
            results.append(
                bench.run_size(
                    size,
                    requests=options["requests"],
                    load_users=options["load_users"],
                    load_seconds=options["load_seconds"],
                    report_in_process=options["report_in_process"],
                    workers=options["report_workers"],
                )
            )
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps({"machine": machine, "sizes": results}, indent=2))
        self.stdout.write(bench.table(machine, results))
        self.stdout.write(_("Written to %(path)s") % {"path": output})


def _recreate_database():
    """A fresh, empty benchmark database, so S really is S."""
    if connection.vendor != "postgresql":
        raise CommandError(_("--recreate-database works on PostgreSQL only."))
    import psycopg

    params = connection.get_connection_params()
    name = connection.settings_dict["NAME"]
    connection.close()
    maintenance = {**params, "dbname": "postgres"}
    with psycopg.connect(**maintenance, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def _jobs(options):
    if connection.vendor != "postgresql":
        return 1
    return options["jobs"] or os.cpu_count() or 1
