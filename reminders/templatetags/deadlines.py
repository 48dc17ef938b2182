"""``{{ period|unit_deadline:unit }}``: the submission deadline a unit works to in a
period (its extension if any, else the period's), for pages that show a deadline."""

from django import template

from reminders.deadlines import deadlines_of

register = template.Library()


@register.filter
def unit_deadline(period, unit):
    """The deadline of ``unit`` (a unit or its id) in ``period``; the extensions are read
    once per period object (one query), however often the page asks."""
    if period is None:
        return None
    deadlines = getattr(period, "_deadlines", None)
    if deadlines is None:
        deadlines = period._deadlines = deadlines_of(period)
    return deadlines.submission(getattr(unit, "pk", unit))
