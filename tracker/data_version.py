"""A data version per government, and cached reads keyed by it: never stale.

Every cached read of a government's data (:func:`cached`) is stored under a
key holding that government's current data version. Every domain write bumps
the version (:func:`bump`), so the next read misses and computes afresh; the
entries of older versions are never read again and expire on their own
(``settings.CACHE_SECONDS``, a safety net only).

Where the version lives: the database
    The versions are rows of :class:`tracker.models.DataVersion`, not cache
    entries (STYLE.md: a cache never decides correctness). Every process
    reads them at its next request, whatever cache it has: a worker with its
    own LocMemCache, a worker whose Redis is down or was restarted with old
    data. The cache only stores entries *under* a version; it can be empty,
    unreachable or old, and the worst that happens is a miss.

One query per request
    A request reads the versions it needs once (:func:`current` remembers
    them until the request ends: ``request_started`` / ``request_finished``);
    a signed-in user's request reads them together with their government and
    two-factor device in the single query of ``tracker.policy.access_facts``.
    Outside a request (a Celery job, a command) each :func:`current` asks the
    database. Versions are always read from the primary: a lagging replica
    would hand out an old version.

Which writes bump
    Every domain model keeps a simple-history record of each change, and every
    write through the services creates one. :func:`record_written` listens to
    simple-history's ``post_create_historical_record`` signal and bumps the
    government the record belongs to, following the government path the model
    registered with the permission policy (``tracker.policy.register``), or
    :data:`GOVERNMENT_PATHS` for the few models the policy does not list
    (profiles). Many-to-many changes are covered too: a ``.set()`` outside
    ``links_recorded_on_save`` creates a history row of the record itself
    (simple-history's ``m2m_changed``), and inside it the links land in the
    next ``save_tracked`` row, which sends the signal; ``record_links`` only
    runs right after such a save. ``bulk_create_with_history`` and
    ``bulk_update_with_history`` send no signal: :func:`install` wraps
    simple-history's ``bulk_history_create``, which both call, to bump the
    governments of the rows. Writes that bypass history altogether (a plain
    ``bulk_create``) call :func:`bump` or :func:`bump_all` themselves.

Why a bump waits for the commit
    :func:`bump` runs on ``transaction.on_commit``: a rolled-back write bumps
    nothing, and no reader sees the new version before the new data is
    committed (otherwise it could cache the old data under the new key, and
    that entry would be read until the next write). Between the commit and
    the bump, a reader may read the new data and store it under the old key:
    harmless, as the old key is abandoned a moment later. A reader that read
    the old data before the commit and stores it after the bump stores it
    under the old key too (the key is chosen before reading): nobody reads
    that key any more. A process that dies between its commit and its bump
    leaves that one change unseen in cached reads until ``CACHE_SECONDS``.

Why a version jumps to the current time
    A bump sets ``version = max(version + 1, now in microseconds)``. Versions
    only grow, and after a database restore (which brings back older
    versions) the first bump lands above every version the lost timeline
    reached, so entries cached then are never read again. The epoch (scope 0,
    part of every key) is bumped the same way by every ``migrate`` (a restore
    is followed by one, and so is every deployment, whose new code may render
    cached fragments differently): the window between a restore and the first
    bump is closed too.

Scope, not user
    A cached read depends on what the reader sees, not on who they are:
    :func:`scope_key` names the role, government and visible units
    (:func:`tracker.policy.actor_for`, guardian grants included), so users
    with the same scope share entries and a unit member never meets an entry
    computed for Bappeda. Per-user data (a CSRF token, the user's name) must
    never go into a cached value.
"""

import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import get_language

from tracker import policy

PREFIX = "dv2"
# The row of :class:`~tracker.models.DataVersion` whose version every key holds.
EPOCH_SCOPE = 0

# History-tracked models the permission policy does not list, with their government path.
GOVERNMENT_PATHS = {
    ("tracker", "profile"): "government",
}
# History-tracked models that belong to no government. None so far: a new model
# with history must either register with the policy or be listed here (with why);
# tests/test_cache_versioning.py checks that none escapes.
GLOBAL_MODELS = frozenset()


# --- The versions, in the database ---------------------------------------------------------

