"""Filters of the program list and of the verification queue (one FilterSet per list,
for the page, its Excel export and, later, the API)."""

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from programs import selectors
from programs.models import Category, ClassificationScheme, Horizon, Program, ProgressReport
from programs.status import LABELS
from tracker.filters import FilterFormMixin
from tracker.forms import parse_id
from tracker.models import Unit

ALL_STATES = "all"


class PeriodChoiceFilter(django_filters.ModelChoiceFilter):
    """The quarter a list is about (``?periode=<id>``): the view reads it, it filters nothing."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Quarter"))
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault("method", lambda queryset, name, value: queryset)
        super().__init__(*args, **kwargs)


def _with_defaults(data, **defaults):
    """A mutable copy of the query ``data`` with ``defaults`` for the keys it lacks."""
    data = data.copy() if data is not None else QueryDict(mutable=True)
    for key, value in defaults.items():
        if not data.get(key) and value is not None:
            data[key] = value
    if "periode" in defaults and parse_id(data.get("periode")) is None:
        # The view ignores a quarter that is no id (and shows the current one): so does the form.
        data.pop("periode", None)
        if defaults["periode"] is not None:
            data["periode"] = defaults["periode"]
    return data


def _search_input():
    return forms.TextInput(attrs={"type": "search"})


class SchemeCategoryField(forms.ModelChoiceField):
    """A category named with its scheme, when the list offers several schemes'."""

    def label_from_instance(self, obj):
        return f"{obj.scheme.name}: {obj.name}"


class ProgramFilter(FilterFormMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        field_name="title",
        lookup_expr="icontains",
        max_length=200,
        widget=_search_input(),
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), field_name="owner_unit", empty_label=_("All"), queryset=Unit.objects.none()
    )
    asda = django_filters.ModelChoiceFilter(
        label=_("Asda group"),
        field_name="owner_unit__coordinator",
        empty_label=_("All"),
        queryset=Unit.objects.none(),
    )
    # The categories of the listed commitments' schemes (of the chosen commitment's only).
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        field_name="categories",
        empty_label=_("All"),
        queryset=Category.objects.none(),
    )
    horizon = django_filters.ChoiceFilter(
        label=_("Horizon"), choices=Horizon.choices, empty_label=_("All")
    )
    commitment = django_filters.ModelChoiceFilter(
        label=_("Commitment"), queryset=None, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=list(LABELS.items()),
        method="filter_status",
        empty_label=_("All"),
    )
    # Stopped and cancelled programs leave the list unless asked for.
    state = django_filters.ChoiceFilter(
        label=_("Program state"),
        choices=[*Program.State.choices, (ALL_STATES, _("All states"))],
        method="filter_state",
        empty_label=None,
    )
    periode = PeriodChoiceFilter(label=_("Status in quarter"), queryset=None)
    # Only the programs with a report due in that quarter: what the dashboard counts.
    running = django_filters.BooleanFilter(
        label=_("Runs in the quarter"), method="filter_running", widget=forms.CheckboxInput
    )

    layout_columns = (
        ("q", "col-md-4 col-lg-3"),
        ("unit", "col-sm-6 col-md-4 col-lg-3"),
        ("asda", "col-sm-6 col-md-4 col-lg-3"),
        ("category", "col-sm-6 col-md-4 col-lg-3"),
        ("horizon", "col-sm-6 col-md-4 col-lg-2"),
        ("commitment", "col-sm-12 col-md-8 col-lg-4"),
        ("status", "col-sm-6 col-md-4 col-lg-2"),
        ("state", "col-sm-6 col-md-4 col-lg-2"),
        ("periode", "col-sm-6 col-md-4 col-lg-2"),
        ("running", "col-sm-6 col-md-4 col-lg-2"),
    )

    class Meta:
        model = Program
        fields = [
            "q",
            "unit",
            "asda",
            "category",
            "horizon",
            "commitment",
            "status",
            "state",
            "periode",
            "running",
        ]

    def __init__(self, data=None, *args, units, commitments, statuses, **kwargs):
        request = kwargs.get("request")
        periods = selectors.periods_of(request.user) if request else None
        current = selectors.current_period(request.user) if request else None
        data = _with_defaults(
            data, state=Program.State.ACTIVE, periode=current.pk if current else None
        )
        super().__init__(data, *args, **kwargs)
        self.filters["unit"].queryset = units.exclude(kind=Unit.Kind.ASDA)
        asda_groups = units.filter(kind=Unit.Kind.ASDA)
        if asda_groups.exists():
            self.filters["asda"].queryset = asda_groups
        else:
            # A unit member sees no Asda group: an empty select would only puzzle them.
            del self.filters["asda"]
        self.filters["commitment"].queryset = commitments
        self._offer_categories(commitments, parse_id(self.data.get("commitment")))
        if current is not None:
            self.filters["periode"].queryset = periods
        else:
            del self.filters["periode"]  # no quarter opened yet
            del self.filters["running"]
        # Status is derived, not stored: the view computes it for the chosen
        # quarter (a fixed number of queries) and the filter keeps the matches.
        self.statuses = statuses

    def _offer_categories(self, commitments, chosen):
        """The categories of the commitments' schemes, or of the chosen commitment's scheme
        alone; the filter is named after the scheme when there is only one."""
        if chosen is not None and commitments.filter(pk=chosen).exists():
            commitments = commitments.filter(pk=chosen)
        schemes = list(
            ClassificationScheme.objects.filter(pk__in=commitments.values("scheme")).order_by()
        )
        category = self.filters["category"]
        category.queryset = Category.objects.filter(scheme__in=schemes).select_related("scheme")
        if len(schemes) == 1:
            category.label = schemes[0].name
        else:
            category.field_class = SchemeCategoryField

    def filter_state(self, queryset, name, value):
        return queryset if value == ALL_STATES else queryset.filter(state=value)

    def filter_status(self, queryset, name, value):
        return queryset.filter(pk__in=[pk for pk, s in self.statuses().items() if s == value])

    def filter_running(self, queryset, name, value):
        period = self.form.cleaned_data.get("periode")
        if not value or period is None:
            return queryset
        return selectors.programs_active_in(period, queryset)


class QueueFilter(FilterFormMixin, django_filters.FilterSet):
    """The verification queue of one quarter: by unit and state (submitted reports first).

    The quarter is part of the same form and submits it when changed, so the
    other filters are kept.
    """

    periode = PeriodChoiceFilter(queryset=None, widget=forms.Select(attrs={"data-autosubmit": ""}))
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"),
        field_name="program__owner_unit",
        empty_label=_("All"),
        queryset=Unit.objects.none(),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[*ProgressReport.State.choices, (ALL_STATES, _("All"))],
        method="filter_state",
        empty_label=None,
    )

    layout_columns = (
        ("periode", "col-sm-6 col-md-3 col-lg-2"),
        ("unit", "col-sm-6 col-md-5 col-lg-4"),
        ("state", "col-sm-6 col-md-3 col-lg-2"),
    )
    form_id = "queue-filter"

    class Meta:
        model = ProgressReport
        fields = ["periode", "unit", "state"]

    def __init__(self, data=None, *args, period, periods, units, **kwargs):
        data = _with_defaults(data, state=ProgressReport.State.SUBMITTED, periode=period.pk)
        super().__init__(data, *args, **kwargs)
        self.filters["periode"].queryset = periods
        self.filters["unit"].queryset = units

    def filter_state(self, queryset, name, value):
        return queryset if value == ALL_STATES else queryset.filter(state=value)
