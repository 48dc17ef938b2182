"""Reads on the organisation. Every list goes through the permission policy here."""

from django.db.models import Prefetch

from tracker import policy
from tracker.models import Official, Unit


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
