"""The plan as the workbook sees it: its nodes by the codes the sheets use, read once.

Used by ``rpjmd.importer`` for the preview (what exists) and while applying
(parents created earlier in the same import are added as they come).
"""

from django.utils.translation import gettext as _

from programs import models
from rpjmd.workbook import GOALS, OBJECTIVES, PLAN_PROGRAMS, Problem
from tracker.models import Unit


class PlanIndex:
    """The plan as stored: its nodes by the codes the workbook uses."""

    def __init__(self, plan, problems):
        self.plan = plan
        self.missions = {m.number: m for m in models.Mission.objects.filter(plan=plan)}
        self.goals = self._by_code(
            models.Goal.objects.filter(mission__plan=plan).select_related("mission"),
            GOALS,
            problems,
        )
        self.objectives = self._by_code(
            models.Objective.objects.filter(goal__mission__plan=plan).select_related("goal"),
            OBJECTIVES,
            problems,
        )
        self.plan_programs = self._by_code(
            models.PlanProgram.objects.filter(objective__goal__mission__plan=plan).select_related(
                "objective", "responsible_unit"
            ),
            PLAN_PROGRAMS,
            problems,
        )
        self.indicators = {
            i.code: i
            for i in models.Indicator.objects.filter(plan=plan).select_related(
                "goal", "objective", "plan_program", "responsible_unit"
            )
        }
        self.targets = {
            (t.indicator.code, t.year): t
            for t in models.IndicatorTarget.objects.filter(indicator__plan=plan).select_related(
                "indicator"
            )
        }
        self.units = {u.code: u for u in Unit.objects.filter(government_id=plan.government_id)}
        # Commitment programs an indicator may name as its designated one.
        self.programs = {
            p.pk: p
            for p in models.Program.objects.filter(
                commitment__government_id=plan.government_id
            ).select_related("commitment")
        }
        self.levels = {
            "goal": self.goals,
            "objective": self.objectives,
            "plan_program": self.plan_programs,
        }

    @staticmethod
    def _by_code(queryset, sheet, problems):
        found = {}
        for node in queryset:
            if node.code in found:
                problems.append(
                    Problem(
                        _(
                            "the plan has two rows with the code %(code)s; give one of them "
                            "another code in the application first"
                        )
                        % {"code": node.code},
                        sheet=sheet.title,
                    )
                )
            found[node.code] = node
        return found


def comparable(value):
    """Text as a workbook gives it back: a browser's CRLF line ends come back as LF,
    and the cell is read without surrounding spaces."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value


def level_of(indicator):
    if indicator.goal_id:
        return "goal", indicator.goal.code
    if indicator.objective_id:
        return "objective", indicator.objective.code
    return "plan_program", indicator.plan_program.code
