"""Indonesian formatting for pages and printed reports.

Printed government documents write dates as "11 Oktober 2019", numbers as
"1.234,56", money as "Rp1.234.000" and a NIP as "19860926 201505 1 001",
whatever language the reader's browser prefers. These helpers are plain
functions so the templates (see ``templatetags/indonesia.py``) and the PDF
code share them.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


def format_date_id(value):
    """``date(2019, 10, 11)`` -> ``"11 Oktober 2019"``; datetimes are shown in local time (WIB)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


def format_datetime_id(value):
    """A datetime as ``"11 Oktober 2019 14.30 WIB"`` in the configured zone.

    The one style for a moment on every page: a naive datetime is taken as
    local time, and a plain date is shown as a date.
    """
    if value is None:
        return ""
    if not isinstance(value, datetime.datetime):  # a plain date has no time to show
        return format_date_id(value)
    if timezone.is_naive(value):  # read as local time, as the forms enter it
        value = timezone.make_aware(value)
    local = timezone.localtime(value)
    zone = local.tzname() or ""
    return f"{format_date_id(local)} {local:%H.%M} {zone}".strip()


def format_number_id(value, places=2):
    """``Decimal("1234.5")`` -> ``"1.234,50"``. ``None`` -> ``""``.

    Rounds half up (the way people round on paper), never through float.
    """
    if value is None:
        return ""
    number = Decimal(value)
    quantum = Decimal(1).scaleb(-places)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    integer, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = ".".join(groups)
    if places > 0:
        text = f"{text},{fraction}"
    return sign + text


def format_rupiah(value):
    """``Decimal("1234000")`` -> ``"Rp1.234.000"``; Rupiah are shown without cents."""
    if value is None:
        return ""
    text = format_number_id(value, places=0)
    if text.startswith("-"):
        return "-Rp" + text[1:]
    return "Rp" + text


def format_nip(value):
    """``"198609262015051001"`` -> ``"19860926 201505 1 001"``; anything else is returned as is."""
    if not value or len(value) != 18 or not value.isdigit():
        return value or ""
    return f"{value[0:8]} {value[8:14]} {value[14]} {value[15:18]}"


def format_quarter(quarter):
    """``3`` -> ``"III"``: quarters (triwulan) are written in Roman numerals."""
    return ROMAN_QUARTERS[quarter]


# A golongan/ruang at the end of a rank: "IV/a", "III/d", written with or without spaces
# around the slash, with or without parentheses, after "/", ",", "-" or a plain space.
_GOLONGAN = re.compile(
    r"""^(?P<pangkat>.*?)          # the pangkat, e.g. "Pembina Tk. I"
        [\s,/\-–(]*               # whatever separates it from the golongan
        (?<![A-Za-z])             # the golongan starts a word ("Tk. I / IV/b")
        (?P<golongan>IV|III|II|I)\s*/\s*(?P<ruang>[a-eA-E])
        \s*\)?\s*$""",
    re.VERBOSE,
)


def format_rank(value):
    """A civil servant's rank with the golongan in parentheses, as signature blocks write it.

    ``"Pembina / IV/a"``, ``"Pembina, IV/a"``, ``"Pembina IV/a"`` and ``"Pembina (IV/a)"``
    all give ``"Pembina (IV/a)"``; ``"Pembina Tk. I / IV/b"`` gives ``"Pembina Tk. I (IV/b)"``.
    A golongan alone is returned bare (``"IV/a"``); text without a golongan is returned as
    is, and ``None`` as ``""``.
    """
    if not value:
        return ""
    match = _GOLONGAN.match(value.strip())
    if match is None:
        return value
    golongan = f"{match['golongan']}/{match['ruang'].lower()}"
    pangkat = match["pangkat"].strip(" ,/-–(")
    return f"{pangkat} ({golongan})" if pangkat else golongan
