from django.contrib import admin

from programs.models import Goal, Indicator, IndicatorTarget, Mission, Objective, Plan, PlanProgram
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
