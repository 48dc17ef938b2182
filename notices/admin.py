"""Notices in the (superuser-only) admin, read only: they are written by ``notices.services``."""

from django.contrib import admin

from notices.models import Notice
from tracker.admin_base import ReadOnlyMixin


@admin.register(Notice)
class NoticeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "subject", "read_at", "emailed_at"]
    list_select_related = ["user"]
