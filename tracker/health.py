"""Health endpoints for a load balancer or a monitor (README, "Operations").

``/healthz``: the process answers; nothing else is touched (no database, no
cache), so a database outage does not make the balancer kill healthy workers.

``/readyz``: the database, the cache and the broker answer within
``READYZ_TIMEOUT`` seconds each (checked side by side); 200 with what was
checked, or 503 naming what failed. No login: both say nothing about data.

Both are answered by ``tracker.outage.DatabaseOutageMiddleware`` before the
session, host and login checks; the URL patterns exist for ``reverse`` and for
a setup without that middleware.
"""

import threading
import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain")


def _check_database():
    from django.db import connections

    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        # This thread's own connection: never left open.
        connection.close()
    return "ok"


def _check_cache():
    import uuid

    from django.core.cache import cache

    key, value = f"readyz:{uuid.uuid4().hex}", "1"
    # django-redis may turn a failure into a miss (IGNORE_EXCEPTIONS): a value
    # written and read back is the only sure answer.
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the value written could not be read back")
    cache.delete(key)
    return "ok"


def _check_broker():
    from tracker.celery import app

    if not settings.CELERY_BROKER_URL:
        return "ok (no broker: jobs run in the web process)"
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=0, timeout=settings.READYZ_TIMEOUT)
        # Redis: the connection is made lazily; ask it something.
        client = getattr(connection.default_channel, "client", None)
        if client is not None:
            client.ping()
    return "ok"


CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


def _run(checks, timeout):
    results = {}

    def run(name, check):
        try:
            results[name] = check()
        except Exception as error:  # noqa: BLE001 - any failure is "not ready"
            results[name] = f"failed: {type(error).__name__}: {str(error).strip()[:200]}"

    threads = [
        threading.Thread(target=run, args=(name, check), daemon=True)
        for name, check in checks.items()
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return {name: results.get(name, f"failed: no answer within {timeout:g} s") for name in checks}


@never_cache
def readyz(request):
    results = _run(CHECKS, settings.READYZ_TIMEOUT)
    ready = all(not value.startswith("failed") for value in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
    )
