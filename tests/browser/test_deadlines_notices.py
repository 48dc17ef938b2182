"""At 390 px: Bappeda extends one unit's deadline with a reason, and that unit's report
sent after the old deadline but before the new one is not late (another unit's is);
the unread notices count shows in the menu and clears; axe passes on the new pages."""

import datetime

from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from commitments.models import Commitment
from programs import reporting, services
from programs.models import Category, ReportingPeriod

BLOCKING = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}


def _period_and_programs():
    """2023 TW II of Kota Cilegon (its deadlines long past) with a DKISS and a Dinkes
    program running in it."""
    bappeda = get_user_model().objects.get(username="bappeda")
    commitment = Commitment.objects.get(government__region_code="36.72", date="2019-10-11")
    government = commitment.government
    period = ReportingPeriod.objects.filter(government=government, year=2023, quarter=2).first()
    period = period or services.open_period(
        actor=bappeda, government=government, year=2023, quarter=2
    )
    programs = {}
    for code in ("DKISS", "DINKES"):
        programs[code] = services.create_program(
            actor=bappeda,
            commitment=commitment,
            owner_unit=government.units.get(code=code),
            title=f"Program tenggat {code}",
            horizon="quick_win",
            start_date=datetime.date(2023, 1, 1),
            end_date=datetime.date(2023, 12, 31),
            categories=[Category.objects.get(code="governance")],
        )
    return period, programs


def _send(program, period, username):
    """The unit sends its report now (set-up: the report form has its own tests)."""
    member = get_user_model().objects.get(username=username)
    report = reporting.start_report(program, period, actor=member)
    return reporting.submit_report(report, actor=member)


def _serious(page):
    return [
        f"{v['id']}: {v['nodes'][0]['target']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in BLOCKING
    ]


WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(e => !e.closest('.collapse:not(.show)'))
    .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)"""


def _fits(page):
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, (
        f"{page.url}: {scroll} px wide on a {inner} px screen: "
        f"{page.evaluate(WIDER_THAN_THE_SCREEN)}"
    )


def _open_menu(page):
    """Open the phone menu and wait until Bootstrap's slide-open has finished: a click
    on a link while the menu is still sliding open may land on nothing."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        expect(page.locator(".navbar-collapse.show:not(.collapsing)")).to_be_visible()


def test_bappeda_extends_a_units_deadline_and_the_notices_count_clears(log_in, demo_server):
    period, programs = _period_and_programs()
    page = log_in("bappeda")
    page.set_viewport_size(PHONE)

    # The periods page, from the menu; then the quarter's extensions.
    _open_menu(page)
    page.locator(".navbar a[href='/periode/']").click()
    page.locator(f"a[href='/periode/{period.pk}/perpanjangan/']").click()
    expect(page.locator("#extension-form")).to_be_visible()
    _fits(page)
    assert _serious(page) == []

    new_deadline = timezone.localdate() + datetime.timedelta(days=10)
    form = page.locator("#extension-form")
    # Without a reason: refused, and what was typed stays.
    form.locator("select[name=unit]").select_option(str(programs["DKISS"].owner_unit_id))
    form.locator("input[name=submission_deadline]").fill(new_deadline.isoformat())
    form.locator("button[type=submit]").click()
    expect(form.locator("#id_reason.is-invalid")).to_be_visible()
    expect(form.locator("input[name=submission_deadline]")).to_have_value(new_deadline.isoformat())
    form.locator("textarea[name=reason]").fill("Surat Kepala DKISS: server pusat data rusak")
    form.locator("button[type=submit]").click()
    row = page.locator("#extensions tbody tr", has_text=programs["DKISS"].owner_unit.name)
    expect(row).to_contain_text("Surat Kepala DKISS: server pusat data rusak")
    _fits(page)
    assert _serious(page) == []

    # Both units send now: after the period's deadline, before DKISS's new one.
    dkiss_report = _send(programs["DKISS"], period, "dkiss")
    dinkes_report = _send(programs["DINKES"], period, "dinkes")
    page.goto(f"{demo_server.url}/laporan/{dkiss_report.pk}/")
    expect(page.locator("h1")).to_be_visible()
    assert page.locator("main p.text-muted .badge.text-bg-warning").count() == 0  # not late
    page.goto(f"{demo_server.url}/laporan/{dinkes_report.pk}/")
    expect(page.locator("main p.text-muted .badge.text-bg-warning").first).to_be_visible()  # late

    # The two submissions are notices for Bappeda: the count shows in the menu.
    page.goto(demo_server.url + "/")
    _open_menu(page)
    badge = page.locator("#nav-unread")
    expect(badge).to_be_visible()
    assert int(badge.inner_text()) >= 2
    with page.expect_navigation():
        page.locator("#nav-notices").click()
    expect(page.locator("#notices")).to_contain_text(str(dkiss_report))
    _fits(page)
    assert _serious(page) == []
    with page.expect_navigation():
        page.locator("#read-all").click()
    _open_menu(page)
    expect(page.locator("#nav-notices")).to_be_visible()
    expect(page.locator("#nav-unread")).to_have_count(0)

    # The email choice, from the notices page.
    page.locator("a[href='/pemberitahuan/pengaturan/']").click()
    expect(page.locator("#notice-settings")).to_be_visible()
    _fits(page)
    assert _serious(page) == []


def test_opening_a_late_quarter_proposes_deadlines_at_390px(log_in, demo_server):
    page = log_in("bappeda")
    page.set_viewport_size(PHONE)
    page.goto(f"{demo_server.url}/periode/")
    page.locator("input[name=year]").fill("2018")
    page.locator("select[name=quarter]").select_option("1")
    page.locator("form[method=post] button.btn-primary").first.click()
    warning = page.locator("#late-opening")
    expect(warning).to_be_visible()
    proposed = page.locator("input[name='new-submission_deadline']").input_value()
    assert proposed > timezone.localdate().isoformat()
    _fits(page)
    assert _serious(page) == []
