from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from api import token_services
        from tracker import services

        # A change of a user's roles or unit revokes their tokens (recorded by the core).
        services.on_access_change(token_services.revoke_after_access_change)
