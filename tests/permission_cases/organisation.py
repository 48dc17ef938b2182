"""Permission-matrix cases: organisation pages (units, officials, accounts, a new
government) and one's own password and email, "forgot password" included.

Only the superuser and Cilegon's Administrator (``ADMINISTERS``) change Cilegon's
units, officials and accounts; who sees a unit or official but may not change it
gets 403 on the write pages, anyone else 404. Accounts are seen by those who
manage them only: 404 for everyone else (403 on the list and the invitation
form, which name no account). The "forgot password" pages are for anyone,
signed in or not.
"""

from django.contrib.auth import get_user_model

from tests.permission_roles import (
    ADMINISTERS,
    LOGGED_IN,
    SEES_DKISS,
    SEES_SERANG,
    _dinkes_unit,
    _dkiss_unit,
    _serang_unit,
    changers,
    everyone,
    only,
)
from tracker import services
from tracker.models import Official, Profile

# Who sees Dinkes once it is deactivated: its own member no longer does; Asda I,
# who coordinates it, still does.
SEES_INACTIVE_DINKES = ("admin", "pengelola", "bappeda", "walikota", "asda1")


def _reason(_args):
    return {"reason": "Uji matriks"}


def _dkiss_head():
    return Official.objects.filter(unit=_dkiss_unit(), is_head=True).first()


def _serang_official():
    return Official.objects.get(unit=_serang_unit())


def _user(username):
    return get_user_model().objects.get(username=username)


def _deactivated_dinkes():
    unit = _dinkes_unit()
    services.set_unit_active(unit, actor=None, active=False, reason="Uji")
    return unit


def _deactivated_account():
    """A Cilegon account that was deactivated (none of the matrix's own roles)."""
    user = services.create_user(
        actor=None,
        username="pensiun",
        password=None,
        government=_dkiss_unit().government,
        unit=_dkiss_unit(),
    )
    services.set_user_active(user, actor=None, active=False, reason="Pensiun")
    return user


def _manage(ok, visible=LOGGED_IN, allowed=ADMINISTERS):
    return changers(ok, visible=visible, allowed=allowed)


