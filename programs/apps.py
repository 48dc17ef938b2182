from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    """The RPJMD plan now; commitment programs, milestones and progress later."""

    name = "programs"
    verbose_name = _("Plan and programs")

    def ready(self):
        from programs.models import (
            Goal,
            Indicator,
            IndicatorTarget,
            Mission,
            Objective,
            Plan,
            PlanProgram,
        )
        from tracker import policy

        # The RPJMD is a public regulation: every user of the government may
        # read all of it, so no unit path. Bappeda maintains it.
        bappeda = {policy.Role.BAPPEDA}
        for model, path in (
            (Plan, "government"),
            (Mission, "plan__government"),
            (Goal, "mission__plan__government"),
            (Objective, "goal__mission__plan__government"),
            (PlanProgram, "objective__goal__mission__plan__government"),
            (Indicator, "plan__government"),
            (IndicatorTarget, "indicator__plan__government"),
        ):
            policy.register(model, government=path, changed_by=bappeda)
