"""The Django admin, open to superusers only.

The stock admin does not scope records by government, so letting a
government's staff into it would show them other governments' data. Staff
work through the app's own pages, which go through the permission policy.

Even for superusers the admin is a reader of the domain models
(``tracker.admin_base``): they change through the services, and issued
reports, signatures, history and users are never deleted here.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class TrackerAdminSite(admin.AdminSite):
    site_header = _("Commitment monitoring: administration")
    site_title = _("Commitment monitoring")

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class TrackerAdminConfig(AdminConfig):
    default_site = "tracker.admin_site.TrackerAdminSite"
