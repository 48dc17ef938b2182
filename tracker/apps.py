from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    """The shared core: organisation, roles and permission policy, formatting."""

    name = "tracker"
    verbose_name = _("Organisation")

    def ready(self):
        from tracker import policy
        from tracker.models import Government, Official, Unit

        R = policy.Role
        policy.register(Government, government="pk", changed_by={R.ADMINISTRATOR})
        policy.register(Unit, government="government", unit="pk", changed_by={R.ADMINISTRATOR})
        policy.register(
            Official, government="unit__government", unit="unit", changed_by={R.ADMINISTRATOR}
        )
