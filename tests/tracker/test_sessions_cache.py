"""Sessions live in the database only: a logout is final in every process, whatever any
cache holds (a copy from before the logout, a Redis restored with old data)."""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse


def test_a_session_is_in_the_database_and_survives_losing_the_cache(login):
    client = login("bappeda")
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("my-tasks")).status_code == 200
    cache.clear()  # a Redis restart
    assert client.get(reverse("my-tasks")).status_code == 200  # still logged in


def test_a_cached_copy_of_a_logged_out_session_is_never_trusted(login):
    """The copy ``cached_db`` kept (or a restored Redis snapshot holds) brings nobody back."""
    client = login("bappeda")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    data = Session.objects.get(session_key=key).get_decoded()
    assert client.post(reverse("logout")).status_code in (200, 302)
    assert not Session.objects.filter(session_key=key).exists()
    cache.set(f"django.contrib.sessions.cached_db{key}", data)  # the old engine's key
    cache.set(f"django.contrib.sessions.cache{key}", data)
    client.cookies[settings.SESSION_COOKIE_NAME] = key  # the browser kept its cookie
    response = client.get(reverse("my-tasks"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
