from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Background jobs (quarterly PDFs, Excel exports) and their progress pages."""

    name = "jobs"
    verbose_name = _("Background jobs")
