"""The public pages: no login, no session, no cookie; cached per data version.

Everything shown is read through ``transparency.selectors`` (what is public).
The body of the page is rendered without the request (no CSRF token, no user)
and cached per government data version, language and day, so a crowd of
visitors costs two queries each (the published government and the data versions)
plus the cache.
"""

import functools

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from tracker import data_version
from tracker.uploads import download_response
from transparency import opendata, selectors

# Shared caches (a proxy) may keep a public answer this long: unpublishing shows
# within a minute there, at once here.
PUBLIC_MAX_AGE = 60


def public(view):
    """GET/HEAD only, cacheable by shared caches, in the language asked with ?bahasa=.

    Visitors have no session and the public pages set no cookie, so the language
    comes from the address (?bahasa=en or ?bahasa=id), else from the visitor's
    language cookie, else Indonesian.
    """

    @functools.wraps(view)
    def in_language(request, *args, **kwargs):
        chosen = request.GET.get("bahasa")
        if chosen not in dict(settings.LANGUAGES):
            return view(request, *args, **kwargs)
        with translation.override(chosen):
            response = view(request, *args, **kwargs)
        response["Content-Language"] = chosen
        return response

    return require_safe(cache_control(public=True, max_age=PUBLIC_MAX_AGE)(in_language))


def _government(region_code):
    """The published government, or 404 (unknown and unpublished alike)."""
    return get_object_or_404(selectors.published_governments(), region_code=region_code)


def _parts(*parts):
    return (get_language(), timezone.localdate(), *parts)


@public
def public_page(request, region_code):
    """The transparency page of one government."""
    government = _government(region_code)

    def body():
        figures = selectors.cached_figures(government)
        return render_to_string(
            "transparency/includes/public_body.html",
            {
                "government": government,
                "intro": selectors.public_intro(government),
                "commitments": selectors.public_commitments(government),
                "reports": [p.report for p in selectors.published_reports(government)],
                **figures,
            },
        )

    html = data_version.cached(government.pk, ("public-page-body", *_parts()), body)
    return render(
        request,
        "transparency/public_page.html",
        {"government": government, "body": mark_safe(html)},  # noqa: S308 - our own template
    )


@public
def public_report(request, region_code, code):
    """A published report's PDF; any other code (or an unpublished report) is a 404."""
    government = _government(region_code)
    publication = get_object_or_404(
        selectors.published_reports(government), report__code=code.upper()
    )
    report = publication.report
    return download_response(
        report.file, f"laporan-tw{report.quarter}-{report.year}-{report.code}.pdf"
    )


@public
def open_data_csv(request, region_code):
    government = _government(region_code)
    figures = selectors.cached_figures(government)
    response = HttpResponse(opendata.as_csv(figures), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="data-{government.region_code}.csv"'
    return response


@public
def open_data_json(request, region_code):
    government = _government(region_code)
    figures = selectors.cached_figures(government)
    dictionary = request.build_absolute_uri(reverse("public-dictionary", args=[region_code]))
    return HttpResponse(
        opendata.as_json(government, figures, dictionary),
        content_type="application/json; charset=utf-8",
    )


@public
def data_dictionary(request, region_code):
    """What every field of the open data means, in the reader's language."""
    government = _government(region_code)
    return render(
        request,
        "transparency/data_dictionary.html",
        {"government": government, "fields": opendata.FIELDS},
    )
