"""Writes on the organisation. Views, the admin's callers, commands and the
seeding call these; none of them saves organisation models directly.

Accounts (invitations, a person's name and email) are in ``tracker/accounts.py``.
"""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from tracker import policy
from tracker.history import save_tracked
from tracker.models import Government, Official, Profile, Unit
from tracker.policy import ADMINISTRATOR_GROUP, ROLE_GROUPS


@transaction.atomic
def create_government(*, actor, name, kind, region_code, place_name, reason=""):
    """Create a government (Pemda)."""
    government = Government(name=name, kind=kind, region_code=region_code, place_name=place_name)
    return save_tracked(government, actor=actor, reason=reason)


# A Kemendagri code of a province ("36") or a kota/kabupaten ("36.72").
REGION_CODE = re.compile(r"\d{2}(\.\d{2,4})?")


@transaction.atomic
def start_government(
    *,
    actor,
    region_code,
    name,
    kind,
    place_name,
    admin_username,
    admin_email,
    admin_full_name,
    request_or_site_url,
    reason="",
):
    """Start a new government: the government, the role groups and its first
    Administrator (no unit), who is emailed a link to set their own password.

    Only a superuser starts one (or the system, ``actor=None``: the
    ``create_government`` command). A region code that exists already is
    refused, and so is anything wrong with the Administrator's account; either
    way nothing is created. Returns the :class:`tracker.accounts.Invitation`
    (its ``link`` is what the email carries). From there the government's
    Administrator and Bappeda do the rest in the app.
    """
    # accounts builds on this module (create_user), so it is imported here.
    from tracker import accounts

    if actor is not None and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser starts a new government."))
    region_code = (region_code or "").strip()
    if not REGION_CODE.fullmatch(region_code):
        raise ValidationError(
            {"region_code": _("Write the Kemendagri region code as digits and a dot, e.g. 36.72.")}
        )
    existing = Government.objects.filter(region_code=region_code).first()
    if existing is not None:
        raise ValidationError(
            {
                "region_code": _(
                    "A government with the code %(code)s exists already: %(name)s. "
                    "Nothing was created."
                )
                % {"code": region_code, "name": existing.name}
            }
        )
    government = create_government(
        actor=actor,
        name=name,
        kind=kind,
        region_code=region_code,
        place_name=place_name,
        reason=reason,
    )
    ensure_role_groups()
    return accounts.invite_user(
        actor=actor,
        government=government,
        username=admin_username,
        full_name=admin_full_name,
        email=admin_email,
        unit=None,
        role=ADMINISTRATOR_GROUP,
        is_unit_head=False,
        reason=reason,
        request_or_site_url=request_or_site_url,
    )


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
    _check_code_free(unit)
    return save_tracked(unit, actor=actor, reason=reason)


# What update_unit may change: never the government.
UNIT_FIELDS = ("kind", "code", "name", "abbreviation", "opd_type", "coordinator", "parent")


@transaction.atomic
def update_unit(unit, *, actor, reason, **fields):
    """Change a unit's name, abbreviation, code, kind, OPD type, coordinating Asda or
    parent (``fields`` names them; a unit never changes government).

    The coordinating Asda and the parent must be units of the same government;
    an Asda that still coordinates units keeps its kind until they have another
    Asda; a unit cannot sit under itself. Recorded in the unit's history with
    ``actor`` and ``reason`` (required). On bad input nothing changes, ``unit``
    included.
    """
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"update_unit() cannot change {', '.join(sorted(unknown))}")
    require_reason(reason)
    before = Unit.objects.get(pk=unit.pk)
    for name, value in fields.items():
        setattr(unit, name, value)
    try:
        if before.kind == Unit.Kind.ASDA and unit.kind != Unit.Kind.ASDA:
            coordinated = before.coordinated_units.count()
            if coordinated:
                raise ValidationError(
                    {
                        "kind": _(
                            "%(unit)s coordinates %(count)d units: give them another Asda "
                            "before changing its kind."
                        )
                        % {"unit": before, "count": coordinated}
                    }
                )
        _check_code_free(unit)
        _check_not_under_itself(unit)
        return save_tracked(unit, actor=actor, reason=reason)
    except ValidationError:
        unit.refresh_from_db()
        raise


def _check_code_free(unit):
    """A unit's code is unique within its government: name the unit that holds it."""
    holder = (
        Unit.objects.filter(government_id=unit.government_id, code=unit.code)
        .exclude(pk=unit.pk)
        .first()
    )
    if holder is not None:
        raise ValidationError(
            {
                "code": _("The code %(code)s is already used by %(unit)s.")
                % {"code": unit.code, "unit": holder.name}
            }
        )


def _check_not_under_itself(unit):
    """Refuse a parent that is the unit itself or one of the units below it."""
    seen = set()
    parent_id = unit.parent_id
    while parent_id is not None and parent_id not in seen:
        if parent_id == unit.pk:
            raise ValidationError(
                {"parent": _("A unit cannot be placed under itself or a unit below it.")}
            )
        seen.add(parent_id)
        parent_id = Unit.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()


