"""The public page settings and published reports in the (superuser-only) admin: read only."""

from django.contrib import admin

from tracker.admin_base import HistoryAdmin
from transparency.models import PublicPage, PublishedReport


@admin.register(PublicPage)
class PublicPageAdmin(HistoryAdmin):
    list_display = ["government", "is_published", "published_at"]
    list_filter = ["is_published"]


@admin.register(PublishedReport)
class PublishedReportAdmin(HistoryAdmin):
    list_display = ["report", "published_at"]
    search_fields = ["report__code", "report__title"]
