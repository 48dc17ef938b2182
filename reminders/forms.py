"""Forms of the leave-day page; the services (``reminders.calendar_services``) decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tracker.organisation_forms import DateInput, reason_field


class LeaveDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_('For example "Cuti bersama Idul Fitri".'),
    )
    reason = reason_field(required=False)


class YearFilterForm(forms.Form):
    """The list's filter: one year (blank: every year)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Every year"))] + [(y, y) for y in years]
