"""The permission policy: who may see and change what. One place decides.

Roles
    * superuser: everything, in every government.
    * Administrator (group): sees everything of their government; manages units,
      officials and users; may verify progress reports (see "Review" below).
    * Bappeda (group): sees everything of their government; manages the plan
      and (in later apps) commitments, programs and verification.
    * Pimpinan (group): leadership; sees everything of their government, read-only.
    * Asda: a user whose unit is an Asda unit; sees their Asda unit and the
      units it coordinates, read-only.
    * Unit head / operator: a user of any other unit; sees their unit's records.
    * Anyone else (no profile, inactive, anonymous, or a member of a
      deactivated unit): nothing.

Nobody but a superuser sees another government's records.

Access follows the current facts
    Nothing about a unit member's access is stored per user: it is derived,
    each time a queryset is built, from the user's profile (unit, groups,
    active flag) and the record's unit paths as they are now (a program's
    owner unit and supporting units, for instance). So moving a user to
    another unit, changing a program's owner or supporting units, or
    deactivating a unit counts from the next request, whichever screen,
    command or admin form made the change. The actor computed for a request
    is cached on that request's user object only.

Explicit exceptions
    Beyond the roles, a user (or a group) can be given an explicit object
    permission on a unit with django-guardian (``tracker.view_unit``); that adds
    the unit's records to what the user sees (read-only). Guardian grants on
    other objects (per-user program grants written by earlier versions, for
    instance) open nothing. Django's model-level permissions (``auth.Permission``
    on a user or group) never imply access to records: they only matter in the
    Django admin, which is open to superusers alone.

Review (separation of duties)
    Bappeda, the Administrator and superusers verify and return records such
    as progress reports, except a record of their own unit and one they wrote
    or submitted themselves; :func:`review_refusals` says why not.

How records reach a unit
    The policy does not import the apps. Each app registers its models with
    :func:`register`, naming the lookup path from the model to its government
    and, for records owned by a unit, to that unit (and to any further units
    whose members see it). A record without a unit path (the RPJMD plan, for
    instance) is public within its government. A model registered as ``shared``
    may also have records of no government (national reference data such as a
    classification scheme): everyone with a role reads them, only a superuser
    changes them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from tracker.models import Profile, Unit

ADMINISTRATOR_GROUP = "Administrator"
BAPPEDA_GROUP = "Bappeda"
PIMPINAN_GROUP = "Pimpinan"
ROLE_GROUPS = (ADMINISTRATOR_GROUP, BAPPEDA_GROUP, PIMPINAN_GROUP)


class Role(StrEnum):
    SUPERUSER = "superuser"
    ADMINISTRATOR = "administrator"
    BAPPEDA = "bappeda"
    PIMPINAN = "pimpinan"
    ASDA = "asda"
    UNIT_HEAD = "unit_head"
    UNIT_OPERATOR = "unit_operator"
    NONE = "none"


# Roles that see every record of their own government.
GOVERNMENT_WIDE_ROLES = frozenset({Role.ADMINISTRATOR, Role.BAPPEDA, Role.PIMPINAN})
UNIT_ROLES = frozenset({Role.UNIT_HEAD, Role.UNIT_OPERATOR})
# Roles that verify and return (subject to the separation of duties).
REVIEWER_ROLES = frozenset({Role.SUPERUSER, Role.ADMINISTRATOR, Role.BAPPEDA})


@dataclass(frozen=True)
class Scope:
    """How records of one model reach their government and their units.

    ``government`` and ``unit`` are ORM lookup paths ("pk" for the model
    itself); ``unit`` leads to the owning unit. ``seen_by`` names further unit
    paths whose members see the records too, read-only (a program's
    supporting units). ``unit_paths`` is every unit path with whether it
    crosses a to-many relation (``unit_is_many`` forces it for the owning
    path); those are matched through a subquery so a record shared by two
    visible units is listed once.

    ``changed_by`` lists the roles that may change such records (a superuser
    always may); ``written_by_unit`` lets members of the owning unit (as it is
    now) change them too. ``authors``, if given, maps a list of records to
    ``{pk: set of user ids}`` of the people who wrote or submitted each: they
    may not review it.
    """

    government: str
    unit: str | None = None
    unit_is_many: bool = False
    seen_by: tuple = ()
    unit_paths: tuple = ()
    changed_by: frozenset = field(default_factory=frozenset)
    written_by_unit: bool = False
    authors: Callable | None = None
    shared: bool = False


_SCOPES = {}


def register(
    model,
    *,
    government,
    unit=None,
    unit_is_many=False,
    seen_by=(),
    changed_by=(),
    written_by_unit=False,
    authors=None,
    shared=False,
):
    """Tell the policy how ``model``'s records reach a government and their units.

    See :class:`Scope` for the arguments; ``shared``: records whose government is
    empty belong to every government (read-only but for a superuser). Call it from
    an app's ``ready()``.
    """
    paths = []
    if unit:
        paths.append((unit, unit_is_many or _crosses_many(model, unit)))
    paths += [(path, _crosses_many(model, path)) for path in seen_by]
    _SCOPES[model] = Scope(
        government=government,
        unit=unit,
        unit_is_many=unit_is_many,
        seen_by=tuple(seen_by),
        unit_paths=tuple(paths),
        changed_by=frozenset(changed_by),
        written_by_unit=written_by_unit,
        authors=authors,
        shared=shared,
    )


def _crosses_many(model, path):
    """Whether the lookup ``path`` from ``model`` crosses a to-many relation."""
    for name in path.split("__"):
        if name == "pk":
            return False
        relation = model._meta.get_field(name)
        if relation.many_to_many or relation.one_to_many:
            return True
        model = relation.related_model
        if model is None:
            return False
    return False


def scope_of(model):
    try:
        return _SCOPES[model]
    except KeyError:
        raise LookupError(
            f"{model.__name__} is not registered with the permission policy"
        ) from None


def registered_models():
    return list(_SCOPES)


@dataclass(frozen=True)
class Actor:
    """What the policy needs to know about a user, computed once per request."""

    role: Role
    government_id: int | None = None
    # The profile's unit (for a unit role: an active one; otherwise it may be
    # inactive, and still counts as "their own unit" for the separation of duties).
    unit_id: int | None = None
    # Units whose records this actor sees (None: every unit of the government).
    unit_ids: frozenset | None = None


NOBODY = Actor(role=Role.NONE, unit_ids=frozenset())


def actor_for(user):
    """The :class:`Actor` for ``user``, cached on the user object.

    The cache lives as long as the user object, i.e. one request: the next
    request loads the user afresh and sees every change made since, in any
    process (see :func:`_remembered_actor`).
    """
    cached = getattr(user, "_policy_actor", None)
    if cached is not None:
        return cached
    actor = _remembered_actor(user)
    if getattr(user, "is_authenticated", False):
        user._policy_actor = actor
    return actor


def _remembered_actor(user):
    """The actor from the cache of the user's government, computed on a miss.

    Every fact an actor is computed from (the profile's government, unit and
    head flag, the role groups, the unit's kind and state, the units an Asda
    coordinates, guardian grants) changes only through services that write a
    history row of the profile or the unit, and every history row bumps the
    government's data version (``tracker.data_version``), which lives in the
    database: the next request after such a change, in any process, reads
    the new version (:func:`access_facts`) and computes the actor afresh. The
    user row itself (active, superuser) is read on every request by the login.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.is_superuser:
        return _compute_actor(user)
    from tracker import data_version

    government_id = government_of(user)
    if government_id is None:
        return _compute_actor(user)
    return data_version.cached(government_id, ("actor", user.pk), lambda: _compute_actor(user))


