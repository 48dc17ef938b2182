"""The dashboard as Bappeda sees it on a phone (390 px) and an office screen (1366 px):
nothing wider than the screen, chart labels at least 11 px as rendered, and a print
layout (A4 landscape) in which no element is wider than the page."""

import pytest

from programs.models import ReportingPeriod

# Each chart text's font size times the SVG's scale on screen (drawn size / viewBox).
CHART_LABEL_SIZES = """() => Array.from(document.querySelectorAll('.chart svg')).flatMap(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return Array.from(svg.querySelectorAll('text'))
        .filter(text => text.textContent.trim())
        .map(text => parseFloat(getComputedStyle(text).fontSize) * scale);
})"""

# Elements whose right edge passes the page's (print) width, with what they are.
WIDER_THAN_PAGE = """() => {
    const width = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll('body *'))
        .filter(el => el.getClientRects().length)
        .filter(el => el.getBoundingClientRect().right > width + 1)
        .map(el => `${el.tagName}#${el.id} ${el.getBoundingClientRect().right}`);
}"""


def _dashboard(page, demo_server):
    period = ReportingPeriod.objects.get(government__region_code="36.72", year=2021, quarter=3)
    page.goto(f"{demo_server.url}/dasbor/?periode={period.pk}")
    assert page.locator("#dashboard-quarter").inner_text().strip()


@pytest.mark.parametrize("width", [390, 1366])
def test_dashboard_fits_the_screen_with_readable_chart_labels(log_in, demo_server, width):
    page = log_in("bappeda")
    page.set_viewport_size({"width": width, "height": 900})
    _dashboard(page, demo_server)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    sizes = page.evaluate(CHART_LABEL_SIZES)
    assert sizes, "the charts have labels"
    assert min(sizes) >= 11, sizes


def test_dashboard_prints_on_a4_landscape_with_every_column(log_in, demo_server):
    page = log_in("bappeda")
    # A4 landscape less 12 mm margins is about 1030 CSS px wide.
    page.set_viewport_size({"width": 1030, "height": 700})
    _dashboard(page, demo_server)
    page.emulate_media(media="print")
    assert page.evaluate(WIDER_THAN_PAGE) == []
    assert page.locator("nav.navbar").is_hidden()
    assert page.locator("#dashboard-xlsx").is_hidden()
    # Every column of the unit table is shown.
    headers = page.locator("#by-unit thead th")
    assert headers.count() == 10
    for index in range(headers.count()):
        assert headers.nth(index).is_visible()
    pdf = page.pdf(format="A4", landscape=True)
    assert pdf.startswith(b"%PDF")
