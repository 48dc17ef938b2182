"""API tokens in the (superuser-only) admin: read only. Users create and revoke their
own tokens on /akun/token-api/; nobody else creates, changes or sees a secret."""

from django.contrib import admin

from api.models import ApiToken
from tracker.admin_base import ReadOnlyMixin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    exclude = ["key_hash"]
    list_select_related = ["user"]
