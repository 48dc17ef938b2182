"""Personal API tokens: the services, the pages, bearer authentication, throttling."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from api import token_services
from api.models import ApiToken
from tests.api.conftest import bearer_client, make_token

pytestmark = pytest.mark.django_db

User = get_user_model()
UNITS = "/api/v1/units/"


def _user(username):
    return User.objects.get(username=username)


# --- services ---------------------------------------------------------------------------


def test_create_token_stores_only_a_hash():
    token, plaintext = make_token("dkiss")
    assert re.fullmatch(r"monev_[0-9a-f]{8}_[A-Za-z0-9_-]{40,}", plaintext)
    assert plaintext.startswith(f"monev_{token.prefix}_")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert plaintext not in str(stored)
    assert stored["key_hash"] == token_services.hash_token(plaintext)


def test_expiry_is_required_in_the_future_and_within_a_year():
    now = timezone.now()
    with pytest.raises(ValidationError):
        token_services.create_token(_user("dkiss"), "x", now - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError):
        token_services.create_token(_user("dkiss"), "x", now + datetime.timedelta(days=400))
    token, _ = token_services.create_token(_user("dkiss"), "x", now + datetime.timedelta(days=365))
    assert token.status() == ApiToken.Status.ACTIVE


def test_default_expiry_is_ninety_days():
    token = ApiToken(user=_user("dkiss"), name="x")
    assert abs(
        token.expires_at - timezone.now() - datetime.timedelta(days=90)
    ) < datetime.timedelta(minutes=1)


def test_only_the_owner_revokes():
    token, _ = make_token("dkiss")
    with pytest.raises(PermissionDenied):
        token_services.revoke_token(token, _user("bappeda"))
    token_services.revoke_token(token, _user("dkiss"))
    assert ApiToken.objects.get(pk=token.pk).status() == ApiToken.Status.REVOKED


# --- bearer authentication --------------------------------------------------------------


def test_valid_token_acts_as_its_user():
    _token, plaintext = make_token("dkiss")
    response = bearer_client(plaintext).get(UNITS)
    assert response.status_code == 200
    codes = {unit["code"] for unit in response.json()["results"]}
    assert codes == {"DKISS"}


@pytest.mark.parametrize(
    "header",
    ["Bearer monev_deadbeef_nonsense", "Bearer nonsense", "Bearer", "Bearer a b"],
)
def test_wrong_token_is_401_with_a_message(client, header):
    response = client.get(UNITS, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_no_credentials_is_401(client):
    assert client.get(UNITS).status_code == 401


def test_revoked_token_is_401():
    token, plaintext = make_token("bappeda")
    token_services.revoke_token(token, _user("bappeda"))
    response = bearer_client(plaintext).get(UNITS)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"] or "dicabut" in response.json()["detail"]


def test_expired_token_is_401():
    token, plaintext = make_token("bappeda")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    response = bearer_client(plaintext).get(UNITS)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"] or "kedaluwarsa" in response.json()["detail"]


def test_inactive_user_is_401():
    _token, plaintext = make_token("dkiss")
    User.objects.filter(username="dkiss").update(is_active=False)
    assert bearer_client(plaintext).get(UNITS).status_code == 401


def test_another_governments_token_sees_only_its_own_government(serang):
    _token, plaintext = make_token("serang")
    units = bearer_client(plaintext).get(UNITS).json()["results"]
    assert units and {unit["government"] for unit in units} == {serang.pk}


def test_last_used_is_written_at_most_once_a_minute(django_assert_num_queries):
    token, plaintext = make_token("dkiss")
    assert token.last_used_at is None
    client = bearer_client(plaintext)
    client.get(UNITS)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    client.get(UNITS)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    # A minute later it moves on.
    earlier = first - datetime.timedelta(seconds=61)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    client.get(UNITS)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


@pytest.mark.parametrize("username", ["pengelola", "admin"])
def test_token_of_a_two_factor_role_works_without_a_code(username):
    """Administrators and superusers sign in to pages with a code; once they have set up
    two-factor sign-in, their token is enough (without a device it is refused:
    tests/api/test_token_rules.py)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.get_or_create(user=_user(username), name="HP", confirmed=True)
    _token, plaintext = make_token(username)
    response = bearer_client(plaintext).get(UNITS)
    assert response.status_code == 200
    assert response.json()["results"]


