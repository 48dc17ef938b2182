from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Deadline reminders by email, counted in working days."""

    name = "reminders"
    verbose_name = _("Reminders")