# Versions read during the current request, per thread (gunicorn's gthread
# workers serve one request per thread). None outside a request: then every
# read asks the database, since nothing says when a job's "now" ends.
_local = threading.local()


def _memo():
    return getattr(_local, "versions", None)


def start_request(**kwargs):
    """``request_started``: this request reads each version afresh, once."""
    _local.versions = {}


def end_request(**kwargs):
    """``request_finished``: forget the versions read (the next request reads again)."""
    _local.versions = None


def remember(scope, version):
    """Note a version read elsewhere (``policy.access_facts``) for the rest of the request."""
    memo = _memo()
    if memo is not None:
        memo[scope] = version or 0


def _model():
    from tracker.models import DataVersion

    return DataVersion


def _primary():
    # The alias itself: router.db_for_write would mark the request as writing
    # (tracker.db_router), and its later reads would leave the replica.
    return DEFAULT_DB_ALIAS


def _versions(*scopes):
    """``{scope: version}`` for ``scopes``: from this request's memo, else one query."""
    memo = _memo()
    missing = [scope for scope in scopes if memo is None or scope not in memo]
    found = {}
    if missing:
        found = dict(
            _model()
            .objects.using(_primary())
            .filter(scope__in=missing)
            .values_list("scope", "version")
        )
        found = {scope: found.get(scope, 0) for scope in missing}
        if memo is not None:
            memo.update(found)
    return {scope: found[scope] if scope in found else memo[scope] for scope in scopes}


def current(government_id):
    """The government's data version (with the epoch), e.g. ``"1735…:1735…"``."""
    versions = _versions(EPOCH_SCOPE, government_id)
    return f"{versions[EPOCH_SCOPE]}:{versions[government_id]}"


def _fresh():
    # See "Why a version jumps to the current time" above.
    return time.time_ns() // 1000


def _increment(scope, using=None):
    """``version = max(version + 1, now)`` for ``scope``, creating the row if need be."""
    DataVersion = _model()
    using = using or _primary()
    updated = (
        DataVersion.objects.using(using)
        .filter(scope=scope)
        .update(version=Greatest(F("version") + 1, Value(_fresh())))
    )
    if not updated:
        _row, created = DataVersion.objects.using(using).get_or_create(
            scope=scope, defaults={"version": _fresh()}
        )
        if not created:  # another process created it meanwhile: bump theirs
            DataVersion.objects.using(using).filter(scope=scope).update(
                version=Greatest(F("version") + 1, Value(_fresh()))
            )
    memo = _memo()
    if memo is not None:
        memo.pop(scope, None)  # this request's next read sees its own bump


def new_epoch(using=None, apps=None, **kwargs):
    """``post_migrate``: no entry cached before this migrate (or a restore) is read again."""
    if apps is not None:
        try:
            apps.get_model("tracker", "DataVersion")
        except LookupError:  # migrated back to before the table existed
            return
    _increment(EPOCH_SCOPE, using=using)


def _pending(scope):
    """Whether a bump of ``scope`` is already waiting for the current transaction's commit."""
    from django.db import connection

    return any(
        getattr(entry[1], "data_version_scope", None) == scope for entry in connection.run_on_commit
    )


def _writing(government_id):
    """Whether the current transaction wrote data of the government (a bump is waiting).

    Its reads then bypass the cache: a transaction sees its own writes, which
    are not in any cached entry (this also keeps tests, whose transaction never
    commits, from reading entries older than their own writes).
    """
    if not transaction.get_connection().in_atomic_block:
        return False
    return _pending(government_id) or _pending(EPOCH_SCOPE)


def _schedule(scope):
    if transaction.get_connection().in_atomic_block and _pending(scope):
        return  # one bump per government per transaction is enough

    def run():
        _increment(scope)

    run.data_version_scope = scope
    transaction.on_commit(run)


def bump(government_id):
    """Make every cached read of the government stale, once the transaction commits."""
    if government_id is not None:
        _schedule(government_id)


def bump_all():
    """Make every cached read of every government stale, once the transaction commits.

    For writes that bypass history (bulk seeding) or whose government is unknown.
    """
    _schedule(EPOCH_SCOPE)


