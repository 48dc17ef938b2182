"""Filters for the organisation lists (one FilterSet per list, for page and API alike),
and the layout every list's filter form shares.

``filter_helper`` lays out a list's filter form the same way everywhere (a crispy
Bootstrap grid row with a Filter button); ``FilterFormMixin`` gives a FilterSet's
form that helper.
"""

import django_filters
from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.models import Official, Unit


def filter_helper(columns, *, form_id=None):
    """A crispy helper for a GET filter form: one wrapping grid row, then a Filter button.

    ``columns`` are ``(field name, Bootstrap column classes)`` pairs; fields the
    form does not have (e.g. one hidden for a single government) are left out.
    """
    helper = FormHelper()
    helper.form_method = "get"
    helper.form_id = form_id
    helper.form_class = "row g-2 align-items-end my-3 no-print filter-form"
    helper.disable_csrf = True  # a GET form: a token would end up in the URL
    helper.render_unmentioned_fields = False
    helper.layout = Layout(
        *(Div(Field(name), css_class=css) for name, css in columns),
        Div(
            StrictButton(_("Filter"), type="submit", css_class="btn-outline-primary"),
            css_class="col-auto mb-3",
        ),
    )
    return helper


class FilterFormMixin:
    """Gives a FilterSet's form the crispy ``helper`` built from ``layout_columns``."""

    layout_columns = ()
    form_id = None

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            columns = [(name, css) for name, css in self.layout_columns if name in form.fields]
            form.helper = filter_helper(columns, form_id=self.form_id)
        return form


def _search(placeholder):
    return forms.TextInput(attrs={"type": "search", "placeholder": placeholder})


class UnitFilter(FilterFormMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=200,
        widget=_search(_("Name, abbreviation or code")),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Unit.Kind.choices, empty_label=_("All")
    )

    layout_columns = (("q", "col-md-5"), ("kind", "col-md-4"))

    class Meta:
        model = Unit
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(abbreviation__icontains=value) | Q(code__icontains=value)
        )


class OfficialFilter(FilterFormMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=200,
        widget=_search(_("Name, position or NIP")),
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=Unit.objects.none(), empty_label=_("All")
    )
    in_office = django_filters.BooleanFilter(label=_("In office today"), method="filter_in_office")

    layout_columns = (("q", "col-md-4"), ("unit", "col-md-4"), ("in_office", "col-md-2"))

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
