"""Forms of the programs app. They collect input; services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commitments.forms import EvidenceField


class ProgressReportForm(forms.Form):
    """A unit's quarterly report: a row per milestone, indicator and adoption indicator.

    Field names: ``milestone_<id>``, ``indicator_<id>``, ``adoption_<id>``; the
    hidden ``version`` detects a form that someone else's save made stale.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    budget_realisation = forms.DecimalField(
        label=_("Budget realisation this quarter (Rp)"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
    )
    supporting_factors = forms.CharField(
        label=_("Supporting factors (faktor pendorong)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    obstacles = forms.CharField(
        label=_("Obstacles (faktor penghambat)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    follow_up = forms.CharField(
        label=_("Follow-up (tindak lanjut)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = EvidenceField(
        label=_("Add evidence"),
        required=False,
        help_text=_("PDF, JPEG or PNG: photos, minutes, screenshots of the app in use."),
    )

    def __init__(self, *args, milestones, indicators, adoption, **kwargs):
        super().__init__(*args, **kwargs)
        self.milestone_rows, self.indicator_rows, self.adoption_rows = [], [], []
        for milestone, previous in milestones:
            name = f"milestone_{milestone.pk}"
            self.fields[name] = forms.DecimalField(
                label=milestone.title,
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.01", "class": "form-control"}),
            )
            self.milestone_rows.append((milestone, previous, self[name]))
        for indicator, target in indicators:
            name = f"indicator_{indicator.pk}"
            self.fields[name] = forms.DecimalField(
                label=indicator.name,
                required=False,
                max_digits=20,
                decimal_places=4,
                widget=forms.NumberInput(attrs={"step": "any", "class": "form-control"}),
            )
            self.indicator_rows.append((indicator, target, self[name]))
        for item in adoption:
            name = f"adoption_{item.pk}"
            self.fields[name] = forms.DecimalField(
                label=item.name,
                required=False,
                min_value=0,
                max_digits=20,
                decimal_places=4,
                widget=forms.NumberInput(attrs={"step": "any", "class": "form-control"}),
            )
            self.adoption_rows.append((item, self[name]))

    def values(self, prefix):
        """``{id: value}`` of the rows whose field names start with ``prefix``."""
        return {
            int(name.split("_", 1)[1]): value
            for name, value in self.cleaned_data.items()
            if name.startswith(f"{prefix}_")
        }


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")],
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the report returned?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The unit sees this on its report and by email."),
    )
