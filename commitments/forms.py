"""Forms for commitments. They collect input; the services decide and write."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment, Signature
from commitments.services import EDITABLE_FIELDS
from tracker.forms import IdsModelMultipleChoiceField, check_date_in_range
from tracker.models import NOTE_MAX, PLAN_TEXT_MAX, Unit
from tracker.uploads import validate_evidence
from tracker.widgets import SEARCHABLE_HINT, SearchableSelectMultiple

# A commitment has a few dozen points at most, each at most PLAN_TEXT_MAX characters.
POINTS_MAX = 20000

SIGNATORY_KIND_CHOICES = [
    (Unit.Kind.ASDA, _("All Asda")),
    (Unit.Kind.OPD, _("All OPD")),
    (Unit.Kind.KECAMATAN, _("All Kecamatan")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EvidenceField(forms.FileField):
    """A PDF, JPEG or PNG, checked by content and size."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial:
            validate_evidence(upload)
        return upload


class CommitmentForm(forms.ModelForm):
    points = forms.CharField(
        label=_("Commitment points"),
        max_length=POINTS_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One point per line; they are numbered in this order."),
    )
    signatory_kinds = forms.MultipleChoiceField(
        label=_("Expected signatories by kind"),
        choices=SIGNATORY_KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    signatory_units = IdsModelMultipleChoiceField(
        label=_("Other expected signatories"),
        queryset=Unit.objects.none(),
        required=False,
        widget=SearchableSelectMultiple(size=8),
        help_text=SEARCHABLE_HINT,
    )
    scan = EvidenceField(
        label=_("Scan of the signed document"),
        required=False,
        help_text=_("Optional. PDF, JPEG or PNG."),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.TextInput,
    )

    class Meta:
        model = Commitment
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "date": DateInput(),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "witnesses": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, units, government, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signatory_units"].queryset = units
        scheme = self.fields["scheme"]
        # The shared (national) schemes and the government's own.
        scheme.queryset = scheme.queryset.filter(
            Q(government__isnull=True) | Q(government=government)
        ).order_by("name")
        if self.instance.pk and self.instance.programs.filter(categories__isnull=False).exists():
            scheme.disabled = True
            scheme.help_text = _(
                "Programs of this commitment carry categories of this scheme: it can change "
                "only once no program uses them."
            )
        if self.instance.pk:
            self.fields["points"].initial = "\n".join(
                p.text for p in self.instance.points.order_by("number")
            )
            self.fields["signatory_units"].initial = list(
                self.instance.signatories.values_list("unit_id", flat=True)
            )
        else:
            del self.fields["reason"]

    def clean_points(self):
        lines = [line.strip() for line in self.cleaned_data["points"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError(_("Write at least one commitment point."))
        for number, line in enumerate(lines, start=1):
            if len(line) > PLAN_TEXT_MAX:
                raise forms.ValidationError(
                    _("Point %(number)s is too long: keep each point to %(limit)s characters.")
                    % {"number": number, "limit": PLAN_TEXT_MAX}
                )
        return lines

    def clean_date(self):
        return check_date_in_range(self.cleaned_data["date"])

    def chosen_units(self):
        """The units chosen by kind plus those chosen one by one."""
        units = set(self.cleaned_data.get("signatory_units") or [])
        kinds = self.cleaned_data.get("signatory_kinds") or []
        if kinds:
            queryset = self.fields["signatory_units"].queryset
            units |= set(queryset.filter(kind__in=kinds, is_active=True))
        return units


class SigningEventForm(forms.Form):
    """One ceremony: date, time, place, one scan, and which expected signatories signed.

    ``signers`` is a searchable choice of the outstanding signatories; each of
    them has an ``official_<unit id>`` field, pre-filled with the head in
    office on the date. ``kept_scan`` is a scan kept from an earlier attempt
    (``commitments.pending_scans``): choosing a file is then optional, and a
    new file replaces it.
    """

    signed_date = forms.DateField(label=_("Date"), widget=DateInput())
    signed_time = forms.TimeField(
        label=_("Time (WIB)"),
        initial=datetime.time(9, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    method = forms.ChoiceField(
        label=_("Method"), choices=Signature.Method.choices, initial=Signature.Method.WET_INK
    )
    scan = EvidenceField(
        label=_("Scan of the signed sheet"),
        help_text=_("PDF, JPEG or PNG; it is the evidence of every signature recorded below."),
    )
    signers = forms.TypedMultipleChoiceField(
        label=_("Who signed"),
        coerce=int,
        widget=SearchableSelectMultiple(size=10),
        help_text=SEARCHABLE_HINT,
        error_messages={"required": _("Choose at least one signatory who signed.")},
    )
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, signatories, officials_by_unit, heads, kept_scan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_scan = kept_scan
        if kept_scan is not None:
            self.fields["scan"].required = False
            self.fields["scan"].label = _("Replace the kept scan")
            self.fields["scan"].help_text = _(
                "Optional: the kept scan is used unless you choose another file."
            )
        self.fields["signers"].choices = [(s.unit.pk, s.unit.name) for s in signatories]
        self.rows = []
        for signatory in signatories:
            unit = signatory.unit
            officials = officials_by_unit.get(unit.pk, [])
            official = forms.TypedChoiceField(
                required=False,
                coerce=int,
                empty_value=None,
                label=_("Official who signed"),
                choices=[("", "—")] + [(o.pk, f"{o.name} · {o.position}") for o in officials],
            )
            head = heads.get(unit.pk)
            if head is not None:
                official.initial = head.pk
            self.fields[f"official_{unit.pk}"] = official
            self.rows.append(
                {
                    "unit": unit,
                    "official": self[f"official_{unit.pk}"],
                    "officials": {o.pk: o for o in officials},
                    "has_head": head is not None,
                }
            )

    def show_values(self, data, *, tick_all=False):
        """Show the posted ``data`` in this unbound form without judging it.

        For the buttons that change the form instead of saving it ("tick all
        expected signatories", "remove the kept scan"): nothing typed is lost
        and no error is shown for what the user has not finished yet.
        """
        for name, field in self.fields.items():
            if name == "scan" or name not in data:
                continue
            multiple = isinstance(field, forms.MultipleChoiceField)
            self.initial[name] = data.getlist(name) if multiple else data.get(name)
        if tick_all:
            self.initial["signers"] = [row["unit"].pk for row in self.rows]

    def clean_signed_date(self):
        return check_date_in_range(self.cleaned_data["signed_date"])

    def clean(self):
        data = super().clean()
        rows = {row["unit"].pk: row for row in self.rows}
        signed_by = []
        for unit_id in data.get("signers") or []:
            row = rows[unit_id]
            official_id = data.get(f"official_{unit_id}")
            if official_id is None:
                self.add_error(
                    f"official_{unit_id}",
                    _("Choose who signed for %(unit)s.") % {"unit": row["unit"]},
                )
                continue
            signed_by.append((row["unit"], row["officials"][official_id]))
        data["signed_by"] = signed_by
        if data.get("signed_date") and data.get("signed_time"):
            data["signed_at"] = timezone.make_aware(
                datetime.datetime.combine(data["signed_date"], data["signed_time"])
            )
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE_MAX
    )
