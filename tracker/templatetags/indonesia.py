"""Template filters for Indonesian figures: ``{{ value|angka }}``, ``|rupiah``,
``|tanggal``, ``|waktu``, ``|tw``, ``|nip``, ``|persen``, ``|predikat``.

In Bahasa Indonesia they follow the printed-report conventions
(``tracker/formatting.py``); in English the same figures use English separators
and month names, so a page never mixes the two.
"""

import datetime
from decimal import Decimal

from django import template
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tracker import formatting
from tracker.achievement import predicate_label

register = template.Library()


def _indonesian():
    return (get_language() or "id").startswith("id")


@register.filter
def angka(value, places=None):
    """A number with thousands separators and ``places`` decimals.

    Without ``places``: two decimals, or none for a whole number (a count of
    applications reads "40", an index "3,27").
    """
    if value is None or value == "":
        return ""
    if places is None:
        places = 0 if Decimal(value) == Decimal(value).to_integral_value() else 2
    if _indonesian():
        return formatting.format_number_id(value, places=int(places))
    return formats.number_format(value, decimal_pos=int(places), use_l10n=True, force_grouping=True)


@register.filter
def rupiah(value):
    """Money in Rupiah without cents: "Rp1.234.000"."""
    if value is None or value == "":
        return ""
    if _indonesian():
        return formatting.format_rupiah(value)
    text = formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    return f"-Rp{text[1:]}" if text.startswith("-") else f"Rp{text}"


@register.filter
def tanggal(value):
    """A date as "11 Oktober 2019" (or "11 October 2019"), in local time."""
    if not value:
        return ""
    if _indonesian():
        return formatting.format_date_id(value)
    return formats.date_format(value, "j F Y")


@register.filter
def waktu(value):
    """A date and time in WIB: "18 Januari 2022 10.00 WIB" ("18 January 2022 10:00 WIB")."""
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        return tanggal(value)
    if _indonesian():
        return formatting.format_datetime_id(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'j F Y H:i')} {local.tzname()}"


@register.filter
def tw(quarter):
    """A quarter's short heading: "TW III" in Bahasa Indonesia, "Q III" in English."""
    if quarter in (None, ""):
        return ""
    return _("Q %(quarter)s") % {"quarter": formatting.format_quarter(int(quarter))}


@register.filter
def nip(value):
    """A NIP in its four groups: "19860926 201505 1 001"."""
    return formatting.format_nip(value)


@register.filter
def persen(value):
    """An achievement percentage: "87,50 %"."""
    if value is None or value == "":
        return "—"
    return f"{angka(value, 2)} %"


@register.filter
def predikat(value):
    """The predicate band label of an achievement percentage ("" when there is none)."""
    if value is None or value == "":
        return ""
    return predicate_label(value)
