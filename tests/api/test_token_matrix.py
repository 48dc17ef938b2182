"""Every API read URL with tokens: Cilegon's (a unit member and Bappeda), Serang's,
a revoked and an expired one. The statuses are the session matrix's
(tests/permission_cases/api.py): a token acts exactly as its user.
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


HOLDERS = {
    "cilegon bappeda": ("bappeda", lambda: make_token("bappeda")[1]),
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
