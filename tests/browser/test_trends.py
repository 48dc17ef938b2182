"""The trend charts on a demo program's page and an indicator's page, as Bappeda sees
them: at 1366 px the chart has a bar per verified quarter and its table (opened like a
person would) holds the same figures in Indonesian format; axe finds nothing serious;
at 390 px nothing is wider than the screen."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from programs import trends
from programs.models import Indicator, Program, ProgressReport
from tracker.formatting import format_number_id, format_quarter

BLOCKING = {"serious", "critical"}


def _demo_program():
    """The demo program with the most verified reports (a long, full trend)."""
    verified = ProgressReport.State.VERIFIED
    return (
        Program.objects.filter(commitment__government__region_code="36.72", reports__state=verified)
        .order_by("pk")
        .first()
    )


def _spbe():
    return Indicator.objects.get(plan__government__region_code="36.72", code="IKU-1.1")


def _pages(demo_server):
    program = _demo_program()
    spbe = _spbe()
    return {
        "program": (demo_server.url + reverse("program-detail", args=[program.pk]), program),
        "indicator": (demo_server.url + reverse("indicator-detail", args=[spbe.pk]), spbe),
    }


def _row_texts(page, chart):
    page.locator(f"#{chart} details summary").click()
    table = page.locator(f"#{chart} details table")
    assert table.is_visible()
    return [
        [cell.strip() for cell in row.split("\t")]
        for row in table.locator("tbody tr").all_inner_texts()
    ]


def test_charts_and_their_tables_at_1366(log_in, demo_server):
    page = log_in("bappeda")
    page.set_viewport_size({"width": 1366, "height": 900})
    pages = _pages(demo_server)

    url, program = pages["program"]
    page.goto(url)
    expected = trends.program_trend(program)
    verified = [q for q in expected.quarters if q.value is not None]
    assert verified, "the demo program has verified quarters"
    chart = page.locator("#trend-progress")
    assert chart.locator("svg.trend-plot").is_visible()
    assert chart.locator("rect.trend-bar").count() == len(verified)
    assert chart.locator("line.trend-target").count() == len(expected.quarters) - 1
    assert chart.locator(".trend-legend").inner_text().strip()
    rows = _row_texts(page, "trend-progress")
    assert len(rows) == len(expected.quarters)
    first = verified[0]
    label = f"TW {format_quarter(first.quarter)} {first.year}"
    row = next(r for r in rows if r[0] == label)
    assert row[1] == f"{format_number_id(first.value)} %"  # e.g. "12,50 %"
    assert row[2] == f"{format_number_id(first.target)} %"

    url, spbe = pages["indicator"]
    page.goto(url)
    visible = list(Program.objects.filter(commitment__government__region_code="36.72"))
    expected = trends.indicator_trend(spbe, programs=visible)
    verified = [q for q in expected.quarters if q.value is not None]
    assert verified, "the demo has verified SPBE figures"
    chart = page.locator("#trend-indicator")
    assert chart.locator("svg.trend-plot").is_visible()
    assert chart.locator("rect.trend-bar").count() == len(verified)
    assert chart.locator("line.trend-target").count() >= 1
    rows = _row_texts(page, "trend-indicator")
    last = verified[-1]
    label = f"TW {format_quarter(last.quarter)} {last.year}"
    row = next(r for r in rows if r[0] == label)
    # The index has two decimal places: "3,61"; the year's target beside it.
    assert row[1] == format_number_id(last.value, spbe.decimal_places)
    assert row[2] == format_number_id(last.target, spbe.decimal_places)
    assert "," in row[1]


@pytest.mark.parametrize("name", ["program", "indicator"])
def test_trend_pages_pass_axe_and_fit_a_phone(log_in, demo_server, name):
    page = log_in("bappeda")
    url, _record = _pages(demo_server)[name]
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(url)
    page.locator("figure.trend details summary").first.click()  # the table is checked too
    blocking = [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in BLOCKING
    ]
    assert blocking == []

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    blocking = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in BLOCKING]
    assert blocking == []
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, (width, inner)
    plot = page.locator("svg.trend-plot").first.bounding_box()
    assert plot["x"] >= 0 and plot["x"] + plot["width"] <= 390
    assert plot["width"] > 200  # the chart takes the column, not a thumbnail
