from django.contrib import admin
from guardian.admin import GuardedModelAdminMixin

from tracker.admin_base import HistoryAdmin
from tracker.models import Government, Official, Profile, Unit


@admin.register(Government)
class GovernmentAdmin(HistoryAdmin):
    list_display = ["name", "kind", "region_code"]
    search_fields = ["name", "region_code"]


@admin.register(Unit)
class UnitAdmin(GuardedModelAdminMixin, HistoryAdmin):
    list_display = [
        "name",
        "abbreviation",
        "code",
        "kind",
        "government",
        "coordinator",
        "is_active",
    ]
    list_filter = ["government", "kind", "is_active"]
    search_fields = ["name", "abbreviation", "code"]
    list_select_related = ["government", "coordinator"]
    autocomplete_fields = ["coordinator", "parent"]


@admin.register(Official)
class OfficialAdmin(HistoryAdmin):
    list_display = ["name", "position", "unit", "is_head", "start_date", "end_date"]
    list_filter = ["unit__government", "is_head"]
    search_fields = ["name", "nip", "position"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


@admin.register(Profile)
class ProfileAdmin(HistoryAdmin):
    list_display = ["user", "government", "unit", "is_unit_head"]
    list_filter = ["government"]
    list_select_related = ["user", "government", "unit"]
    autocomplete_fields = ["unit"]
    search_fields = ["user__username"]
