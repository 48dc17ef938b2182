"""A form field for numbers written the way people in an Indonesian office write them.

A returned report's form shows "11,11" and "170.625.000" (not "11.1100" and
"170625000.00"), and reads back what people type, in either convention:

- one comma is the decimal separator: "11,11" -> 11.11, "1.000,5" -> 1000.5;
- a point with a comma after it, or several points, separate thousands:
  "170.625.000" -> 170625000;
- a comma with a point after it, or several commas, separate thousands and the
  point is the decimal point: "1,000.5" -> 1000.5;
- one point alone is the decimal point ("1000.5", "11.1100", "0.125"), except
  when it could as well separate thousands. In a field for a whole number (a
  count, an indicator without decimal places, whole Rupiah) "1.240" is 1240:
  nobody writes 1,24 people or Rp1,24 with a point. In a field that allows
  decimals it is refused with a message asking for "1240" or "1,24", because
  guessing wrong would store a number a thousand times off.

Thousands groups must have three digits ("1.00.000" is refused). Spaces are
ignored. The value stays a ``Decimal``; the usual limits (``min_value``,
``max_value``, ``max_digits``, ``decimal_places``) apply after parsing.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tracker.formatting import format_number_id

# Longer input is not a number anyone types; refusing it early keeps parsing cheap.
MAX_INPUT_LENGTH = 60

_DIGITS = re.compile(r"^\d+$")


def _grouped(text, separator):
    """Whether ``text`` is digits in thousands groups separated by ``separator``."""
    # A leading group of "0" is no thousands group: "0.125" is a decimal.
    pattern = rf"[1-9]\d{{0,2}}(?:{re.escape(separator)}\d{{3}})+"
    return re.fullmatch(pattern, text) is not None


class AmbiguousNumber(ValueError):
    """The text reads as two different numbers (e.g. "1.234")."""


def parse_number(text, *, whole_number=False):
    """The ``Decimal`` written as ``text`` (see the module's rules).

    ``whole_number`` says the field holds a count or whole Rupiah: a single
    point before three digits then separates thousands ("1.240" -> 1240).
    Otherwise such input raises ``AmbiguousNumber``; anything that is not a
    number raises ``ValueError``.
    """
    text = "".join(str(text).split()).replace("\u2212", "-")
    sign = ""
    if text.startswith(("+", "-")):
        sign, text = text[0].replace("+", ""), text[1:]
    if not text or len(text) > MAX_INPUT_LENGTH:
        raise ValueError(text)
    points, commas = text.count("."), text.count(",")
    if points and commas:
        # The separator that comes last is the decimal one.
        decimal_sep, group_sep = (",", ".") if text.rfind(",") > text.rfind(".") else (".", ",")
        whole, _sep, fraction = text.rpartition(decimal_sep)
        if decimal_sep in whole or not _grouped(whole, group_sep):
            raise ValueError(text)
        whole = whole.replace(group_sep, "")
    elif commas == 1:
        whole, _sep, fraction = text.partition(",")
    elif commas > 1:
        if not _grouped(text, ","):
            raise ValueError(text)
        whole, fraction = text.replace(",", ""), ""
    elif points > 1:
        if not _grouped(text, "."):
            raise ValueError(text)
        whole, fraction = text.replace(".", ""), ""
    elif points == 1:
        whole, _sep, fraction = text.partition(".")
        if len(fraction) == 3 and _grouped(text, "."):
            if not whole_number:
                raise AmbiguousNumber(text)
            whole, fraction = whole + fraction, ""
    else:
        whole, fraction = text, ""
    whole = whole or "0"
    if not _DIGITS.match(whole) or (fraction and not _DIGITS.match(fraction)):
        raise ValueError(text)
    try:
        return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")
    except InvalidOperation:  # pragma: no cover - the patterns above admit digits only
        raise ValueError(text) from None


def format_number(value, places=0, *, whole_number=True):
    """``value`` as people write it: "11,11", "170.625.000", "50" (no trailing zeros).

    At least ``places`` decimals are shown ("71,90" for an indicator with two
    decimal places), more only if the value has them, so nothing is rounded.
    Unless ``whole_number``, the text must read back as the same number in a
    field that allows decimals: 1240 is shown "1240", since "1.240" would be
    refused there as ambiguous. Text (what someone typed into a bound form) is
    returned unchanged.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    number = Decimal(value)
    if not number.is_finite():
        return str(value)
    places = max(places, 0, -number.normalize().as_tuple().exponent)
    text = format_number_id(number, places=places)
    if not whole_number and text.count(".") == 1 and _grouped(text.lstrip("-"), "."):
        return text.replace(".", "")
    return text


class DecimalInput(forms.TextInput):
    """A text input that brings up the numeric keyboard with a decimal key on phones.

    Not ``type="number"``: browsers drop "1.000,5" from such an input, and
    with it what the person typed.
    """

    def __init__(self, attrs=None, *, places=0):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})
        # The decimals always shown (an indicator's own); the field sets whole_number.
        self.places = places
        self.whole_number = False

    def format_value(self, value):
        return format_number(value, self.places, whole_number=self.whole_number) or None


class IndonesianDecimalField(forms.DecimalField):
    """A ``Decimal`` typed as "1.000,5" or "1000.5"; ambiguous input is an error that says so.

    ``whole_number`` (default: ``decimal_places == 0``) marks a count or a
    whole-Rupiah amount, where "1.240" is 1240 (see ``parse_number``); a money
    field keeps ``decimal_places=2`` for the odd "1.500.000,50" and passes
    ``whole_number=True``.
    """

    widget = DecimalInput
    default_error_messages = {
        "invalid": _("Enter a number, e.g. 1.234,5 or 1234.5."),
        "ambiguous": _(
            "“%(value)s” is ambiguous: is the point a thousands separator or a decimal point? "
            "Write %(whole)s for the whole number or %(decimal)s for the decimal."
        ),
    }

    def __init__(self, *, whole_number=None, **kwargs):
        super().__init__(**kwargs)
        if whole_number is None:
            whole_number = self.decimal_places == 0
        self.whole_number = whole_number
        if isinstance(self.widget, DecimalInput):
            self.widget.whole_number = whole_number

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return Decimal(value)
        try:
            return parse_number(value, whole_number=self.whole_number)
        except AmbiguousNumber:
            raise ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params=_readings(value)
            ) from None
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def _readings(value):
    """The parameters of the ambiguity message: the text and its two readings."""
    text = "".join(str(value).split())
    return {"value": text, "whole": text.replace(".", ""), "decimal": _decimal_reading(text)}


def ambiguous_message(value):
    """The message for ``value`` that reads two ways, outside a form (a workbook's cell)."""
    return IndonesianDecimalField.default_error_messages["ambiguous"] % _readings(value)


def _decimal_reading(text):
    """ "1.240" read as a decimal, written the Indonesian way without trailing zeros: "1,24"."""
    whole, _sep, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    return f"{whole},{fraction}" if fraction else whole
