"""Filters for the organisation lists (one FilterSet per list, for page and API alike)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.models import Official, Unit


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Unit.Kind.choices)

    class Meta:
        model = Unit
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(abbreviation__icontains=value) | Q(code__icontains=value)
        )


class OfficialFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=Unit.objects.none())
    in_office = django_filters.BooleanFilter(label=_("In office today"), method="filter_in_office")

    class Meta:
        model = Official
        fields = ["q", "unit", "in_office"]

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only units the user may see are offered (and accepted).
        self.filters["unit"].queryset = units if units is not None else Unit.objects.none()

    def search(self, queryset, name, value):
        digits = value.replace(" ", "")
        query = Q(name__icontains=value) | Q(position__icontains=value)
        if digits.isdigit():
            query |= Q(nip__startswith=digits)
        return queryset.filter(query)

    def filter_in_office(self, queryset, name, value):
        today = timezone.localdate()
        current = Official.objects.in_office(today).values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)
