from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo and reference data: the Kota Cilegon seed (``seed_demo``)."""

    name = "demo"
    verbose_name = _("Demo data")
