"""Forms of the programs app. They collect input; services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.evidence import check_evidence_files
from programs.models import MONEY_MAX, VALUE_LIMIT
from tracker.models import LONG_TEXT_MAX, NOTE_MAX
from tracker.number_fields import DecimalInput, IndonesianDecimalField
from tracker.plausibility import ConfirmUnusualMixin, Neighbour


def rupiah_field(label, **kwargs):
    """An optional amount of whole Rupiah, typed "1.500.000" ("1.240" is 1240: nobody
    writes Rp1,24 with a point); two decimals kept for the odd "1.500.000,50"."""
    return IndonesianDecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=MONEY_MAX,
        max_digits=18,
        decimal_places=2,
        whole_number=True,
        **kwargs,
    )


class MultipleEvidenceInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several PDF, JPEG or PNG files in one upload; one bad file refuses them all, by name."""

    widget = MultipleEvidenceInput

    def clean(self, data, initial=None):
        single = super().clean
        uploads = (
            [single(item, initial) for item in data]
            if isinstance(data, list | tuple)
            else [single(data, initial)]
        )
        return check_evidence_files(uploads)


class ProgressReportForm(ConfirmUnusualMixin, forms.Form):
    """A unit's quarterly report: a row per milestone, indicator and adoption indicator.

    Field names: ``milestone_<id>``, ``indicator_<id>`` (with its note,
    ``indicator_note_<id>``), ``adoption_<id>``; the hidden ``version`` detects a
    form that someone else's save made stale. Numbers are typed and shown as
    people write them ("11,11", "170.625.000", see ``tracker.number_fields``):
    "1.240" is 1240 for an indicator counted in whole numbers and in Rupiah;
    the service checks each indicator value against the indicator itself.

    ``previous`` maps a field name to the value the program reported in the
    previous quarter: a changed value more than ten times off it is saved only
    once ``confirm_unusual`` is ticked (``tracker.plausibility``).
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    budget_realisation = rupiah_field(_("Budget realisation this quarter (Rp)"))
    supporting_factors = forms.CharField(
        label=_("Supporting factors (faktor pendorong)"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    obstacles = forms.CharField(
        label=_("Obstacles (faktor penghambat)"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    follow_up = forms.CharField(
        label=_("Follow-up in the next quarter (tindak lanjut)"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    follow_up_next_plan = forms.CharField(
        label=_("Follow-up in the next annual work plan (Renja)"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = EvidenceFilesField(
        label=_("Add evidence"),
        required=False,
        help_text=_(
            "PDF, JPEG or PNG: photos, minutes, screenshots of the app in use. "
            "Choose several files at once if you like."
        ),
    )

    def __init__(self, *args, milestones, indicators, adoption, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous = previous or {}
        self.places = {}
        # How the error summary names a field whose own label is not enough.
        self.summary_labels = {}
        self.milestone_rows, self.indicator_rows, self.adoption_rows = [], [], []
        for milestone, previous in milestones:
            name = f"milestone_{milestone.pk}"
            self.fields[name] = IndonesianDecimalField(
                label=milestone.title,
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                widget=DecimalInput(attrs={"class": "form-control"}),
            )
            self.milestone_rows.append((milestone, previous, self[name]))
        for indicator, target in indicators:
            name, note = f"indicator_{indicator.pk}", f"indicator_note_{indicator.pk}"
            self.fields[name] = IndonesianDecimalField(
                label=indicator.name,
                required=False,
                min_value=-VALUE_LIMIT,
                max_value=VALUE_LIMIT,
                max_digits=20,
                decimal_places=4,
                whole_number=indicator.decimal_places == 0,
                # The step is the indicator's precision; a text input does not enforce
                # it (the service does), but it tells scripts and tests what is expected.
                widget=DecimalInput(
                    attrs={"step": step_of(indicator.decimal_places), "class": "form-control"},
                    places=indicator.decimal_places,
                ),
            )
            self.places[name] = indicator.decimal_places
            self.fields[note] = forms.CharField(
                label=_("Note (keterangan)"),
                required=False,
                max_length=NOTE_MAX,
                widget=forms.Textarea(
                    attrs={
                        "rows": 1,
                        "class": "form-control form-control-sm",
                        "aria-label": _("Note (keterangan)"),
                    }
                ),
            )
            self.indicator_rows.append((indicator, target, self[name], self[note]))
            self.summary_labels[note] = f"{indicator.name}: {_('Note (keterangan)')}"
        for item in adoption:
            name = f"adoption_{item.pk}"
            self.fields[name] = IndonesianDecimalField(
                label=item.name,
                required=False,
                min_value=0,
                max_value=VALUE_LIMIT,
                max_digits=20,
                decimal_places=4,
                widget=DecimalInput(attrs={"class": "form-control"}),
            )
            self.adoption_rows.append((item, self[name]))
        self.add_confirm_field()

    def clean(self):
        data = super().clean()
        self.check_unusual(self.neighbours())
        return data

    def neighbours(self):
        """Each changed indicator, adoption or budget value with the previous quarter's."""
        pairs = []
        for name, before in self.previous.items():
            value = self.cleaned_data.get(name)
            if value is None or value == self.initial.get(name):
                continue
            pairs.append(
                Neighbour(
                    name,
                    value,
                    before,
                    _("the previous quarter's value"),
                    self.places.get(name, 0),
                )
            )
        return pairs

    def confirmations(self):
        """``{field name: notes}`` of the far-off values the person confirmed."""
        return {name: notes for name in self.previous if (notes := self.notes({name}))}

    def error_items(self):
        """``(field id or None, label, message)`` for every error, in the form's order:
        the error summary at the top of the page lists them, each linked to its field.
        A field the page does not show (the hidden ``version``) has no link."""
        items = [(None, "", message) for message in self.non_field_errors()]
        for bound in self:
            for message in bound.errors:
                anchor = None if bound.is_hidden else bound.id_for_label
                label = self.summary_labels.get(bound.name, bound.label)
                items.append((anchor, label, message))
        return items

    def mark_invalid(self):
        """Tell assistive technology which row inputs are wrong, and which text says why:
        each milestone, indicator and adoption field with an error gets ``aria-invalid``
        and points at its message's id (``<id>-error``, the template's). Crispy marks
        the other fields itself."""
        rows = [
            *(row[-1] for row in self.milestone_rows),
            *(bound for row in self.indicator_rows for bound in row[2:]),
            *(row[-1] for row in self.adoption_rows),
        ]
        for name in {bound.name for bound in rows} & set(self.errors):
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{self[name].auto_id}-error"
            attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()

    def report_values(self):
        """What the form says about the report, as ``reporting.save_report`` takes it:
        the screen and the progress workbook save through this one mapping."""
        data = self.cleaned_data
        return {
            "milestone_percents": self.values("milestone"),
            "indicator_values": self.values("indicator"),
            "indicator_notes": self.values("indicator_note"),
            "adoption_values": self.values("adoption"),
            "budget_realisation": data["budget_realisation"],
            "supporting_factors": data["supporting_factors"],
            "obstacles": data["obstacles"],
            "follow_up": data["follow_up"],
            "follow_up_next_plan": data["follow_up_next_plan"],
            "confirmations": self.confirmations(),
        }

    def values(self, prefix):
        """``{id: value}`` of the rows whose field names are ``<prefix>_<id>``."""
        return {
            int(rest): value
            for name, value in self.cleaned_data.items()
            if name.startswith(f"{prefix}_") and (rest := name[len(prefix) + 1 :]).isdigit()
        }


def step_of(decimal_places):
    """The precision of a value with ``decimal_places``: 0 -> "1", 2 -> "0.01"."""
    return "1" if decimal_places <= 0 else f"0.{'0' * (decimal_places - 1)}1"


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
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The unit sees this on its report and by email."),
    )
