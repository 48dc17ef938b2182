"""Permission-matrix cases: the bulk-entry workbooks (issue 25).

The setup workbook (units, officials and accounts) is for whoever sets up a
government: its Administrator, or the superuser (who first picks one of the two
governments; without one, the confirmation is refused). Everyone else: 403.
A unit's progress workbook is for a unit's head or operator, for a quarter of
their own government (another government's quarter: 404); every other role
(Bappeda, leadership, Asda, the Administrator): 403.
"""

from tests.permission_roles import ADMINISTERS, LOGGED_IN


def _statuses(ok, allowed, otherwise=403, **special):
    statuses = {role: ok if role in allowed else otherwise for role in LOGGED_IN}
    statuses[None] = 302
    statuses.update(special)
    return statuses


def _cilegon_period():
    from programs.models import ReportingPeriod

    return [ReportingPeriod.objects.get(government__region_code="36.72", year=2020, quarter=1).pk]


def _serang_period():
    from programs import services
    from tracker.models import Government

    serang = Government.objects.get(region_code="36.73")
    return [services.open_period(actor=None, government=serang, year=2020, quarter=1).pk]


# A unit's head or operator of Cilegon (the moved dkiss stays one; a member of a
# deactivated unit is nobody).
UNIT_MEMBERS = ("dkiss", "dinkes", "camat.cibeber")


def _no_file(_args):
    return {}


CASES = {
    # the superuser first chooses a government (there are two): 200
    "setup-import": ("setup-import", lambda: [], "get", _statuses(200, ADMINISTERS)),
    "setup-import post": (
        "setup-import",
        lambda: [],
        "post",
        _statuses(200, ADMINISTERS),  # no file: the form again, with its error
        _no_file,
    ),
    "setup-template": ("setup-template", lambda: [], "get", _statuses(200, ADMINISTERS)),
    "setup-import-apply": (
        "setup-import-apply",
        lambda: [],
        "post",
        # no waiting upload: back to the page; the superuser named no government: 403
        _statuses(302, ("pengelola",), admin=403),
        _no_file,
    ),
    "progress-workbook cilegon": (
        "progress-workbook",
        _cilegon_period,
        "get",
        _statuses(200, UNIT_MEMBERS),
    ),
    "progress-workbook serang": (
        "progress-workbook",
        _serang_period,
        "get",
        _statuses(404, UNIT_MEMBERS),
    ),
    "progress-workbook-download cilegon": (
        "progress-workbook-download",
        _cilegon_period,
        "get",
        _statuses(200, UNIT_MEMBERS),
    ),
    "progress-workbook-download serang": (
        "progress-workbook-download",
        _serang_period,
        "get",
        _statuses(404, UNIT_MEMBERS),
    ),
    "progress-workbook-apply cilegon": (
        "progress-workbook-apply",
        _cilegon_period,
        "post",
        _statuses(302, UNIT_MEMBERS),
        _no_file,
    ),
    "progress-workbook-apply serang": (
        "progress-workbook-apply",
        _serang_period,
        "post",
        _statuses(404, UNIT_MEMBERS),
        _no_file,
    ),
}
