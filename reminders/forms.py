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


class ExtensionForm(forms.Form):
    """A deadline extension for one unit or every unit of a period
    (``reminders.deadline_services.extend_deadline`` decides)."""

    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=None,
        required=False,
        empty_label=_("Every unit"),
    )
    submission_deadline = forms.DateField(label=_("New deadline for units"), widget=DateInput())
    verification_deadline = forms.DateField(
        label=_("New deadline for Bappeda"),
        widget=DateInput(),
        required=False,
        help_text=_("Only for every unit; leave empty to keep Bappeda's deadline."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history, e.g. the letter that asked for more time."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
