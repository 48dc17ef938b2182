"""A database that cannot be reached: a 503 page with Retry-After, never the 500 page;
/healthz answers without it, /readyz names it (issue 24, item 1)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.db.utils import OperationalError
from django.test import RequestFactory

from tracker.celery import app as celery_app
from tracker.outage import DatabaseOutageMiddleware


def test_a_view_that_cannot_reach_the_database_answers_503_with_retry_after():
    # No ``db`` fixture: the page must not need the database (pytest-django blocks it).
    def view(request):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    middleware = DatabaseOutageMiddleware(view)
    request = RequestFactory().get("/komitmen/")
    response = middleware.process_exception(request, OperationalError("refused"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.OUTAGE_RETRY_AFTER)
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    assert "503" in text and "bootstrap.min.css" in text and 'href="/"' in text
    assert "<script" not in text
    api = middleware.process_exception(RequestFactory().get("/api/v1/"), OperationalError("x"))
    assert api.status_code == 503 and "detail" in json.loads(api.content)
    assert middleware.process_exception(request, ValueError("a bug")) is None  # still a 500


SCRIPT = textwrap.dedent(
    """
    import json, time
    import django
    django.setup()
    from django.test import Client

    client = Client(raise_request_exception=False)
    out = {}
    for name, path, cookie in [
        ("logged_in", "/", "0123456789abcdefghijklmnopqrstuv"),
        ("account", "/akun/", "0123456789abcdefghijklmnopqrstuv"),
        ("login_page", "/akun/masuk/", None),
        ("readyz", "/readyz", None),
        ("healthz", "/healthz", None),
    ]:
        if cookie:
            client.cookies["sessionid"] = cookie
        else:
            client.cookies.pop("sessionid", None)
        started = time.monotonic()
        response = client.get(path)
        out[name] = {
            "status": response.status_code,
            "retry_after": response.get("Retry-After"),
            "body": response.content.decode()[:3000],
            "seconds": round(time.monotonic() - started, 3),
        }
    print(json.dumps(out))
    """
)


def test_with_the_database_at_a_closed_port_pages_are_503_and_healthz_still_answers():
    """A real PostgreSQL connection refused (nothing listens on port 1), in a subprocess
    with the project's settings: nothing else in this test touches the database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/monev",
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    pages = json.loads(result.stdout.strip().splitlines()[-1])
    for name in ("logged_in", "account"):
        page = pages[name]
        assert page["status"] == 503, (name, page["body"][:500])
        assert page["retry_after"] == str(settings.OUTAGE_RETRY_AFTER)
        assert "503" in page["body"] and "500" not in page["body"].split("<main")[1]
        assert page["seconds"] < 5
    assert pages["login_page"]["status"] == 200  # needs no database: still there
    assert pages["healthz"]["status"] == 200 and pages["healthz"]["body"].strip() == "ok"
    ready = pages["readyz"]
    assert ready["status"] == 503
    checks = json.loads(ready["body"])["checks"]
    assert checks["database"].startswith("failed")
    assert checks["cache"] == "ok"


def test_readyz_answers_200_when_everything_is_there(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and set(body["checks"]) == {"database", "cache", "broker"}
    assert client.get("/healthz").content == b"ok\n"


def test_readyz_names_a_broker_that_refuses(client, db, settings, monkeypatch):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/13"
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/13")
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"].startswith("failed") and checks["database"] == "ok"


@pytest.mark.per_database
def test_postgresql_gets_connect_and_statement_timeouts():
    from tracker import settings as project

    assert project.DATABASE_CONNECT_TIMEOUT > 0 and project.DATABASE_STATEMENT_TIMEOUT > 0
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        assert options["connect_timeout"] == project.DATABASE_CONNECT_TIMEOUT
        assert (
            f"statement_timeout={project.DATABASE_STATEMENT_TIMEOUT * 1000}" in options["options"]
        )
    else:
        assert options["timeout"] >= 10
