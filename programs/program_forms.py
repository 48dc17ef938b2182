"""Forms of the program setup pages: a program with its budgets and adoption indicators,
its milestones, a change of owner and of state. They collect input; the services
(``programs.services``, ``programs.program_services``) decide and write.

Every choice list is limited to one government (the commitment's): active units
only (plus those the program already has), and the indicators of that
government's RPJMD plans.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.forms import DateInput
from programs.forms import rupiah_field
from programs.models import VALUE_LIMIT, Category, Indicator, Program
from tracker.forms import IdsModelMultipleChoiceField, check_date_in_range
from tracker.models import NOTE_MAX, Unit
from tracker.number_fields import DecimalInput, IndonesianDecimalField
from tracker.widgets import SEARCHABLE_HINT, SearchableSelectMultiple

SMALL = {"class": "form-control form-control-sm"}
# Empty rows offered below the list, so the page also works without JavaScript.
EXTRA_MILESTONE_ROWS = 3


def units_of(government, *, keep=()):
    """The government's active units that carry programs (not the regional head's office),
    and any of ``keep`` (units a program already has)."""
    return (
        Unit.objects.filter(government=government)
        .filter(
            Q(is_active=True) & ~Q(kind=Unit.Kind.KEPALA_DAERAH)
            | Q(pk__in=[unit.pk for unit in keep])
        )
        .order_by("kind", "name")
    )


class CategoryChoiceField(IdsModelMultipleChoiceField):
    """Categories, each named with its scheme when the choices come from several schemes
    (a new program whose commitment is not chosen yet)."""

    several_schemes = False

    def label_from_instance(self, obj):
        return f"{obj.scheme.name}: {obj.name}" if self.several_schemes else obj.name

    def offer(self, commitments):
        """Offer the categories a program of one of ``commitments`` may carry: those of
        their schemes (the services refuse a category of another scheme)."""
        schemes = {c.scheme_id for c in commitments}
        self.queryset = Category.objects.filter(scheme__in=schemes).select_related("scheme")
        self.several_schemes = len(schemes) > 1


class ProgramForm(forms.ModelForm):
    """A program's own fields. ``commitment`` and ``owner_unit`` only when creating:
    the owner then changes through its own page, with a reason."""

    commitment = forms.ModelChoiceField(label=_("Commitment"), queryset=None)
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=NOTE_MAX,
        help_text=_("Required once the program has reports; kept in its history."),
    )

    class Meta:
        model = Program
        fields = [
            "title",
            "code",
            "description",
            "owner_unit",
            "supporting_units",
            "categories",
            "horizon",
            "start_date",
            "end_date",
            "indicators",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "supporting_units": SearchableSelectMultiple(size=8),
            "categories": forms.CheckboxSelectMultiple,
            "indicators": SearchableSelectMultiple(size=10),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        field_classes = {
            "supporting_units": IdsModelMultipleChoiceField,
            "categories": CategoryChoiceField,
            "indicators": IdsModelMultipleChoiceField,
        }
        help_texts = {
            "supporting_units": SEARCHABLE_HINT,
            "indicators": _("Indicators of this government's RPJMD the program contributes to."),
            "categories": _("From the classification scheme of the program's commitment."),
        }

    field_order = ["commitment", *Meta.fields, "reason"]

    def __init__(self, *args, government, commitments=None, **kwargs):
        super().__init__(*args, **kwargs)
        program = self.instance if self.instance.pk else None
        supporting = list(program.supporting_units.all()) if program else []
        if program:
            del self.fields["commitment"]
            del self.fields["owner_unit"]
        else:
            del self.fields["reason"]
            self.fields["commitment"].queryset = commitments
            self.fields["owner_unit"].queryset = units_of(government)
        self.fields["supporting_units"].queryset = units_of(government, keep=supporting)
        self.fields["indicators"].queryset = (
            Indicator.objects.filter(plan__government=government)
            .select_related("plan")
            .order_by("plan__start_year", "code")
        )
        self.fields["categories"].offer([program.commitment] if program else commitments)

    def clean_start_date(self):
        return check_date_in_range(self.cleaned_data["start_date"])

    def clean_end_date(self):
        return check_date_in_range(self.cleaned_data["end_date"])

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The program cannot end before it starts."))
        return data

    def program_fields(self):
        """The cleaned values the services take as keyword arguments."""
        data = self.cleaned_data
        names = ["title", "code", "description", "horizon", "start_date", "end_date"]
        values = {name: data[name] for name in names}
        for name in ("supporting_units", "categories", "indicators"):
            values[name] = list(data[name])
        return values


class TableRowForm(forms.Form):
    """A row of a table: its inputs have no visible label, so each carries it for
    screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label and not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", field.label)


