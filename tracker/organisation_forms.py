"""Forms of the organisation pages: units, officials, a reason, a new government.

They collect input and offer only the units of the record's government; the
services (``tracker/services.py``) decide and write.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tracker.forms import check_date_in_range
from tracker.models import NOTE_MAX, OFFICIAL_DETAILS, Government, Official, Unit

# The unit fields a form edits (``tracker.services.UNIT_FIELDS`` without the government).
UNIT_FORM_FIELDS = ["name", "abbreviation", "code", "kind", "opd_type", "coordinator", "parent"]
OFFICIAL_FORM_FIELDS = ["unit", *OFFICIAL_DETAILS]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def reason_field(required):
    """A change's reason (required), or a creation's optional basis or note."""
    if required:
        return forms.CharField(
            label=_("Reason for the change"),
            max_length=NOTE_MAX,
            help_text=_("Kept in the history, e.g. the decree that ordered it."),
        )
    return forms.CharField(
        label=_("Basis or note"),
        max_length=NOTE_MAX,
        required=False,
        help_text=_("Optional, kept in the history, e.g. the decree number."),
    )


class UnitForm(forms.ModelForm):
    """A unit of one government; the Asda and the parent are chosen among its units."""

    class Meta:
        model = Unit
        fields = UNIT_FORM_FIELDS

    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if not editing:
            # The model's checks (same-government Asda and parent) need it.
            self.instance.government = government
        units = Unit.objects.filter(government=government)
        if editing:
            units = units.exclude(pk=self.instance.pk)
        self.fields["coordinator"].queryset = units.filter(kind=Unit.Kind.ASDA).order_by("name")
        self.fields["coordinator"].help_text = _("Only for an OPD or a Kecamatan.")
        self.fields["parent"].queryset = units.order_by("kind", "name")
        self.fields["parent"].help_text = _("For a Kelurahan, its Kecamatan; for a Bagian, Setda.")
        self.fields["opd_type"].help_text = _("Only for an OPD.")
        self.fields["reason"] = reason_field(required=editing)


class OfficialForm(forms.ModelForm):
    """A person's term in an office of a unit of one government."""

    class Meta:
        model = Official
        fields = OFFICIAL_FORM_FIELDS
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        units = Unit.objects.filter(government=government, is_active=True)
        if editing:
            units = units | Unit.objects.filter(pk=self.instance.unit_id)
        self.fields["unit"].queryset = units.order_by("kind", "name")
        self.fields["end_date"].help_text = _("Empty while the person is in office.")
        self.fields["reason"] = reason_field(required=editing)

    def clean_start_date(self):
        return check_date_in_range(self.cleaned_data["start_date"])

    def clean_end_date(self):
        return check_date_in_range(self.cleaned_data["end_date"])


class EndTermForm(forms.Form):
    end_date = forms.DateField(
        label=_("Last day in office"),
        widget=DateInput(),
        help_text=_("For a successor from 1 January 2021, the term ends on 31 December 2020."),
    )
    reason = reason_field(required=True)

    def clean_end_date(self):
        return check_date_in_range(self.cleaned_data["end_date"])


class ReasonForm(forms.Form):
    reason = reason_field(required=True)


def _model_label(name):
    """The government model's own label for a field, capitalised as form labels are."""
    return capfirst(Government._meta.get_field(name).verbose_name)


class GovernmentStartForm(forms.Form):
    """A new government and its first Administrator (``tracker.services.start_government``)."""

    region_code = forms.CharField(
        label=_model_label("region_code"),
        max_length=13,
        help_text=_("For example 36.73 for Kota Serang."),
    )
    name = forms.CharField(
        label=_model_label("name"),
        max_length=200,
        help_text=_("For example “Pemerintah Kota Serang”."),
    )
    kind = forms.ChoiceField(label=_model_label("kind"), choices=Government.Kind.choices)
    place_name = forms.CharField(
        label=_model_label("place_name"),
        max_length=100,
        help_text=_("Written before the date in signature blocks, e.g. “Serang”."),
    )
    admin_full_name = forms.CharField(label=_("Administrator's full name"), max_length=150)
    admin_username = forms.CharField(label=_("Administrator's user name"), max_length=150)
    admin_email = forms.EmailField(
        label=_("Administrator's email"),
        help_text=_("The link to set a password is sent here."),
    )
    reason = reason_field(required=False)

    # The service's field names -> this form's.
    SERVICE_FIELDS = {
        "username": "admin_username",
        "email": "admin_email",
        "full_name": "admin_full_name",
    }
