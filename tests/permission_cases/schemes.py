"""Permission-matrix cases: the classification scheme pages (``programs.scheme_views``).

They are the pages of those who keep schemes: the superuser, and Bappeda and the
Administrator of a government (403 for everyone else). A shared (national)
scheme is read by every keeper and changed by the superuser only; a
government's own scheme is seen and changed by that government's keepers
(another government's: 404).
"""

from programs import scheme_services
from tests.factories import smart_city_scheme
from tests.permission_roles import _dkiss_unit, _serang_unit, only

KEEPERS = ("admin", "pengelola", "bappeda", "serang")
CILEGON_KEEPERS = ("admin", "pengelola", "bappeda")


def _shared():
    return [smart_city_scheme().pk]


def _own(government):
    return scheme_services.create_scheme(
        actor=None,
        government=government,
        name="Skema Reformasi Birokrasi",
        categories=[{"code": "rb-1", "name": "Manajemen Perubahan"}],
    ).pk


def _cilegon():
    return [_own(_dkiss_unit().government)]


def _serang():
    return [_own(_serang_unit().government)]


def _scheme_form(_args):
    return {
        "name": "Skema Zona Integritas",
        "description": "",
        "reason": "Uji",
        "category-TOTAL_FORMS": "1",
        "category-INITIAL_FORMS": "0",
        "category-0-code": "zi-1",
        "category-0-name": "Manajemen Perubahan",
    }


def _statuses(allowed, *, ok=200, hidden=(), **others):
    """``ok`` for ``allowed``, 404 for the keepers in ``hidden``, 403 for the rest."""
    statuses = only(*allowed, ok=ok, otherwise=403)
    statuses.update(dict.fromkeys(hidden, 404))
    statuses.update(others)
    return statuses


CASES = {
    "scheme-list": ("scheme-list", lambda: [], "get", _statuses(KEEPERS)),
    # the superuser first chooses a government (there are two): 200
    "scheme-create": ("scheme-create", lambda: [], "get", _statuses(KEEPERS)),
    "scheme-create post": (
        "scheme-create",
        lambda: [],
        "post",
        _statuses(KEEPERS, ok=302, admin=200),
        _scheme_form,
    ),
    "scheme-detail shared": ("scheme-detail", _shared, "get", _statuses(KEEPERS)),
    "scheme-detail cilegon": (
        "scheme-detail",
        _cilegon,
        "get",
        _statuses(CILEGON_KEEPERS, hidden=("serang",)),
    ),
    "scheme-detail serang": (
        "scheme-detail",
        _serang,
        "get",
        _statuses(("admin", "serang"), hidden=("pengelola", "bappeda")),
    ),
    # A shared scheme changes through the superuser only.
    "scheme-edit shared": ("scheme-edit", _shared, "get", _statuses(("admin",))),
    "scheme-edit cilegon": (
        "scheme-edit",
        _cilegon,
        "get",
        _statuses(CILEGON_KEEPERS, hidden=("serang",)),
    ),
    "scheme-edit cilegon post": (
        "scheme-edit",
        _cilegon,
        "post",
        _statuses(CILEGON_KEEPERS, ok=302, hidden=("serang",)),
        _scheme_form,
    ),
    "scheme-edit serang": (
        "scheme-edit",
        _serang,
        "get",
        _statuses(("admin", "serang"), hidden=("pengelola", "bappeda")),
    ),
}
