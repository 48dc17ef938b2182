"""Reading one cell of the RPJMD workbook: numbers written the Indonesian or the plain
way, whole numbers, codes that Excel turned into numbers, and the words of the choice
columns. Pure functions; a value that cannot be read raises :class:`CellError` with a
message for the person who typed it.
"""

import re

from django.utils.translation import gettext as _

from tracker.workbook_io import CellError, parse_decimal

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


def parse_number(value):
    """A ``Decimal`` from a cell, read by the app's one number parser
    (``tracker.workbook_io.parse_decimal``): the Indonesian way ("1.234,5") or the plain
    way ("1234.5"); text that reads two ways ("1.234") is refused with both readings."""
    return parse_decimal(value)


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
