"""The commitment list's filters (shared by the page and, later, the API)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment
from tracker.filters import FilterFormMixin
from tracker.models import Government


class YearFilter(django_filters.NumberFilter):
    """A whole year within sane bounds: "1e400", "0" or "²" is a form error, not a crash."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class CommitmentFilter(FilterFormMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        field_name="title",
        lookup_expr="icontains",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Commitment.State.choices, empty_label=_("All")
    )
    year = YearFilter(label=_("Year"), field_name="date", lookup_expr="year")
    government = django_filters.ModelChoiceFilter(
        label=_("Government"), queryset=Government.objects.none(), empty_label=_("All")
    )

    layout_columns = (
        ("q", "col-md-4"),
        ("state", "col-sm-6 col-md-2"),
        ("year", "col-sm-6 col-md-2"),
        ("government", "col-md-3"),
    )

    class Meta:
        model = Commitment
        fields = ["q", "state", "year", "government"]

    def __init__(self, *args, governments, **kwargs):
        super().__init__(*args, **kwargs)
        if governments.count() > 1:
            self.filters["government"].queryset = governments
        else:
            # One government (everyone but a national superuser): nothing to choose.
            del self.filters["government"]
