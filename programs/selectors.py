"""Reads on the RPJMD plan, through the permission policy."""

from django.db.models import Prefetch

from programs.models import Goal, Indicator, Mission, Objective, Plan, PlanProgram
from tracker import policy


def plans_visible_to(user):
    """RPJMD plans the user may see, newest first."""
    return policy.visible(user, Plan.objects.select_related("government")).order_by(
        "government__name", "-start_year"
    )


def indicators_visible_to(user):
    """Indicators the user may see, with their plan, responsible unit and targets."""
    return policy.visible(
        user,
        Indicator.objects.select_related(
            "plan", "plan__government", "responsible_unit", "goal", "objective", "plan_program"
        ).prefetch_related("targets"),
    )


def plan_tree(plan):
    """The plan's missions with goals, objectives, programs, indicators and targets.

    A fixed number of queries whatever the size of the plan.
    """
    indicators = Indicator.objects.select_related("responsible_unit").prefetch_related("targets")
    return (
        Mission.objects.filter(plan=plan)
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.order_by("code").prefetch_related(
                    Prefetch("indicators", queryset=indicators),
                    Prefetch(
                        "objectives",
                        queryset=Objective.objects.order_by("code").prefetch_related(
                            Prefetch("indicators", queryset=indicators),
                            Prefetch(
                                "plan_programs",
                                queryset=PlanProgram.objects.order_by("code")
                                .select_related("responsible_unit")
                                .prefetch_related(Prefetch("indicators", queryset=indicators)),
                            ),
                        ),
                    ),
                ),
            )
        )
    )
