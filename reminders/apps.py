from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Deadline reminders by email, counted in working days."""

    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        from reminders.models import DeadlineExtension
        from tracker import policy

        # Extensions are the government's calendar, like its periods: everyone in
        # it reads them; Bappeda and the Administrator grant them.
        policy.register(
            DeadlineExtension,
            government="period__government",
            changed_by={policy.Role.BAPPEDA, policy.Role.ADMINISTRATOR},
        )
