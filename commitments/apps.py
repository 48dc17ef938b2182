from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    """Joint commitments (Komitmen Bersama) and their signatures: a later issue."""

    name = "commitments"
    verbose_name = _("Commitments")
