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

    def ready(self):
        from rpjmd.models import ProgramTarget
        from tracker import policy

        # A program's own targets go with the program: its owner unit's members
        # see them (the supporting units' too, read-only); whoever sets the
        # program up (Bappeda) sets them, as for its budgets.
        program = "program"
        policy.register(
            ProgramTarget,
            government=f"{program}__commitment__government",
            unit=f"{program}__owner_unit",
            seen_by=(f"{program}__supporting_units",),
            changed_by={policy.Role.BAPPEDA},
        )
