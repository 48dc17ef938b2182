from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The quarterly commitment report (PDF), its Excel table and public verification."""

    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from reports import checks
        from reports.models import GeneratedReport
        from tracker import policy

        # The seal's certificate is checked at start-up (manage.py check, runserver).
        checks.register()

        # A whole-government report has no unit, so only roles that see the
        # whole government find it; a unit's report is visible to its unit.
        # Nobody changes an issued report: a new generation is a new record.
        policy.register(GeneratedReport, government="government", unit="unit")
