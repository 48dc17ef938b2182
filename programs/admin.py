from django.contrib import admin
from guardian.admin import GuardedModelAdminMixin

from programs.models import (
    AdoptionIndicator,
    AdoptionRealisation,
    Goal,
    Indicator,
    IndicatorRealisation,
    IndicatorTarget,
    Milestone,
    MilestoneProgress,
    Mission,
    Objective,
    Plan,
    PlanProgram,
    Program,
    ProgramBudget,
    ProgressEvidence,
    ProgressReport,
    ReportingPeriod,
)
from tracker.admin_base import HistoryAdmin


@admin.register(Plan)
class PlanAdmin(HistoryAdmin):
    list_display = ["name", "government", "start_year", "end_year"]
    list_filter = ["government"]
    filter_horizontal = ["commitments"]


@admin.register(Mission)
class MissionAdmin(HistoryAdmin):
    list_display = ["plan", "number", "text"]
    list_filter = ["plan"]


@admin.register(Goal)
class GoalAdmin(HistoryAdmin):
    list_display = ["code", "text", "mission"]
    search_fields = ["code", "text"]


@admin.register(Objective)
class ObjectiveAdmin(HistoryAdmin):
    list_display = ["code", "text", "goal"]
    search_fields = ["code", "text"]


@admin.register(PlanProgram)
class PlanProgramAdmin(HistoryAdmin):
    list_display = ["code", "name", "responsible_unit"]
    search_fields = ["code", "name"]
    list_select_related = ["responsible_unit"]


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = ["code", "name", "unit_of_measure", "direction", "responsible_unit", "plan"]
    list_filter = ["plan", "direction", "is_cumulative"]
    search_fields = ["code", "name"]
    list_select_related = ["responsible_unit", "plan"]
    inlines = [IndicatorTargetInline]
    autocomplete_fields = ["goal", "objective", "plan_program", "responsible_unit"]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(HistoryAdmin):
    list_display = ["indicator", "year", "target", "budget"]
    list_filter = ["year"]
    list_select_related = ["indicator"]
    autocomplete_fields = ["indicator"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class BudgetInline(admin.TabularInline):
    model = ProgramBudget
    extra = 0


@admin.register(Program)
class ProgramAdmin(GuardedModelAdminMixin, HistoryAdmin):
    list_display = ["title", "owner_unit", "commitment", "horizon", "start_date", "end_date"]
    list_filter = ["commitment", "horizon", "dimensions"]
    search_fields = ["title"]
    list_select_related = ["owner_unit", "commitment"]
    filter_horizontal = ["dimensions", "indicators", "supporting_units"]
    inlines = [MilestoneInline, BudgetInline]


@admin.register(Milestone)
class MilestoneAdmin(HistoryAdmin):
    list_display = ["title", "program", "planned_start", "planned_finish", "weight"]
    list_select_related = ["program"]
    search_fields = ["title"]


@admin.register(ProgramBudget)
class ProgramBudgetAdmin(HistoryAdmin):
    list_display = ["program", "year", "amount"]
    list_select_related = ["program"]


@admin.register(AdoptionIndicator)
class AdoptionIndicatorAdmin(HistoryAdmin):
    list_display = ["name", "program", "unit_of_measure", "quarterly_target"]
    list_select_related = ["program"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(HistoryAdmin):
    list_display = [
        "__str__",
        "government",
        "submission_deadline",
        "verification_deadline",
        "state",
    ]
    list_filter = ["government", "state", "year"]


class ReadOnlyHistoryAdmin(HistoryAdmin):
    """Reports and their rows change only through the workflow services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MilestoneProgressInline(admin.TabularInline):
    model = MilestoneProgress
    extra = 0
    can_delete = False
    readonly_fields = ["milestone", "percent"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyHistoryAdmin):
    list_display = ["program", "period", "state", "is_late", "submitted_at", "verified_at"]
    list_filter = ["state", "is_late", "period__year", "period__quarter"]
    list_select_related = ["program", "period"]
    inlines = [MilestoneProgressInline]


for _model in (MilestoneProgress, IndicatorRealisation, AdoptionRealisation, ProgressEvidence):
    admin.site.register(_model, ReadOnlyHistoryAdmin)