CASES = {
    # --- units ---
    # the superuser first chooses a government (there are two): 200 as well
    "unit-create": ("unit-create", lambda: [], "get", _manage(200)),
    "unit-create post": ("unit-create", lambda: [], "post", _manage(200)),
    "unit-edit dkiss": ("unit-edit", lambda: [_dkiss_unit().pk], "get", _manage(200, SEES_DKISS)),
    "unit-edit dkiss post": (
        "unit-edit",
        lambda: [_dkiss_unit().pk],
        "post",
        _manage(200, SEES_DKISS),
    ),
    "unit-edit serang": (
        "unit-edit",
        lambda: [_serang_unit().pk],
        "get",
        _manage(200, SEES_SERANG, ("admin",)),
    ),
    "unit-deactivate dkiss": (
        "unit-deactivate",
        lambda: [_dkiss_unit().pk],
        "get",
        _manage(200, SEES_DKISS),
    ),
    "unit-deactivate dkiss post": (
        "unit-deactivate",
        lambda: [_dkiss_unit().pk],
        "post",
        _manage(302, SEES_DKISS),
        _reason,
    ),
    "unit-deactivate serang post": (
        "unit-deactivate",
        lambda: [_serang_unit().pk],
        "post",
        _manage(302, SEES_SERANG, ("admin",)),
        _reason,
    ),
    "unit-reactivate dinkes": (
        "unit-reactivate",
        lambda: [_deactivated_dinkes().pk],
        "get",
        _manage(200, SEES_INACTIVE_DINKES),
    ),
    "unit-reactivate dinkes post": (
        "unit-reactivate",
        lambda: [_deactivated_dinkes().pk],
        "post",
        _manage(302, SEES_INACTIVE_DINKES),
        _reason,
    ),
    # --- officials ---
    "official-create": ("official-create", lambda: [], "get", _manage(200)),
    "official-create post": ("official-create", lambda: [], "post", _manage(200)),
    "official-edit dkiss head": (
        "official-edit",
        lambda: [_dkiss_head().pk],
        "get",
        _manage(200, SEES_DKISS),
    ),
    "official-edit dkiss head post": (
        "official-edit",
        lambda: [_dkiss_head().pk],
        "post",
        _manage(200, SEES_DKISS),
    ),
    "official-edit serang": (
        "official-edit",
        lambda: [_serang_official().pk],
        "get",
        _manage(200, SEES_SERANG, ("admin",)),
    ),
    "official-end dkiss head": (
        "official-end",
        lambda: [_dkiss_head().pk],
        "get",
        _manage(200, SEES_DKISS),
    ),
    "official-end dkiss head post": (
        "official-end",
        lambda: [_dkiss_head().pk],
        "post",
        _manage(200, SEES_DKISS),
    ),
    "official-end serang post": (
        "official-end",
        lambda: [_serang_official().pk],
        "post",
        _manage(200, SEES_SERANG, ("admin",)),
    ),
    # --- accounts ---
    "user-list": ("user-list", lambda: [], "get", _manage(200)),
    "user-create": ("user-create", lambda: [], "get", _manage(200)),
    "user-create post": ("user-create", lambda: [], "post", _manage(200)),
    "user-detail dkiss": ("user-detail", lambda: [_user("dkiss").pk], "get", only(*ADMINISTERS)),
    "user-detail serang": ("user-detail", lambda: [_user("serang").pk], "get", only("admin")),
    # a superuser's account is for superusers only
    "user-detail admin": ("user-detail", lambda: [_user("admin").pk], "get", only("admin")),
    "user-edit dkiss": ("user-edit", lambda: [_user("dkiss").pk], "get", only(*ADMINISTERS)),
    "user-edit dkiss post": (
        "user-edit",
        lambda: [_user("dkiss").pk],
        "post",
        only(*ADMINISTERS),
    ),
    "user-edit serang": ("user-edit", lambda: [_user("serang").pk], "get", only("admin")),
    "user-deactivate dkiss": (
        "user-deactivate",
        lambda: [_user("dkiss").pk],
        "get",
        only(*ADMINISTERS),
    ),
    "user-deactivate dkiss post": (
        "user-deactivate",
        lambda: [_user("dkiss").pk],
        "post",
        only(*ADMINISTERS, ok=302),
        _reason,
    ),
    "user-deactivate serang post": (
        "user-deactivate",
        lambda: [_user("serang").pk],
        "post",
        only("admin", ok=302),
        _reason,
    ),
    "user-reactivate": (
        "user-reactivate",
        lambda: [_deactivated_account().pk],
        "get",
        only(*ADMINISTERS),
    ),
    "user-reactivate post": (
        "user-reactivate",
        lambda: [_deactivated_account().pk],
        "post",
        only(*ADMINISTERS, ok=302),
        _reason,
    ),
    # dkiss has set a password: the managers are told so, back on the account page
    "user-invite-resend dkiss": (
        "user-invite-resend",
        lambda: [_user("dkiss").pk],
        "post",
        only(*ADMINISTERS, ok=302),
    ),
    "user-invite-resend serang": (
        "user-invite-resend",
        lambda: [_user("serang").pk],
        "post",
        only("admin", ok=302),
    ),
    "history profile dkiss": (
        "history",
        lambda: ["tracker", "profile", Profile.objects.get(user__username="dkiss").pk],
        "get",
        only(*ADMINISTERS),
    ),
    "history profile serang": (
        "history",
        lambda: ["tracker", "profile", Profile.objects.get(user__username="serang").pk],
        "get",
        only("admin"),
    ),
    # --- a new government: superusers only ---
    "government-create": ("government-create", lambda: [], "get", only("admin", otherwise=403)),
    "government-create post": (
        "government-create",
        lambda: [],
        "post",
        only("admin", otherwise=403),
    ),
    # --- one's own account ---
    "password_change": ("password_change", lambda: [], "get", everyone()),
    "password_change post": ("password_change", lambda: [], "post", everyone()),
    "account-email": ("account-email", lambda: [], "get", everyone()),
    "account-email post": ("account-email", lambda: [], "post", everyone()),
    # --- forgot password: anyone ---
    "password_reset": ("password_reset", lambda: [], "get", everyone(anonymous=200)),
    "password_reset post": ("password_reset", lambda: [], "post", everyone(anonymous=200)),
    "password_reset_done": ("password_reset_done", lambda: [], "get", everyone(anonymous=200)),
    "password_reset_confirm bad link": (
        "password_reset_confirm",
        lambda: ["MQ", "nicht-gueltig"],
        "get",
        everyone(anonymous=200),
    ),
    "password_reset_complete": (
        "password_reset_complete",
        lambda: [],
        "get",
        everyone(anonymous=200),
    ),
}
