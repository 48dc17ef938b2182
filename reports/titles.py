"""What a report is called: taken from the commitments it covers and the government.

A report of one commitment is named by that commitment's title ("LAPORAN
MONITORING DAN EVALUASI" over "KOMITMEN BERSAMA IMPLEMENTASI CILEGON SMART
CITY"); a report of several is a joint commitments' report, and its cover lists
them one line each. The cover, the pages' header, the title stored with the
issued report and its job, and the Excel sheet all read these functions, so no
title names a theme the government did not sign.
"""

from django.utils.translation import gettext as _

from tracker.formatting import format_quarter

# A commitment's title may be up to 300 characters; a report's title must fit
# the same 300 with its period and scope.
TITLE_IN_NAME = 160
ELLIPSIS = "…"


def shorten(text, limit):
    """``text`` on one line, cut at a word to at most ``limit`` characters with "…"."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,.;:-") + ELLIPSIS


def single(request):
    """The one commitment the report covers, or ``None`` if it covers several."""
    commitments = list(request.commitments)
    return commitments[0] if len(commitments) == 1 else None


def subject(request):
    """What the report is about, in a line: the commitment's title, or "Joint commitments"."""
    commitment = single(request)
    return " ".join(commitment.title.split()) if commitment is not None else _("Joint commitments")


def cover_heading(request):
    """The cover's first line (upper case, as the form prints it)."""
    if single(request) is not None:
        return _("MONITORING AND EVALUATION REPORT")
    return _("MONITORING AND EVALUATION REPORT ON THE JOINT COMMITMENTS")


def cover_commitments(request):
    """The commitments' titles in upper case, one line each, under the heading."""
    return [" ".join(c.title.split()).upper() for c in request.commitments]


def page_header(request, commitment_title=None):
    """The title at the top of every page: "Monev <commitment> · Triwulan III 2020".

    ``commitment_title`` replaces the commitment's own title (the PDF passes it
    shortened to fit the page's width).
    """
    values = {"quarter": format_quarter(request.quarter), "year": request.year}
    commitment = single(request)
    if commitment is None:
        return _("Joint commitment monitoring · Quarter %(quarter)s %(year)s") % values
    title = commitment_title if commitment_title is not None else commitment.title
    return _("Monitoring of %(commitment)s · Quarter %(quarter)s %(year)s") % {
        **values,
        "commitment": " ".join(title.split()),
    }


def report_name(request):
    """The report's name as issued reports and jobs list it (without "provisional")."""
    scope = request.unit.name if request.unit else request.government.name
    values = {"period": request.period, "scope": scope}
    commitment = single(request)
    if commitment is None:
        return _("Joint commitment monitoring report, %(period)s, %(scope)s") % values
    return _("Monitoring report of %(commitment)s, %(period)s, %(scope)s") % {
        **values,
        "commitment": shorten(commitment.title, TITLE_IN_NAME),
    }