class BudgetForm(TableRowForm):
    """One year's budget of a program; a row without an amount means no budget that year."""

    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=SMALL)
    )
    amount = rupiah_field(_("Budget (Rp)"), widget=DecimalInput(attrs=SMALL))


class BaseBudgetFormSet(forms.BaseFormSet):
    def clean(self):
        years = set()
        for form in self.forms:
            year = getattr(form, "cleaned_data", {}).get("year")
            if year in years:
                form.add_error("year", _("This year is listed twice."))
            years.add(year)

    def budgets(self):
        """``{year: Rupiah}`` of the rows with an amount (a year left empty has no budget)."""
        return {
            form.cleaned_data["year"]: form.cleaned_data["amount"]
            for form in self.forms
            if form.cleaned_data.get("year") and form.cleaned_data.get("amount") is not None
        }


BudgetFormSet = forms.formset_factory(BudgetForm, formset=BaseBudgetFormSet, extra=0)


def budget_rows(program=None, *, first_year):
    """Initial budget rows: one per year of the program's span (its amounts filled in),
    or five years from ``first_year`` for a new program."""
    if program is None:
        return [{"year": year} for year in range(first_year, first_year + 5)]
    amounts = dict(program.budgets.values_list("year", "amount"))
    years = set(range(program.start_date.year, program.end_date.year + 1)) | set(amounts)
    return [{"year": year, "amount": amounts.get(year)} for year in sorted(years)]


class RowForm(TableRowForm):
    """A row of a list that names the record it edits in ``pk`` (empty for a new one)."""

    pk = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def row(self, names):
        data = self.cleaned_data
        return {"pk": data.get("pk"), **{name: data.get(name) for name in names}}


class AdoptionForm(RowForm):
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs=SMALL))
    unit_of_measure = forms.CharField(
        label=_("Unit of measure"), max_length=50, widget=forms.TextInput(attrs=SMALL)
    )
    # An adoption indicator may count people or be a rate: "1.240" is asked about.
    quarterly_target = IndonesianDecimalField(
        label=_("Target per quarter"),
        min_value=0,
        max_value=VALUE_LIMIT,
        max_digits=20,
        decimal_places=4,
        widget=DecimalInput(attrs=SMALL),
    )


class BaseRowFormSet(forms.BaseFormSet):
    """A list of rows: ``kept()`` gives the forms that stay (not ticked for removal,
    not an untouched empty row), in the order the list must take."""

    def kept(self):
        forms_ = []
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            if not form.cleaned_data:  # an empty extra row
                continue
            forms_.append(form)
        return forms_

    def rows(self, names):
        forms_ = self.kept()
        return [form.row(names) for form in forms_], forms_


AdoptionFormSet = forms.formset_factory(
    AdoptionForm, formset=BaseRowFormSet, extra=1, can_delete=True
)
ADOPTION_NAMES = ("name", "unit_of_measure", "quarterly_target")


def adoption_rows(program):
    return [
        {
            "pk": item.pk,
            "name": item.name,
            "unit_of_measure": item.unit_of_measure,
            "quarterly_target": item.quarterly_target,
        }
        for item in program.adoption_indicators.all()
    ]


