"""Permission-matrix cases: writing quarterly reports through the API (``api.report_urls``).

The same people as on the report's pages: DKISS (and the superuser) write
P01's report, Bappeda and the Administrator verify and return it; those who
only see it get 403, everyone else 404, and an anonymous request 401. The
report is P01's for 2022 Q1, an open quarter (P01 is made to run through 2022
with a plain save first).
"""

import datetime
import json

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.permission_roles import LOGGED_IN, SEES_DKISS, _commitment

# P01 is supported by BPBD and Satpol PP, which asda1 coordinates.
SEES_P01 = (*SEES_DKISS, "asda1")
WRITES_P01 = ("admin", "dkiss")
REVIEWS = ("admin", "pengelola", "bappeda")


def api_changers(ok, allowed):
    """``ok`` for ``allowed``, 403 for others who see P01, 404 for the rest, 401 anonymous."""
    statuses = {
        role: ok if role in allowed else 403 if role in SEES_P01 else 404 for role in LOGGED_IN
    }
    statuses[None] = 401
    return statuses


def _p01_in_2022():
    """P01, running through 2022, and the open 2022 Q1 of its government."""
    from programs import services
    from programs.models import Program, ReportingPeriod

    program = Program.objects.get(commitment=_commitment(), title="Layanan Panggilan Darurat 112")
    if program.end_date.year < 2022:
        program.end_date = datetime.date(2022, 12, 31)
        program.save()
    government = program.commitment.government
    period = ReportingPeriod.objects.filter(
        government=government, year=2022, quarter=1
    ).first() or services.open_period(actor=None, government=government, year=2022, quarter=1)
    return program, period


def _draft():
    from programs import reporting

    program, period = _p01_in_2022()
    return reporting.start_report(program, period, actor=None)


def _submitted():
    from programs import reporting

    return reporting.submit_report(_draft(), actor=None)


def _draft_with_evidence():
    from django.core.files.base import ContentFile

    from programs.models import ProgressEvidence

    item = ProgressEvidence(report=_draft(), sha256="0" * 64)
    item.file.save("bukti.pdf", ContentFile(b"%PDF-1.4 bukti"), save=True)
    return [item.report_id, item.pk]


def _locked_report():
    from programs.models import ProgressReport

    return ProgressReport.objects.get(
        program__title="Layanan Panggilan Darurat 112",
        period__government__region_code="36.72",
        period__year=2020,
        period__quarter=1,
    )


def _version(args):
    from programs.models import ProgressReport

    return ProgressReport.objects.get(pk=args[0]).version


def _json(extra=None):
    """A JSON body with the report's current version (the test client's ``data``)."""
    return lambda args: json.dumps({"version": _version(args), **(extra or {})})


def _as_json(args):
    """The test client's ``content_type`` argument, after the data."""
    return "application/json"


def _with_version(extra=None):
    return lambda args: {"version": _version(args), **(extra or {})}


def _pdf(args):
    return {"version": _version(args), "file": SimpleUploadedFile("rapat.pdf", b"%PDF-1.4 x")}


def _period_of_2022(args):
    return {"period": _p01_in_2022()[1].pk}


CASES = {
    "api report-start": (
        "api:report-start",
        lambda: [_p01_in_2022()[0].pk],
        "post",
        api_changers(201, WRITES_P01),
        _period_of_2022,
    ),
    "api report-content patch": (
        "api:report-content",
        lambda: [_draft().pk],
        "patch",
        api_changers(200, WRITES_P01),
        _json({"obstacles": "Sinyal lemah"}),
        _as_json,
    ),
    # Rows missing from a PUT are the writers' 400; the others never get that far.
    "api report-content put without rows": (
        "api:report-content",
        lambda: [_draft().pk],
        "put",
        api_changers(400, WRITES_P01),
        _json(),
        _as_json,
    ),
    # A verified report in a locked quarter: the writers are told why (400).
    "api report-content locked": (
        "api:report-content",
        lambda: [_locked_report().pk],
        "patch",
        api_changers(400, WRITES_P01),
        _json({"obstacles": "Terlambat"}),
        _as_json,
    ),
    "api report-evidence-upload": (
        "api:report-evidence-upload",
        lambda: [_draft().pk],
        "post",
        api_changers(201, WRITES_P01),
        _pdf,
    ),
    "api report-evidence-remove": (
        "api:report-evidence-remove",
        _draft_with_evidence,
        "delete",
        api_changers(204, WRITES_P01),
    ),
    "api report-submit": (
        "api:report-submit",
        lambda: [_draft().pk],
        "post",
        api_changers(200, WRITES_P01),
        _with_version(),
    ),
    "api report-verify": (
        "api:report-verify",
        lambda: [_submitted().pk],
        "post",
        api_changers(200, REVIEWS),
        _with_version(),
    ),
    "api report-return": (
        "api:report-return",
        lambda: [_submitted().pk],
        "post",
        api_changers(200, REVIEWS),
        _with_version({"reason": "Lampirkan bukti"}),
    ),
}
