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

        # Cached per user: whose government a user is in, and whether they use a
        # one-time-code device. Saving or deleting the record drops the entry.
        from django.db.models.signals import post_delete, post_save
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tracker.middleware import forget_device
        from tracker.models import Profile

        for signal in (post_save, post_delete):
            signal.connect(policy.forget_government, sender=Profile, weak=False)
            signal.connect(forget_device, sender=TOTPDevice, weak=False)
        policy.register(LeaveDay, government="government", changed_by={R.ADMINISTRATOR})


def refuse_user_deletion(sender, instance, **kwargs):
    """Stop the deletion of a user; deactivate them instead (``tracker.services``)."""
    from django.db.models import ProtectedError

    raise ProtectedError(
        _("Users are deactivated, never deleted, so the history keeps who acted."), {instance}
    )
