"""The quarterly report form on a 390 px phone, as a unit's head meets it (issue 25).

Each milestone, indicator and service-use row is a card with every input inside the
screen and at least 44 px tall; files chosen before a refused save stay with the
draft and are attached by the next save; the error summary at the top takes the
focus and links to each field. At 1366 px the form keeps its tables. axe-core finds
no serious or critical violation at 390 px.
"""

import datetime
from decimal import Decimal as D

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from commitments.models import Commitment
from programs import services
from programs.models import (
    Category,
    Indicator,
    PendingEvidence,
    Program,
    ProgressReport,
    ReportingPeriod,
)

PROGRAM = "Aplikasi Kartu Ponsel Uji"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 800}
PDF = b"%PDF-1.4 berita acara uji coba aplikasi"
PNG = b"\x89PNG\r\n\x1a\n foto sosialisasi"
# Every control a person touches on the form (the hidden default button excepted).
CONTROLS = (
    "#report-form input:not([type=hidden]), #report-form textarea, #report-form select, "
    "#report-form button:not([hidden]), #attached-evidence button"
)


@pytest.fixture
def violations(page):
    """Content-Security-Policy reports and script errors on the page."""
    found = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and found.append(message.text),
    )
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def _program():
    """A DKISS program through 2022 with two milestones, a count indicator and an
    index, and the open quarter 2022 TW I; made once, a fresh report each call."""
    bappeda = get_user_model().objects.get(username="bappeda")
    commitment = Commitment.objects.get(government__region_code="36.72", date="2019-10-11")
    government = commitment.government
    period = ReportingPeriod.objects.filter(government=government, year=2022, quarter=1).first()
    period = period or services.open_period(
        actor=bappeda, government=government, year=2022, quarter=1
    )
    program = Program.objects.filter(title=PROGRAM).first()
    if program is None:
        indicators = Indicator.objects.filter(
            plan__government=government, code__in=["IKP-2.16.03", "IKU-1.2"]
        )
        program = services.create_program(
            actor=bappeda,
            commitment=commitment,
            owner_unit=government.units.get(code="DKISS"),
            title=PROGRAM,
            horizon="quick_win",
            start_date=datetime.date(2022, 1, 1),
            end_date=datetime.date(2022, 12, 31),
            categories=[Category.objects.get(code="governance")],
            indicators=list(indicators),
            budgets={2022: D("100000000")},
            adoption_indicators=[
                {"name": "Pengguna aktif", "unit_of_measure": "orang", "quarterly_target": D("100")}
            ],
        )
        services.add_milestones(
            program,
            actor=bappeda,
            milestones=[
                {
                    "title": "Penyusunan kerangka acuan kerja dan rencana anggaran biaya",
                    "planned_start": datetime.date(2022, 1, 1),
                    "planned_finish": datetime.date(2022, 6, 30),
                    "weight": D("40"),
                },
                {
                    "title": "Peluncuran",
                    "planned_start": datetime.date(2022, 7, 1),
                    "planned_finish": datetime.date(2022, 12, 31),
                    "weight": D("60"),
                },
            ],
        )
    ProgressReport.objects.filter(program=program, period=period).delete()
    PendingEvidence.objects.filter(program=program).delete()
    return program, period


def _open_form(log_in, demo_server, viewport):
    program, period = _program()
    page = log_in("dkiss")
    page.set_viewport_size(viewport)
    page.goto(demo_server.url + reverse("report-edit", args=[program.pk, period.pk]))
    return page, program, period


def _boxes(page, selector):
    """``(name or id, box)`` of every visible element matching ``selector``."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .filter(e => e.offsetParent !== null || e.getClientRects().length)
            .map(e => { const r = e.getBoundingClientRect();
                        return [e.name || e.id || e.textContent.trim(),
                                {x: r.x, right: r.right, height: r.height}]; })""",
        selector,
    )


def _assert_fits(page, width):
    boxes = _boxes(page, CONTROLS)
    assert len(boxes) >= 10, boxes
    outside = [(name, box) for name, box in boxes if box["x"] < 0 or box["right"] > width]
    short = [(name, box["height"]) for name, box in boxes if box["height"] < 44]
    assert (outside, short) == ([], []), f"outside the screen: {outside}; below 44 px: {short}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _blocking_axe_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_on_a_phone_every_row_is_a_card_with_its_input_inside_the_screen(
    log_in, demo_server, violations
):
    page, program, _period = _open_form(log_in, demo_server, PHONE)
    milestones = list(program.milestones.order_by("planned_start"))
    cards = page.locator("#report-form tr.report-card")
    # 2 milestones, 2 indicators, 1 service-use indicator
    expect(cards).to_have_count(5)
    for index in range(5):
        card = cards.nth(index)
        assert card.evaluate("e => getComputedStyle(e).display") == "block"
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    # The table heads are not shown: each card says what its values are.
    assert page.locator("#milestone-rows thead").bounding_box()["height"] <= 1
    first = page.locator("#milestone-rows tr.report-card").first
    expect(first).to_contain_text(milestones[0].title)
    expect(first).to_contain_text("Rencana")
    expect(first).to_contain_text("Terakhir diverifikasi")
    # The name and the input are in one card, the input below the name, across the card.
    name_box = first.locator("label").bounding_box()
    input_box = first.locator(f"input[name=milestone_{milestones[0].pk}]").bounding_box()
    assert input_box["y"] > name_box["y"]
    assert input_box["width"] >= 300
    expect(page.locator("#budget-card input[name=budget_realisation]")).to_be_visible()
    _assert_fits(page, 390)

    assert _blocking_axe_violations(page) == []
    assert violations == []


