"""The organisation and the accounts in the (superuser-only) admin: read only.

Governments, units, officials and profiles change through ``tracker.services``;
users (their roles, unit, name, email, flags) and groups through the account
pages and ``tracker.accounts``, which check who may, revoke what a change makes
stale (API tokens) and record the actor and a reason. A stock ``UserAdmin``
saved around all of that: a group taken away there left the user's tokens and
sessions as they were, with no history (issue 23). So here users, groups and
two-factor devices are only read; the few actions below call the services.
Users are deactivated, never deleted: a deleted user's name would vanish from
every history row (simple-history then shows "sistem"), signature and report.
"""

from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp import admin as totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker import accounts, services
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


def _run_for_each(model_admin, request, queryset, call):
    """``call(user)`` for each selected user; a refusal is a message, not an error page."""
    done = 0
    for user in queryset:
        try:
            call(user)
        except (ValidationError, PermissionDenied) as error:
            text = "; ".join(getattr(error, "messages", [])) or str(error) or _("Not allowed.")
            model_admin.message_user(request, f"{user}: {text}", messages.ERROR)
            continue
        done += 1
    return done


@admin.register(User)
class UserAdmin(ReadOnlyMixin, auth_admin.UserAdmin):
    """Accounts, read only: created and changed on the account pages (``tracker.accounts``).

    The actions call the services (history with actor and reason); nothing here
    saves a user, their groups or their password, and nobody is deleted.
    """

    actions = ["deactivate", "activate", "reset_two_factor"]

    def _set_active(self, request, queryset, *, active, reason):
        queryset = queryset.exclude(is_active=active)
        if not active and queryset.filter(pk=request.user.pk).exists():
            self.message_user(
                request, _("You cannot deactivate your own account."), messages.WARNING
            )
            queryset = queryset.exclude(pk=request.user.pk)
        return _run_for_each(
            self,
            request,
            queryset,
            lambda user: services.set_user_active(
                user, actor=request.user, active=active, reason=reason
            ),
        )

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

    @admin.action(description=gettext_lazy("Reset two-factor sign-in of the selected users"))
    def reset_two_factor(self, request, queryset):
        reason = _("Reset in the administration site (lost phone).")
        done = _run_for_each(
            self,
            request,
            queryset,
            lambda user: accounts.reset_two_factor(user, actor=request.user, reason=reason),
        )
        if done:
            self.message_user(
                request,
                _(
                    "Two-factor sign-in reset for %(count)d user(s): they set it up again at "
                    "their next login."
                )
                % {"count": done},
                messages.SUCCESS,
            )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ReadOnlyMixin, auth_admin.GroupAdmin):
    """The role groups are defined in code (``tracker.policy.ROLE_GROUPS``); members are
    given and taken on the account pages."""


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(ReadOnlyMixin, totp_admin.TOTPDeviceAdmin):
    """Two-factor devices, read only and without their keys (``OTP_ADMIN_HIDE_SENSITIVE_DATA``).

    A lost phone is reset with the users' action "Reset two-factor sign-in", or
    ``manage.py reset_two_factor`` on the server: both call
    ``tracker.accounts.reset_two_factor``, which records it in the history.
    """
