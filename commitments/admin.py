"""Commitments in the (superuser-only) admin: read only.

Commitments, their points and signatories change through the app's pages and
``commitments.services`` (which keep a signed commitment's text fixed and
record who acted and why); signatures are never edited nor deleted.
"""

from django.contrib import admin

from commitments.models import Commitment, CommitmentPoint, Signatory, Signature, SigningEvent
from tracker.admin_base import HistoryAdmin, ReadOnlyTabularInline


class PointInline(ReadOnlyTabularInline):
    model = CommitmentPoint


@admin.register(Commitment)
class CommitmentAdmin(HistoryAdmin):
    list_display = ["title", "government", "date", "state"]
    list_filter = ["government", "state"]
    search_fields = ["title", "document_number"]
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


@admin.register(Signature)
class SignatureAdmin(HistoryAdmin):
    list_display = ["official_name", "unit", "commitment", "signed_at", "revoked_at"]
    list_filter = ["commitment", "method"]
    list_select_related = ["unit", "commitment"]


@admin.register(SigningEvent)
class SigningEventAdmin(HistoryAdmin):
    list_display = ["commitment", "signed_at", "place", "recorded_by"]
    list_select_related = ["commitment", "recorded_by"]
