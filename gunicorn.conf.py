"""gunicorn settings, read from the environment.

Start the app with ``.venv/bin/gunicorn -c gunicorn.conf.py tracker.wsgi``.

Every value has a default that suits one machine behind a TLS-terminating
proxy (README, "Scaling out"); set the GUNICORN_* variables to change them.
"""

import os


def _int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}.") from None


def _cores():
    # The cores this process may run on (a container's CPU set), not the host's.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# Only the proxy on this machine talks to gunicorn; set 0.0.0.0:8000 (or a
# unix:/run/monev.sock) only when the proxy runs elsewhere.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Worker processes: the usual 2 x cores + 1. Each thread of each worker keeps
# its own database connection (CONN_MAX_AGE), to the primary and, if set, to
# the replica: workers x threads must stay well below PostgreSQL's
# max_connections (100 by default), hence the cap; more than that needs a
# connection pooler (PgBouncer) or a second machine.
workers = _int("GUNICORN_WORKERS", min(2 * _cores() + 1, 12))

# Threaded workers: a request that waits (the database, the S3 store, Redis,
# a large upload from a slow connection) blocks one thread, not a whole
# process, so a few slow requests do not make everyone wait. The views keep
# no per-process state that threads could trample; database connections are
# per thread. "sync" (one request per process) remains available.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = _int("GUNICORN_THREADS", 4)

# Requests are short: a quarterly report or an export is a background job now
# (Celery), and the page only starts it. A request still running after this
# many seconds is stuck; its worker is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On restart or scale-down, requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Each worker is replaced after about this many requests (plus a random part,
# so they do not all restart at once): slow memory leaks in a library cannot
# grow without bound. The random part is half the count: during a database
# outage every worker answers a flood of cheap 503s, and with a small jitter
# 4 of 5 workers reached their count together and restarted at once when the
# database came back.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 2)

# No preloading: each worker imports Django itself after the fork. A preloaded
# app would share whatever it opened while loading (a database or Redis
# connection, a thread) between processes, and `kill -HUP` (reload) would
# not pick up new code. The price is some memory per worker.
preload_app = False

# The proxy logs requests already; set GUNICORN_ACCESS_LOG=- to log them to stdout.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Workers report that they are alive through a file; on a disk that stalls,
# gunicorn would kill healthy workers. Memory (/dev/shm) never stalls.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
