"""The environment a test's real gunicorn runs in: the production settings (DEBUG off),
an SQLite file of the test's own, and nothing inherited that would point it elsewhere."""

import os


def gunicorn_environment(database, port, *, workers, threads=2):
    """``os.environ`` without the project's server, database, storage, cache and broker
    variables, plus the values a test server needs: ``database`` (a path) and ``port``.

    Static files are served from the source folders (``tests.settings``): there is
    no collectstatic manifest in a test run.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GUNICORN_", "DATABASE_", "STORAGE_", "REDIS_", "CELERY_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DEBUG": "0",
            "SECRET_KEY": "gunicorn-test-secret-key-not-for-production",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": f"sqlite:///{database}",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(threads),
        }
    )
    return env
