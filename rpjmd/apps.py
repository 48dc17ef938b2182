from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RpjmdConfig(AppConfig):
    """Maintaining the RPJMD plan in the app: editing its tree, indicators and yearly
    targets, and the Excel workbook import and export.

    The plan's models stay in ``programs.models.plan`` (programs link to its
    indicators); this app holds the screens and services that change them.
    """

    name = "rpjmd"
    verbose_name = _("RPJMD maintenance")
