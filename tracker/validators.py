"""Validation of Indonesian identifiers.

NIP (Nomor Induk Pegawai), the 18-digit civil servant number, is written
"19860926 201505 1 001": birth date (yyyymmdd), TMT CPNS (yyyymm, the month
the person entered the civil service), a gender digit (1 male, 2 female) and
a 3-digit serial number. We accept it with or without spaces and store only
the digits.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NIP_LENGTH = 18


def normalize_nip(value):
    """Return the NIP without the spaces people type between its parts."""
    return re.sub(r"\s+", "", value or "")


def _date_or_none(year, month, day):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def validate_nip(value):
    """Raise ``ValidationError`` naming what is wrong with a NIP.

    Returns the normalised digits, so callers may use ``nip = validate_nip(x)``.
    """
    digits = normalize_nip(value)
    if not digits.isdigit():
        raise ValidationError(_("NIP may contain only digits and spaces."), code="nip_not_digits")
    if len(digits) != NIP_LENGTH:
        raise ValidationError(
            _("NIP must have 18 digits; this one has %(count)d.") % {"count": len(digits)},
            code="nip_length",
        )
    birth = _date_or_none(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    if birth is None:
        raise ValidationError(
            _("NIP digits 1-8 must be a real birth date (yyyymmdd); %(part)s is not.")
            % {"part": digits[0:8]},
            code="nip_birth_date",
        )
    tmt = _date_or_none(int(digits[8:12]), int(digits[12:14]), 1)
    if tmt is None:
        raise ValidationError(
            _("NIP digits 9-14 must be a real TMT CPNS month (yyyymm); %(part)s is not.")
            % {"part": digits[8:14]},
            code="nip_tmt",
        )
    if tmt <= birth:
        raise ValidationError(
            _("NIP: the TMT CPNS (%(tmt)s) must be later than the birth date (%(birth)s).")
            % {"tmt": digits[8:14], "birth": digits[0:8]},
            code="nip_tmt_before_birth",
        )
    if digits[14] not in "12":
        raise ValidationError(
            _("NIP digit 15 is the gender: 1 (male) or 2 (female), not %(digit)s.")
            % {"digit": digits[14]},
            code="nip_gender",
        )
    return digits
