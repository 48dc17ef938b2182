"""Forms of the reports app: asking for a report, and checking a copy of one."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commitments.selectors import commitments_visible_to
from programs.selectors import periods_of
from reports import services
from tracker import policy
from tracker.forms import check_date_in_range
from tracker.selectors import units_visible_to


class ReportRequestForm(forms.Form):
    """Which quarter, unit and commitment; the choices are what the user may see.

    ``cleaned_data["request"]`` holds the checked ``ReportRequest``.
    """

    period = forms.ModelChoiceField(queryset=None, label=_("Quarter"), empty_label=None)
    unit = forms.ModelChoiceField(queryset=None, label=_("Unit"), required=False)
    commitment = forms.ModelChoiceField(
        queryset=None,
        label=_("Commitment"),
        required=False,
        empty_label=_("All commitments"),
        help_text=_("Empty: every commitment that has programs in the report."),
    )
    report_date = forms.DateField(
        label=_("Date above the signatures"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Empty: the day after Bappeda's verification deadline, or the day of the last "
            "verification the report counts if that is later (never after today)."
        ),
    )
    # A new token each time the form is shown: the same form sent twice (a double
    # click, a reload) is one request and gets one job (jobs.services.start_report_job).
    token = forms.CharField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["period"].queryset = periods_of(user)
        units = units_visible_to(user).filter(owned_programs__isnull=False).distinct()
        self.fields["unit"].queryset = units.order_by("name")
        if policy.sees_whole_government(user):
            self.fields["unit"].empty_label = _("The whole government")
        else:
            self.fields["unit"].required = True
            self.fields["unit"].empty_label = None
            self.fields["unit"].initial = policy.actor_for(user).unit_id
        self.fields["commitment"].queryset = commitments_visible_to(user).order_by("date")

    def clean_token(self):
        """The form's one-time token, or ``None`` if missing or not a UUID (then every
        submission starts its own job, as before tokens existed)."""
        try:
            return uuid.UUID(self.cleaned_data["token"])
        except (TypeError, ValueError):
            return None

    def clean_report_date(self):
        return check_date_in_range(self.cleaned_data["report_date"])

    def clean(self):
        data = super().clean()
        period = data.get("period")
        if period is None or self.errors:
            return data
        unit, commitment = data.get("unit"), data.get("commitment")
        try:
            data["request"] = services.resolve_request(
                year=period.year,
                quarter=period.quarter,
                government_code=period.government.region_code,
                unit_code=unit.code if unit else None,
                commitment_ids=[commitment.pk] if commitment else None,
                user=self.user,
                report_date=data.get("report_date"),
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return data


class CopyCheckForm(forms.Form):
    file = forms.FileField(
        label=_("The PDF to check"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
