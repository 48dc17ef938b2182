"""Read replica: read-only pages read from it, everything else (and every write) from the primary.

The test settings define a ``replica`` alias that is a test mirror of the
default database. Django's TestCase opens a separate connection (and
transaction) for a mirror, which on SQLite's shared in-memory database locks,
and on PostgreSQL cannot see the test's own rows. The ``replica`` fixture
therefore gives the alias a connection object of its own (its own query log,
alias "replica") over the default's database session: a replica with no lag,
as the TEST MIRROR setting intends. Routing stays off unless a test sets
``DATABASE_REPLICA_URL``, so the rest of the suite reads from the default.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from programs.models import Program, ReportingPeriod
from tracker import db_router
from tracker.db_router import (
    PIN_COOKIE,
    READ_ONLY_PAGES,
    REPLICA,
    ReplicaMiddleware,
    ReplicaRouter,
)


@pytest.fixture
def replica(db, settings):
    """The ``replica`` alias as a lag-free copy of the default database (see the module doc)."""
    original = connections[REPLICA]
    default = connections["default"]
    default.ensure_connection()
    mirror = connections.create_connection(REPLICA)
    mirror.connection = default.connection  # the same session: sees the test's rows
    connections[REPLICA] = mirror
    cache.clear()  # no page part computed by an earlier test
    try:
        yield mirror
    finally:
        mirror.connection = None  # never close the default's session through the mirror
        connections[REPLICA] = original


@pytest.fixture
def routing(replica, settings):
    """Replica routing on, as with DATABASE_REPLICA_URL in production."""
    settings.DATABASE_REPLICA_URL = "postgres://replica.invalid/monev"
    return replica


def _captured(client_call):
    """Run ``client_call()``; return its response and the SQL each alias ran."""
    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        response = client_call()
    return response, [q["sql"] for q in on_default], [q["sql"] for q in on_replica]


def _writes(queries):
    return [sql for sql in queries if sql.split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]


def _touching(queries, table_prefix):
    return [sql for sql in queries if f'"{table_prefix}' in sql]


def test_a_cached_page_computes_its_misses_on_the_primary(routing, login):
    """The dashboard is cached under the data version (tracker.data_version): a miss is
    computed on the primary, so a lagging replica can never store old figures under the
    new version; a hit reads no data at all."""
    client = login("bappeda")
    response, on_default, on_replica = _captured(lambda: client.get(reverse("dashboard")))
    assert response.status_code == 200
    assert _touching(on_default, "programs_program")  # the miss: figures from the primary
    assert not _touching(on_replica, "programs_program")
    # What the page reads outside the cache (the quarter picker) comes from the replica.
    assert _touching(on_replica, "programs_reportingperiod")
    assert not _writes(on_default) and not _writes(on_replica)
    assert PIN_COOKIE not in response.cookies
    response, on_default, on_replica = _captured(lambda: client.get(reverse("dashboard")))
    assert response.status_code == 200
    assert not _touching(on_default + on_replica, "programs_program")  # the hit


@pytest.mark.parametrize(
    "name",
    # (home is all cached parts: nothing of it reads outside the cache)
    ["commitment-list", "program-list", "unit-list", "plan-list", "my-tasks"],
)
def test_other_read_only_pages_read_from_the_replica(routing, login, name):
    client = login("bappeda")
    response, on_default, on_replica = _captured(lambda: client.get(reverse(name)))
    assert response.status_code == 200
    assert on_replica, f"{name} read nothing from the replica"
    assert not _writes(on_replica)


def test_a_post_reads_and_writes_on_the_primary_and_pins_the_browser(routing, login, cilegon):
    client = login("bappeda")
    taken = set(ReportingPeriod.objects.filter(government=cilegon).values_list("year", "quarter"))
    year, quarter = next(
        (year, quarter)
        for year in range(2019, 2030)
        for quarter in (1, 2, 3, 4)
        if (year, quarter) not in taken
    )
    response, on_default, on_replica = _captured(
        lambda: client.post(
            reverse("period-list"), {"year": year, "quarter": quarter, "confirm": "1"}
        )
    )
    assert response.status_code == 302
    assert ReportingPeriod.objects.filter(government=cilegon, year=year, quarter=quarter).exists()
    assert on_replica == []
    assert _writes(on_default)
    # The redirected page reads from the primary: the replica may lag behind this write.
    assert PIN_COOKIE in response.cookies
    response, _on_default, on_replica = _captured(lambda: client.get(reverse("period-list")))
    assert response.status_code == 200
    assert on_replica == []


def test_a_page_with_forms_that_write_reads_from_the_primary(routing, login):
    client = login("bappeda")
    response, on_default, on_replica = _captured(lambda: client.get(reverse("verification-queue")))
    assert response.status_code == 200
    assert on_replica == []
    assert on_default


def test_without_a_replica_url_every_page_reads_from_the_primary(replica, login, settings):
    settings.DATABASE_REPLICA_URL = ""
    client = login("bappeda")
    response, on_default, on_replica = _captured(lambda: client.get(reverse("dashboard")))
    assert response.status_code == 200
    assert on_replica == []
    assert _touching(on_default, "programs_")


# --- The router and the middleware on their own ---------------------------------------------


@pytest.fixture
def read_only_request(settings):
    """The router's view of a request to a read-only page, with a replica configured."""
    settings.DATABASE_REPLICA_URL = "postgres://replica.invalid/monev"
    state = db_router._RequestState()
    state.may_use_replica = True
    token = db_router._request_state.set(state)
    yield state
    db_router._request_state.reset(token)


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(read_only_request):
    router = ReplicaRouter()
    assert router.db_for_read(Program) == REPLICA
    assert router.db_for_write(Program) == "default"
    assert router.db_for_read(Program) == "default"


