"""The navigation, which depends on the user's role."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tracker import policy


def navigation(request):
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": [], "user_role": policy.Role.NONE}
    role = policy.role_of(user)
    items = [(reverse("home"), _("Home"))]
    if role in (policy.Role.UNIT_HEAD, policy.Role.UNIT_OPERATOR):
        items.append((reverse("my-tasks"), _("My tasks")))
    if role in (
        policy.Role.SUPERUSER,
        policy.Role.BAPPEDA,
        policy.Role.PIMPINAN,
        policy.Role.ASDA,
        policy.Role.ADMINISTRATOR,
    ):
        items.append((reverse("dashboard"), _("Dashboard")))
    if role in (policy.Role.SUPERUSER, policy.Role.BAPPEDA):
        items.append((reverse("verification-queue"), _("Verification")))
        items.append((reverse("period-list"), _("Periods")))
    if role != policy.Role.NONE:
        items.append((reverse("program-list"), _("Programs")))
        items.append((reverse("commitment-list"), _("Commitments")))
        if role in (policy.Role.SUPERUSER, policy.Role.BAPPEDA, policy.Role.ADMINISTRATOR):
            # Where commitments are set up: the schemes their programs are grouped by.
            items.append((reverse("scheme-list"), _("Classification schemes")))
        items.append((reverse("report-list"), _("Reports")))
        items.append((reverse("plan-list"), _("RPJMD")))
        items.append(
            (
                reverse("unit-list"),
                _("My unit") if role in policy.UNIT_ROLES else _("Units"),
            )
        )
        items.append((reverse("official-list"), _("Officials")))
    if role in (policy.Role.SUPERUSER, policy.Role.ADMINISTRATOR):
        items.append((reverse("user-list"), _("Users")))
        # Everyone of the government may read the leave days; the Administrator keeps them.
        items.append((reverse("leave-day-list"), _("Leave days")))
        items.append((reverse("transparency-settings"), _("Public page")))
    if role in (policy.Role.SUPERUSER, policy.Role.BAPPEDA):
        items.append((reverse("transparency-reports"), _("Reports on the public page")))
    if user.is_superuser:
        items.append((reverse("admin:index"), _("Administration")))
    return {"nav_items": items, "user_role": role}
