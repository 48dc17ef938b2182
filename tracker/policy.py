"""The permission policy: who may see and change what. One place decides.

Roles
    * superuser: everything, in every government.
    * Administrator (group): sees everything of their government; manages units,
      officials and users.
    * Bappeda (group): sees everything of their government; manages the plan
      and (in later apps) commitments, programs and verification.
    * Pimpinan (group): leadership; sees everything of their government, read-only.
    * Asda: a user whose unit is an Asda unit; sees their Asda unit and the
      units it coordinates, read-only.
    * Unit head / operator: a user of any other unit; sees their unit's records.
    * Anyone else (no profile, inactive, anonymous): nothing.

Nobody but a superuser sees another government's records.

Beyond the roles, a user (or a group) can be given an explicit object
permission on a unit with django-guardian (``tracker.view_unit``); that adds
the unit's records to what the user sees. Django's model-level permissions
(``auth.Permission`` on a user or group) never imply access to records: they
only matter in the Django admin, which is open to superusers alone.

How records reach a unit
    The policy does not import the apps. Each app registers its models with
    :func:`register`, naming the lookup path from the model to its government
    and, for records owned by a unit, to that unit. A record without a unit
    path (the RPJMD plan, for instance) is public within its government.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q
from guardian.core import ObjectPermissionChecker
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


@dataclass(frozen=True)
class Scope:
    """How records of one model reach their government and their owning unit.

    ``government`` and ``unit`` are ORM lookup paths ("pk" for the model
    itself); ``unit_is_many`` says the unit path crosses a to-many relation
    (a record shared by several units, like a commitment and its signatories);
    ``changed_by`` lists the roles that may change such records (a superuser
    always may).
    """

    government: str
    unit: str | None = None
    unit_is_many: bool = False
    changed_by: frozenset = field(default_factory=frozenset)
    # Records reachable through an object that carries guardian permissions
    # (e.g. a report through its program): ``grant_path`` leads there, and
    # ``view_permission`` / ``change_permission`` are the codenames granted.
    grant_path: str | None = None
    view_permission: str | None = None
    change_permission: str | None = None


_SCOPES = {}


def register(
    model,
    *,
    government,
    unit=None,
    unit_is_many=False,
    changed_by=(),
    grant_path=None,
    view_permission=None,
    change_permission=None,
):
    """Tell the policy how ``model``'s records reach a government and a unit,
    and, optionally, which guardian object permissions open them."""
    _SCOPES[model] = Scope(
        government=government,
        unit=unit,
        unit_is_many=unit_is_many,
        changed_by=frozenset(changed_by),
        grant_path=grant_path,
        view_permission=view_permission,
        change_permission=change_permission,
    )


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
    unit_id: int | None = None
    # Units whose records this actor sees (None: every unit of the government).
    unit_ids: frozenset | None = None


NOBODY = Actor(role=Role.NONE, unit_ids=frozenset())


def actor_for(user):
    """The :class:`Actor` for ``user``, cached on the user object."""
    cached = getattr(user, "_policy_actor", None)
    if cached is not None:
        return cached
    actor = _compute_actor(user)
    if getattr(user, "is_authenticated", False):
        user._policy_actor = actor
    return actor


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
    unit = profile.unit
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
        unit_ids = None
    else:
        own = {unit.pk}
        if role == Role.ASDA:
            own |= set(
                Unit.objects.filter(coordinator=unit, government_id=government_id).values_list(
                    "pk", flat=True
                )
            )
        own |= _granted_unit_ids(user, government_id)
        unit_ids = frozenset(own)
    return Actor(
        role=role,
        government_id=government_id,
        unit_id=unit.pk if unit else None,
        unit_ids=unit_ids,
    )


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
    exists.
    """
    actor = actor_for(user)
    if actor.role == Role.SUPERUSER:
        return queryset
    if actor.role == Role.NONE:
        return queryset.none()
    scope = scope_of(queryset.model)
    queryset = queryset.filter(**{scope.government: actor.government_id})
    if actor.unit_ids is None or scope.unit is None:
        return queryset
    in_scope = Q(**{f"{scope.unit}__in": actor.unit_ids})
    if scope.view_permission:
        granted = _granted_objects(user, scope.view_permission).values("pk")
        in_scope |= Q(**{f"{scope.grant_path}__in": granted})
    if scope.unit_is_many:
        # A subquery instead of a join, so a record shared by two visible
        # units is listed once (no DISTINCT needed on the caller's query).
        matching = queryset.model._default_manager.filter(in_scope).values("pk")
        return queryset.filter(pk__in=matching)
    return queryset.filter(in_scope)


def _granted_objects(user, permission):
    """Objects on which the user (or one of their groups) holds ``permission`` via guardian."""
    return get_objects_for_user(user, permission, with_superuser=False, accept_global_perms=False)


def can_view(user, obj):
    """Whether ``user`` may see ``obj``. Prefer :func:`visible` for lists."""
    return visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def can_change(user, model_or_obj):
    """Whether ``user`` may change records of this model (or this record).

    For an object, it must also be visible to the user.
    """
    actor = actor_for(user)
    if actor.role == Role.SUPERUSER:
        return True
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    scope = scope_of(model)
    if actor.role in scope.changed_by:
        return isinstance(model_or_obj, type) or can_view(user, model_or_obj)
    if scope.change_permission and not isinstance(model_or_obj, type):
        # e.g. a unit member writing their program's report: members of the
        # owning unit may, and so may anyone granted the change permission on
        # the program (the service assigning the owner grants it to the unit's
        # members; a grant can also open one program to someone else).
        if _owned_by_own_unit(actor, scope, model_or_obj):
            return True
        target = _follow(model_or_obj, scope.grant_path)
        return user.has_perm(scope.change_permission, target)
    return False


def _owned_by_own_unit(actor, scope, obj):
    if actor.role not in UNIT_ROLES or not scope.unit:
        return False
    owner = _follow(obj, scope.unit)
    return owner is not None and owner.pk == actor.unit_id


def changeable_ids(user, objects):
    """Ids of ``objects`` (visible records of one model) that ``user`` may change.

    Guardian permissions are prefetched for all of them at once, so a list
    never checks permissions row by row.
    """
    objects = list(objects)
    if not objects:
        return set()
    actor = actor_for(user)
    scope = scope_of(type(objects[0]))
    if actor.role == Role.SUPERUSER or actor.role in scope.changed_by:
        return {obj.pk for obj in objects}
    if not scope.change_permission or actor.role == Role.NONE:
        return set()
    owned = {obj.pk for obj in objects if _owned_by_own_unit(actor, scope, obj)}
    targets = {obj.pk: _follow(obj, scope.grant_path) for obj in objects if obj.pk not in owned}
    if not targets:
        return owned
    checker = ObjectPermissionChecker(user)
    checker.prefetch_perms(list({t.pk: t for t in targets.values()}.values()))
    codename = scope.change_permission.split(".", 1)[1]
    return owned | {pk for pk, target in targets.items() if checker.has_perm(codename, target)}


def _follow(obj, path):
    for name in path.split("__"):
        if name != "pk":
            obj = getattr(obj, name)
    return obj


def can_review(user, obj):
    """Whether ``user`` may verify or return ``obj`` (a report): Bappeda of its government."""
    actor = actor_for(user)
    if actor.role not in (Role.SUPERUSER, Role.BAPPEDA):
        return False
    return can_view(user, obj)


def sees_whole_government(user):
    """Whether the user sees every unit of their government (or of all governments)."""
    actor = actor_for(user)
    return actor.role == Role.SUPERUSER or actor.role in GOVERNMENT_WIDE_ROLES