def require_reason(reason):
    """Refuse an empty reason: a change that needs one keeps it in the history."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why: the reason is kept in the history.")})


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


# What update_official may change.
OFFICIAL_FIELDS = ("unit", "name", "nip", "rank", "position", "is_head", "start_date", "end_date")


@transaction.atomic
def update_official(official, *, actor, reason, **fields):
    """Correct an official's record (``fields`` names what changes).

    The unit may change only to another unit of the same government; the
    term's end may not come before its start, and two heads of one unit may
    not overlap (the message names the other person). Recorded in the
    official's history with ``actor`` and ``reason`` (required). On bad input
    nothing changes, ``official`` included.
    """
    unknown = set(fields) - set(OFFICIAL_FIELDS)
    if unknown:
        raise TypeError(f"update_official() cannot change {', '.join(sorted(unknown))}")
    require_reason(reason)
    # The stored unit's government, not that of a unit a form may have put on the object.
    government_id = (
        Official.objects.filter(pk=official.pk).values_list("unit__government_id", flat=True).get()
    )
    for name, value in fields.items():
        setattr(official, name, value)
    try:
        if official.unit.government_id != government_id:
            raise ValidationError({"unit": _("Choose a unit of the same government as before.")})
        return save_tracked(official, actor=actor, reason=reason)
    except ValidationError:
        official.refresh_from_db()
        raise


@transaction.atomic
def end_term(official, *, actor, end_date, reason):
    """End an official's term on ``end_date``; the reason (required) is kept in the history."""
    require_reason(reason)
    official.end_date = end_date
    try:
        return save_tracked(official, actor=actor, reason=reason)
    except ValidationError:
        official.refresh_from_db()
        raise


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

    A superuser needs no government; everyone else belongs to one. With
    ``password=None`` the account gets an unusable password: the person sets
    their own through an emailed link (``tracker.accounts.invite_user``).
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
    if password is None:
        user.set_unusable_password()
    else:
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


def _is_self(actor, user):
    return actor is not None and actor.pk is not None and actor.pk == user.pk


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
    moved = (profile.unit_id, profile.is_unit_head) != (getattr(unit, "pk", None), is_unit_head)
    profile.unit = unit
    profile.is_unit_head = is_unit_head
    save_tracked(profile, actor=actor, reason=reason)
    if moved:
        _access_changed(user, profile, actor=actor, reason=reason)
    policy.forget(user)
    return profile


@transaction.atomic
def set_user_roles(user, *, actor, groups, reason):
    """Give ``user`` exactly the role groups named in ``groups`` (Administrator,
    Bappeda, Pimpinan); other groups they belong to are kept.

    Nobody removes their own Administrator role (another Administrator does),
    so a government is never left without one by a slip. Recorded in the
    profile's history (old -> new roles) with ``actor`` and ``reason``.
    """
    available = ensure_role_groups()
    unknown = set(groups) - set(available)
    if unknown:
        raise ValidationError(_("Unknown role: %(role)s") % {"role": ", ".join(sorted(unknown))})
    profile = _profile_of(user)
    before = sorted(user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True))
    if (
        _is_self(actor, user)
        and ADMINISTRATOR_GROUP in before
        and ADMINISTRATOR_GROUP not in groups
    ):
        raise ValidationError(
            _("You cannot remove your own Administrator role; ask another Administrator.")
        )
    user.groups.remove(*[available[name] for name in ROLE_GROUPS if name not in groups])
    user.groups.add(*[available[name] for name in groups])
    what = _("Roles: %(old)s → %(new)s") % {
        "old": ", ".join(before) or "—",
        "new": ", ".join(sorted(groups)) or "—",
    }
    _record(profile, actor=actor, what=what, reason=reason)
    if sorted(set(groups)) != before:
        _access_changed(user, profile, actor=actor, reason=reason)
    policy.forget(user)
    return user


# Apps that hold something derived from a user's access (the API's tokens) say here
# what to do when it changes (api/apps.py): the core knows no app.
_ACCESS_CHANGE_HANDLERS = []


def on_access_change(handler):
    """Register ``handler(user)``, run after a change of ``user``'s roles or unit.

    What it returns (a text, or nothing) is recorded in the history of the
    user's profile with the change's actor and reason: e.g. the API's tokens
    revoked, since a token made for the old rights must be made again, knowingly.
    """
    if handler not in _ACCESS_CHANGE_HANDLERS:
        _ACCESS_CHANGE_HANDLERS.append(handler)
    return handler


def _access_changed(user, profile, *, actor, reason):
    """Run the registered handlers after a role or unit change, recording what they did."""
    for handler in _ACCESS_CHANGE_HANDLERS:
        what = handler(user)
        if what:
            _record(profile, actor=actor, what=what, reason=reason)


@transaction.atomic
def set_user_active(user, *, actor, active, reason):
    """Activate or deactivate ``user``'s account; a deactivated user signs in to nothing
    and sees nothing. Users are deactivated, never deleted, so history keeps who acted.

    Nobody deactivates their own account (another Administrator does).
    Recorded in the profile's history with ``actor`` and ``reason``.
    """
    if not active and _is_self(actor, user):
        raise ValidationError(
            _("You cannot deactivate your own account; ask another Administrator.")
        )
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
