"""Tokens follow the rules of sessions (issue 23, item 2): the user's current roles,
two-factor sign-in where the role requires it, revoked by a change of role or unit,
a few per user. The throttle per user is in test_tokens.py."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from api import token_services
from api.models import ApiToken
from tests.api.conftest import bearer_client, make_token
from tracker import accounts, services
from tracker.models import Profile, Unit

pytestmark = pytest.mark.django_db
User = get_user_model()


def _in_site_language(text):
    """``text`` as the API answers it (the site's language, no language cookie sent)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(text)


TWO_FACTOR_REQUIRED = "Two-factor sign-in required: set it up in the browser first."


def _user(username):
    return User.objects.get(username=username)


def _units(plaintext):
    return bearer_client(plaintext).get(reverse("api:unit-list"), {"page_size": 200})


def test_a_token_made_before_the_user_became_administrator_needs_their_second_factor():
    """The finding: promoted with a plain save (as the old admin did), the token went on as
    Administrator with no second factor while the browser was sent to set one up."""
    _token, plaintext = make_token("dkiss")
    assert (
        _units(plaintext).json()["count"]
        < Unit.objects.filter(government__region_code="36.72").count()
    )
    dkiss = _user("dkiss")
    dkiss.groups.add(Group.objects.get(name="Administrator"))
    TOTPDevice.objects.filter(user=dkiss).delete()
    # A plain group change writes no history, so the actor cached under the government's
    # data version stays until the next write of the government (the services write one,
    # and revoke the token besides: the next test). Sessions read the same cached actor.
    cache.clear()

    refused = _units(plaintext)
    assert refused.status_code == 401
    assert refused.json()["detail"] == _in_site_language(TWO_FACTOR_REQUIRED)

    # With a device, the token acts with the roles the user has now: every unit.
    TOTPDevice.objects.create(user=dkiss, name="HP", confirmed=True)
    answer = _units(plaintext)
    assert answer.status_code == 200
    assert answer.json()["count"] == Unit.objects.filter(government__region_code="36.72").count()


def test_an_unconfirmed_device_is_not_a_second_factor():
    _token, plaintext = make_token("pengelola")
    pengelola = _user("pengelola")
    TOTPDevice.objects.filter(user=pengelola).delete()
    TOTPDevice.objects.create(user=pengelola, name="HP", confirmed=False)
    assert _units(plaintext).status_code == 401


def test_a_superuser_s_token_without_a_device_is_refused():
    _token, plaintext = make_token("admin")
    TOTPDevice.objects.filter(user=_user("admin")).delete()
    response = _units(plaintext)
    assert response.status_code == 401
    assert response.json()["detail"] == _in_site_language(TWO_FACTOR_REQUIRED)


def test_a_role_change_through_the_services_revokes_the_tokens_with_history():
    token, plaintext = make_token("dkiss")
    other, _ = make_token("bappeda")
    dkiss = _user("dkiss")
    services.set_user_roles(
        dkiss, actor=_user("pengelola"), groups=["Bappeda"], reason="Pindah ke Bappeda"
    )
    token.refresh_from_db()
    assert token.status() == ApiToken.Status.REVOKED
    assert _units(plaintext).status_code == 401
    other.refresh_from_db()
    assert other.status() == ApiToken.Status.ACTIVE  # another user's tokens stay
    record = Profile.history.filter(user_id=dkiss.pk).latest("history_date", "history_id")
    assert record.history_change_reason.startswith(
        _in_site_language("%(count)d API token revoked: the role or unit changed") % {"count": 1}
    )
    assert "Pindah ke Bappeda" in record.history_change_reason
    assert record.history_user.username == "pengelola"


def test_a_unit_change_through_the_account_page_service_revokes_the_tokens():
    token, _ = make_token("dkiss")
    dkiss = _user("dkiss")
    accounts.change_own_email(dkiss, email="dkiss@cilegonkota.go.id")
    dinkes = Unit.objects.get(government__region_code="36.72", code="DINKES")
    accounts.update_account(
        dkiss,
        actor=_user("pengelola"),
        full_name=dkiss.get_full_name() or "Operator DKISS",
        email=dkiss.email,
        role=accounts.UNIT_MEMBER,
        unit=dinkes,
        is_unit_head=False,
        reason="Mutasi",
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_change_of_name_alone_keeps_the_tokens():
    token, _ = make_token("dkiss")
    dkiss = _user("dkiss")
    accounts.change_own_email(dkiss, email="dkiss@cilegonkota.go.id")
    profile = Profile.objects.get(user=dkiss)
    accounts.update_account(
        dkiss,
        actor=_user("pengelola"),
        full_name="Nama Baru Sekali",
        email=dkiss.email,
        role=accounts.account_role(dkiss),
        unit=profile.unit,
        is_unit_head=profile.is_unit_head,
        reason="Ejaan",
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def test_at_most_the_set_number_of_active_tokens(settings, client, login):
    from django.utils import translation

    settings.API_MAX_TOKENS_PER_USER = 3
    dkiss = _user("dkiss")
    later = timezone.now() + datetime.timedelta(days=30)
    tokens = [token_services.create_token(dkiss, f"t{i}", later)[0] for i in range(3)]
    with translation.override("en"), pytest.raises(ValidationError, match="3 active tokens"):
        token_services.create_token(dkiss, "one more", later)
    # The page says so, and creates nothing.
    client = login("dkiss")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post(
        reverse("api-token-list"),
        {"name": "dari halaman", "expires_on": (timezone.localdate() + datetime.timedelta(days=9))},
    )
    assert page.status_code == 200
    assert "You have 3 active tokens" in page.content.decode()
    assert ApiToken.objects.filter(user=dkiss).count() == 3
    # A revoked (or expired) token frees its place.
    token_services.revoke_token(tokens[0], dkiss)
    token_services.create_token(dkiss, "replacement", later)
