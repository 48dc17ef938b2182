"""Sessions live in the cache with the database behind it: fast reads, nobody logged out
when the cache is emptied or restarted."""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def test_a_session_is_read_from_the_cache_and_survives_losing_it(login):
    client = login("bappeda")
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=key).exists()  # written through to the database
    client.get(reverse("my-tasks"))

    def session_queries(captured):
        return [q for q in captured if "django_session" in q["sql"]]

    with CaptureQueriesContext(connection) as warm:
        assert client.get(reverse("my-tasks")).status_code == 200
    assert session_queries(warm.captured_queries) == []  # read from the cache

    cache.clear()  # a Redis restart
    with CaptureQueriesContext(connection) as cold:
        response = client.get(reverse("my-tasks"))
    assert response.status_code == 200  # still logged in
    assert len(session_queries(cold.captured_queries)) == 1  # read back from the database
