"""The commitment list's filters (shared by the page and, later, the API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment
from tracker.models import Government


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains")
    state = django_filters.ChoiceFilter(label=_("State"), choices=Commitment.State.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="date", lookup_expr="year")
    government = django_filters.ModelChoiceFilter(
        label=_("Government"), queryset=Government.objects.none()
    )

    class Meta:
        model = Commitment
        fields = ["q", "state", "year", "government"]

    def __init__(self, *args, governments, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["government"].queryset = governments
