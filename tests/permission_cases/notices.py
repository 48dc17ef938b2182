"""Permission-matrix cases: notices (``notices``) and a period's deadline extensions
(``reminders``).

Notices are personal: everyone signed in has a list, a settings page and "mark
all read"; someone else's notice is a 404, exactly like a missing one. A
period's extensions are read by everyone of its government; Bappeda, the
Administrator (and the superuser) add one, the others who see the period get a
403, another government a 404.
"""

import datetime

from django.contrib.auth import get_user_model

from notices import services as notice_services
from programs.models import ReportingPeriod
from tests.permission_roles import (
    ADMINISTERS,
    SEES_CILEGON_PLAN,
    changers,
    everyone,
    only,
)


def _bappeda_notice():
    bappeda = get_user_model().objects.get(username="bappeda")
    (notice,) = notice_services.notify(
        [bappeda], subject="Laporan dikirim", body="DKISS mengirim laporan.", link="/"
    )
    return [notice.pk]


def _cilegon_period():
    return [
        ReportingPeriod.objects.filter(government__region_code="36.72", state="open")
        .order_by("-year", "-quarter")
        .first()
        .pk
    ]


def _serang_period():
    from programs import services

    period = services.open_period(
        actor=None,
        government=get_user_model().objects.get(username="serang").profile.government,
        year=2021,
        quarter=4,
    )
    return [period.pk]


def _extension(_args):
    return {
        "unit": "",
        "submission_deadline": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
        "reason": "Surat permohonan perpanjangan",
    }


def _preference(_args):
    return {"daily_digest": "1"}


# Bappeda and the Administrator of Kota Cilegon, and the superuser.
EXTENDS = ("admin", "bappeda", *ADMINISTERS)

CASES = {
    "notice-list": ("notice-list", lambda: [], "get", everyone()),
    "notice-settings": ("notice-settings", lambda: [], "get", everyone()),
    "notice-settings post": (
        "notice-settings",
        lambda: [],
        "post",
        everyone(302),
        _preference,
    ),
    "notice-read-all": ("notice-read-all", lambda: [], "post", everyone(302)),
    # Only its own person opens or marks a notice; for everyone else it does not exist.
    "notice-open own": ("notice-open", _bappeda_notice, "get", only("bappeda", ok=302)),
    "notice-read own": ("notice-read", _bappeda_notice, "post", only("bappeda", ok=302)),
    "notice-open missing": ("notice-open", lambda: [999999], "get", only()),
    "deadline-extension-list cilegon": (
        "deadline-extension-list",
        _cilegon_period,
        "get",
        only(*SEES_CILEGON_PLAN),
    ),
    "deadline-extension-list cilegon post": (
        "deadline-extension-list",
        _cilegon_period,
        "post",
        changers(302, visible=SEES_CILEGON_PLAN, allowed=EXTENDS),
        _extension,
    ),
    "deadline-extension-list serang": (
        "deadline-extension-list",
        _serang_period,
        "get",
        only("admin", "serang"),
    ),
    "deadline-extension-list missing": (
        "deadline-extension-list",
        lambda: [999999],
        "get",
        only(),
    ),
}
