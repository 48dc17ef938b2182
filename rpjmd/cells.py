"""Reading one cell of the RPJMD workbook: numbers written the Indonesian or the plain
way, whole numbers, codes that Excel turned into numbers, and the words of the choice
columns. Pure functions; a value that cannot be read raises :class:`CellError` with a
message for the person who typed it.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from tracker.workbook_io import CellError

# The words of the choice columns: the first of each list is what the export
# writes; the others are accepted too (English codes, common synonyms).
CHOICES = {
    "level": {
        "goal": ["tujuan", "goal"],
        "objective": ["sasaran", "objective"],
        "plan_program": ["program", "program rpjmd", "plan_program"],
    },
    "direction": {
        "higher": ["tinggi", "higher", "naik", "positif", "lebih tinggi lebih baik"],
        "lower": ["rendah", "lower", "turun", "negatif", "lebih rendah lebih baik"],
    },
    "combination": {
        "sum": ["jumlah", "sum"],
        "average": ["rata-rata", "average", "rerata"],
        "latest": ["terbaru", "latest", "terakhir"],
        "min": ["terendah", "min", "minimum"],
        "max": ["tertinggi", "max", "maksimum"],
        "designated": ["ditunjuk", "designated", "program ditunjuk"],
    },
    "bool": {
        True: ["ya", "y", "true", "benar", "yes", "1"],
        False: ["tidak", "t", "false", "salah", "no", "0"],
    },
}
_WORDS = {
    kind: {word: value for value, words in table.items() for word in words}
    for kind, table in CHOICES.items()
}


def word_for(kind, value):
    """The word the export writes for ``value`` in a choice column of ``kind``."""
    return CHOICES[kind][value][0]


# --- Reading cells -----------------------------------------------------------------------

_GROUPED_DOTS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_GROUPED_COMMAS = re.compile(r"^\d{1,3}(,\d{3})+$")


def parse_number(value):
    """A ``Decimal`` from a cell: a number, or text written the Indonesian way
    ("1.234,5") or the plain way ("1234.5"). Text that could be read both ways
    ("1.234": one thousand two hundred thirty-four, or one point two three four)
    is refused with a message saying how to write it."""
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number") % {"value": value})
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        # repr gives the shortest text that reads back as the same float: 2.38, not 2.37999...
        return Decimal(repr(value))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    original = str(value).strip()
    if text[:2].lower() == "rp":
        text = text[2:]
    text = text.removesuffix("%")
    sign = ""
    if text[:1] in "+-":
        sign, text = text[:1].replace("+", ""), text[1:]
    if not text or not re.fullmatch(r"[\d.,]+", text) or not text[0].isdigit():
        raise CellError(_("“%(value)s” is not a number") % {"value": original})
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        # The separator that comes last is the decimal one; the other groups thousands.
        decimal_mark, group_mark = (",", ".") if text.rfind(",") > text.rfind(".") else (".", ",")
        whole, _mark, fraction = text.rpartition(decimal_mark)
        grouped = _GROUPED_DOTS if group_mark == "." else _GROUPED_COMMAS
        if text.count(decimal_mark) != 1 or not grouped.match(whole) or not fraction:
            raise CellError(_("“%(value)s” is not a number") % {"value": original})
        text = whole.replace(group_mark, "") + "." + fraction
    elif dots > 1 or commas > 1:
        grouped = _GROUPED_DOTS if dots else _GROUPED_COMMAS
        if not grouped.match(text):
            raise CellError(_("“%(value)s” is not a number") % {"value": original})
        text = text.replace(".", "").replace(",", "")
    elif dots or commas:
        whole, _mark, fraction = text.partition("." if dots else ",")
        if not whole or not fraction:
            raise CellError(_("“%(value)s” is not a number") % {"value": original})
        # A lone comma is a decimal comma (the Indonesian way). A lone dot
        # before three digits may group thousands (Indonesian) or mark decimals.
        if dots and len(fraction) == 3 and whole != "0" and len(whole) <= 3:
            raise CellError(
                _(
                    "“%(value)s” can be read two ways: write %(whole)s%(fraction)s for a whole "
                    "number, or %(whole)s,%(fraction)s for a fraction (decimal comma)"
                )
                % {"value": original, "whole": whole, "fraction": fraction}
            )
        text = f"{whole}.{fraction}"
    try:
        return Decimal(sign + text)
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not a number") % {"value": original}) from None


def parse_int(value):
    """A whole number from a cell (2021, "2021", 2021.0)."""
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a whole number") % {"value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d{1,9}", text):
        return int(text)
    raise CellError(_("“%(value)s” is not a whole number") % {"value": text})


def parse_code(value):
    """A code as text. A code typed into a number cell comes back as a number
    (1.1 instead of "1.1"); it is turned back into the text it showed."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def parse_text(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_choice(kind, value):
    word = " ".join(str(value).strip().lower().split())
    if word in _WORDS[kind]:
        return _WORDS[kind][word]
    allowed = ", ".join(words[0] for words in CHOICES[kind].values())
    raise CellError(
        _("“%(value)s” is not one of: %(allowed)s")
        % {"value": str(value).strip(), "allowed": allowed}
    )


def parse_cell(column, value):
    """The typed value of a non-empty cell of ``column``; ``CellError`` if it cannot be read."""
    if column.kind == "text":
        return parse_text(value)
    if column.kind == "code":
        return parse_code(value)
    if column.kind == "int":
        return parse_int(value)
    if column.kind == "number":
        return parse_number(value)
    if column.kind == "bool" and isinstance(value, bool):
        return value
    return parse_choice(column.kind, value)
