"""Leave days, deadline extensions and sent reminders in the (superuser-only) admin, read
only: leave days change through ``reminders.calendar_services``, extensions through
``reminders.deadline_services``; reminders are written by the job."""

from django.contrib import admin

from reminders.models import DeadlineExtension, ReminderSent
from tracker.admin_base import HistoryAdmin, ReadOnlyMixin
from tracker.models import LeaveDay


@admin.register(LeaveDay)
class LeaveDayAdmin(HistoryAdmin):
    list_display = ["date", "name", "government"]
    list_filter = ["government"]
    date_hierarchy = "date"
    list_select_related = ["government"]


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["sent_at", "user", "period", "step"]
    list_filter = ["step"]
    list_select_related = ["user", "period", "period__government"]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(HistoryAdmin):
    list_display = ["period", "unit", "submission_deadline", "verification_deadline", "reason"]
    list_filter = ["period__government"]
    list_select_related = ["period", "period__government", "unit"]
