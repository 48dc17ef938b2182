"""Redis as a cache that may fail: short timeouts, a pause after a failure, few log lines.

The cache is only a cache (STYLE.md, "Operations the boring way"): nothing
that decides access or freshness lives in it (``tracker/data_version.py``),
so while Redis is refused, hung or restarting, pages must only get slower,
never wait or fail. django-redis already turns a failed command into a miss
(``IGNORE_EXCEPTIONS``); this client, named in ``CACHES`` as its
``REDIS_CLIENT_CLASS``, adds two things:

* a pause: after a command fails, the process sends Redis nothing for
  :data:`PAUSE_SECONDS` and every command fails at once (a miss). A page
  reads and writes the cache many times; with a hung Redis each of those
  would otherwise wait the whole socket timeout (66-80 s a page before).
  The first command after the pause tries Redis again.
* one warning a minute per process while Redis fails, instead of
  django-redis's traceback per ignored command (5,036 in 17 s before), and
  one line when it answers again.
"""

import logging
import threading
import time

import redis

logger = logging.getLogger("tracker.cache")

PAUSE_SECONDS = 5.0
WARN_EVERY_SECONDS = 60.0

_FAILURES = (redis.ConnectionError, redis.TimeoutError, OSError)


class _Health:
    """The Redis health of this process, shared by its threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.paused_until = 0.0
        self.failing = False
        self.last_warning = None
        self.unreported = 0

    def check(self):
        if time.monotonic() < self.paused_until:
            raise redis.ConnectionError("Redis failed a moment ago: not asked again yet")

    def failed(self, error):
        now = time.monotonic()
        with self.lock:
            self.paused_until = now + PAUSE_SECONDS
            self.failing = True
            if self.last_warning is not None and now - self.last_warning < WARN_EVERY_SECONDS:
                self.unreported += 1
                return
            skipped, self.unreported, self.last_warning = self.unreported, 0, now
        logger.warning(
            "The cache (Redis) failed (%s); pages are computed without it. Redis is asked "
            "again in %.0f s (%d more failures since the last warning).",
            error,
            PAUSE_SECONDS,
            skipped,
        )

    def answered(self):
        if not self.failing:
            return
        with self.lock:
            if not self.failing:
                return
            self.failing = False
            self.last_warning = None
            self.unreported = 0
        logger.warning("The cache (Redis) answers again.")

    def reset(self):
        """Forget every failure (tests)."""
        with self.lock:
            self.paused_until = 0.0
            self.failing = False
            self.last_warning = None
            self.unreported = 0


health = _Health()


class GuardedRedis(redis.Redis):
    """``redis.Redis`` that pauses after a failure (see the module docstring)."""

    def execute_command(self, *args, **options):
        health.check()
        try:
            result = super().execute_command(*args, **options)
        except _FAILURES as error:
            health.failed(error)
            raise
        health.answered()
        return result

    def pipeline(self, *args, **kwargs):
        health.check()
        return super().pipeline(*args, **kwargs)
