"""Writes on the organisation. Views, the admin's callers, commands and the
seeding call these; none of them saves organisation models directly.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from tracker import policy
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


# --- Changes of access: each one is a history row with its actor and reason ---------------
#
# A user's access is derived from their profile (unit), role groups and active
# flag when each request builds its queries (``tracker/policy.py``), so these
# services only change the facts; they never copy rights onto people. Users and
# groups keep no history of their own, so a change of roles, of the active flag
# or of a grant is recorded as a history row on the profile (or the unit) whose
# reason says what changed, next to the actor.


def _record(obj, *, actor, what, reason):
    """Save ``obj`` (perhaps unchanged) so its history keeps ``what`` happened, who did it
    and why."""
    text = f"{what} — {reason}" if reason else what
    return save_tracked(obj, actor=actor, reason=text)


def _profile_of(user):
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        raise ValidationError(
            _("%(user)s has no profile; give them a government first.") % {"user": user}
        )
    return profile


@transaction.atomic
def move_user(user, *, actor, unit, reason, is_unit_head=False):
    """Move ``user`` to ``unit`` (``None``: no unit) of their government.

    From their next request they see and write what the new unit does, and
    nothing of the old one. ``is_unit_head`` says whether they head the new
    unit. Recorded in the profile's history with ``actor`` and ``reason``.
    """
    profile = _profile_of(user)
    profile.unit = unit
    profile.is_unit_head = is_unit_head
    save_tracked(profile, actor=actor, reason=reason)
    policy.forget(user)
    return profile


@transaction.atomic
def set_user_roles(user, *, actor, groups, reason):
    """Give ``user`` exactly the role groups named in ``groups`` (Administrator,
    Bappeda, Pimpinan); other groups they belong to are kept.

    Recorded in the profile's history (old -> new roles) with ``actor`` and ``reason``.
    """
    available = ensure_role_groups()
    unknown = set(groups) - set(available)
    if unknown:
        raise ValidationError(_("Unknown role: %(role)s") % {"role": ", ".join(sorted(unknown))})
    profile = _profile_of(user)
    before = sorted(user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True))
    user.groups.remove(*[available[name] for name in ROLE_GROUPS if name not in groups])
    user.groups.add(*[available[name] for name in groups])
    what = _("Roles: %(old)s → %(new)s") % {
        "old": ", ".join(before) or "—",
        "new": ", ".join(sorted(groups)) or "—",
    }
    _record(profile, actor=actor, what=what, reason=reason)
    policy.forget(user)
    return user


@transaction.atomic
def set_user_active(user, *, actor, active, reason):
    """Activate or deactivate ``user``'s account; a deactivated user signs in to nothing
    and sees nothing. Users are deactivated, never deleted, so history keeps who acted.

    Recorded in the profile's history with ``actor`` and ``reason``.
    """
    profile = _profile_of(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    what = _("Account activated") if active else _("Account deactivated")
    _record(profile, actor=actor, what=what, reason=reason)
    policy.forget(user)
    return user


def deactivate_user(user, *, actor, reason):
    """Deactivate ``user`` (see :func:`set_user_active`)."""
    return set_user_active(user, actor=actor, active=False, reason=reason)


@transaction.atomic
def set_unit_active(unit, *, actor, active, reason):
    """Activate or deactivate ``unit``. A deactivated unit gives its members nothing
    (their role groups still count); its records stay for the government-wide roles.

    Recorded in the unit's history with ``actor`` and ``reason``.
    """
    unit.is_active = active
    return save_tracked(unit, actor=actor, reason=reason)


UNIT_VIEW = "tracker.view_unit"


@transaction.atomic
def grant_unit_access(unit, *, actor, to, reason):
    """Let ``to`` (a user or a group) see ``unit``'s records, read-only: an explicit
    exception to the roles. Recorded in the unit's history with ``actor`` and ``reason``."""
    assign_perm(UNIT_VIEW, to, unit)
    _record(unit, actor=actor, what=_("Access granted to %(who)s") % {"who": to}, reason=reason)
    return unit


@transaction.atomic
def revoke_unit_access(unit, *, actor, to, reason):
    """Withdraw a grant made with :func:`grant_unit_access`. Recorded in the unit's history
    with ``actor`` and ``reason``."""
    remove_perm(UNIT_VIEW, to, unit)
    _record(unit, actor=actor, what=_("Access revoked from %(who)s") % {"who": to}, reason=reason)
    return unit
