"""Publishing the page (the Administrator) and reports (Bappeda), with reasons in history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.transparency.conftest import issue, user
from transparency import services
from transparency.models import PublicPage, PublishedReport

pytestmark = pytest.mark.django_db


def test_the_administrator_publishes_and_withdraws_the_page_with_reasons(cilegon):
    page = services.publish_page(actor=user("pengelola"), government=cilegon, reason="Dibuka")
    assert page.is_published and page.published_at is not None
    services.unpublish_page(actor=user("pengelola"), government=cilegon, reason="Perbaikan")
    assert not PublicPage.objects.get(government=cilegon).is_published
    rows = list(page.history.order_by("history_id"))
    assert [(r.is_published, r.history_user.username, r.history_change_reason) for r in rows] == [
        (True, "pengelola", "Dibuka"),
        (False, "pengelola", "Perbaikan"),
    ]


@pytest.mark.parametrize("username", ["bappeda", "walikota", "dkiss", "serang", "nobody"])
def test_nobody_else_publishes_the_page(cilegon, username):
    with pytest.raises(PermissionDenied):
        services.publish_page(actor=user(username), government=cilegon, reason="Dibuka")
    assert not PublicPage.objects.filter(government=cilegon).exists()


def test_an_administrator_does_not_publish_another_governments_page(serang):
    with pytest.raises(PermissionDenied):
        services.publish_page(actor=user("pengelola"), government=serang, reason="Dibuka")


def test_a_superuser_may(serang):
    assert services.publish_page(actor=user("admin"), government=serang, reason="Uji").is_published


def test_a_reason_is_required_and_a_repeat_is_refused(cilegon):
    with pytest.raises(ValidationError):
        services.publish_page(actor=user("pengelola"), government=cilegon, reason="  ")
    services.publish_page(actor=user("pengelola"), government=cilegon, reason="Dibuka")
    with pytest.raises(ValidationError):
        services.publish_page(actor=user("pengelola"), government=cilegon, reason="Lagi")


def test_the_intro_is_bounded(cilegon):
    services.set_intro(actor=user("pengelola"), government=cilegon, intro="Selamat datang")
    assert PublicPage.objects.get(government=cilegon).intro == "Selamat datang"
    with pytest.raises(ValidationError):
        services.set_intro(actor=user("pengelola"), government=cilegon, intro="x" * 2001)
    with pytest.raises(PermissionDenied):
        services.set_intro(actor=user("bappeda"), government=cilegon, intro="Halo")


def test_bappeda_publishes_and_withdraws_a_report_with_reasons(cilegon):
    report = issue(cilegon)
    services.publish_report(actor=user("bappeda"), report=report, reason="Layak terbit")
    publication = PublishedReport.objects.get(report=report)
    services.unpublish_report(actor=user("bappeda"), report=report, reason="Salah unggah")
    assert not PublishedReport.objects.filter(report=report).exists()
    rows = list(publication.history.order_by("history_id"))
    assert [(r.history_type, r.history_user.username, r.history_change_reason) for r in rows] == [
        ("+", "bappeda", "Layak terbit"),
        ("-", "bappeda", "Salah unggah"),
    ]
    report.refresh_from_db()  # the issued report itself stays
    with pytest.raises(ValidationError):
        services.unpublish_report(actor=user("bappeda"), report=report, reason="Lagi")


@pytest.mark.parametrize("username", ["pengelola", "walikota", "dkiss", "nobody"])
def test_only_bappeda_publishes_reports(cilegon, username):
    report = issue(cilegon)
    with pytest.raises(PermissionDenied):
        services.publish_report(actor=user(username), report=report, reason="Terbit")
    assert not PublishedReport.objects.exists()


def test_another_governments_bappeda_is_refused(cilegon):
    report = issue(cilegon)
    with pytest.raises(PermissionDenied):
        services.publish_report(actor=user("serang"), report=report, reason="Terbit")


def test_a_report_is_published_once_and_needs_a_reason(cilegon):
    report = issue(cilegon)
    with pytest.raises(ValidationError):
        services.publish_report(actor=user("bappeda"), report=report, reason="")
    services.publish_report(actor=user("bappeda"), report=report, reason="Terbit")
    with pytest.raises(ValidationError):
        services.publish_report(actor=user("bappeda"), report=report, reason="Terbit lagi")
