"""The settings page (the Administrator) and the report publishing page (Bappeda)."""

import pytest
from django.urls import reverse

from tests.transparency.conftest import issue
from transparency.models import PublicPage, PublishedReport

pytestmark = pytest.mark.django_db

SETTINGS = "/transparansi/atur/"


def test_the_administrator_publishes_with_a_reason(login, cilegon):
    client = login("pengelola")
    page = client.get(SETTINGS)
    assert page.status_code == 200
    assert "http://testserver/publik/36.72/" in page.content.decode()
    refused = client.post(SETTINGS, {"action": "publish", "toggle-reason": ""})
    assert refused.status_code == 400
    assert not PublicPage.objects.filter(government=cilegon, is_published=True).exists()
    done = client.post(SETTINGS, {"action": "publish", "toggle-reason": "Keterbukaan"})
    assert done.status_code == 302
    record = PublicPage.objects.get(government=cilegon)
    assert record.is_published
    assert record.history.latest().history_change_reason == "Keterbukaan"
    client.post(SETTINGS, {"action": "intro", "intro-intro": "Selamat datang, warga."})
    assert client.get(reverse("public-page", args=["36.72"])).status_code == 200
    assert "Selamat datang, warga." in client.get("/publik/36.72/").content.decode()
    client.post(SETTINGS, {"action": "unpublish", "toggle-reason": "Perbaikan data"})
    assert client.get("/publik/36.72/").status_code == 404


@pytest.mark.parametrize("username", ["bappeda", "walikota", "dkiss", "serang"])
def test_others_may_not_open_the_settings(login, username):
    assert login(username).get(SETTINGS).status_code == 403


def test_bappeda_publishes_and_withdraws_reports_on_its_page(login, cilegon, serang):
    report = issue(cilegon, title="Laporan Cilegon TW III")
    other = issue(serang, title="Laporan Serang TW III")
    client = login("bappeda")
    listing = client.get(reverse("transparency-reports")).content.decode()
    assert report.title in listing and other.title not in listing
    url = reverse("transparency-report-publication", args=[report.pk, "terbitkan"])
    assert client.post(url, {"reason": ""}).status_code == 302
    assert not PublishedReport.objects.exists()
    assert client.post(url, {"reason": "Layak"}).status_code == 302
    assert PublishedReport.objects.filter(report=report).exists()
    published_only = client.get(reverse("transparency-reports") + "?published=yes")
    assert [r.pk for r in published_only.context["page_obj"]] == [report.pk]
    withdraw = reverse("transparency-report-publication", args=[report.pk, "tarik"])
    client.post(withdraw, {"reason": "Ditarik"})
    assert not PublishedReport.objects.exists()
    foreign = reverse("transparency-report-publication", args=[other.pk, "terbitkan"])
    assert client.post(foreign, {"reason": "x"}).status_code == 404
    assert login("pengelola").post(url, {"reason": "x"}).status_code == 403