def government_of(instance):
    """The id of the government ``instance`` belongs to (``None``: unknown).

    Follows the path the model registered with the policy, attribute by
    attribute (the last step reads the foreign key's id, no query).
    """
    model = type(instance)
    path = GOVERNMENT_PATHS.get((model._meta.app_label, model._meta.model_name))
    if path is None:
        if (model._meta.app_label, model._meta.model_name) in GLOBAL_MODELS:
            return None
        path = policy.scope_of(model).government
    if path == "pk":
        return instance.pk
    *steps, last = path.split("__")
    obj = instance
    for step in steps:
        obj = getattr(obj, step)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id")


def record_written(sender, instance, **kwargs):
    """``post_create_historical_record``: bump the government of the record written."""
    model = type(instance)
    if (model._meta.app_label, model._meta.model_name) in GLOBAL_MODELS:
        return
    try:
        government_id = government_of(instance)
    except Exception:  # e.g. a parent deleted in the same cascade: be safe, bump all
        government_id = None
    if government_id is None:
        bump_all()
    else:
        bump(government_id)


def government_ids_of(model, objects):
    """The ids of the governments ``objects`` (saved rows of ``model``) belong to.

    One query for any number of rows; ``None`` in the set if any is unknown.
    """
    key = (model._meta.app_label, model._meta.model_name)
    if key in GLOBAL_MODELS:
        return set()
    path = GOVERNMENT_PATHS.get(key) or policy.scope_of(model).government
    pks = [obj.pk for obj in objects]
    if not pks or None in pks:
        return {None}
    if path == "pk":
        return set(pks)
    found = set()
    for start in range(0, len(pks), 500):  # within every backend's parameter limit
        chunk = pks[start : start + 500]
        found |= set(model._default_manager.filter(pk__in=chunk).values_list(path, flat=True))
    return found


def install():
    """Connect the bumps: the history signal, and the bulk history writes (which send
    no signal). Called once from ``tracker.apps``."""
    from simple_history.manager import HistoryManager
    from simple_history.signals import post_create_historical_record

    post_create_historical_record.connect(
        record_written, dispatch_uid="data_version_record_written"
    )
    original = HistoryManager.bulk_history_create
    if getattr(original, "bumps_data_version", False):
        return

    def bulk_history_create(manager, objs, *args, **kwargs):
        objs = list(objs)
        result = original(manager, objs, *args, **kwargs)
        if objs:
            try:
                governments = government_ids_of(manager.model.instance_type, objs)
            except Exception:  # unknown: be safe
                governments = {None}
            for government_id in governments:
                if government_id is None:
                    bump_all()
                else:
                    bump(government_id)
        return result

    bulk_history_create.bumps_data_version = True
    HistoryManager.bulk_history_create = bulk_history_create


# --- Cached reads -------------------------------------------------------------------------


def government_of_user(user):
    """The government whose data the user's pages show; ``None`` for a superuser (who
    sees every government: their pages are not cached) and for nobody."""
    return policy.actor_for(user).government_id


def scope_key(user):
    """What a user sees, as a key part: role, government, own unit and visible units."""
    actor = policy.actor_for(user)
    units = "all" if actor.unit_ids is None else ",".join(map(str, sorted(actor.unit_ids)))
    return f"{actor.role}|{actor.government_id}|{actor.unit_id}|{units}"


def cached(government_id, key_parts, compute, timeout=None):
    """``compute()``, cached under the government's data version and ``key_parts``.

    ``key_parts`` must name everything the result depends on besides the
    government's data: the reader's :func:`scope_key`, the period, today's
    date if statuses are judged on it, the language if it holds text. The
    result must pickle (evaluate querysets first). Without a government (a
    superuser across governments) nothing is cached.
    """
    if government_id is None or _writing(government_id):
        return compute()
    raw = "|".join(str(part) for part in key_parts)
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    key = f"{PREFIX}:{government_id}:{current(government_id)}:{digest}"
    sentinel = object()
    value = cache.get(key, sentinel)
    if value is sentinel:
        # On the primary: computed from a lagging replica, the previous data
        # would be stored under the version that the last commit bumped.
        from tracker.db_router import read_from_primary

        with read_from_primary():
            value = compute()
        cache.set(key, value, settings.CACHE_SECONDS if timeout is None else timeout)
    return value


def page_parts(user, *parts):
    """Key parts for a rendered fragment of a page: scope, language and today's date."""
    return (scope_key(user), get_language(), timezone.localdate(), *parts)
