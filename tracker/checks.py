"""Deploy checks of the cache: ``manage.py check --deploy``.

Nothing that decides access or freshness depends on the cache any more: data
versions, sessions and the two-factor answer live in the database
(``tracker/data_version.py``). A production server whose gunicorn runs several
workers without a shared cache (no ``REDIS_URL``) is therefore correct, only
slower: each worker fills its own cache, and the rate limits kept in the cache
(public uploads, the API) count per worker. That is a warning.

It would be an error again if sessions were kept in a per-process cache:
a logout handled by one worker would not reach the others.
"""

import os

from django.conf import settings
from django.core import checks

# Cache backends whose entries one process cannot share with another.
PER_PROCESS_BACKENDS = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)
CACHE_SESSION_ENGINES = frozenset(
    {
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
    }
)


def _several_workers():
    """Whether gunicorn runs (or may run) more than one worker: GUNICORN_WORKERS, or its
    default of 2 x cores + 1 (gunicorn.conf.py) when unset or unreadable."""
    try:
        return int(os.environ.get("GUNICORN_WORKERS", "").strip()) != 1
    except ValueError:
        return True


def _per_process_cache():
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return backend in PER_PROCESS_BACKENDS


def check_shared_cache(app_configs, **kwargs):
    """``check --deploy``: several workers without a shared cache."""
    if settings.DEBUG or not _several_workers() or not _per_process_cache():
        return []
    problems = []
    if settings.SESSION_ENGINE in CACHE_SESSION_ENGINES:
        problems.append(
            checks.Error(
                "Sessions are kept in a cache of each process (no REDIS_URL) while "
                "gunicorn runs several workers: a logout in one worker does not reach "
                "the others.",
                hint='Use SESSION_ENGINE = "django.contrib.sessions.backends.db", or set '
                "REDIS_URL.",
                id="tracker.E010",
            )
        )
    problems.append(
        checks.Warning(
            "The cache is kept per process (no REDIS_URL) while gunicorn runs several "
            "workers: pages stay correct (data versions and sessions are in the "
            "database), but each worker computes and caches them on its own, and the "
            "upload and API rate limits count per worker.",
            hint="Set REDIS_URL to a Redis every worker reaches (README, “Scaling out”), "
            "or GUNICORN_WORKERS=1.",
            id="tracker.W010",
        )
    )
    return problems


def register():
    checks.register(check_shared_cache, checks.Tags.caches, deploy=True)
