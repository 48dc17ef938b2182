"""A data version per government, and cached reads keyed by it: never stale.

Every cached read of a government's data (:func:`cached`) is stored under a
key holding that government's current data version. Every domain write bumps
the version (:func:`bump`), so the next read misses and computes afresh; the
entries of older versions are never read again and expire on their own
(``settings.CACHE_SECONDS``, a safety net only).

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
    that key any more.

Why a version never starts at 0
    The version key may disappear on its own while entries of its versions
    stay behind: a cache restart that keeps some keys, an eviction under
    memory pressure (LocMemCache culls a third of its keys when full, Redis
    with ``maxmemory``). Restarting at 0 would then resurrect the entries of
    versions 0, 1, 2… written before, with old data. A (re)started version is
    the current time in microseconds instead: larger than any version reached
    before by one bump per write, so an old entry can never be read again.

Scope, not user
    A cached read depends on what the reader sees, not on who they are:
    :func:`scope_key` names the role, government and visible units
    (:func:`tracker.policy.actor_for`, guardian grants included), so users
    with the same scope share entries and a unit member never meets an entry
    computed for Bappeda. Per-user data (a CSRF token, the user's name) must
    never go into a cached value.

Several processes share the version only through a shared cache: with more
than one worker process, set ``REDIS_URL`` (a LocMemCache is per process).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from tracker import policy

PREFIX = "dv1"
# Bumped by :func:`bump_all`: part of every key, so all governments turn over at once.
EPOCH_KEY = f"{PREFIX}:epoch"

# History-tracked models the permission policy does not list, with their government path.
GOVERNMENT_PATHS = {
    ("tracker", "profile"): "government",
}
# History-tracked models that belong to no government. None so far: a new model
# with history must either register with the policy or be listed here (with why);
# tests/test_cache_versioning.py checks that none escapes.
GLOBAL_MODELS = frozenset()


def _version_key(government_id):
    return f"{PREFIX}:gov:{government_id}"


def _fresh():
    # See "Why a version never starts at 0" above.
    return time.time_ns() // 1000


def _read(key):
    value = cache.get(key)
    if value is None:
        cache.add(key, _fresh(), timeout=None)
        value = cache.get(key)
    return value if value is not None else _fresh()  # a cache that is down: never a hit


def current(government_id):
    """The government's data version (with the global epoch), e.g. ``"1735…:1735…"``."""
    values = cache.get_many([EPOCH_KEY, _version_key(government_id)])
    epoch = values.get(EPOCH_KEY)
    version = values.get(_version_key(government_id))
    if epoch is None:
        epoch = _read(EPOCH_KEY)
    if version is None:
        version = _read(_version_key(government_id))
    return f"{epoch}:{version}"


def _increment(key):
    try:
        cache.incr(key)
    except ValueError:  # the key is gone: start afresh, above every earlier version
        cache.set(key, _fresh(), timeout=None)


def _pending(key):
    """Whether a bump of ``key`` is already waiting for the current transaction's commit."""
    from django.db import connection

    return any(
        getattr(entry[1], "data_version_key", None) == key for entry in connection.run_on_commit
    )


def _writing(government_id):
    """Whether the current transaction wrote data of the government (a bump is waiting).

    Its reads then bypass the cache: a transaction sees its own writes, which
    are not in any cached entry (this also keeps tests, whose transaction never
    commits, from reading entries older than their own writes).
    """
    if not transaction.get_connection().in_atomic_block:
        return False
    return _pending(_version_key(government_id)) or _pending(EPOCH_KEY)


def _schedule(key):
    if transaction.get_connection().in_atomic_block and _pending(key):
        return  # one bump per government per transaction is enough

    def run():
        _increment(key)

    run.data_version_key = key
    transaction.on_commit(run)


def bump(government_id):
    """Make every cached read of the government stale, once the transaction commits."""
    if government_id is not None:
        _schedule(_version_key(government_id))


def bump_all():
    """Make every cached read of every government stale, once the transaction commits.

    For writes that bypass history (bulk seeding) or whose government is unknown.
    """
    _schedule(EPOCH_KEY)


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
