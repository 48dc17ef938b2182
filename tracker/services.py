"""Writes on the organisation. Views, the admin's callers, commands and the
seeding call these; none of them saves organisation models directly.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from tracker.history import save_tracked
from tracker.models import Government, Official, Profile, Unit
from tracker.policy import ROLE_GROUPS


@transaction.atomic
def create_government(*, actor, name, kind, region_code, place_name, reason=""):
    """Create a government (Pemda)."""
    government = Government(name=name, kind=kind, region_code=region_code, place_name=place_name)
    return save_tracked(government, actor=actor, reason=reason)


@transaction.atomic
def create_unit(
    *,
    actor,
    government,
    kind,
    code,
    name,
    abbreviation="",
    opd_type="",
    coordinator=None,
    parent=None,
    reason="",
):
    """Create a unit of ``government``; an OPD or Kecamatan may name its coordinating Asda."""
    unit = Unit(
        government=government,
        kind=kind,
        code=code,
        name=name,
        abbreviation=abbreviation,
        opd_type=opd_type,
        coordinator=coordinator,
        parent=parent,
    )
    return save_tracked(unit, actor=actor, reason=reason)


@transaction.atomic
def appoint_official(
    *,
    actor,
    unit,
    name,
    position,
    start_date,
    nip="",
    rank="",
    is_head=False,
    end_date=None,
    reason="",
):
    """Record that a person holds an office of ``unit`` from ``start_date``.

    The NIP may be typed with spaces; only its digits are stored.
    """
    official = Official(
        unit=unit,
        name=name,
        nip=nip,
        rank=rank,
        position=position,
        is_head=is_head,
        start_date=start_date,
        end_date=end_date,
    )
    return save_tracked(official, actor=actor, reason=reason)


@transaction.atomic
def end_term(official, *, actor, end_date, reason):
    """End an official's term on ``end_date`` (a reason is kept in the history)."""
    official.end_date = end_date
    return save_tracked(official, actor=actor, reason=reason)


def ensure_role_groups():
    """Create the role groups (Administrator, Bappeda, Pimpinan) if missing."""
    return {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_GROUPS}


@transaction.atomic
def create_user(
    *,
    actor,
    username,
    password,
    government=None,
    unit=None,
    is_unit_head=False,
    groups=(),
    full_name="",
    email="",
    is_superuser=False,
    reason="",
):
    """Create a user with their profile (government, unit) and role groups.

    A superuser needs no government; everyone else belongs to one.
    """
    User = get_user_model()
    first, _, last = full_name.partition(" ")
    user = User(
        username=username,
        first_name=first,
        last_name=last,
        email=email,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    if groups:
        available = ensure_role_groups()
        user.groups.set([available[name] for name in groups])
    if government is not None:
        profile = Profile(user=user, government=government, unit=unit, is_unit_head=is_unit_head)
        save_tracked(profile, actor=actor, reason=reason)
    return user
