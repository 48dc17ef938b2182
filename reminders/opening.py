"""Opening a quarter whose deadlines have already passed (a quarter opened late).

Without care, every first report of such a quarter would be late for good. The
periods page asks first (``LateOpening``): it warns, proposes new deadlines
(the usual number of working days from today, ``deadline_services
.proposed_deadlines``) which the person accepts or edits, and opens the quarter
with an extension for every unit in the same transaction.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs import services as program_services
from reminders import deadline_services
from tracker.forms import add_service_errors
from tracker.organisation_forms import DateInput


class LateOpeningForm(forms.Form):
    """The new deadlines proposed for a quarter opened after its deadlines."""

    submission_deadline = forms.DateField(
        label=gettext_lazy("New deadline for units"), widget=DateInput(), required=False
    )
    verification_deadline = forms.DateField(
        label=gettext_lazy("New deadline for Bappeda"), widget=DateInput(), required=False
    )


class LateOpening:
    """What opening ``year`` TW ``quarter`` of ``government`` on ``today`` means for
    its deadlines, and the form with the proposed new ones (``data``: the POST)."""

    def __init__(self, government, year, quarter, *, data=None, today=None):
        self.government, self.year, self.quarter = government, year, quarter
        today = today or timezone.localdate()
        usual = program_services.quarter_deadlines(government, year, quarter)
        self.deadline = usual["submission_deadline"]
        self.verification = usual["verification_deadline"]
        self.is_late = deadline_services.is_past(self.deadline, today)
        initial = {}
        if self.is_late:
            proposed = deadline_services.proposed_deadlines(government, today)
            initial = {"submission_deadline": proposed[0], "verification_deadline": proposed[1]}
        self.form = LateOpeningForm(data, initial=initial, prefix="new")

    @transaction.atomic
    def open(self, *, actor):
        """Open the quarter; if it is late, with the (accepted or edited) new deadlines
        for every unit. Nothing is opened if they are refused (``ValidationError``,
        also put on :attr:`form`)."""
        period = program_services.open_period(
            actor=actor, government=self.government, year=self.year, quarter=self.quarter
        )
        if not self.is_late:
            return period
        if not self.form.is_valid():
            raise ValidationError(_("Check the new deadlines."))
        new = self.form.cleaned_data
        if new["submission_deadline"] is None:
            # Left empty on purpose: the quarter keeps the deadlines it was given.
            return period
        try:
            deadline_services.extend_deadline(
                period,
                actor=actor,
                unit=None,
                submission_deadline=new["submission_deadline"],
                verification_deadline=new["verification_deadline"],
                reason=_("The quarter was opened after its deadline had passed."),
            )
        except ValidationError as error:
            add_service_errors(self.form, error)
            raise
        return period
