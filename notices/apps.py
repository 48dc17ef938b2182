from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Notices to a person: in the app (with an unread count) and by email, at once or
    in a daily digest."""

    name = "notices"
    verbose_name = _("Notices")
