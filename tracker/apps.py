from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    """The shared core: organisation, roles and permission policy, formatting."""

    name = "tracker"
    verbose_name = _("Organisation")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete

        from tracker import policy
        from tracker.models import Government, LeaveDay, Official, Unit

        # Users are deactivated, never deleted: history keeps who acted (its
        # history_user would otherwise become "the system"). This guards every
        # path, the admin, the shell and code alike.
        pre_delete.connect(
            refuse_user_deletion, sender=get_user_model(), dispatch_uid="refuse_user_deletion"
        )

        R = policy.Role
        policy.register(Government, government="pk", changed_by={R.ADMINISTRATOR})
        policy.register(Unit, government="government", unit="pk", changed_by={R.ADMINISTRATOR})
        policy.register(
            Official, government="unit__government", unit="unit", changed_by={R.ADMINISTRATOR}
        )

        # Every history row bumps its government's data version (cached reads).
        from tracker import data_version

        data_version.install()

        # The data versions live in the database: each request reads them once,
        # and each migrate (a deployment, a restore) starts a new epoch.
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_migrate

        request_started.connect(data_version.start_request, dispatch_uid="data_version_start")
        request_finished.connect(data_version.end_request, dispatch_uid="data_version_end")
        post_migrate.connect(data_version.new_epoch, sender=self, dispatch_uid="data_version_epoch")

        # Deploy checks: what a cache per process costs (tracker/checks.py).
        from tracker import checks

        checks.register()
        policy.register(LeaveDay, government="government", changed_by={R.ADMINISTRATOR})


def refuse_user_deletion(sender, instance, **kwargs):
    """Stop the deletion of a user; deactivate them instead (``tracker.services``)."""
    from django.db.models import ProtectedError

    raise ProtectedError(
        _("Users are deactivated, never deleted, so the history keeps who acted."), {instance}
    )
