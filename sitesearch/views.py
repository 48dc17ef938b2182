"""The navbar's search: programs, commitments, units and indicators by name or code.

A page-assembling view, so it may put the apps together. Every kind is read
through its visible-to-user selector, so the search finds nothing the user
could not open; each kind is one query, whatever the number of matches.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from commitments.selectors import commitments_visible_to
from programs.selectors import indicators_visible_to, programs_visible_to
from tracker.selectors import units_visible_to

MAX_TERM = 200  # the lists' own ``q`` filters accept no more
PER_KIND = 20


def _kinds(user, term):
    """``(key, title, queryset, list URL or None)`` for each kind of record searched."""
    q_url = urlencode({"q": term})
    return [
        (
            "programs",
            _("Programs"),
            programs_visible_to(user)
            .filter(Q(title__icontains=term) | Q(code__icontains=term))
            .order_by("title", "pk"),
            # The program list searches titles and shows active programs unless asked.
            f"{reverse('program-list')}?{q_url}&state=all",
        ),
        (
            "commitments",
            _("Commitments"),
            commitments_visible_to(user)
            .filter(Q(title__icontains=term) | Q(document_number__icontains=term))
            .order_by("-date", "pk"),
            f"{reverse('commitment-list')}?{q_url}",
        ),
        (
            "units",
            _("Units"),
            units_visible_to(user)
            .filter(
                Q(name__icontains=term) | Q(abbreviation__icontains=term) | Q(code__icontains=term)
            )
            .order_by("name", "pk"),
            f"{reverse('unit-list')}?{q_url}",
        ),
        (
            "indicators",
            _("RPJMD indicators"),
            # The selector prefetches targets for the plan pages; a result line needs none.
            indicators_visible_to(user)
            .prefetch_related(None)
            .filter(Q(name__icontains=term) | Q(code__icontains=term))
            .order_by("code", "pk"),
            None,  # no indicator list to filter
        ),
    ]


@login_required
def search(request):
    """Results for ``?q=``: up to 20 of each kind, with a link to the filtered list."""
    term = request.GET.get("q", "").strip()
    error = ""
    groups = []
    if len(term) > MAX_TERM:
        error = _("The search term is too long: use at most %(max)s characters.") % {
            "max": MAX_TERM
        }
    elif term:
        for key, title, queryset, list_url in _kinds(request.user, term):
            rows = list(queryset[: PER_KIND + 1])  # one more tells whether there are more
            groups.append(
                {
                    "key": key,
                    "title": title,
                    "rows": rows[:PER_KIND],
                    "more": len(rows) > PER_KIND,
                    "list_url": list_url,
                }
            )
    return render(
        request,
        "sitesearch/search.html",
        {
            "term": term[:MAX_TERM],
            "error": error,
            "groups": groups,
            "found": sum(len(g["rows"]) for g in groups),
            "per_kind": PER_KIND,
        },
    )