@pytest.mark.django_db
def test_reads_inside_a_transaction_go_to_the_primary(read_only_request):
    router = ReplicaRouter()
    assert router.db_for_read(Program) == REPLICA  # the test's own transaction does not count
    with transaction.atomic():
        assert router.db_for_read(Program) == "default"
    assert router.db_for_read(Program) == REPLICA


def test_reads_for_a_cache_fill_go_to_the_primary(read_only_request):
    router = ReplicaRouter()
    with db_router.read_from_primary():
        assert router.db_for_read(Program) == "default"
    assert router.db_for_read(Program) == REPLICA


def test_outside_a_request_everything_uses_the_primary(settings):
    settings.DATABASE_REPLICA_URL = "postgres://replica.invalid/monev"
    router = ReplicaRouter()
    assert router.db_for_read(Program) == "default"
    assert router.db_for_write(Program) == "default"
    with db_router.read_from_primary():
        assert router.db_for_read(Program) == "default"


def test_only_the_primary_is_migrated_and_relations_span_both():
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "programs") is False
    assert router.allow_migrate("default", "programs") is None
    first, second = Program(), Program()
    first._state.db, second._state.db = "default", REPLICA
    assert router.allow_relation(first, second) is True
    second._state.db = "other"
    assert router.allow_relation(first, second) is None


def test_the_mark_is_reset_even_when_the_view_fails(rf):
    def failing_view(request):
        assert db_router._request_state.get() is not None
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        ReplicaMiddleware(failing_view)(rf.get("/"))
    assert db_router._request_state.get() is None


def _url_names(resolver=None):
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            names |= _url_names(entry)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(entry.name)
    return names


def test_every_read_only_page_exists():
    missing = READ_ONLY_PAGES - _url_names()
    assert not missing


def test_database_replica_url_in_the_environment_adds_a_mirrored_alias():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "STORAGE_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tracker.settings",
            "DEBUG": "1",
            "DATABASE_REPLICA_URL": "postgres://reader:secret@replica.example:5433/monev",
        }
    )
    code = (
        "import django, json\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "print(json.dumps({'replica': settings.DATABASES.get('replica'),"
        " 'routers': settings.DATABASE_ROUTERS, 'url': settings.DATABASE_REPLICA_URL},"
        " default=str))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    replica = loaded["replica"]
    assert replica["HOST"] == "replica.example" and replica["PORT"] == 5433
    assert replica["NAME"] == "monev" and replica["USER"] == "reader"
    assert replica["TEST"]["MIRROR"] == "default"
    assert replica["CONN_HEALTH_CHECKS"] is True
    assert loaded["routers"] == ["tracker.db_router.ReplicaRouter"]
