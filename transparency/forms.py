"""Forms of the transparency settings pages: every change comes with a reason."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tracker.models import NOTE_MAX, PLAN_TEXT_MAX


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history with your name."),
    )


class IntroForm(forms.Form):
    intro = forms.CharField(
        label=_("Introduction"),
        max_length=PLAN_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences shown at the top of the public page."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=NOTE_MAX, required=False)


class ReportFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    published = forms.ChoiceField(
        label=_("Shown"),
        required=False,
        choices=[("", _("All reports")), ("yes", _("Published")), ("no", _("Not published"))],
    )
