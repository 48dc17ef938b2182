"""The public transparency page in a browser, logged out: a verified figure shows, a figure
only sent for verification does not, and a government that has not published answers 404."""

from playwright.sync_api import expect

from tests.transparency.conftest import Subject, user
from tracker.models import Government
from transparency import services


def _cilegon_published():
    cilegon = Government.objects.get(region_code="36.72")
    if not services.page_of(cilegon).is_published:
        services.publish_page(actor=user("pengelola"), government=cilegon, reason="Terbuka")
    return cilegon


def test_a_visitor_sees_verified_figures_only(page, demo_server):
    cilegon = _cilegon_published()
    Subject(cilegon, title="Program Publik Terverifikasi", code="BRW-A").verify()
    Subject(cilegon, title="Program Publik Menunggu", code="BRW-B")  # sent, not verified

    page.goto(f"{demo_server.url}/publik/36.72/")
    expect(page.locator("h1")).to_have_text(cilegon.name)
    verified = page.locator("#programs tr", has_text="BRW-A-1")
    expect(verified.locator("td").last).to_have_text("43,21 %")
    waiting = page.locator("#programs tr", has_text="BRW-B-1")
    expect(waiting.locator("td").last).to_have_text("—")
    indicator = page.locator("#indicators tr", has_text="BRW-A-IKU")
    expect(indicator).to_contain_text("7,77")
    expect(page.locator("#indicators tr", has_text="BRW-B-IKU")).not_to_contain_text("7,77")
    # Nobody is logged in, and the page left no cookie behind.
    assert page.context.cookies() == []


def test_a_government_that_has_not_published_answers_404(page, demo_server):
    response = page.goto(f"{demo_server.url}/publik/36.73/")
    assert response.status == 404
    assert page.goto(f"{demo_server.url}/publik/00.00/").status == 404