class MilestoneForm(RowForm):
    order = forms.IntegerField(
        label=_("Order"),
        required=False,
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={**SMALL, "class": f"{SMALL['class']} order-input"}),
    )
    title = forms.CharField(label=_("Title"), max_length=300, widget=forms.TextInput(attrs=SMALL))
    deliverable = forms.CharField(
        label=_("Deliverable"), required=False, max_length=300, widget=forms.TextInput(attrs=SMALL)
    )
    planned_start = forms.DateField(label=_("Planned start"), widget=DateInput(attrs=SMALL))
    planned_finish = forms.DateField(label=_("Planned finish"), widget=DateInput(attrs=SMALL))
    weight = IndonesianDecimalField(
        label=_("Weight (%)"),
        min_value=Decimal("0.01"),
        max_value=100,
        max_digits=5,
        decimal_places=2,
        widget=DecimalInput(attrs=SMALL),
    )

    def clean_planned_start(self):
        return check_date_in_range(self.cleaned_data["planned_start"])

    def clean_planned_finish(self):
        return check_date_in_range(self.cleaned_data["planned_finish"])


class BaseMilestoneFormSet(BaseRowFormSet):
    def kept(self):
        """The rows that stay, sorted by the order typed (rows without one keep their place)."""
        forms_ = super().kept()
        return sorted(
            forms_,
            key=lambda form: (
                form.cleaned_data.get("order") or len(forms_) + 1000,
                forms_.index(form),
            ),
        )


MilestoneFormSet = forms.formset_factory(
    MilestoneForm, formset=BaseMilestoneFormSet, extra=EXTRA_MILESTONE_ROWS, can_delete=True
)
MILESTONE_NAMES = ("title", "deliverable", "planned_start", "planned_finish", "weight")


def milestone_rows(program):
    return [
        {
            "pk": m.pk,
            "order": index,
            "title": m.title,
            "deliverable": m.deliverable,
            "planned_start": m.planned_start,
            "planned_finish": m.planned_finish,
            "weight": m.weight,
        }
        for index, m in enumerate(program.milestones.all(), start=1)
    ]


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Reason"))
        kwargs.setdefault("max_length", NOTE_MAX)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)


class MilestonePageForm(forms.Form):
    reason = ReasonField(
        label=_("Reason for the change"),
        required=False,
        help_text=_(
            "Required when a milestone that already has verified progress is renamed, "
            "re-dated or re-weighted; kept in each milestone's history."
        ),
    )


class OwnerForm(forms.Form):
    owner_unit = forms.ModelChoiceField(label=_("New owner unit"), queryset=None)
    reason = ReasonField(help_text=_("Kept in the program's history."))

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units_of(program.commitment.government).exclude(
            pk=program.owner_unit_id
        )


class StateForm(forms.Form):
    """Stop or cancel a program (or make it active again) from a date, with a reason."""

    state = forms.ChoiceField(label=_("New state"), widget=forms.RadioSelect)
    on = forms.DateField(label=_("Takes effect on"), widget=DateInput())
    reason = ReasonField(help_text=_("Shown on the program page and kept in its history."))

    def __init__(self, *args, program, choices, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("on", timezone.localdate())
        if len(choices) == 1:
            kwargs["initial"].setdefault("state", choices[0][0])
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = choices

    def clean_on(self):
        return check_date_in_range(self.cleaned_data["on"])


def place_errors(error, form, row_forms=(), lists=None):
    """Put a service's ``ValidationError`` where the user sees it: a row's field
    (keys ``"<i>:<field>"`` on ``row_forms[i]``), a named list of messages
    (``lists``, e.g. the budget table's), a field of ``form``, or else ``form``'s
    top. Returns ``form``."""
    lists = lists or {}
    items = (
        error.message_dict.items()
        if hasattr(error, "error_dict")
        else [(NON_FIELD_ERRORS, error.messages)]
    )
    for key, messages in items:
        for message in messages:
            index, sep, field = key.partition(":")
            if sep and index.isdigit() and int(index) < len(row_forms):
                target = row_forms[int(index)]
                target.add_error(field if field in target.fields else None, message)
            elif key in lists:
                lists[key].append(message)
            elif key in form.fields:
                form.add_error(key, message)
            else:
                form.add_error(None, message)
    return form