@dataclass(frozen=True)
class AccessFacts:
    """What decides a signed-in user's access, read from the database once per request."""

    government_id: int | None
    has_device: bool


def access_facts(user):
    """The user's government, its data version and whether they use a code device.

    One query per request (remembered on the user object, which lives one
    request), always on the primary. None of it is cached across requests:
    with a cache per process (no ``REDIS_URL``), a cached answer would
    outlive a change made in another process, and a cache restored with old
    data would bring old answers back. The versions it reads are handed to
    ``tracker.data_version`` for the rest of the request, so the actor and
    the cached pages cost no further query.
    """
    facts = getattr(user, "_access_facts", None)
    if facts is not None:
        return facts
    from django.contrib.auth import get_user_model
    from django.db import DEFAULT_DB_ALIAS
    from django.db.models import Exists, OuterRef, Subquery
    from django_otp import device_classes

    from tracker import data_version
    from tracker.models import DataVersion

    User = get_user_model()
    government = Profile.objects.filter(user=OuterRef("pk")).values("government_id")[:1]
    devices = None
    for device_class in device_classes():
        # All device kinds, as django_otp.user_has_device asks (TOTP only, so far).
        found = Exists(device_class.objects.filter(user=OuterRef("pk"), confirmed=True))
        devices = found if devices is None else devices | found
    row = (
        # The primary, named: db_for_write would mark the request as writing.
        User._default_manager.using(DEFAULT_DB_ALIAS)
        .filter(pk=user.pk)
        .annotate(
            facts_government=Subquery(government),
            facts_version=Subquery(
                DataVersion.objects.filter(scope=OuterRef("facts_government")).values("version")[:1]
            ),
            facts_epoch=Subquery(
                DataVersion.objects.filter(scope=data_version.EPOCH_SCOPE).values("version")[:1]
            ),
        )
        .values_list("facts_government", "facts_version", "facts_epoch")
    )
    if devices is not None:
        row = row.annotate(facts_device=devices).values_list(
            "facts_government", "facts_version", "facts_epoch", "facts_device"
        )
    row = row.first()
    if row is None:
        facts = AccessFacts(government_id=None, has_device=False)
    else:
        government_id, version, epoch, *device = row
        data_version.remember(data_version.EPOCH_SCOPE, epoch)
        if government_id is not None:
            data_version.remember(government_id, version)
        facts = AccessFacts(government_id=government_id, has_device=bool(device and device[0]))
    if getattr(user, "is_authenticated", False):
        user._access_facts = facts
    return facts


