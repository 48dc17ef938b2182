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


def test_the_public_pages_fit_a_phone_and_pass_axe(page, demo_server):
    """At 390 px nothing is wider than the screen (long tables drop their code and unit
    columns and show the unit under the name), and axe-core finds nothing serious."""
    from axe_playwright_python.sync_playwright import Axe

    _cilegon_published()
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ["/publik/36.72/", "/publik/36.72/?bahasa=en", "/publik/36.72/kamus-data/"]:
        assert page.goto(demo_server.url + path).status == 200
        width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner, (path, width, inner)
        blocking = [
            v["id"]
            for v in Axe().run(page).response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        assert blocking == [], (path, blocking)
    # The status and the verified progress stay on screen, not behind a scroll.
    first = (
        page.goto(demo_server.url + "/publik/36.72/") and page.locator("#programs tbody tr").first
    )
    box = first.locator("td").last.bounding_box()
    assert box["x"] + box["width"] <= 390
