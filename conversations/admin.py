"""Messages in the (superuser-only) admin, read only: they are posted through
``conversations.services``."""

from django.contrib import admin

from conversations.models import Message
from tracker.admin_base import HistoryAdmin


@admin.register(Message)
class MessageAdmin(HistoryAdmin):
    list_display = ["created_at", "report", "side", "author"]
    list_filter = ["side"]
    date_hierarchy = "created_at"
    list_select_related = ["report__program", "report__period", "author"]
    search_fields = ["body"]
