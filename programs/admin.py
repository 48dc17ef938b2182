"""Plans, classification schemes, programs and reports in the (superuser-only) admin: read only.

They change through the app's pages and ``programs.services`` (reports through
the workflow, owners through ``assign_owner``, stopping or cancelling a program
through ``program_services.set_program_state``), never here.
"""

from django.contrib import admin

from programs import models
from tracker.admin_base import HistoryAdmin, ReadOnlyTabularInline


class CategoryInline(ReadOnlyTabularInline):
    model = models.Category


@admin.register(models.ClassificationScheme)
class ClassificationSchemeAdmin(HistoryAdmin):
    list_display = ["name", "government", "categories_required"]
    list_filter = ["government", "categories_required"]
    search_fields = ["name"]
    inlines = [CategoryInline]


@admin.register(models.Category)
class CategoryAdmin(HistoryAdmin):
    list_display = ["code", "name", "scheme", "order"]
    list_filter = ["scheme"]
    list_select_related = ["scheme"]
    search_fields = ["code", "name"]


@admin.register(models.Plan)
class PlanAdmin(HistoryAdmin):
    list_display = ["name", "government", "start_year", "end_year"]
    list_filter = ["government"]


@admin.register(models.Mission)
class MissionAdmin(HistoryAdmin):
    list_display = ["plan", "number", "text"]
    list_filter = ["plan"]


@admin.register(models.Goal)
class GoalAdmin(HistoryAdmin):
    list_display = ["code", "text", "mission"]
    search_fields = ["code", "text"]


@admin.register(models.Objective)
class ObjectiveAdmin(HistoryAdmin):
    list_display = ["code", "text", "goal"]
    search_fields = ["code", "text"]


@admin.register(models.PlanProgram)
class PlanProgramAdmin(HistoryAdmin):
    list_display = ["code", "name", "responsible_unit"]
    search_fields = ["code", "name"]
    list_select_related = ["responsible_unit"]


class IndicatorTargetInline(ReadOnlyTabularInline):
    model = models.IndicatorTarget


@admin.register(models.Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = ["code", "name", "unit_of_measure", "direction", "responsible_unit", "plan"]
    list_filter = ["plan", "direction", "is_cumulative"]
    search_fields = ["code", "name"]
    list_select_related = ["responsible_unit", "plan"]
    inlines = [IndicatorTargetInline]


@admin.register(models.IndicatorTarget)
class IndicatorTargetAdmin(HistoryAdmin):
    list_display = ["indicator", "year", "target", "budget"]
    list_filter = ["year"]
    list_select_related = ["indicator"]


class MilestoneInline(ReadOnlyTabularInline):
    model = models.Milestone


class BudgetInline(ReadOnlyTabularInline):
    model = models.ProgramBudget


@admin.register(models.Program)
class ProgramAdmin(HistoryAdmin):
    list_display = [
        "title",
        "owner_unit",
        "commitment",
        "horizon",
        "start_date",
        "end_date",
        "state",
    ]
    list_filter = ["commitment", "horizon", "categories", "state"]
    search_fields = ["title"]
    list_select_related = ["owner_unit", "commitment"]
    inlines = [MilestoneInline, BudgetInline]


@admin.register(models.Milestone)
class MilestoneAdmin(HistoryAdmin):
    list_display = ["title", "program", "order", "planned_start", "planned_finish", "weight"]
    list_select_related = ["program"]
    search_fields = ["title"]


@admin.register(models.ProgramBudget)
class ProgramBudgetAdmin(HistoryAdmin):
    list_display = ["program", "year", "amount"]
    list_select_related = ["program"]


@admin.register(models.AdoptionIndicator)
class AdoptionIndicatorAdmin(HistoryAdmin):
    list_display = ["name", "program", "unit_of_measure", "quarterly_target"]
    list_select_related = ["program"]


@admin.register(models.ReportingPeriod)
class ReportingPeriodAdmin(HistoryAdmin):
    list_display = [
        "__str__",
        "government",
        "submission_deadline",
        "verification_deadline",
        "state",
    ]
    list_filter = ["government", "state", "year"]


class MilestoneProgressInline(ReadOnlyTabularInline):
    model = models.MilestoneProgress


@admin.register(models.ProgressReport)
class ProgressReportAdmin(HistoryAdmin):
    list_display = ["program", "period", "state", "is_late", "submitted_at", "verified_at"]
    list_filter = ["state", "is_late", "period__year", "period__quarter"]
    list_select_related = ["program", "period"]
    inlines = [MilestoneProgressInline]


for _model in (
    models.MilestoneProgress,
    models.IndicatorRealisation,
    models.AdoptionRealisation,
    models.ProgressEvidence,
    models.PendingEvidence,
):
    admin.site.register(_model, HistoryAdmin)
