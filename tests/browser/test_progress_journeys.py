"""The three journeys of a quarter: a unit reports, Bappeda returns, the unit fixes,
Bappeda verifies; then the dashboard and the program page show the new figures."""

import datetime
from decimal import Decimal as D

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from commitments.models import Commitment
from programs import reporting, services
from programs.models import Category, Indicator, ReportingPeriod


def _program(title):
    """A DKISS program through 2022 with two milestones, and the open quarter 2022 TW I."""
    bappeda = get_user_model().objects.get(username="bappeda")
    commitment = Commitment.objects.get(government__region_code="36.72", date="2019-10-11")
    government = commitment.government
    program = services.create_program(
        actor=bappeda,
        commitment=commitment,
        owner_unit=government.units.get(code="DKISS"),
        title=title,
        horizon="quick_win",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2022, 12, 31),
        categories=[Category.objects.get(code="governance")],
        indicators=[Indicator.objects.get(plan__government=government, code="IKU-1.1")],
    )
    services.add_milestones(
        program,
        actor=bappeda,
        milestones=[
            {
                "title": "Rancangan layanan",
                "planned_start": datetime.date(2022, 1, 1),
                "planned_finish": datetime.date(2022, 3, 31),
                "weight": D("40"),
            },
            {
                "title": "Peluncuran",
                "planned_start": datetime.date(2022, 4, 1),
                "planned_finish": datetime.date(2022, 12, 31),
                "weight": D("60"),
            },
        ],
    )
    period = ReportingPeriod.objects.filter(government=government, year=2022, quarter=1).first()
    period = period or services.open_period(
        actor=bappeda, government=government, year=2022, quarter=1
    )
    return program, period


def _submitted(program, period, percent="50"):
    """The report as DKISS would have sent it (set-up for the later journeys)."""
    dkiss = get_user_model().objects.get(username="dkiss")
    report = reporting.start_report(program, period, actor=dkiss)
    milestone = program.milestones.get(title="Rancangan layanan")
    indicator = program.indicators.get()
    report = reporting.save_report(
        report,
        actor=dkiss,
        expected_version=report.version,
        milestone_percents={milestone.pk: D(percent)},
        indicator_values={indicator.pk: D("3.4")},
    )
    return reporting.submit_report(report, actor=dkiss)


def _log_out(page):
    page.get_by_role("button", name="Keluar").click()


def _follow(page, link):
    """Click a link and wait for the page it leads to, so that what the test does next
    is done on that page (the page it left may have a control of the same name)."""
    with page.expect_navigation():
        link.click()


def _choose_period(page, period):
    """Choose ``period`` in the page's period picker, which sends its form on change;
    when the page already shows it there is nothing to send."""
    picker = page.locator("select[name=periode]")
    if picker.locator("option:checked").inner_text().strip() == str(period):
        return
    with page.expect_navigation():
        picker.select_option(label=str(period))


def _open_queue(page, period):
    _follow(page, page.get_by_role("navigation").get_by_role("link", name="Verifikasi"))
    _choose_period(page, period)


def test_dkiss_writes_and_sends_this_quarters_report(log_in):
    title = "Aplikasi Antrean Daring DKISS"
    _program_, period = _program(title)
    page = log_in("dkiss")
    expect(page.locator("#home-tasks")).to_contain_text("laporan perlu ditulis atau dikirim")
    _follow(page, page.get_by_role("link", name="Buka tugas saya"))
    # Another browser test may have opened a later quarter: choose this one, as a unit would.
    _choose_period(page, period)
    page.locator("#tasks tr", has_text=title).get_by_role("link", name="Tulis laporan").click()
    page.get_by_label("Rancangan layanan").fill("50")
    page.get_by_label("Indeks Sistem Pemerintahan Berbasis Elektronik (SPBE)").fill("3.4")
    page.fill("#id_supporting_factors", "Dukungan Walikota")
    page.get_by_role("button", name="Kirim untuk verifikasi").click()
    expect(page.locator("#report-state")).to_have_text("Dikirim")
    expect(page.locator("main")).to_contain_text("Dukungan Walikota")


def test_bappeda_returns_a_report_with_a_reason(log_in):
    title = "Portal Antrean Puskesmas DKISS"
    program, period = _program(title)
    _submitted(program, period)
    page = log_in("bappeda")
    _open_queue(page, period)
    page.get_by_role("link", name=title).click()
    page.get_by_label("Mengapa laporan ini dikembalikan?").fill(
        "Lampirkan tangkapan layar aplikasi."
    )
    page.get_by_role("button", name="Kembalikan ke unit kerja").click()
    expect(page.locator("#report-state")).to_have_text("Dikembalikan")
    expect(page.locator("#return-reason")).to_contain_text("Lampirkan tangkapan layar")


def test_dkiss_fixes_a_returned_report_and_bappeda_verifies_it(log_in, demo_server):
    title = "Layanan Surat Daring DKISS"
    program, period = _program(title)
    report = _submitted(program, period)
    bappeda = get_user_model().objects.get(username="bappeda")
    reporting.return_report(report, actor=bappeda, reason="Lampirkan tangkapan layar aplikasi.")

    page = log_in("dkiss")
    page.get_by_role("link", name="Tugas saya", exact=True).click()
    expect(page.locator("#returned")).to_contain_text("Lampirkan tangkapan layar aplikasi.")
    page.locator("#returned").get_by_role("link", name=title).click()
    expect(page.locator("#return-reason")).to_contain_text("Lampirkan tangkapan layar")
    page.get_by_label("Rancangan layanan").fill("80")
    page.get_by_role("button", name="Kirim untuk verifikasi").click()
    expect(page.locator("#report-state")).to_have_text("Dikirim")
    _log_out(page)

    page = log_in("bappeda")
    _open_queue(page, period)
    page.get_by_role("checkbox", name=title).check()
    page.once("dialog", lambda dialog: dialog.accept())  # "Verify N reports?"
    page.get_by_role("button", name="Verifikasi laporan yang dicentang").click()
    expect(page.locator(".alert-success")).to_contain_text("1")

    # The dashboard and the program page now show the verified figures.
    _follow(page, page.get_by_role("link", name="Dasbor"))
    _choose_period(page, period)
    expect(page.locator("#by-unit tr", has_text="DKISS")).to_be_visible()
    expect(page.locator("#achievement")).to_contain_text("3,40")
    page.goto(f"{demo_server.url}/program/{program.pk}/?periode={period.pk}")
    expect(page.locator("#milestones tr", has_text="Rancangan layanan")).to_contain_text("80 %")
    expect(page.locator("#reports")).to_contain_text("Terverifikasi")
