"""SQLite set up for several people at once (issue 11, point 9).

Two requests that read and then write at the same moment used to end, for
the second, in "database is locked": both began a deferred transaction, both
read, and SQLite refuses the second writer at once rather than wait (the
two would deadlock). With ``transaction_mode=IMMEDIATE`` a transaction takes
the write lock when it begins, so the second waits (``timeout``) and then
succeeds. The test runs two threads against a temporary file database with
the project's own settings; the in-memory test database cannot show it.
"""

import contextlib
import copy
import threading

import pytest
from django.conf import settings
from django.db import connections, transaction

SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
pytestmark = pytest.mark.skipif(not SQLITE, reason="the settings under test are SQLite's")
ALIAS = "concurrency"


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """A database alias with the project's SQLite settings, on a temporary file."""
    config = copy.deepcopy(settings.DATABASES["default"])
    config["NAME"] = str(tmp_path / "db.sqlite3")
    config["TEST"] = {}
    configured = connections.configure_settings({"default": copy.deepcopy(config), ALIAS: config})
    connections.settings[ALIAS] = configured[ALIAS]
    with django_db_blocker.unblock():
        yield ALIAS
        connections[ALIAS].close()
    del connections[ALIAS]  # this thread's connection object, with its file name
    del connections.settings[ALIAS]


def test_the_project_configures_sqlite_for_concurrent_use():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"]


def test_a_file_database_runs_in_wal_mode_with_a_busy_timeout(file_database):
    with connections[file_database].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10_000


def test_two_concurrent_read_then_write_transactions_both_succeed(file_database):
    with connections[file_database].cursor() as cursor:
        cursor.execute("CREATE TABLE report (id INTEGER PRIMARY KEY, version INTEGER)")
        cursor.execute("INSERT INTO report (id, version) VALUES (1, 1)")
    connections[file_database].close()

    both_read = threading.Barrier(2)
    errors = []

    def save(name):
        try:
            with (
                transaction.atomic(using=file_database),
                connections[file_database].cursor() as cursor,
            ):
                # Like a service: read the row (its version), then write it.
                cursor.execute("SELECT version FROM report WHERE id = 1")
                version = cursor.fetchone()[0]
                # IMMEDIATE: the other one waits at BEGIN, before reading, so this times out.
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_read.wait(timeout=1)
                cursor.execute("UPDATE report SET version = %s WHERE id = 1", [version + 1])
        except Exception as error:  # noqa: BLE001 - any failure is the test's failure
            errors.append(f"{name}: {error}")
        finally:
            connections[file_database].close()

    threads = [threading.Thread(target=save, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    with connections[file_database].cursor() as cursor:
        cursor.execute("SELECT version FROM report WHERE id = 1")
        assert cursor.fetchone()[0] == 3, "each save saw the other's write"
