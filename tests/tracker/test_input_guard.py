"""NUL and bytes that are not UTF-8, in a query string or a form field: a 400 page.

Django reads such bytes as "\ufffd" (the replacement character) and would
store that; PostgreSQL refuses a NUL in a query (a server error). The input
guard (``tracker.input_guard``) answers 400 before any view runs: the site's
styled error page, or JSON under /api/. Runs on SQLite and PostgreSQL.
"""

from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from commitments.models import Commitment
from tests.factories import smart_city_scheme

pytestmark = pytest.mark.django_db

ODD_QUERIES = ["q=%00", "q=a%00b", "%00=1", "q=%FF", "q=%C3%28", "q%FF=1", "q=%ED%A0%80"]


def _is_the_400_page(response):
    assert response.status_code == 400, response.status_code
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "bootstrap.min.css" in text and "app.css" in text
    assert "400" in text  # "Error 400", in the page's language
    assert 'href="/"' in text
    return text


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_nul_or_invalid_utf8_in_the_search_is_the_400_page(login, query):
    response = login("dkiss").get(f"{reverse('search')}?{query}")
    _is_the_400_page(response)


def test_the_400_page_is_in_indonesian(login):
    text = _is_the_400_page(login("dkiss").get(reverse("search") + "?q=%00"))
    assert 'lang="id"' in text
    assert "Kembali ke Beranda" in text


def test_the_search_still_takes_any_utf8(login):
    response = login("dkiss").get(reverse("search"), {"q": "café — ²"})
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["q=%00", "unit=%FF", "periode=1%002"])
def test_every_page_refuses_them_even_before_login(client, query):
    for url in (reverse("program-list"), reverse("login"), reverse("unit-list")):
        _is_the_400_page(client.get(f"{url}?{query}"))


@pytest.mark.parametrize("value", [b"dkiss%FF", b"dk%00iss", b"%C3%28"])
def test_an_invalid_login_name_is_refused_and_nothing_is_stored(client, value):
    before = AccessAttempt.objects.count()
    response = client.post(
        reverse("login"),
        b"username=" + value + b"&password=salah",
        content_type="application/x-www-form-urlencoded",
        REMOTE_ADDR="192.0.2.78",
    )
    _is_the_400_page(response)
    assert AccessAttempt.objects.count() == before


def _commitment_form(title):
    fields = {
        b"title": title,
        b"theme": b"Smart%20City",
        b"scheme": str(smart_city_scheme().pk).encode(),
        b"date": b"2022-01-01",
        b"place": b"Cilegon",
        b"legal_basis": b"Perda",
        b"points": b"Satu%0ADua",
    }
    return b"&".join(key + b"=" + value for key, value in fields.items())


def test_a_form_field_with_invalid_utf8_is_refused_and_nothing_is_stored(login):
    client = login("bappeda")
    url = reverse("commitment-create")
    before = Commitment.objects.count()
    for title in (b"Komitmen%FF%FE", b"Komitmen%00uji", b"Komitmen\xffuji"):
        response = client.post(
            url, _commitment_form(title), content_type="application/x-www-form-urlencoded"
        )
        _is_the_400_page(response)
    assert Commitment.objects.count() == before
    assert not Commitment.objects.filter(title__contains="\ufffd").exists()
    # The same form with a proper title is saved: the refusal was the bytes.
    response = client.post(
        url,
        _commitment_form(quote("Komitmen café").encode()),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert Commitment.objects.filter(title="Komitmen café").exists()


def test_a_multipart_field_with_invalid_utf8_is_refused(login):
    client = login("bappeda")
    boundary = "BoUnDaRy"
    body = (
        (f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n').encode()
        + b"Komitmen \xff\xfe\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    response = client.post(
        reverse("commitment-create"),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    _is_the_400_page(response)


@pytest.mark.parametrize("name", ["program-list", "commitment-list", "unit-list", "official-list"])
@pytest.mark.parametrize("param", ["unit", "commitment", "government", "periode", "asda"])
def test_a_20_digit_id_in_a_page_filter_is_no_server_error(login, name, param):
    client = login("bappeda")
    for value in ("9" * 20, "9223372036854775808", "-" + "9" * 20):
        assert client.get(reverse(name), {param: value}).status_code < 500


def test_a_20_digit_id_in_a_page_path_is_a_404(login):
    client = login("bappeda")
    for name in ("unit-detail", "official-detail", "commitment-detail", "program-detail"):
        url = reverse(name, args=[1]).replace("/1/", "/" + "9" * 20 + "/")
        assert client.get(url).status_code == 404
