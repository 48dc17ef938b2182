"""The pages' FilterSets for the API lists.

The FilterSets of the pages (``tracker/filters.py``, ``programs/filters.py``,
``commitments/filters.py``) take the choices the user may pick from (their
units, commitments, ...) as keyword arguments; a view hands them over with
``filterset_kwargs(request)``, exactly as the page view does.
"""

from django_filters.rest_framework import DjangoFilterBackend


class PageFilterBackend(DjangoFilterBackend):
    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        extra = getattr(view, "filterset_kwargs", None)
        if extra is not None:
            kwargs.update(extra(request))
        return kwargs