def test_chosen_files_survive_an_error_and_are_attached_by_the_next_save(
    log_in, demo_server, violations
):
    page, program, period = _open_form(log_in, demo_server, PHONE)
    milestone = program.milestones.order_by("planned_start").first()
    field = f"input[name=milestone_{milestone.pk}]"
    page.fill(field, "140")
    page.fill("textarea[name=supporting_factors]", "Dukungan Sekda")
    page.set_input_files(
        "input[name=evidence]",
        files=[
            # Names no other test stores: a stored file left under the same program id
            # (reused after a rollback) would give this one a suffixed name.
            {"name": "ponsel-berita-acara.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "ponsel-foto-sosialisasi.png", "mimeType": "image/png", "buffer": PNG},
        ],
    )
    page.locator("#report-form button[name=save]").click()
    page.wait_for_load_state()

    # The summary at the top has the focus and names the wrong field.
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert summary.bounding_box()["y"] < 844  # seen without scrolling
    link = summary.locator(f"a[href='#id_milestone_{milestone.pk}']")
    expect(link).to_contain_text(milestone.title)
    # Nothing typed or chosen is lost.
    expect(page.locator(field)).to_have_value("140")
    expect(page.locator("textarea[name=supporting_factors]")).to_have_value("Dukungan Sekda")
    kept = page.locator("#kept-evidence")
    expect(kept).to_contain_text("ponsel-berita-acara.pdf")
    expect(kept).to_contain_text("ponsel-foto-sosialisasi.png")
    assert not ProgressReport.objects.filter(program=program, period=period).exists()
    _assert_fits(page, 390)
    assert _blocking_axe_violations(page) == []

    # The link puts the focus into the field; Enter there saves, it never removes a file.
    link.click()
    expect(page.locator(field)).to_be_focused()
    page.locator(field).press("Enter")
    page.wait_for_load_state()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#kept-evidence li")).to_have_count(2)

    # One kept file is removed; what was typed stays, nothing is saved.
    page.locator("#kept-evidence li", has_text="ponsel-foto-sosialisasi.png").get_by_role(
        "button"
    ).click()
    page.wait_for_load_state()
    expect(page.locator("#kept-evidence li")).to_have_count(1)
    expect(page.locator("#kept-evidence")).not_to_contain_text("ponsel-foto-sosialisasi.png")
    expect(page.locator("textarea[name=supporting_factors]")).to_have_value("Dukungan Sekda")
    assert not ProgressReport.objects.filter(program=program, period=period).exists()

    # Fixed and saved, without choosing the file again: it is attached to the report.
    page.fill(field, "40")
    page.locator("#report-form button[name=save]").click()
    report = ProgressReport.objects.get(program=program, period=period)
    expect(page).to_have_url(demo_server.url + reverse("report-detail", args=[report.pk]))
    assert [str(e) for e in report.evidence.all()] == ["ponsel-berita-acara.pdf"]
    assert report.milestone_rows.get(milestone=milestone).percent == D("40")
    expect(page.get_by_role("link", name="ponsel-berita-acara.pdf")).to_be_visible()
    assert not PendingEvidence.objects.filter(program=program).exists()
    assert violations == []


def test_on_a_desktop_the_form_keeps_its_tables(log_in, demo_server):
    page, program, _period = _open_form(log_in, demo_server, DESKTOP)
    for table in ("#milestone-rows", "#indicator-rows", "#adoption-rows"):
        expect(page.locator(f"{table} thead")).to_be_visible()
        assert page.locator(table).evaluate("e => getComputedStyle(e).display") == "table"
        row = page.locator(f"{table} tbody tr").first
        assert row.evaluate("e => getComputedStyle(e).display") == "table-row"
    # A milestone's name and its input share one line of the table.
    milestone = program.milestones.order_by("planned_start").first()
    row = page.locator("#milestone-rows tbody tr").first
    name_box = row.locator("label").bounding_box()
    input_box = row.locator(f"input[name=milestone_{milestone.pk}]").bounding_box()
    assert input_box["x"] > name_box["x"] + name_box["width"]
    assert (
        abs(input_box["y"] + input_box["height"] / 2 - (name_box["y"] + name_box["height"] / 2))
        < 20
    )
    _assert_fits(page, 1366)
