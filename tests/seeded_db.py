"""The test database with the demo in it: seeded once, copied into each test process.

Seeding the demo through the services takes about 45 s, and every pytest-xdist
worker needs a database of its own. So the first worker to take the lock
migrates and seeds its test database as before, then saves it as a template (a
SQLite file, or a PostgreSQL template database) together with the files the seed
stored under MEDIA_ROOT (the scan of the signing sheet); every other worker
copies the template (well under a second) and those files.

A template is named by a fingerprint of everything that shapes the data: the
project's files outside tests/ and static/ (code, migrations, the demo's data
files, templates, translations), tests/conftest.py, tests/settings.py and this
module, the installed packages, the environment variables the settings read,
and today's date (the seed stamps its history with the time it runs). So a
developer's next run copies the same template without seeding, and any change
to what shapes the data builds a new one. Under CI=true, or with
MONEV_TEST_TEMPLATE_CACHE=0, the fingerprint also holds the run's id: the run
seeds afresh and removes its template when it ends.
"""

import contextlib
import datetime
import fcntl
import hashlib
import importlib.metadata
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = Path(
    os.environ.get("MONEV_TEST_TEMPLATE_DIR")
    or Path(tempfile.gettempdir()) / "monev-test-templates"
)
RUN_VARIABLE = "MONEV_TEST_RUN"
KEY_VARIABLE = "MONEV_TEST_TEMPLATE_KEY"
# Folders whose files never reach the database (other tests, CSS and JS, tools' caches).
SKIPPED_DIRS = {
    ".git",
    ".venv",
    "var",
    "static",
    "staticfiles",
    "tests",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "test-results",
    "node_modules",
}
SHAPING_TEST_FILES = ["tests/conftest.py", "tests/settings.py", "tests/seeded_db.py"]
# A file template older than this is removed by the next build (one of another
# fingerprint can no longer be in use by then).
STALE_AFTER = 6 * 3600


def per_run():
    """True when templates must not outlive the run (CI, or asked for)."""
    return os.environ.get("CI") == "true" or os.environ.get("MONEV_TEST_TEMPLATE_CACHE") == "0"


def start_run():
    """Give the run an id and a template name its xdist workers inherit (called
    before they start): a file saved during the run does not split the workers
    between two templates."""
    os.environ.setdefault(RUN_VARIABLE, uuid.uuid4().hex[:8])
    os.environ.setdefault(KEY_VARIABLE, fingerprint())


def _shaping_files():
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED_DIRS)
        for name in sorted(files):
            if not name.endswith((".pyc", ".swp", "~")):
                yield Path(directory) / name
    for name in SHAPING_TEST_FILES:
        yield ROOT / name
    if (ROOT / ".env").is_file():
        yield ROOT / ".env"


