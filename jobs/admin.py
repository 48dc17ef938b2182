"""Background jobs in the (superuser-only) admin: read only, like every record."""

from django.contrib import admin

from jobs.models import Job
from tracker.admin_base import ReadOnlyMixin


@admin.register(Job)
class JobAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["id", "kind", "title", "government", "requested_by", "state", "created_at"]
    list_filter = ["kind", "state", "government"]
    search_fields = ["title"]