def government_of(user):
    """The id of the government of ``user``'s profile (None without one), as it is now."""
    return access_facts(user).government_id


def forget(user):
    """Drop what was read about this user object (after a service changed their access)."""
    user.__dict__.pop("_policy_actor", None)
    user.__dict__.pop("_access_facts", None)


def _compute_actor(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    if user.is_superuser:
        return Actor(role=Role.SUPERUSER)
    profile = Profile.objects.select_related("unit").filter(user=user).first()
    if profile is None:
        return NOBODY
    groups = set(user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True))
    government_id = profile.government_id
    # A deactivated unit gives its members nothing; a role group still counts.
    unit = profile.unit if profile.unit is not None and profile.unit.is_active else None
    if ADMINISTRATOR_GROUP in groups:
        role = Role.ADMINISTRATOR
    elif BAPPEDA_GROUP in groups:
        role = Role.BAPPEDA
    elif unit is not None and unit.kind == Unit.Kind.ASDA:
        role = Role.ASDA
    elif PIMPINAN_GROUP in groups:
        role = Role.PIMPINAN
    elif unit is not None:
        role = Role.UNIT_HEAD if profile.is_unit_head else Role.UNIT_OPERATOR
    else:
        return NOBODY

    if role in GOVERNMENT_WIDE_ROLES:
        return Actor(role=role, government_id=government_id, unit_id=profile.unit_id, unit_ids=None)
    own = {unit.pk}
    if role == Role.ASDA:
        own |= set(
            Unit.objects.filter(coordinator=unit, government_id=government_id).values_list(
                "pk", flat=True
            )
        )
    own |= _granted_unit_ids(user, government_id)
    return Actor(role=role, government_id=government_id, unit_id=unit.pk, unit_ids=frozenset(own))


def _granted_unit_ids(user, government_id):
    """Units of the user's government granted to the user or their groups via guardian.

    Model-level permissions are deliberately ignored (``accept_global_perms=False``):
    only an explicit grant on a unit opens it.
    """
    granted = get_objects_for_user(
        user,
        "tracker.view_unit",
        klass=Unit.objects.filter(government_id=government_id),
        with_superuser=False,
        accept_global_perms=False,
    )
    return set(granted.values_list("pk", flat=True))


def role_of(user):
    """The user's :class:`Role`."""
    return actor_for(user).role


def visible(user, queryset):
    """Restrict ``queryset`` to the records ``user`` may see.

    Every list, detail page, export and report fetches its records through
    this (directly or through an app's selector), so a record outside the
    user's scope is simply not found: a 404, never a 403 that confirms it
    exists. The unit conditions are read from the database as it is when the
    query runs.
    """
    actor = actor_for(user)
    if actor.role == Role.SUPERUSER:
        return queryset
    if actor.role == Role.NONE:
        return queryset.none()
    scope = scope_of(queryset.model)
    own = Q(**{scope.government: actor.government_id})
    if scope.shared:
        own |= Q(**{f"{scope.government}__isnull": True})
    queryset = queryset.filter(own)
    if actor.unit_ids is None or not scope.unit_paths:
        return queryset
    return queryset.filter(_in_units(queryset.model, scope, actor.unit_ids))


def _in_units(model, scope, unit_ids):
    """A condition: the record reaches one of ``unit_ids`` through any of its unit paths."""
    condition = Q()
    for path, many in scope.unit_paths:
        if many:
            # A subquery instead of a join, so no record is listed twice
            # (no DISTINCT needed on the caller's query).
            matching = model._default_manager.filter(**{f"{path}__in": unit_ids}).values("pk")
            condition |= Q(pk__in=matching)
        else:
            condition |= Q(**{f"{path}__in": unit_ids})
    return condition


