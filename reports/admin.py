"""Issued reports in the (superuser-only) admin: read only.

An issued report never changes and is never deleted: its code is printed on
the paper, and the public verification page must keep answering for it.
"""

from django.contrib import admin

from reports.models import GeneratedReport
from tracker.admin_base import HistoryAdmin


@admin.register(GeneratedReport)
class GeneratedReportAdmin(HistoryAdmin):
    list_display = ["code", "title", "government", "generated_at", "generated_by", "source"]
    list_filter = ["government", "source", "year", "quarter"]
    search_fields = ["code", "title", "sha256"]
