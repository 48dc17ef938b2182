"""Whether a typed indicator value means what its indicator says it measures.

An indicator knows its decimal places (0 for a count) and its unit of
measure; a percentage outside 0-100 (above 100 % coverage, a negative growth
rate) is possible but needs the unit's note saying why. Used by the report
service, the demo seed and their tests.
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.models import NOTE_MAX

# "indeks (1-5)", "nilai (0-100)": a unit of measure that names its scale.
_SCALE = re.compile(r"\((-?\d+(?:[.,]\d+)?)\s*[-\u2013]\s*(-?\d+(?:[.,]\d+)?)\)")


def natural_bounds(indicator):
    """``(low, high)`` that the indicator's unit of measure implies, each possibly ``None``.

    A count cannot be negative; a scale written in the unit, such as
    "indeks (1-5)", bounds the value both ways. A percentage has no hard bound
    here: outside 0-100 it needs a note (``indicator_value_errors``), since a
    growth rate can fall below 0 and a coverage can pass 100.
    """
    match = _SCALE.search(indicator.unit_of_measure)
    if match:
        low, high = (Decimal(x.replace(",", ".")) for x in match.groups())
        return low, high
    if indicator.decimal_places == 0 and not indicator.is_percentage:
        return Decimal(0), None
    return None, None


def _decimal_places(value):
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def indicator_value_errors(indicator, value, note=""):
    """What is wrong with ``value`` (and ``note``) as a realisation of ``indicator``.

    Returns ``{form field name: message}``, empty when the value is acceptable:
    a note of at most ``NOTE_MAX`` characters, no more decimals than the
    indicator's ``decimal_places`` (a count is whole),
    within the bounds its unit implies (``natural_bounds``), and a percentage
    outside 0-100 only with a note that explains it.
    """
    if len(note or "") > NOTE_MAX:
        return {
            f"indicator_note_{indicator.pk}": _(
                "Keep the note to %(limit)s characters (it has %(count)s)."
            )
            % {"limit": NOTE_MAX, "count": len(note)}
        }
    if value is None:
        return {}
    key = f"indicator_{indicator.pk}"
    places = indicator.decimal_places
    if _decimal_places(value) > places:
        if places == 0:
            return {key: _("A count is a whole number: enter it without decimals.")}
        return {
            key: ngettext(
                "Enter at most %(places)d decimal place.",
                "Enter at most %(places)d decimal places.",
                places,
            )
            % {"places": places}
        }
    low, high = natural_bounds(indicator)
    if low is not None and high is not None and not low <= value <= high:
        return {
            key: _("The value must lie between %(low)s and %(high)s.") % {"low": low, "high": high}
        }
    if low is not None and value < low:
        if low == 0:
            return {key: _("This value cannot be negative.")}
        return {key: _("The value cannot be below %(low)s.") % {"low": low}}
    if indicator.is_percentage and not 0 <= value <= 100 and not (note or "").strip():
        return {
            f"indicator_note_{indicator.pk}": _(
                "A percentage below 0 or above 100 needs a reason: explain it in the note."
            )
        }
    return {}
