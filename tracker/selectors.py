"""Reads on the organisation. Every list goes through the permission policy here."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Prefetch

from tracker import policy
from tracker.models import Official, Profile, Unit


def units_visible_to(user):
    """Units the user may see, with their government and coordinator loaded."""
    return policy.visible(user, Unit.objects.select_related("government", "coordinator"))


def officials_visible_to(user):
    """Officials (current and past) of the units the user may see."""
    return policy.visible(user, Official.objects.select_related("unit", "unit__government"))


def heads_on(units, on):
    """Map unit id -> the official heading it on date ``on`` (one query)."""
    heads = Official.objects.in_office(on).filter(unit__in=units, is_head=True)
    return {official.unit_id: official for official in heads}


def unit_with_officials(queryset):
    """Prefetch each unit's officials, heads and the newest terms first."""
    return queryset.prefetch_related(
        Prefetch("officials", queryset=Official.objects.order_by("-is_head", "-start_date"))
    )


def _managed_users(user, users):
    """``users`` narrowed to the accounts ``user`` manages (see ``tracker.accounts``)."""
    actor = policy.actor_for(user)
    if actor.role == policy.Role.SUPERUSER:
        return users
    if actor.role == policy.Role.ADMINISTRATOR:
        return users.filter(profile__government_id=actor.government_id, is_superuser=False)
    return users.none()


def users_visible_to(user):
    """Accounts ``user`` may see and manage: a superuser every one; an Administrator
    those whose profile is in their government (a superuser's excepted); anyone
    else none. Profile, government, unit and role groups are loaded with them.
    """
    users = (
        get_user_model()
        .objects.select_related("profile__government", "profile__unit")
        .prefetch_related(
            Prefetch("groups", queryset=Group.objects.filter(name__in=policy.ROLE_GROUPS))
        )
    )
    return _managed_users(user, users)


def profiles_visible_to(user):
    """Profiles of the accounts ``user`` manages (for their history page)."""
    managed = _managed_users(user, get_user_model().objects.all())
    return Profile.objects.filter(user__in=managed.values("pk"))
