"""The organisation and the accounts in the (superuser-only) admin.

Governments, units, officials and profiles are read only here: they change
through ``tracker.services``. Users are deactivated, never deleted: a deleted
user's name would vanish from every history row (simple-history then shows
"sistem"), signature and report they made.
"""

from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker import services
from tracker.admin_base import HistoryAdmin, ReadOnlyMixin
from tracker.models import Government, Official, Profile, Unit

User = get_user_model()


@admin.register(Government)
class GovernmentAdmin(HistoryAdmin):
    list_display = ["name", "kind", "region_code"]
    search_fields = ["name", "region_code"]


@admin.register(Unit)
class UnitAdmin(HistoryAdmin):
    list_display = [
        "name",
        "abbreviation",
        "code",
        "kind",
        "government",
        "coordinator",
        "is_active",
    ]
    list_filter = ["government", "kind", "is_active"]
    search_fields = ["name", "abbreviation", "code"]
    list_select_related = ["government", "coordinator"]


@admin.register(Official)
class OfficialAdmin(HistoryAdmin):
    list_display = ["name", "position", "unit", "is_head", "start_date", "end_date"]
    list_filter = ["unit__government", "is_head"]
    search_fields = ["name", "nip", "position"]
    list_select_related = ["unit"]


@admin.register(Profile)
class ProfileAdmin(HistoryAdmin):
    list_display = ["user", "government", "unit", "is_unit_head"]
    list_filter = ["government"]
    list_select_related = ["user", "government", "unit"]
    search_fields = ["user__username"]


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    """Accounts: created and edited here, (de)activated by an action that calls
    the service (history with actor and reason), never deleted."""

    actions = ["deactivate", "activate"]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # The active flag changes only through the actions below (a service).
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "is_active"] if obj is not None else readonly

    def _set_active(self, request, queryset, *, active, reason):
        done = 0
        for user in queryset.exclude(is_active=active):
            if user.pk == request.user.pk:
                self.message_user(
                    request, _("You cannot deactivate your own account."), messages.WARNING
                )
                continue
            try:
                services.set_user_active(user, actor=request.user, active=active, reason=reason)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
                continue
            done += 1
        return done

    @admin.action(description=gettext_lazy("Deactivate the selected users"))
    def deactivate(self, request, queryset):
        reason = _("Deactivated in the administration site.")
        done = self._set_active(request, queryset, active=False, reason=reason)
        if done:
            self.message_user(
                request, _("Users deactivated: %(count)d.") % {"count": done}, messages.SUCCESS
            )

    @admin.action(description=gettext_lazy("Activate the selected users"))
    def activate(self, request, queryset):
        reason = _("Activated in the administration site.")
        done = self._set_active(request, queryset, active=True, reason=reason)
        if done:
            self.message_user(
                request, _("Users activated: %(count)d.") % {"count": done}, messages.SUCCESS
            )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ReadOnlyMixin, auth_admin.GroupAdmin):
    """The role groups are defined in code (``tracker.policy.ROLE_GROUPS``)."""
