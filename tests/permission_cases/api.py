"""Permission-matrix cases: the REST API (/api/v1/) with a session, and the token pages.

An anonymous request gets 401 from the API (it answers JSON, it redirects no one);
a list answers 200 to every signed-in account (empty when it sees nothing), a
record outside the account's scope is a 404. The same URLs with tokens (another
government's, a revoked and an expired one) are in tests/api/test_token_matrix.py.

To add cases, add entries to ``CASES`` (the api-report helper's endpoints go in
``REPORT_CASES`` below, or a ``CASES.update`` of their own).
"""

from tests.permission_roles import (
    LOGGED_IN,
    SEES_CILEGON_PLAN,
    SEES_COMMITMENT,
    SEES_DKISS,
    SEES_SERANG,
    _cilegon_plan,
    _commitment,
    _dkiss_unit,
    _serang_plan,
    _serang_unit,
    everyone,
    only,
)

# P01 is supported by BPBD and Satpol PP, which asda1 coordinates.
SEES_P01 = (*SEES_DKISS, "asda1")


def api_only(*allowed):
    """``only`` for the API: 200 for ``allowed``, 404 for other accounts, 401 anonymous."""
    return {**only(*allowed), None: 401}


def api_everyone():
    return {**dict.fromkeys(LOGGED_IN, 200), None: 401}


def p01():
    from programs.models import Program

    return Program.objects.get(commitment=_commitment(), title="Layanan Panggilan Darurat 112")


def locked_report():
    from programs.models import ProgressReport

    return ProgressReport.objects.get(
        program=p01(), period__government__region_code="36.72", period__year=2020, period__quarter=1
    )


def cilegon_period():
    from programs.models import ReportingPeriod

    return ReportingPeriod.objects.get(government__region_code="36.72", year=2020, quarter=1)


def dkiss_head():
    from tracker.models import Official

    return Official.objects.filter(unit=_dkiss_unit(), is_head=True).first()


def serang_official():
    from tracker.models import Official

    return Official.objects.get(unit=_serang_unit())


def cilegon_indicator():
    from programs.models import Indicator

    return Indicator.objects.get(plan=_cilegon_plan(), code="IKU-1.1")


def serang_indicator():
    from programs.models import Indicator

    return Indicator.objects.get(plan=_serang_plan())


# (name, URL args, statuses) of every read URL; tests/api/test_token_matrix.py walks
# the same table with tokens.
READ_URLS = {
    "api schema": ("api:schema", lambda: [], api_everyone()),
    "api docs": ("api:docs", lambda: [], api_everyone()),
    "api unit-list": ("api:unit-list", lambda: [], api_everyone()),
    "api unit-detail dkiss": ("api:unit-detail", lambda: [_dkiss_unit().pk], api_only(*SEES_DKISS)),
    "api unit-detail serang": (
        "api:unit-detail",
        lambda: [_serang_unit().pk],
        api_only(*SEES_SERANG),
    ),
    "api official-list": ("api:official-list", lambda: [], api_everyone()),
    "api official-detail dkiss head": (
        "api:official-detail",
        lambda: [dkiss_head().pk],
        api_only(*SEES_DKISS),
    ),
    "api official-detail serang": (
        "api:official-detail",
        lambda: [serang_official().pk],
        api_only(*SEES_SERANG),
    ),
    "api plan-list": ("api:plan-list", lambda: [], api_everyone()),
    "api plan-detail cilegon": (
        "api:plan-detail",
        lambda: [_cilegon_plan().pk],
        api_only(*SEES_CILEGON_PLAN),
    ),
    "api plan-detail serang": (
        "api:plan-detail",
        lambda: [_serang_plan().pk],
        api_only(*SEES_SERANG),
    ),
    "api plan-achievements cilegon": (
        "api:plan-achievements",
        lambda: [_cilegon_plan().pk, 2020],
        api_only(*SEES_CILEGON_PLAN),
    ),
    "api plan-achievements serang": (
        "api:plan-achievements",
        lambda: [_serang_plan().pk, 2020],
        api_only(*SEES_SERANG),
    ),
    "api indicator-list": ("api:indicator-list", lambda: [], api_everyone()),
    "api indicator-detail cilegon": (
        "api:indicator-detail",
        lambda: [cilegon_indicator().pk],
        api_only(*SEES_CILEGON_PLAN),
    ),
    "api indicator-detail serang": (
        "api:indicator-detail",
        lambda: [serang_indicator().pk],
        api_only(*SEES_SERANG),
    ),
    "api period-list": ("api:period-list", lambda: [], api_everyone()),
    "api period-detail cilegon": (
        "api:period-detail",
        lambda: [cilegon_period().pk],
        api_only(*SEES_CILEGON_PLAN),
    ),
    "api commitment-list": ("api:commitment-list", lambda: [], api_everyone()),
    "api commitment-detail": (
        "api:commitment-detail",
        lambda: [_commitment().pk],
        api_only(*SEES_COMMITMENT),
    ),
    "api program-list": ("api:program-list", lambda: [], api_everyone()),
    "api program-detail p01": ("api:program-detail", lambda: [p01().pk], api_only(*SEES_P01)),
    "api report-list": ("api:report-list", lambda: [], api_everyone()),
    "api report-detail p01": (
        "api:report-detail",
        lambda: [locked_report().pk],
        api_only(*SEES_P01),
    ),
    "api report-detail missing": ("api:report-detail", lambda: [999999], api_only()),
}

CASES = {name: (url, args, "get", statuses) for name, (url, args, statuses) in READ_URLS.items()}


def _bappeda_token():
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from api import token_services

    user = get_user_model().objects.get(username="bappeda")
    token, _plaintext = token_services.create_token(
        user, "matrix", timezone.now() + datetime.timedelta(days=10)
    )
    return [token.pk]


# One's own API tokens: everyone has the page; a token is its owner's alone.
# /api/v1/ sends a signed-in browser to the documentation (anonymous: to the login).
CASES["api root"] = ("api:root", lambda: [], "get", everyone(302))
CASES["api-token-list"] = ("api-token-list", lambda: [], "get", everyone())
CASES["api-token-revoke"] = ("api-token-revoke", _bappeda_token, "get", only("bappeda"))
