"""``python manage.py quarterly_report --year 2020 --quarter 3 --output laporan.pdf``.

Issues the quarterly commitment report as a PDF, stores it (with its SHA-256
and verification code) like a report issued from the web, and writes a copy
to ``--output``. Bad parameters stop it with a message and nothing written.
"""

import datetime
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports import services
from reports.models import GeneratedReport


class Command(BaseCommand):
    help = (
        "Issue the quarterly joint commitment monitoring report (PDF) and store it: of one "
        "commitment (--commitment) or of all the government's."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, help="1-4 (triwulan).")
        parser.add_argument("--output", required=True, help="Where to write the PDF.")
        parser.add_argument("--unit", help="Code of one unit, for that unit's report.")
        parser.add_argument(
            "--commitment",
            type=int,
            action="append",
            help="Commitment id (repeatable): the report covers only its programs and is "
            "named by its title. Default: every open or closed commitment of the government "
            "that has programs in the report.",
        )
        parser.add_argument(
            "--government", help="Region code (e.g. 36.72). Default: the only government."
        )
        parser.add_argument(
            "--as-user", help="Username: the report holds only what this user may see."
        )
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="Date above the signatures (YYYY-MM-DD), not before the last verification "
            "the report counts. Default: the day after the verification deadline, or that "
            "last verification if later (never after today).",
        )
        parser.add_argument(
            "--site-url", help="Address printed for verification. Default: settings.SITE_URL."
        )

    def handle(self, *args, **options):
        output = Path(options["output"])
        _check_writable(output)
        user = None
        if options["as_user"]:
            user = get_user_model().objects.filter(username=options["as_user"]).first()
            if user is None:
                raise CommandError(_("There is no user “%(name)s”.") % {"name": options["as_user"]})
        try:
            request = services.resolve_request(
                year=options["year"],
                quarter=options["quarter"],
                government_code=options["government"],
                unit_code=options["unit"],
                commitment_ids=options["commitment"],
                user=user,
                report_date=options["date"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        try:
            report = services.issue_report(
                request,
                actor=user,
                source=GeneratedReport.Source.COMMAND,
                base_url=options["site_url"],
                write_to=output,
            )
        except OSError as error:
            raise CommandError(
                _("Nothing was issued: %(path)s could not be written (%(error)s).")
                % {"path": output, "error": error.strerror or error}
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Wrote %(path)s (%(size)s bytes). Verification code %(code)s, SHA-256 %(sha)s.")
                % {
                    "path": output,
                    "size": report.size,
                    "code": report.code,
                    "sha": report.sha256,
                }
            )
        )
        if report.is_provisional:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Provisional, not the final report: %(period)s is not locked "
                        "yet, so its figures may still change. Every page is stamped SEMENTARA."
                    )
                    % {"period": request.period}
                )
            )
        else:
            self.stdout.write(_("Final report: %(period)s is locked.") % {"period": request.period})


def _check_writable(path):
    """Refuse before any work if the output cannot be written."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise CommandError(_("%(path)s is a folder; give a file name.") % {"path": path})
    if not folder.is_dir():
        raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": folder})
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CommandError(_("%(path)s cannot be written here.") % {"path": path})
