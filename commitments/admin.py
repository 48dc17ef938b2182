"""Commitments in the (superuser-only) admin: read-mostly.

Signatures are never edited, so the admin shows them read-only; records and
revocations go through the app's pages and services.
"""

from django.contrib import admin

from commitments.models import Commitment, CommitmentPoint, Signatory, Signature, SigningEvent
from tracker.admin_base import HistoryAdmin


class PointInline(admin.TabularInline):
    model = CommitmentPoint
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(HistoryAdmin):
    list_display = ["title", "government", "date", "state"]
    list_filter = ["government", "state"]
    search_fields = ["title", "document_number"]
    readonly_fields = ["state", "scan_sha256"]
    inlines = [PointInline]


@admin.register(CommitmentPoint)
class CommitmentPointAdmin(HistoryAdmin):
    list_display = ["commitment", "number", "text"]
    list_filter = ["commitment"]
    list_select_related = ["commitment"]


@admin.register(Signatory)
class SignatoryAdmin(HistoryAdmin):
    list_display = ["commitment", "unit"]
    list_filter = ["commitment"]
    list_select_related = ["commitment", "unit"]


class ReadOnlyAdmin(HistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["official_name", "unit", "commitment", "signed_at", "revoked_at"]
    list_filter = ["commitment", "method"]
    list_select_related = ["unit", "commitment"]


@admin.register(SigningEvent)
class SigningEventAdmin(ReadOnlyAdmin):
    list_display = ["commitment", "signed_at", "place", "recorded_by"]
    list_select_related = ["commitment", "recorded_by"]
