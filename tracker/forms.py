"""Helpers shared by the apps' forms and views."""

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Dates people may enter: a commitment, a signature, a report date. Year 1 or
# 9999 is a typing slip, and such dates break arithmetic (time zones, deadlines).
EARLIEST_DATE = datetime.date(1990, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)
# Database ids are positive 64-bit integers (BigAutoField).
MAX_ID = 2**63 - 1


def parse_id(value):
    """``value`` (a query or form parameter) as a database id, or ``None``.

    Only ASCII digits count ("²" and "٣" are digits to ``str.isdigit`` but not
    ids), and only values a 64-bit id column can hold: a larger number would
    make PostgreSQL raise an error instead of finding nothing.
    """
    if not isinstance(value, str) or not (len(value) <= 19 and value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


class IdsModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of records whose submitted values must be database ids.

    Django looks the values up with ``pk__in``, which, unlike ``pk=``, sends an
    id too large for the column to the database: SQLite then raises
    OverflowError and PostgreSQL an error, a server error for the user. Here
    anything that is not an id is "not one of the available choices" before
    any query.
    """

    def _check_values(self, value):
        for item in value:
            if isinstance(item, str) and parse_id(item) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:30]},
                )
        return super()._check_values(value)


def check_date_in_range(value, earliest=EARLIEST_DATE, latest=LATEST_DATE):
    """``value`` if it lies within ``earliest``..``latest``; else a ``ValidationError``."""
    if value is not None and not earliest <= value <= latest:
        raise forms.ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s.")
            % {"earliest": earliest.isoformat(), "latest": latest.isoformat()}
        )
    return value


def add_service_errors(form, error):
    """Put a service's ``ValidationError`` on the form, next to the field it names.

    Errors for fields the form does not have become non-field errors, so the
    user always sees why nothing was saved.
    """
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class LoginForm(AuthenticationForm):
    """The sign-in form, with a wrong-password message that reads well in Indonesian.

    Django's message puts the user-name field's label into "Please enter a
    correct %(username)s", which its Indonesian catalogue already spells out
    as "nama pengguna": the page said "nama pengguna nama pengguna".
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "The user name or password is wrong. Mind upper and lower case in both."
        ),
    }
