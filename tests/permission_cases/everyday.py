"""Permission-matrix cases: everyday pages (search, exports, late milestones)."""

from tests.permission_roles import LOGGED_IN, changers, everyone

CASES = {}

# The navbar search: every logged-in user gets the page (it lists only what they may see).
CASES["search"] = ("search", lambda: [], "get", everyone())

# The late milestones behind the dashboard: who may see the dashboard gets the
# page, every other logged-in user the same 403 page as on the dashboard.
DASHBOARD_READERS = ("admin", "pengelola", "bappeda", "walikota", "asda1", "serang")
CASES["late-milestones"] = (
    "late-milestones",
    lambda: [],
    "get",
    changers(200, visible=LOGGED_IN, allowed=DASHBOARD_READERS),
)


def _evidence_of_an_open_report():
    """A DKISS report in an open quarter with one evidence file (a tiny stand-in)."""
    from django.core.files.base import ContentFile

    from programs.models import Program, ProgressEvidence, ProgressReport

    program = Program.objects.get(title="Layanan Panggilan Darurat 112")
    report = ProgressReport.objects.get(program=program, period__year=2021, period__quarter=4)
    item = ProgressEvidence(report=report, sha256="0" * 64)
    item.file.save("bukti-hapus.pdf", ContentFile(b"%PDF-1.4 bukti"), save=True)
    return [report.pk, item.pk]


# Removing evidence: the owner unit's writers (and the superuser); those who see
# the report get 403, the rest 404.
SEES_P01 = ("admin", "pengelola", "bappeda", "walikota", "asda1", "dkiss")
CASES["report-evidence-remove"] = (
    "report-evidence-remove",
    _evidence_of_an_open_report,
    "post",
    changers(302, visible=SEES_P01, allowed=("admin", "dkiss")),
)
