"""Template helpers of the RPJMD pages: whether the user may change the plan.

The plan pages of ``programs`` show the edit links only to those who may
change; the policy decides, here as everywhere.
"""

from django import template

from programs.models import Plan
from tracker import policy

register = template.Library()


@register.filter
def can_change(user, obj):
    """``{% if request.user|can_change:plan %}``: whether ``user`` may change ``obj``."""
    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    return policy.can_change(user, obj)


@register.simple_tag
def can_create_plan(user):
    """``{% can_create_plan request.user as may_create %}``: whether ``user`` may add a plan."""
    return getattr(user, "is_authenticated", False) and policy.can_change(user, Plan)
