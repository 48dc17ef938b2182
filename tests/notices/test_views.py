"""The notices pages: the list (own notices only, paginated), opening and marking
read, the email choice, and the navbar's unread count (one query per page)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notices import services
from notices.models import Notice, NoticePreference

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


def _notice(username, subject="Laporan dikirim", link="/program/"):
    (notice,) = services.notify([user(username)], subject=subject, body="Isi", link=link)
    return notice


def _unread_badge(page):
    marker = 'id="nav-unread">'
    if marker not in page:
        return None
    return int(page.split(marker, 1)[1].split("<", 1)[0])


def test_the_unread_count_shows_and_clears(login):
    services.mark_all_read(actor=user("bappeda"))  # the demo's own report events
    _notice("bappeda", "Pertama")
    _notice("bappeda", "Kedua")
    _notice("dkiss", "Milik DKISS")
    client = login("bappeda")
    page = client.get(reverse("home")).content.decode()
    assert _unread_badge(page) == 2

    listing = client.get(reverse("notice-list")).content.decode()
    assert "Pertama" in listing and "Kedua" in listing and "Milik DKISS" not in listing
    response = client.post(reverse("notice-read-all"), {"next": reverse("notice-list")})
    assert response.status_code == 302 and response["Location"] == reverse("notice-list")
    assert _unread_badge(client.get(reverse("home")).content.decode()) is None


def test_opening_a_notice_marks_it_read_and_goes_to_its_link(login):
    notice = _notice("bappeda", link="/antrean-verifikasi/")
    response = login("bappeda").get(reverse("notice-open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/antrean-verifikasi/"
    notice.refresh_from_db()
    assert notice.is_read


def test_someone_elses_notice_is_a_404_and_stays_unread(login):
    notice = _notice("dkiss")
    client = login("bappeda")
    assert client.get(reverse("notice-open", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notice-read", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert not notice.is_read


def test_mark_one_read_and_filter_unread(login):
    services.mark_all_read(actor=user("bappeda"))
    first = _notice("bappeda", "Pertama")
    _notice("bappeda", "Kedua")
    client = login("bappeda")
    client.post(reverse("notice-read", args=[first.pk]), {"next": "https://evil.example/"})
    unread = client.get(reverse("notice-list"), {"belum": "1"}).content.decode()
    assert "Kedua" in unread and "Pertama" not in unread


def test_the_list_is_paginated(login):
    # Leadership gets no report notices in the demo: only these 30.
    walikota = user("walikota")
    Notice.objects.bulk_create(
        [Notice(user=walikota, subject=f"Pemberitahuan {i:02}") for i in range(30)]
    )
    client = login("walikota")
    first = client.get(reverse("notice-list")).content.decode()
    assert "Pemberitahuan 29" in first and "Pemberitahuan 04" not in first
    second = client.get(reverse("notice-list"), {"page": 2}).content.decode()
    assert "Pemberitahuan 04" in second


def test_the_email_choice_is_saved_on_the_account_page(login):
    client = login("dkiss")
    account = client.get(reverse("account")).content.decode()
    assert reverse("notice-settings") in account
    response = client.post(reverse("notice-settings"), {"daily_digest": "1"})
    assert response.status_code == 302
    assert NoticePreference.objects.get(user=user("dkiss")).daily_digest
    client.post(reverse("notice-settings"), {"daily_digest": "0"})
    assert not NoticePreference.objects.get(user=user("dkiss")).daily_digest


@pytest.mark.parametrize("count", [0, 40])
def test_the_count_costs_one_query_per_page_whatever_the_number(login, count):
    walikota = user("walikota")
    Notice.objects.bulk_create([Notice(user=walikota, subject="x") for _ in range(count)])
    client = login("walikota")
    client.get(reverse("notice-settings"))  # warm the caches of the page's other parts
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("notice-settings")).content.decode()
    counting = [q for q in queries.captured_queries if 'FROM "notices_notice"' in q["sql"]]
    assert len(counting) == 1
    assert (_unread_badge(page) or 0) == count
