"""The cache is only a cache (issue 24, items 2-4): Redis refused, hung or restarted with
old data makes pages slower at worst, never slow, failing or wrong.

The cache is configured as production configures it with REDIS_URL (read from
tracker/settings.py itself), pointed at a closed port (refused), at a socket
that accepts and never answers (hung), or at a real Redis (databases 9-12 of
127.0.0.1:6379, flushed by these tests; never 0-4).
"""

import logging
import runpy
import socket
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from programs import program_services
from tests.test_cache_versioning import committed, user
from tracker import cache_guard

pytestmark = pytest.mark.django_db

PAGE_SECONDS = 2.0
RESTART_DB = 9
LOGOUT_DB = 10


def _production_caches(monkeypatch, location):
    """CACHES exactly as tracker/settings.py builds them when REDIS_URL is set."""
    monkeypatch.setenv("REDIS_URL", location)
    monkeypatch.setenv("CACHE_KEY_PREFIX", "monev-test-faults")
    namespace = runpy.run_path(str(Path(django_settings.BASE_DIR) / "tracker" / "settings.py"))
    monkeypatch.delenv("REDIS_URL")
    caches = namespace["CACHES"]
    assert caches["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert caches["default"]["OPTIONS"]["SOCKET_TIMEOUT"] < 1
    assert caches["default"]["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] < 1
    return caches


@pytest.fixture(autouse=True)
def _healthy_redis():
    cache_guard.health.reset()
    yield
    cache_guard.health.reset()


@pytest.fixture
def use_cache(settings, monkeypatch):
    """``use_cache("redis://…")``: from now on the default cache is that Redis."""

    def switch(location):
        settings.CACHES = _production_caches(monkeypatch, location)
        settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
        cache_guard.health.reset()  # a new "process" view of the server

    return switch


def _refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"  # nobody listens there any more


class _Hung:
    """A server that accepts connections and never answers (a Redis under SIGSTOP)."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.accepted = []
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                connection, _address = self.server.accept()
            except OSError:
                return
            self.accepted.append(connection)

    @property
    def location(self):
        return f"redis://127.0.0.1:{self.server.getsockname()[1]}/0"

    def close(self):
        self.closed = True
        self.server.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def hung():
    server = _Hung()
    yield server
    server.close()


def _real_redis(db):
    redis = pytest.importorskip("redis")
    client = redis.Redis(host="127.0.0.1", port=6379, db=db, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    client.flushdb()
    return client


@pytest.fixture
def restart_redis():
    client = _real_redis(RESTART_DB)
    yield f"redis://127.0.0.1:6379/{RESTART_DB}"
    client.flushdb()


@pytest.fixture
def logout_redis():
    client = _real_redis(LOGOUT_DB)
    yield f"redis://127.0.0.1:6379/{LOGOUT_DB}"
    client.flushdb()


def _pages(program):
    return {
        "bappeda": [reverse("home"), reverse("dashboard"), reverse("program-list") + "?state=all"],
        "dkiss": [
            reverse("my-tasks"),
            reverse("program-detail", args=[program.pk]),
            reverse("home"),
        ],
    }


@pytest.mark.parametrize("fault", ["refused", "hung"])
def test_pages_answer_quickly_while_redis_fails(
    fault, client, use_cache, hung, make_program, period_2022, caplog
):
    with committed():
        program = make_program(title="Program Saat Redis Mati")
        period_2022(1)
    use_cache(_refused() if fault == "refused" else hung.location)
    caplog.set_level(logging.WARNING)
    slowest = 0.0
    for username, urls in _pages(program).items():
        client.force_login(user(username))
        for url in urls * 2:
            started = time.monotonic()
            response = client.get(url)
            elapsed = time.monotonic() - started
            slowest = max(slowest, elapsed)
            assert response.status_code == 200, url
            assert elapsed < PAGE_SECONDS, f"{url}: {elapsed:.2f} s"
    # One warning for the whole outage (a minute), no traceback per cache command.
    warnings = [r for r in caplog.records if r.name == "tracker.cache"]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert not [r for r in caplog.records if r.name.startswith("django_redis")]
    assert not [r for r in caplog.records if r.exc_info]
    print(f"slowest page with Redis {fault}: {slowest:.3f} s")


def test_the_upload_rate_limit_lets_uploads_through_while_the_cache_fails(use_cache, monkeypatch):
    from reports import views

    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.9")
    use_cache(_refused())  # django-redis answers None for add and incr
    assert cache.incr("anything") is None
    assert views._too_many_uploads(request) is False

    class Broken:  # a cache that raises instead (no IGNORE_EXCEPTIONS)
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache gone")

            return fail

    monkeypatch.setattr(views, "cache", Broken())
    assert views._too_many_uploads(request) is False


def test_the_upload_rate_limit_still_counts_with_a_working_cache(settings):
    from reports import views

    settings.REPORT_VERIFY_RATE_LIMIT = 2
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.8")
    assert [views._too_many_uploads(request) for _ in range(3)] == [False, False, True]


def test_writes_during_an_outage_show_after_redis_restarts_with_its_old_data(
    client, use_cache, restart_redis, make_program, period_2022
):
    """Redis keeps the entries of before the outage; the version, in the database, moved."""
    with committed():
        program = make_program(title="Judul Sebelum Gangguan")
        period = period_2022(1)
    url = reverse("program-detail", args=[program.pk]) + f"?periode={period.pk}"
    client.force_login(user("dkiss"))
    use_cache(restart_redis)
    assert "Judul Sebelum Gangguan" in client.get(url).content.decode()  # cached in Redis

    use_cache(_refused())  # the outage: the write below reaches only the database
    with committed():
        program_services.update_program(
            program, actor=user("bappeda"), title="Judul Saat Gangguan", reason="Ganti"
        )
    assert "Judul Saat Gangguan" in client.get(url).content.decode()

    use_cache(restart_redis)  # back, with the entries of before
    page = client.get(url).content.decode()
    assert "Judul Saat Gangguan" in page and "Judul Sebelum Gangguan" not in page


def test_a_logout_while_redis_is_down_is_not_undone_when_it_returns(
    client, use_cache, logout_redis
):
    use_cache(logout_redis)
    client.force_login(user("dkiss"))
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("my-tasks")).status_code == 200

    use_cache(_refused())
    assert client.post(reverse("logout")).status_code in (200, 302)

    use_cache(logout_redis)
    client.cookies[django_settings.SESSION_COOKIE_NAME] = key  # the browser kept it
    response = client.get(reverse("my-tasks"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_check_deploy_warns_about_several_workers_without_a_shared_cache(settings, monkeypatch):
    from tracker import checks

    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)  # gunicorn's default: several
    assert [m.id for m in checks.check_shared_cache(None)] == ["tracker.W010"]
    monkeypatch.setenv("GUNICORN_WORKERS", "1")
    assert checks.check_shared_cache(None) == []
    monkeypatch.setenv("GUNICORN_WORKERS", "4")
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    assert [m.id for m in checks.check_shared_cache(None)] == ["tracker.E010", "tracker.W010"]
