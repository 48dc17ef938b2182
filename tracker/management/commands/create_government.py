"""``python manage.py create_government``: start a new government and invite its first
Administrator.

    manage.py create_government --code 36.73 --name "Pemerintah Kota Serang" \\
        --kind kota --place Serang --admin-username pengelola.serang \\
        --admin-email pengelola@serangkota.go.id --admin-name "Nama Lengkap"

Creates the government, the role groups and the Administrator (no unit), and
emails the Administrator a link to set a password; the link is printed too, for
when the email backend is the console or the mail does not arrive. A code that
exists already is refused and nothing is created (one transaction, through
``tracker.services.start_government``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tracker import services
from tracker.models import Government


class Command(BaseCommand):
    help = "Start a new government (Pemda) and invite its first Administrator by email."

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="Kemendagri region code, e.g. 36.73.")
        parser.add_argument("--name", required=True, help='e.g. "Pemerintah Kota Serang".')
        parser.add_argument(
            "--kind", required=True, choices=[kind for kind, _label in Government.Kind.choices]
        )
        parser.add_argument(
            "--place", required=True, help="Written before the date in signature blocks."
        )
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", required=True, help="The Administrator's full name.")
        parser.add_argument(
            "--site-url",
            default=settings.SITE_URL,
            help="The address people reach the system at, for the link (default: SITE_URL).",
        )
        parser.add_argument("--reason", default="", help="Kept in the history, e.g. a decree.")

    def handle(self, *args, **options):
        try:
            invitation = services.start_government(
                actor=None,
                region_code=options["code"],
                name=options["name"],
                kind=options["kind"],
                place_name=options["place"],
                admin_username=options["admin_username"],
                admin_email=options["admin_email"],
                admin_full_name=options["admin_name"],
                request_or_site_url=options["site_url"],
                reason=options["reason"] or _("Started with manage.py create_government."),
            )
        except ValidationError as error:
            raise CommandError(
                _("Nothing was created. %(errors)s") % {"errors": _text(error)}
            ) from error
        user = invitation.user
        self.stdout.write(
            self.style.SUCCESS(
                _("Created %(government)s (%(code)s) and its Administrator %(user)s.")
                % {
                    "government": user.profile.government.name,
                    "code": user.profile.government.region_code,
                    "user": user.username,
                }
            )
        )
        if invitation.sent:
            self.stdout.write(_("The invitation was emailed to %(email)s.") % {"email": user.email})
        else:
            self.stdout.write(
                self.style.WARNING(
                    _("The invitation email to %(email)s could not be sent.")
                    % {"email": user.email}
                )
            )
        self.stdout.write(_("Link to set the password (give it to the Administrator only):"))
        self.stdout.write(invitation.link)


def _text(error):
    """A ValidationError as one line: "field: message; ..."."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
