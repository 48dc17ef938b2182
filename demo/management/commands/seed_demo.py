"""``python manage.py seed_demo``: load Kota Cilegon and the demo accounts.

Idempotent: a second run creates nothing. Atomic: a broken data row stops
the command with the file, row and field named, and nothing is written.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from demo.rows import SeedDataError
from demo.seeding import CILEGON_DATA, Seeder
from tracker.models import Government


class Command(BaseCommand):
    help = "Load the Kota Cilegon reference data (units, officials, RPJMD) and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data", default=str(CILEGON_DATA), help="Folder with the CSV files to load."
        )
        parser.add_argument(
            "--allow-demo-accounts",
            action="store_true",
            help="Create the demo accounts even with DEBUG off (never on a real server).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds a government (used by make run).",
        )
        parser.add_argument(
            "--password", default="cilegon2019", help="Password of the demo accounts."
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Government.objects.exists():
            self.stdout.write(_("The database already holds data; nothing was seeded."))
            return
        accounts = settings.DEBUG or options["allow_demo_accounts"]
        seeder = Seeder(options["data"], log=self.stdout.write)
        try:
            with transaction.atomic():
                created = seeder.run(accounts=accounts, password=options["password"])
        except SeedDataError as error:
            raise CommandError(
                _("Nothing was loaded. Fix the data file and run again: %(error)s")
                % {"error": error}
            ) from error
        except FileNotFoundError as error:
            raise CommandError(
                _("Nothing was loaded: %(file)s does not exist.") % {"file": error.filename}
            ) from error
        if created:
            summary = ", ".join(f"{count} {name}" for name, count in created.items())
            self.stdout.write(self.style.SUCCESS(_("Created: %(summary)s.") % {"summary": summary}))
        else:
            self.stdout.write(_("Nothing to do: the demo data is already loaded."))
        if not accounts:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Demo accounts were not created because DEBUG is off. "
                        "Use --allow-demo-accounts only on a machine that is not a real server."
                    )
                )
            )
