"""The commitment list's filters (shared by the page and, later, the API).

``filter_helper`` lays out any list's filter form the same way (a crispy
Bootstrap grid row with a Filter button); the program list and the
verification queue use it too.
"""

import django_filters
from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment
from tracker.models import Government


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
