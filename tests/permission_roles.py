"""Roles, accounts and status helpers shared by the permission matrix and the
per-area case modules in ``tests/permission_cases/``.

A case maps each role to the status it must get. ``only``, ``everyone`` and
``changers`` build those maps; the ``SEES_*`` tuples say who sees which record.
"""

from commitments.models import Commitment, Signature
from programs.models import Plan
from tracker.models import Profile, Unit


def _move_dkiss_to_dinkes():
    profile = Profile.objects.get(user__username="dkiss")
    profile.unit = _dinkes_unit()
    profile.save()


def _deactivate_dinkes():
    dinkes = _dinkes_unit()
    dinkes.is_active = False
    dinkes.save()


# Accounts changed just before the request with a plain save, the way the Django
# admin changes them (no service, no grant): access must follow the change at
# once. Each maps to (account to log in, the change, the role whose statuses it
# gets unless a case names it).
CHANGED_ROLES = {
    "dkiss moved to dinkes": ("dkiss", _move_dkiss_to_dinkes, "dinkes"),
    "dinkes, unit deactivated": ("dinkes", _deactivate_dinkes, "nobody"),
}


ROLES = [
    None,  # anonymous
    "admin",
    "pengelola",  # the Administrator of Kota Cilegon (not a superuser)
    "bappeda",
    "walikota",
    "asda1",
    "dkiss",
    "dinkes",
    "camat.cibeber",
    "serang",  # Bappeda of another government
    "nobody",  # an account without a profile
    *CHANGED_ROLES,  # a moved user, a member of a deactivated unit
]
LOGGED_IN = [r for r in ROLES if r and r not in CHANGED_ROLES]


CILEGON_USERS = ["pengelola", "bappeda", "walikota", "asda1", "dkiss", "dinkes", "camat.cibeber"]


def only(*allowed, ok=200, otherwise=404):
    """Status map: ``ok`` for the allowed roles, ``otherwise`` for other logged-in roles."""
    statuses = {role: (ok if role in allowed else otherwise) for role in LOGGED_IN}
    statuses[None] = 302
    return statuses


def everyone(status=200, anonymous=302):
    statuses = dict.fromkeys(LOGGED_IN, status)
    statuses[None] = anonymous
    return statuses


def _dkiss_unit():
    return Unit.objects.get(government__region_code="36.72", code="DKISS")


def _dinkes_unit():
    return Unit.objects.get(government__region_code="36.72", code="DINKES")


def _serang_unit():
    return Unit.objects.get(government__region_code="36.73", code="BAPPEDA")


def _cilegon_plan():
    return Plan.objects.get(government__region_code="36.72")


def _serang_plan():
    return Plan.objects.get(government__region_code="36.73")


# Who sees the DKISS records: the government-wide roles, DKISS itself (asda1
# coordinates Asda I units; DKISS is under Asda III).
SEES_DKISS = ("admin", "pengelola", "bappeda", "walikota", "dkiss")
SEES_DINKES = ("admin", "pengelola", "bappeda", "walikota", "asda1", "dinkes")
SEES_CILEGON_PLAN = ("admin", *CILEGON_USERS)
SEES_SERANG = ("admin", "serang")
# Who manages units, officials and accounts of Kota Cilegon: its Administrator.
ADMINISTERS = ("admin", "pengelola")


def _commitment():
    return Commitment.objects.get(government__region_code="36.72", date="2019-10-11")


def _signature(code):
    return Signature.objects.get(commitment=_commitment(), unit__code=code).pk


# Every Cilegon account's unit is a signatory of the Smart City commitment
# (Bappeda as an OPD, Walikota through the whole-government role).
SEES_COMMITMENT = ("admin", *CILEGON_USERS)
CHANGES_COMMITMENT = ("admin", "bappeda")


def changers(ok, *, visible=SEES_COMMITMENT, allowed=CHANGES_COMMITMENT):
    """``ok`` for those who may change, 403 for those who only see, 404 for the rest."""
    statuses = {
        role: ok if role in allowed else 403 if role in visible else 404 for role in LOGGED_IN
    }
    statuses[None] = 302
    return statuses