def _settings_variables():
    """The environment variables tracker/settings.py reads, with their values here."""
    source = (ROOT / "tracker" / "settings.py").read_text()
    names = sorted(set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""", source)))
    return [f"{name}={os.environ.get(name)}" for name in names]


def fingerprint():
    """A short hash of everything that shapes the seeded data (see the module's note)."""
    from django.conf import settings

    digest = hashlib.sha256()
    for path in _shaping_files():
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    packages = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )
    today = datetime.datetime.now(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
    for line in [sys.version, today.isoformat(), *packages, *_settings_variables()]:
        digest.update(line.encode() + b"\0")
    key = digest.hexdigest()[:12]
    if per_run():
        key += "_run" + os.environ.get(RUN_VARIABLE, uuid.uuid4().hex[:8])
    return key


@contextlib.contextmanager
def _locked(name):
    TEMPLATE_DIR.mkdir(parents=True, exist_ok=True)
    with open(TEMPLATE_DIR / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def setup_seeded_databases(seed):
    """Create this process's test database holding the seeded demo; returns what
    ``django.test.utils.teardown_databases`` needs to remove it.

    ``seed`` is called once, in the process that builds the template.
    """
    from django.db import connections

    connection = connections["default"]
    key = os.environ.get(KEY_VARIABLE) or fingerprint()
    if connection.vendor == "postgresql":
        return _PostgreSQL(connection, key).setup(seed)
    if connection.vendor == "sqlite":
        return _SQLite(connection, key).setup(seed)
    return _seed_here(seed)


def _seed_here(seed):
    from django.test.utils import setup_databases

    config = setup_databases(
        verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
    )
    seed()
    return config


def _copy_media(source, target):
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)


def _save_media(target):
    """Keep the files the seed stored, next to the template."""
    from django.conf import settings

    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(settings.MEDIA_ROOT, partial)
    os.replace(partial, target)


def _use_test_database(connection, test_name, fill=lambda: None):
    """Point the connection (and its test mirrors) at the copied test database, as
    ``create_test_db`` would after migrating; returns the ``setup_databases`` answer.

    ``fill`` copies the template in once the connection is open (SQLite)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    old_name = connection.settings_dict["NAME"]
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection.ensure_connection()
    fill()
    for alias in connections:
        mirror = connections[alias].settings_dict["TEST"].get("MIRROR")
        if mirror:
            connections[alias].creation.set_as_test_mirror(connections[mirror].settings_dict)
    call_command("createcachetable", database=connection.alias)
    return [(connection, old_name, True)]


class _SQLite:
    def __init__(self, connection, key):
        self.connection = connection
        self.key = f"sqlite_{key}"
        self.file = TEMPLATE_DIR / f"{self.key}.sqlite3"
        self.media = TEMPLATE_DIR / f"{self.key}.media"

    def setup(self, seed):
        with _locked(self.key):
            if not self.file.is_file():
                config = _seed_here(seed)
                self._save()
                return config
            from django.conf import settings

            _copy_media(self.media, Path(settings.MEDIA_ROOT))
            return self._copy()

    def _save(self):
        _remove_stale_files()
        _save_media(self.media)
        partial = self.file.with_name(f"{self.file.name}.partial-{os.getpid()}")
        target = sqlite3.connect(partial)
        try:
            self.connection.connection.backup(target)
        finally:
            target.close()
        os.replace(partial, self.file)

    def _copy(self):
        creation = self.connection.creation
        test_name = creation._get_test_db_name()
        if not creation.is_in_memory_db(test_name) and os.path.exists(test_name):
            os.remove(test_name)
        return _use_test_database(self.connection, test_name, fill=self._fill)

    def _fill(self):
        source = sqlite3.connect(f"file:{self.file}?mode=ro", uri=True)
        try:
            source.backup(self.connection.connection)
        finally:
            source.close()


def _remove_stale_files():
    """Templates (and their files) of other fingerprints, once surely out of use."""
    limit = time.time() - STALE_AFTER
    for path in TEMPLATE_DIR.glob("sqlite_*"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit and not path.name.endswith(".lock"):
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()


class _PostgreSQL:
    def __init__(self, connection, key):
        self.connection = connection
        # One prefix a database name: a run drops the stale templates of its own database.
        self.prefix = f"tpl_{connection.settings_dict['NAME'][:30]}_"
        self.template = self.prefix + key
        self.media = TEMPLATE_DIR / f"pg_{self.template}.media"

    def _execute(self, *statements):
        with self.connection._nodb_cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def _quote(self, name):
        return self.connection.ops.quote_name(name)

    def _template_exists(self):
        with self.connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.template])
            return cursor.fetchone() is not None

    def setup(self, seed):
        # The lock is per database name, so pruning other fingerprints' templates
        # never races a worker of the same database that is about to copy one.
        with _locked(self.prefix):
            if not self._template_exists():
                config = _seed_here(seed)
                self._save()
                return config
            from django.conf import settings

            _copy_media(self.media, Path(settings.MEDIA_ROOT))
            return self._copy()

    def _save(self):
        from django.db import connections

        test_name = self.connection.settings_dict["NAME"]
        drop_templates(self.connection, self.prefix, keep=self.template)
        _save_media(self.media)
        # A database is copied only while nobody is connected to it.
        connections.close_all()
        self._create_from(test_name, self.template)
        self._execute(
            f"ALTER DATABASE {self._quote(self.template)} WITH IS_TEMPLATE true "
            "ALLOW_CONNECTIONS false"
        )

    def _create_from(self, source, target):
        for attempt in range(10):
            try:
                self._execute(
                    f"CREATE DATABASE {self._quote(target)} TEMPLATE {self._quote(source)}"
                )
                return
            except Exception as error:
                # Someone (autovacuum) is still connected to the source: try again shortly.
                if "being accessed by other users" not in str(error) or attempt == 9:
                    raise
                time.sleep(0.5)

    def _copy(self):
        test_name = self.connection.creation._get_test_db_name()
        # A test database left over by an interrupted run is replaced, as Django does.
        self._execute(f"DROP DATABASE IF EXISTS {self._quote(test_name)}")
        self._create_from(self.template, test_name)
        return _use_test_database(self.connection, test_name)


def drop_templates(connection, prefix, suffix="", *, keep=None):
    """Drop the PostgreSQL templates named ``prefix...suffix`` (and their media), but ``keep``."""
    quote = connection.ops.quote_name

    def literal(text):
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
            [f"{literal(prefix)}%{literal(suffix)}", keep or ""],
        )
        names = [row[0] for row in cursor.fetchall()]
        for name in names:
            try:
                cursor.execute(f"ALTER DATABASE {quote(name)} WITH IS_TEMPLATE false")
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            except Exception:  # noqa: BLE001 - in use by another run: it goes next time
                continue
            shutil.rmtree(TEMPLATE_DIR / f"pg_{name}.media", ignore_errors=True)


def remove_run_templates():
    """At the end of a run that must not keep its templates: remove them."""
    from django.db import connections

    run = os.environ.get(RUN_VARIABLE)
    if not per_run() or not run or not TEMPLATE_DIR.is_dir():
        return
    suffix = f"_run{run}"
    connection = connections["default"]
    if connection.vendor == "postgresql":
        drop_templates(connection, f"tpl_{connection.settings_dict['NAME'][:30]}_", suffix)
        return
    # The run's SQLite template and its files; a PostgreSQL run of the same id
    # (.ci/run) removes its own.
    for path in TEMPLATE_DIR.glob(f"sqlite_*{suffix}*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def main():
    """``python -m tests.seeded_db``: build the template of DATABASE_URL now, if missing.

    .ci/run builds the SQLite and the PostgreSQL template side by side before
    the two ``make test`` runs, which then only copy them (the run's id,
    MONEV_TEST_RUN, names the templates of both).
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment, teardown_databases

    from tests.conftest import seed

    # As pytest-django's django_test_environment fixture does for the tests.
    setup_test_environment(debug=False)
    started = time.monotonic()
    teardown_databases(setup_seeded_databases(seed), verbosity=0)
    print(f"test database template ready in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
