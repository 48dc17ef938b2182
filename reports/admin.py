"""Issued reports in the (superuser-only) admin: read-only, since an issued report never changes."""

from django.contrib import admin

from reports.models import GeneratedReport
from tracker.admin_base import HistoryAdmin


@admin.register(GeneratedReport)
class GeneratedReportAdmin(HistoryAdmin):
    list_display = ["code", "title", "government", "generated_at", "generated_by", "source"]
    list_filter = ["government", "source", "year", "quarter"]
    search_fields = ["code", "title", "sha256"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
