"""The 403, 404 and 500 pages (the site's layout, Bahasa Indonesia, a way back), and the
wrong-password message of the login page.

The suite runs with DEBUG=False (tests/settings.py), so Django answers with
these templates exactly as in production.
"""

from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults


def test_a_404_has_the_layout_the_indonesian_text_and_a_way_home(login):
    assert settings.DEBUG is False
    response = login("dkiss").get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    text = response.content.decode()
    assert 'class="navbar' in text and 'id="nav"' in text  # base.html's menu
    assert "Halaman tidak ditemukan" in text
    assert f'href="{reverse("home")}"' in text and "Kembali ke Beranda" in text
    assert 'lang="id"' in text


def test_a_record_one_may_not_see_is_the_same_404_page(login, serang):
    from commitments.models import Commitment

    commitment = Commitment.objects.exclude(government=serang).first()
    response = login("serang").get(reverse("commitment-detail", args=[commitment.pk]))
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_a_403_has_the_layout_and_says_what_to_do(login):
    response = login("walikota").get(reverse("commitment-create"))
    assert response.status_code == 403
    text = response.content.decode()
    assert 'id="nav"' in text
    assert "Anda tidak berwenang melakukan ini" in text
    assert "Kembali ke Beranda" in text


def test_the_500_page_needs_neither_the_request_context_nor_the_database():
    # No ``db`` fixture: any query would raise here (pytest-django blocks the database).
    request = RequestFactory().get("/")
    response = defaults.server_error(request)
    assert response.status_code == 500
    text = response.content.decode()
    assert "Terjadi kesalahan di server" in text
    assert "Kembali ke Beranda" in text and 'href="/"' in text
    assert "bootstrap.min.css" in text and "app.css" in text
    assert "<script" not in text


def test_a_wrong_password_says_so_without_repeating_the_field_name(client, db):
    response = client.post(
        reverse("login"),
        {"username": "dkiss", "password": "salah"},
        REMOTE_ADDR="192.0.2.77",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "nama pengguna nama pengguna" not in text.lower()
    assert "Kata sandi atau nama pengguna salah." in text
    assert response.context["form"].non_field_errors()
