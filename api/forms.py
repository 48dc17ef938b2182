"""The form that creates a personal API token."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import DEFAULT_LIFETIME


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the system using it."),
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        help_text=_("At most one year from today."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = (timezone.localdate() + DEFAULT_LIFETIME).isoformat()

    def expires_at(self):
        """The end of the chosen day (WIB) as an aware datetime."""
        day = self.cleaned_data["expires_on"]
        end = datetime.datetime.combine(day, datetime.time(23, 59, 59))
        return timezone.make_aware(end)
