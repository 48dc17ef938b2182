"""ModelAdmin bases for the domain models: the admin reads them, it never writes them.

Domain records change only through the apps' services, which validate, keep
the workflow's rules and record history with the actor and a reason (see
STYLE.md, "The admin is a reader, or a caller of services"). A stock
``ModelAdmin`` would save, and delete, around all of that: it changed a
signed commitment's title and deleted an issued report (issue 11, point 4).
So every domain model's admin is view only: no add, change or delete, hence
no "delete selected" action either, and simple-history's "revert to this
version" is refused too.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyMixin:
    """No add, change or delete: a superuser may look, not write.

    ``obj=None`` on the add check fits both ``ModelAdmin`` and inlines.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """A domain model in the admin: its records and their history, read only."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history lets anyone who may *view* the history POST an old
        # version back ("revert"), a save that bypasses the services.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    """Related rows shown under their parent, read only."""

    extra = 0
    can_delete = False
