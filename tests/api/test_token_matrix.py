"""Every API read URL with tokens: Cilegon's (a unit member and Bappeda), Serang's,
a revoked and an expired one. The statuses are the session matrix's
(tests/permission_cases/api.py): a token acts exactly as its user. A token of a
user whose role requires two-factor sign-in works only once they have a
confirmed device (issue 23).
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from api import token_services
from api.models import ApiToken
from tests.api.conftest import bearer_client, make_token
from tests.permission_cases.api import READ_URLS

pytestmark = pytest.mark.django_db


def _revoked():
    token, plaintext = make_token("bappeda")
    token_services.revoke_token(token, get_user_model().objects.get(username="bappeda"))
    return plaintext


def _expired():
    token, plaintext = make_token("bappeda")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    return plaintext


def _administrator(with_device):
    """The Administrator's token; their role requires two-factor sign-in, so without a
    confirmed device it is refused like a revoked one (with its reason)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username="pengelola")
    TOTPDevice.objects.filter(user=user).delete()
    if with_device:
        TOTPDevice.objects.create(user=user, name="HP", confirmed=True)
    return make_token("pengelola")[1]


def _promoted_without_device():
    """A token made by a unit member who is then made Administrator (a plain save, as the
    old admin did) and has no device: refused, never Administrator without the code."""
    from django.contrib.auth.models import Group
    from django.core.cache import cache

    plaintext = make_token("dkiss")[1]
    get_user_model().objects.get(username="dkiss").groups.add(
        Group.objects.get(name="Administrator")
    )
    cache.clear()  # no history written, so no new data version: drop the cached actor
    return plaintext


HOLDERS = {
    "cilegon bappeda": ("bappeda", lambda: make_token("bappeda")[1]),
    "cilegon administrator with a device": ("pengelola", lambda: _administrator(True)),
    "cilegon administrator without a device": (None, lambda: _administrator(False)),
    "promoted to administrator, no device": (None, _promoted_without_device),
    "cilegon dkiss": ("dkiss", lambda: make_token("dkiss")[1]),
    "serang": ("serang", lambda: make_token("serang")[1]),
    "revoked": (None, _revoked),
    "expired": (None, _expired),
}


@pytest.mark.parametrize("holder", list(HOLDERS))
@pytest.mark.parametrize("case", list(READ_URLS))
def test_token_matrix(case, holder):
    url_name, args, statuses = READ_URLS[case]
    username, make = HOLDERS[holder]
    url = reverse(url_name, args=args())
    response = bearer_client(make()).get(url)
    expected = statuses[username] if username else 401
    assert response.status_code == expected, (case, holder, url, response.status_code)
    if expected == 401 and url_name not in ("api:schema", "api:docs"):  # YAML, HTML
        assert response.json()["detail"]


def test_every_read_url_is_in_the_table():
    from django.urls import get_resolver

    from api import read_urls

    # api:root only sends a signed-in browser to the documentation (a page, not the API).
    names = {f"api:{p.name}" for p in read_urls.urlpatterns if p.name} - {"api:root"}
    assert names - {url_name for url_name, _args, _statuses in READ_URLS.values()} == set()
    assert get_resolver().reverse_dict  # the project's URLconf loads
