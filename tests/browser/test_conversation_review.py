"""A report's conversation on a 390 px phone, both ways, and the review page in context
at 1366 px (issue 25, items 3 and 4).

The unit's head answers a returned report from the unit's form, without losing what
they typed in the form; Bappeda reads it on the report page and answers; the unit
sees the answer. Bappeda's review page shows the year's target and the previous
quarter beside each value, planned against reported progress, the first page of a
PDF, and what changed since the return. axe-core finds no serious or critical
violation on either page, and nothing breaks the Content-Security-Policy.
"""

import re
from decimal import Decimal as D

from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from commitments.models import Commitment
from programs import reporting
from tests.programs.test_review_context import (
    _period,
    _save,
    make_2021_program,
    pdf_bytes,
    resubmitted_report,
)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 800}
BLOCKING = {"serious", "critical"}


def _users():
    users = get_user_model().objects
    return {name: users.get(username=name) for name in ("bappeda", "dkiss")}


def _cilegon():
    return Commitment.objects.get(government__region_code="36.72", date="2019-10-11").government


def _blocking(page, context=None):
    results = Axe().run(page, context=context) if context else Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def _watch(page):
    """Content-Security-Policy reports and script errors on ``page``."""
    found = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and found.append(message.text),
    )
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def _sign_in(page, server, username):
    page.goto(f"{server.url}/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "cilegon2019")
    page.click("form button[type=submit]:not([name=language])")
    expect(page.locator("input[name=password]")).to_have_count(0)


def _returned_report():
    users = _users()
    program = make_2021_program(_cilegon(), users["bappeda"], title="Percakapan Ponsel Uji")
    report = reporting.start_report(program, _period(_cilegon(), 4), actor=users["dkiss"])
    report = _save(report, users["dkiss"], percent=D("50"), value=D("3.4"), use=D("90"))
    report = reporting.submit_report(report, actor=users["dkiss"])
    return reporting.return_report(
        report, actor=users["bappeda"], reason="Foto kegiatan belum dilampirkan."
    )


def _fits_the_screen(page):
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths


def test_the_conversation_both_ways_on_a_phone(browser, demo_server):
    report = _returned_report()
    form_url = demo_server.url + reverse("report-edit", args=[report.program_id, report.period_id])
    detail_url = demo_server.url + reverse("report-detail", args=[report.pk])

    unit = browser.new_context(locale="en-US", viewport=PHONE).new_page()
    problems = _watch(unit)
    _sign_in(unit, demo_server, "dkiss")
    unit.goto(form_url)
    thread = unit.locator("#conversation")
    # The return reason opens the conversation.
    expect(thread.locator("#conversation-messages li").first).to_contain_text(
        "Foto kegiatan belum dilampirkan."
    )
    # Something typed in the report form and not saved yet...
    obstacles = unit.locator("#report-form textarea[name=obstacles]")
    obstacles.fill("Sinyal lemah di lokasi")
    thread.locator("textarea[name=body]").fill("Foto sudah kami unggah di draf.")
    thread.locator("#conversation-form button[type=submit]").click()
    expect(unit.locator("#conversation-messages li")).to_have_count(2)
    expect(unit.locator("#conversation-messages li").last).to_contain_text(
        "Foto sudah kami unggah di draf."
    )
    # ...is still there: the message went without leaving the page.
    expect(obstacles).to_have_value("Sinyal lemah di lokasi")
    expect(unit.locator("#conversation textarea[name=body]")).to_have_value("")
    _fits_the_screen(unit)
    assert _blocking(unit, "#conversation") == []

    # An empty message is refused by the browser; spaces alone by the server, and the
    # thread says why (nothing is posted).
    unit.locator("#conversation textarea[name=body]").fill("   ")
    unit.locator("#conversation-form button[type=submit]").click()
    expect(unit.locator("#conversation textarea.is-invalid")).to_have_count(1)
    expect(unit.locator("#conversation-messages li")).to_have_count(2)

    bappeda = browser.new_context(locale="en-US", viewport=PHONE).new_page()
    problems += _watch(bappeda)
    _sign_in(bappeda, demo_server, "bappeda")
    bappeda.goto(detail_url)
    messages = bappeda.locator("#conversation-messages li")
    expect(messages).to_have_count(2)
    expect(messages.last).to_contain_text("Foto sudah kami unggah di draf.")
    bappeda.locator("#conversation textarea[name=body]").fill("Terima kasih, segera kirim ulang.")
    bappeda.locator("#conversation-form button[type=submit]").click()
    expect(bappeda.locator("#conversation-messages li")).to_have_count(3)
    _fits_the_screen(bappeda)
    assert _blocking(bappeda) == []

    unit.reload()
    expect(unit.locator("#conversation-messages li").last).to_contain_text(
        "Terima kasih, segera kirim ulang."
    )
    assert problems == []


def test_the_review_page_shows_the_context_and_the_changes(browser, demo_server):
    report = resubmitted_report(
        _cilegon(),
        _users(),
        title="Tinjauan Layar Lebar Uji",
        evidence=[SimpleUploadedFile("berita-acara.pdf", pdf_bytes())],
    )
    page = browser.new_context(locale="en-US", viewport=DESKTOP).new_page()
    problems = _watch(page)
    _sign_in(page, demo_server, "bappeda")
    page.goto(demo_server.url + reverse("report-detail", args=[report.pk]))

    expect(page.locator("#changes-since-return")).to_be_visible()
    indicator = page.locator("#review-indicators tbody tr").first
    cells = indicator.locator("td")
    expect(cells.nth(1)).to_have_text("3,80")  # the year's target
    expect(cells.nth(2)).to_contain_text("3,60")  # reported now
    expect(cells.nth(2)).to_contain_text("3,50")  # what it was when returned
    expect(cells.nth(3)).to_have_text("3,10")  # the quarter before
    expect(indicator).to_have_class(re.compile(r"\breview-changed\b"))

    milestone = page.locator("#review-milestones tbody tr").first
    expect(milestone.locator("td").nth(1)).to_have_text("100 %")  # planned by 31 December
    expect(milestone.locator("td").nth(2)).to_contain_text("70 %")
    expect(milestone.locator("td").nth(3)).to_have_text("40 %")
    expect(page.locator("#review-texts .review-changed")).to_contain_text("Sinyal")

    preview = page.locator("#review-evidence img")
    expect(preview).to_have_count(1)
    expect(preview).to_be_visible()
    assert page.evaluate("document.querySelector('#review-evidence img').naturalWidth") > 100
    _fits_the_screen(page)
    assert _blocking(page) == []
    assert problems == []
