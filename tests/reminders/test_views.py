"""The leave-day page: list, add, remove, and who may."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from reminders import calendar_services
from tracker.models import LeaveDay

D = datetime.date
LIST = "/hari-libur/"


def _day(government, date, name="Cuti bersama"):
    return calendar_services.add_leave_day(actor=None, government=government, date=date, name=name)


@pytest.fixture
def english(client):
    """Pages in English; afterwards back to the default, as a request's language
    stays active on the thread and later tests expect Indonesian."""
    client.cookies["django_language"] = "en"
    yield client
    translation.deactivate()


def test_urls():
    assert reverse("leave-day-list") == LIST
    assert reverse("leave-day-create") == "/hari-libur/tambah/"


def test_the_list_shows_the_own_governments_days_filtered_by_year(login, cilegon, serang, english):
    _day(cilegon, D(2022, 5, 4), "Cuti Idul Fitri Cilegon")
    _day(cilegon, D(2023, 4, 19), "Cuti Idul Fitri 2023")
    _day(serang, D(2022, 5, 5), "Cuti Serang")
    client = login("dkiss")
    page = client.get(LIST).content.decode()
    assert "Cuti Idul Fitri Cilegon" in page and "Cuti Idul Fitri 2023" in page
    assert "Cuti Serang" not in page
    assert 'href="/hari-libur/tambah/"' not in page  # a unit member only reads
    page = client.get(LIST, {"year": "2022"}).content.decode()
    assert "Cuti Idul Fitri Cilegon" in page and "Cuti Idul Fitri 2023" not in page
    # The year's national holidays are shown for reference, from the holidays package.
    assert "Hari Raya Idul Fitri" in page
    # A year that is not one of the choices is ignored, not a server error.
    assert client.get(LIST, {"year": "abc"}).status_code == 200


def test_the_list_is_paginated(login, cilegon):
    for offset in range(30):
        _day(cilegon, D(2022, 1, 3) + datetime.timedelta(days=offset), f"Hari {offset}")
    client = login("pengelola")
    first = client.get(LIST)
    assert len(first.context["object_list"]) == 25
    assert len(client.get(LIST, {"page": 2}).context["object_list"]) == 5


def test_the_administrator_adds_a_day(login, cilegon):
    client = login("pengelola")
    response = client.post(
        reverse("leave-day-create"),
        {"date": "2024-04-08", "name": "Cuti bersama Idul Fitri", "reason": "SKB 3 Menteri"},
    )
    assert response.status_code == 302 and response["Location"] == f"{LIST}?year=2024"
    day = LeaveDay.objects.get(government=cilegon, date=D(2024, 4, 8))
    assert day.name == "Cuti bersama Idul Fitri"
    record = day.history.get()
    assert record.history_user.username == "pengelola"
    assert record.history_change_reason == "SKB 3 Menteri"


def test_a_duplicate_or_a_far_year_is_refused(login, cilegon, english):
    _day(cilegon, D(2024, 4, 8))
    client = login("pengelola")
    for date in ("2024-04-08", "1999-12-31", f"{datetime.date.today().year + 6}-01-02"):
        response = client.post(reverse("leave-day-create"), {"date": date, "name": "Cuti"})
        assert response.status_code == 200, date
        assert response.context["form"].errors["date"], date
    assert LeaveDay.objects.filter(government=cilegon).count() == 1


def test_the_same_date_may_be_a_leave_day_of_two_governments(cilegon, serang):
    _day(cilegon, D(2024, 4, 8))
    _day(serang, D(2024, 4, 8))
    assert LeaveDay.objects.filter(date=D(2024, 4, 8)).count() == 2


def test_the_superuser_picks_the_government(login, serang):
    client = login("admin")
    assert b"?government=" in client.get(reverse("leave-day-create")).content
    response = client.post(
        f"{reverse('leave-day-create')}?government={serang.pk}",
        {"date": "2024-04-09", "name": "Cuti Serang"},
    )
    assert response.status_code == 302
    assert LeaveDay.objects.get(date=D(2024, 4, 9)).government == serang


def test_an_administrator_cannot_add_to_another_government(login, serang):
    client = login("pengelola")
    response = client.post(
        f"{reverse('leave-day-create')}?government={serang.pk}",
        {"date": "2024-04-09", "name": "Cuti"},
    )
    assert response.status_code == 404
    assert not LeaveDay.objects.exists()


def test_removing_asks_a_reason_and_keeps_history(login, cilegon):
    day = _day(cilegon, D(2024, 4, 8))
    client = login("pengelola")
    url = reverse("leave-day-delete", args=[day.pk])
    page = client.get(url)
    assert b"data-confirm=" in page.content
    assert client.post(url, {"reason": ""}).status_code == 200
    assert LeaveDay.objects.filter(pk=day.pk).exists()
    response = client.post(url, {"reason": "SKB dicabut"})
    assert response.status_code == 302
    assert not LeaveDay.objects.filter(pk=day.pk).exists()
    last = LeaveDay.history.filter(id=day.pk).latest("history_date")
    assert last.history_type == "-"
    assert (last.history_user.username, last.history_change_reason) == ("pengelola", "SKB dicabut")


def test_bappeda_may_read_but_not_remove(login, cilegon):
    day = _day(cilegon, D(2024, 4, 8))
    client = login("bappeda")
    assert client.get(LIST).status_code == 200
    assert (
        client.post(reverse("leave-day-delete", args=[day.pk]), {"reason": "x"}).status_code == 403
    )
    assert client.get(reverse("leave-day-create")).status_code == 403
    assert LeaveDay.objects.filter(pk=day.pk).exists()


def test_another_governments_day_is_not_found(login, serang):
    day = _day(serang, D(2024, 4, 8))
    response = login("pengelola").post(reverse("leave-day-delete", args=[day.pk]), {"reason": "x"})
    assert response.status_code == 404
    assert LeaveDay.objects.filter(pk=day.pk).exists()


def test_the_page_says_opened_periods_keep_their_deadlines(login, english):
    page = login("dkiss").get(LIST).content.decode()
    assert "Deadlines of a period already opened are stored" in page
