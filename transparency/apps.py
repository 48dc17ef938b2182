from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    """The public transparency page of each government, and its open data."""

    name = "transparency"
    verbose_name = _("Public transparency page")

    def ready(self):
        from tracker import policy
        from transparency.models import PublicPage, PublishedReport

        R = policy.Role
        # Publishing the page is the Administrator's decision (system settings);
        # which reports go on it is Bappeda's, who issues them.
        policy.register(PublicPage, government="government", changed_by={R.ADMINISTRATOR})
        # Seen like the report itself: a unit's report by its unit too.
        policy.register(
            PublishedReport,
            government="report__government",
            unit="report__unit",
            changed_by={R.BAPPEDA},
        )
