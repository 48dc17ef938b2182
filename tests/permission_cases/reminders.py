"""Permission-matrix cases: the collective leave-day page (``reminders``).

Everyone of a government reads its leave days (an account without a profile sees
an empty list); only the superuser and the government's Administrator
(``ADMINISTERS``) record or remove them: 403 for those who see a day but may not
change it, 404 for another government's day.
"""

import datetime

from django.utils import timezone

from reminders import calendar_services
from tests.permission_roles import (
    ADMINISTERS,
    LOGGED_IN,
    SEES_CILEGON_PLAN,
    _dkiss_unit,
    _serang_unit,
    changers,
    everyone,
)


def _leave_day(government):
    return calendar_services.add_leave_day(
        actor=None,
        government=government,
        date=datetime.date(timezone.localdate().year, 12, 24),
        name="Cuti bersama Natal",
    )


def _cilegon_day():
    return [_leave_day(_dkiss_unit().government).pk]


def _serang_day():
    return [_leave_day(_serang_unit().government).pk]


def _new_day(_args):
    return {"date": f"{timezone.localdate().year + 1}-12-26", "name": "Cuti bersama Natal"}


def _reason(_args):
    return {"reason": "Dibatalkan SKB"}


# Anyone of the government sees its leave days (the policy's "public within the
# government"); the superuser sees every government's.
SEES_CILEGON_DAY = SEES_CILEGON_PLAN
SEES_SERANG_DAY = ("admin", "serang")


def _manage(ok, visible):
    """``ok`` for Cilegon's changers, 403 for the others who see, 404 for the rest."""
    return changers(ok, visible=visible, allowed=ADMINISTERS)


CASES = {
    "leave-day-list": ("leave-day-list", lambda: [], "get", everyone()),
    # the superuser first chooses a government (there are two): 200
    "leave-day-create": ("leave-day-create", lambda: [], "get", _manage(200, LOGGED_IN)),
    "leave-day-create post": (
        "leave-day-create",
        lambda: [],
        "post",
        {**_manage(302, LOGGED_IN), "admin": 200},
        _new_day,
    ),
    "leave-day-delete cilegon": (
        "leave-day-delete",
        _cilegon_day,
        "get",
        _manage(200, SEES_CILEGON_DAY),
    ),
    "leave-day-delete cilegon post": (
        "leave-day-delete",
        _cilegon_day,
        "post",
        _manage(302, SEES_CILEGON_DAY),
        _reason,
    ),
    "leave-day-delete serang": (
        "leave-day-delete",
        _serang_day,
        "get",
        # Cilegon's Administrator does not reach Serang's: 404; Serang's Bappeda sees it.
        changers(200, visible=SEES_SERANG_DAY, allowed=("admin",)),
    ),
    "leave-day-delete missing": (
        "leave-day-delete",
        lambda: [999999],
        "get",
        _manage(404, ()),
    ),
}