def test_session_of_a_two_factor_role_still_needs_the_code(client):
    """A session without the code is sent to the code page by the middleware, as pages are."""
    from django.contrib.auth import SESSION_KEY

    # Not force_login: the suite's fixture would enter the code too.
    user = _user("pengelola")
    client.force_login(user)
    session = client.session
    from django_otp import DEVICE_ID_SESSION_KEY

    session.pop(DEVICE_ID_SESSION_KEY, None)
    session.save()
    assert client.session[SESSION_KEY] == str(user.pk)
    response = client.get(UNITS)
    assert response.status_code == 302
    assert "/dua-langkah/" in response["Location"]


# --- throttling -------------------------------------------------------------------------


def test_throttled_per_user_after_the_limit():
    from django.conf import settings

    rates = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute"}}
    _t1, first = make_token("dkiss")
    _t2, second = make_token("dkiss")
    with override_settings(REST_FRAMEWORK=rates):
        client = bearer_client(first)
        statuses = [client.get(UNITS).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        # Another token of the same user shares the count: more tokens are no more requests.
        assert bearer_client(second).get(UNITS).status_code == 429
        # Another user has their own.
        assert bearer_client(make_token("bappeda")[1]).get(UNITS).status_code == 200


# --- pages ------------------------------------------------------------------------------

LIST = "/akun/token-api/"


def test_token_page_creates_and_shows_the_token_once(login):
    client = login("dkiss")
    expires = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client.post(LIST, {"name": "Sistem Dinas", "expires_on": expires})
    assert response.status_code == 200
    plaintext = re.search(r'id="token-plaintext">([^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get(user__username="dkiss", name="Sistem Dinas")
    assert token_services.hash_token(plaintext) == token.key_hash
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    # The list shows it by name and prefix, never the secret again.
    page = client.get(LIST).content.decode()
    assert "Sistem Dinas" in page and f"monev_{token.prefix}_" in page
    assert plaintext not in page
    # And it works.
    assert bearer_client(plaintext).get(UNITS).status_code == 200


def test_token_page_refuses_an_expiry_beyond_a_year(login):
    client = login("dkiss")
    expires = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    response = client.post(LIST, {"name": "Terlalu lama", "expires_on": expires})
    assert response.status_code == 200
    assert not ApiToken.objects.filter(name="Terlalu lama").exists()
    assert "token-plaintext" not in response.content.decode()


def test_token_page_lists_only_ones_own_tokens(login):
    make_token("bappeda")
    mine, _ = make_token("dkiss")
    page = login("dkiss").get(LIST).content.decode()
    assert mine.prefix in page
    assert "test bappeda" not in page


def test_revoke_needs_post_and_is_own_only(login):
    theirs, _ = make_token("bappeda")
    mine, plaintext = make_token("dkiss")
    client = login("dkiss")
    assert client.get(f"{LIST}{theirs.pk}/cabut/").status_code == 404
    assert client.post(f"{LIST}{theirs.pk}/cabut/").status_code == 404
    confirm = client.get(f"{LIST}{mine.pk}/cabut/")
    assert confirm.status_code == 200 and "data-confirm" in confirm.content.decode()
    assert ApiToken.objects.get(pk=mine.pk).revoked_at is None
    response = client.post(f"{LIST}{mine.pk}/cabut/")
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=mine.pk).revoked_at is not None
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    assert bearer_client(plaintext).get(UNITS).status_code == 401


def test_token_pages_need_login(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_account_page_links_to_the_tokens(login):
    assert LIST in login("walikota").get("/akun/").content.decode()
