"""A helper every app's pages share."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tracker import policy


def get_changeable(user, queryset, pk):
    """The record ``pk`` of ``queryset`` (the user's visible records) if the user may change
    it: 404 if they do not see it, 403 if they see it but may not change it."""
    obj = get_object_or_404(queryset, pk=pk)
    if not policy.can_change(user, obj):
        raise PermissionDenied
    return obj
