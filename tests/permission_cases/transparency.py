"""Permission-matrix cases: the transparency pages.

The public pages answer everyone alike, logged in or not, once the government
published its page (each case's data lambda publishes it first), and 404 for
everyone while it has not. The settings page is the Administrator's; choosing
the reports on the page is Bappeda's.
"""

from tests.permission_roles import LOGGED_IN, changers, everyone

WHOLE_GOVERNMENT = ("admin", "pengelola", "bappeda", "walikota")


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _government(code="36.72"):
    from tracker.models import Government

    return Government.objects.get(region_code=code)


def _published(code="36.72"):
    """Publish Kota Cilegon's page (the superuser may, for any government)."""
    from transparency import services

    government = _government(code)
    if not services.page_of(government).is_published:
        services.publish_page(actor=_user("admin"), government=government, reason="Terbuka")
    return [code]


def _issued_report():
    """A whole-government report of Kota Cilegon with a stand-in file."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reports.models import GeneratedReport

    report = GeneratedReport(
        government=_government(),
        year=2020,
        quarter=3,
        title="Laporan",
        sha256="0" * 64,
        size=14,
        source="web",
        generated_at=timezone.now(),
    )
    report.file.save("laporan.pdf", ContentFile(b"%PDF-1.4 uji"), save=True)
    return report


def _published_report():
    from transparency import services

    report = _issued_report()
    services.publish_report(actor=_user("bappeda"), report=report, reason="Terbit")
    return [*_published(), report.code]


def _reason(_args):
    return {"reason": "Layak terbit"}


PUBLIC = everyone(200, anonymous=200)
NOWHERE = everyone(404, anonymous=404)

CASES = {
    "transparency-settings": (
        "transparency-settings",
        lambda: [],
        "get",
        changers(200, visible=LOGGED_IN, allowed=("admin", "pengelola")),
    ),
    "transparency-reports": (
        "transparency-reports",
        lambda: [],
        "get",
        changers(200, visible=LOGGED_IN, allowed=("admin", "bappeda", "serang")),
    ),
    "transparency-report-publication": (
        "transparency-report-publication",
        lambda: [_issued_report().pk, "terbitkan"],
        "post",
        changers(302, visible=WHOLE_GOVERNMENT, allowed=("admin", "bappeda")),
        _reason,
    ),
    "public-page": ("public-page", _published, "get", PUBLIC),
    "public-page unpublished": ("public-page", lambda: ["36.73"], "get", NOWHERE),
    "public-page unknown": ("public-page", lambda: ["99.99"], "get", NOWHERE),
    "public-report": ("public-report", _published_report, "get", PUBLIC),
    "public-report unpublished": (
        "public-report",
        lambda: [*_published(), _issued_report().code],
        "get",
        NOWHERE,
    ),
    "public-data-csv": ("public-data-csv", _published, "get", PUBLIC),
    "public-data-json": ("public-data-json", _published, "get", PUBLIC),
    "public-dictionary": ("public-dictionary", _published, "get", PUBLIC),
    "public-data-csv unpublished": ("public-data-csv", lambda: ["36.73"], "get", NOWHERE),
}
