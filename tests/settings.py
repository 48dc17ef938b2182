"""Settings for the test suite: the real settings, a throwaway secret, fast hashing."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
# The suite runs the same in a checkout whose .env (from `make run`) turns DEBUG on.
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("SECURE_SSL_REDIRECT", "False")
os.environ.setdefault("WHITENOISE_USE_FINDERS", "True")

from tracker.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# WhiteNoise finds a static file when it is asked for, as under runserver, instead
# of scanning every app's static files each time a test client starts (each test
# has its own client: the scan cost about 90 ms a test).
WHITENOISE_AUTOREFRESH = True

# Uploaded files of the test run go to a throwaway folder, not var/media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="monev-test-media-")

# The browser tests' live server answers on localhost.
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]

# A read replica that is a test mirror of the default database (Django points
# it at the same test database), so the replica router is exercised in every
# run, on SQLite and on PostgreSQL. Routing to it stays off unless a test sets
# DATABASE_REPLICA_URL (tests/infra/test_replica.py); every other test reads
# from the default database as before.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
