"""The pages' FilterSets for the API lists, with id filters that tell nothing away.

The FilterSets of the pages (``tracker/filters.py``, ``programs/filters.py``,
``commitments/filters.py``) take the choices the user may pick from (their
units, commitments, ...) as keyword arguments; a view hands them over with
``filterset_kwargs(request)``, exactly as the page view does.

Ids in the API's filters: another government's record and a record that
does not exist must answer alike, or a prober learns which ids exist
elsewhere. The pages' FilterSets offer only the records the user sees
(``?unit=`` of programs and officials): both are "not one of the available
choices", a 400 with the same message. The filters a view declares by model
field (``filterset_fields``: ``?plan=`` of indicators) or as plain numbers
(``?program=`` of reports) would choose among every row, so here they filter
the user's visible list by a validated whole number: both give 200 and an
empty list, and an id no column holds (twenty digits) too, without reaching
the database; a value that is no whole number is a 400. A choice filter that
a view reads for itself (``?periode=``) answers an id beyond any column as a
missing one.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field

from tracker.forms import MAX_ID, parse_id

_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


class _NoSuchId:
    """An id no row can have (beyond any column, zero or negative): matches nothing."""

    def __repr__(self):
        return "NO_SUCH_ID"


NO_SUCH_ID = _NoSuchId()


class IdField(forms.CharField):
    """A record id: a whole number; one no column holds cleans to ``NO_SUCH_ID``."""

    default_error_messages = {"invalid": _("Enter a whole number (the id of a record).")}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if not _WHOLE_NUMBER.fullmatch(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        number = parse_id(value.removeprefix("+"))
        return NO_SUCH_ID if number is None else number


class IdFilter(django_filters.Filter):
    """``?name=<id>`` over the (already visible-only) list; a foreign id finds nothing."""

    field_class = IdField

    def filter(self, qs, value):
        if value is None:
            return qs
        if value is NO_SUCH_ID:
            return qs.none()
        return super().filter(qs, value)


def _is_id_filter(filter_, model, *, generated):
    """Whether ``filter_`` compares a record id over every row: a plain number, or a
    choice among all records (``generated`` from ``filterset_fields``), of a relation or
    primary key, exactly. A page FilterSet's own choices are the visible records: kept."""
    if type(filter_) is django_filters.ModelChoiceFilter:
        if not generated:
            return False
    elif type(filter_) is not django_filters.NumberFilter:
        return False
    if filter_.method is not None or filter_.lookup_expr != "exact":
        return False
    try:
        field = get_model_field(model, filter_.field_name)
    except FieldDoesNotExist:
        return False
    return field is not None and (field.is_relation or field.primary_key)


def _as_id_filter(filter_):
    replacement = IdFilter(
        field_name=filter_.field_name,
        label=filter_.label,
        distinct=filter_.distinct,
        exclude=filter_.exclude,
    )
    replacement.model = filter_.model
    replacement.parent = filter_.parent
    return replacement


class PageFilterBackend(DjangoFilterBackend):
    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        extra = getattr(view, "filterset_kwargs", None)
        if extra is not None:
            kwargs.update(extra(request))
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and kwargs.get("data") is not None:
            kwargs["data"] = _missing_for_unheld_ids(kwargs["data"], filterset_class)
        return kwargs

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        model = filterset._meta.model or queryset.model
        generated = getattr(view, "filterset_class", None) is None
        for name, filter_ in list(filterset.filters.items()):
            if _is_id_filter(filter_, model, generated=generated):
                filterset.filters[name] = _as_id_filter(filter_)
        filterset.__dict__.pop("_form", None)  # built from the filters as they are now
        return filterset


def _missing_for_unheld_ids(data, filterset_class):
    """The query ``data``, where a choice filter's id no column holds reads as a missing id.

    A view may read such a filter's value itself (``?periode=`` picks the
    quarter, and ignores what is no id); the filter then answers the twenty
    digit id as it answers any id without a record: not one of the choices.
    """
    names = [
        name
        for name, filter_ in filterset_class.base_filters.items()
        if isinstance(filter_, django_filters.ModelChoiceFilter) and filter_.method is not None
    ]
    changed = None
    for name in names:
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        fixed = [
            str(MAX_ID)
            if isinstance(value, str)
            and _WHOLE_NUMBER.fullmatch(value.strip())
            and parse_id(value.strip().removeprefix("+")) is None
            else value
            for value in values
        ]
        if fixed != values:
            changed = changed if changed is not None else data.copy()
            changed.setlist(name, fixed)
    return changed if changed is not None else data
