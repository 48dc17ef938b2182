from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    """A conversation on each progress report, between its unit and Bappeda."""

    name = "conversations"
    verbose_name = _("Conversations")

    def ready(self):
        from conversations.models import Message
        from tracker import policy

        # A message is seen by whoever sees its report (the report's unit, its
        # supporting units, the whole-government roles). Nobody changes one:
        # messages are only posted, through conversations.services.
        program = "report__program"
        policy.register(
            Message,
            government=f"{program}__commitment__government",
            unit=f"{program}__owner_unit",
            seen_by=(f"{program}__supporting_units",),
        )
