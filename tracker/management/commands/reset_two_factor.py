"""``python manage.py reset_two_factor <username> --reason "..."``: a lost phone.

Removes the user's two-factor devices through ``tracker.accounts.reset_two_factor``
(history with the reason; the command line is the actor), so at their next login
they set up a new one. For when no superuser can sign in to the admin, whose
user list has the same action.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tracker import accounts


class Command(BaseCommand):
    help = "Reset a user's two-factor sign-in (a lost phone); recorded in the history."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="Why, kept in the history.")

    def handle(self, *args, username, reason, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user named %(username)s.") % {"username": username})
        try:
            count = accounts.reset_two_factor(user, actor=None, reason=reason)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            _("Two-factor sign-in of %(username)s reset (%(count)d device(s) removed).")
            % {"username": username, "count": count}
        )
