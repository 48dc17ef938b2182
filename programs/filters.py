"""The program list's filters (one FilterSet for the page and, later, the API)."""

import django_filters
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from programs.models import Dimension, Horizon, Program
from programs.status import LABELS
from tracker.models import Unit

ALL_STATES = "all"


class ProgramFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), field_name="title", lookup_expr="icontains", max_length=200
    )
    commitment = django_filters.ModelChoiceFilter(label=_("Commitment"), queryset=None)
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), field_name="owner_unit", queryset=Unit.objects.none()
    )
    asda = django_filters.ModelChoiceFilter(
        label=_("Asda group"), field_name="owner_unit__coordinator", queryset=Unit.objects.none()
    )
    dimension = django_filters.ModelChoiceFilter(
        label=_("Dimension"), field_name="dimensions", queryset=Dimension.objects.all()
    )
    horizon = django_filters.ChoiceFilter(label=_("Horizon"), choices=Horizon.choices)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=list(LABELS.items()), method="filter_status"
    )
    # Stopped and cancelled programs leave the list unless asked for.
    state = django_filters.ChoiceFilter(
        label=_("Program state"),
        choices=[*Program.State.choices, (ALL_STATES, _("All states"))],
        method="filter_state",
        empty_label=None,
    )

    class Meta:
        model = Program
        fields = ["q", "commitment", "unit", "asda", "dimension", "horizon", "status", "state"]

    def __init__(self, data=None, *args, units, commitments, statuses, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("state"):
            data["state"] = Program.State.ACTIVE
        super().__init__(data, *args, **kwargs)
        self.filters["unit"].queryset = units.exclude(kind=Unit.Kind.ASDA)
        self.filters["asda"].queryset = units.filter(kind=Unit.Kind.ASDA)
        self.filters["commitment"].queryset = commitments
        # Status is derived, not stored: the view computes it for the chosen
        # quarter (a fixed number of queries) and the filter keeps the matches.
        self.statuses = statuses

    def filter_state(self, queryset, name, value):
        return queryset if value == ALL_STATES else queryset.filter(state=value)

    def filter_status(self, queryset, name, value):
        return queryset.filter(pk__in=[pk for pk, s in self.statuses().items() if s == value])