def can_view(user, obj):
    """Whether ``user`` may see ``obj``. Prefer :func:`visible` for lists."""
    return visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def can_change(user, model_or_obj):
    """Whether ``user`` may change records of this model (or this record).

    For an object, it must also be visible to the user. Members of a record's
    owning unit change it when its scope says so (``written_by_unit``), judged
    on the record's current owner.
    """
    actor = actor_for(user)
    if actor.role == Role.SUPERUSER:
        return True
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    scope = scope_of(model)
    if actor.role in scope.changed_by:
        if isinstance(model_or_obj, type):
            return True
        return can_view(user, model_or_obj) and not _is_shared(scope, model_or_obj)
    if scope.written_by_unit and not isinstance(model_or_obj, type):
        return _writes_as_unit(actor, scope) and bool(_owned_by(actor, scope, [model_or_obj]))
    return False


def _writes_as_unit(actor, scope):
    return actor.role in UNIT_ROLES and actor.unit_id is not None and scope.unit is not None


def _owned_by(actor, scope, objects):
    """The objects among ``objects`` whose owning unit is the actor's unit: ids of the
    saved ones (read from the database), and unsaved ones followed in memory."""
    saved = [obj.pk for obj in objects if obj.pk is not None]
    owned = set()
    if saved:
        model = type(objects[0])
        owned = set(
            model._default_manager.filter(pk__in=saved, **{scope.unit: actor.unit_id}).values_list(
                "pk", flat=True
            )
        )
    for obj in objects:
        if obj.pk is None:
            owner = _follow(obj, scope.unit)
            if owner is not None and owner.pk == actor.unit_id:
                owned.add(None)
    return owned


def changeable_ids(user, objects):
    """Ids of ``objects`` (visible records of one model) that ``user`` may change.

    One query for all of them, so a list never checks permissions row by row.
    """
    objects = list(objects)
    if not objects:
        return set()
    actor = actor_for(user)
    scope = scope_of(type(objects[0]))
    if actor.role == Role.SUPERUSER:
        return {obj.pk for obj in objects}
    if actor.role in scope.changed_by:
        return {obj.pk for obj in objects if not _is_shared(scope, obj)}
    if not scope.written_by_unit or not _writes_as_unit(actor, scope):
        return set()
    return _owned_by(actor, scope, objects) - {None}


def _is_shared(scope, obj):
    """Whether ``obj`` is a record of no government (of a ``shared`` model)."""
    return scope.shared and _follow(obj, scope.government) is None


def _follow(obj, path):
    for name in path.split("__"):
        if name != "pk":
            obj = getattr(obj, name)
    return obj


def is_reviewer(user):
    """Whether the user's role verifies and returns records (each still subject to
    :func:`review_refusals`)."""
    return actor_for(user).role in REVIEWER_ROLES


def review_refusals(user, objects):
    """Map the id of each of ``objects`` (records of one model the user sees) that
    ``user`` may not review to the reason why; the others they may review.

    Separation of duties: nobody reviews a record of their own unit, nor one
    they wrote or submitted (as the model's ``authors`` says). Another Bappeda
    member outside that unit, or the Administrator, reviews it then. One or
    two queries for any number of records.
    """
    objects = list(objects)
    if not objects:
        return {}
    actor = actor_for(user)
    if actor.role not in REVIEWER_ROLES:
        return dict.fromkeys((obj.pk for obj in objects), _("Only Bappeda verifies reports."))
    scope = scope_of(type(objects[0]))
    refusals = {}
    if actor.unit_id is not None and scope.unit:
        own = type(objects[0])._default_manager.filter(
            pk__in=[obj.pk for obj in objects], **{scope.unit: actor.unit_id}
        )
        for pk in own.values_list("pk", flat=True):
            refusals[pk] = _(
                "It belongs to your own unit: another Bappeda member outside the unit, "
                "or the Administrator, verifies it."
            )
    if scope.authors is not None:
        authors = scope.authors(objects)
        for obj in objects:
            if user.pk in authors.get(obj.pk, ()) and obj.pk not in refusals:
                refusals[obj.pk] = _(
                    "You wrote or submitted it: another Bappeda member, or the "
                    "Administrator, verifies it."
                )
    return refusals


def review_refusal(user, obj):
    """Why ``user`` may not review ``obj``, or ``None`` if they may (see :func:`can_review`)."""
    return review_refusals(user, [obj]).get(obj.pk)


def can_review(user, obj):
    """Whether ``user`` may verify or return ``obj`` (a report): a reviewer of its
    government who sees it, outside its owning unit, and not one of its authors."""
    if not is_reviewer(user) or not can_view(user, obj):
        return False
    return review_refusal(user, obj) is None


def sees_whole_government(user):
    """Whether the user sees every unit of their government (or of all governments)."""
    actor = actor_for(user)
    return actor.role == Role.SUPERUSER or actor.role in GOVERNMENT_WIDE_ROLES
