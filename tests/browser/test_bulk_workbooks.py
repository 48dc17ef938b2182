"""The bulk workbooks clicked through as people use them (issue 25): the Administrator
sets up a new government's units, officials and accounts from one workbook; a unit
head reports all its programs of a quarter from one pre-filled workbook, then sends
a report on screen. Both see a refusal with nothing saved before the good file."""

import datetime
import re
from decimal import Decimal as D

from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from playwright.sync_api import expect

from commitments.models import Commitment
from programs import services as program_services
from programs.models import Category, ProgressReport, ReportingPeriod
from tests.browser.bulk_steps import new_government, sign_in, users_of
from tests.tracker.setup_rows import OFFICIALS_ROWS, UNITS_ROWS, accounts_with
from tracker.models import Official, Unit


def serious(page):
    return [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _fill(path, sheets):
    """Type rows into the downloaded template (as a person would in Excel)."""
    book = load_workbook(path)
    for title, rows in sheets.items():
        for row in rows:
            book[title].append(list(row))
    book.save(path)


def _upload(page, path):
    page.set_input_files("#id_file", str(path))
    page.locator("main form button[type=submit]").first.click()


def test_the_administrator_sets_up_a_government_from_one_workbook(page, demo_server, tmp_path):
    government, username = new_government("36.91", "Pemerintah Kabupaten Buku Kerja")
    sign_in(page, demo_server, username)
    page.goto(f"{demo_server.url}/penyiapan/")
    with page.expect_download() as download:
        page.locator("#setup-template").click()
    template = tmp_path / "penyiapan.xlsx"
    download.value.save_as(template)
    assert load_workbook(template).sheetnames[-1] == "Unit yang Ada"

    # A first try with a typo in a unit code: refused, nothing saved.
    bad = tmp_path / "penyiapan-salah.xlsx"
    bad.write_bytes(template.read_bytes())
    officials = [list(r) for r in OFFICIALS_ROWS]
    officials[4][2] = "DISKOMINF"
    _fill(bad, {"Unit": UNITS_ROWS, "Pejabat": officials, "Akun": accounts_with(".bk")})
    _upload(page, bad)
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("DISKOMINF")
    expect(page.locator("#setup-apply")).to_have_count(0)
    assert Unit.objects.filter(government=government).count() == 0

    good = tmp_path / "penyiapan-benar.xlsx"
    good.write_bytes(template.read_bytes())
    _fill(good, {"Unit": UNITS_ROWS, "Pejabat": OFFICIALS_ROWS, "Akun": accounts_with(".bk")})
    _upload(page, good)
    summary = page.locator("#import-summary")
    expect(summary).to_contain_text("Dinas Komunikasi dan Informatika")
    expect(summary).to_contain_text("kominfo.contoh.bk · Budi Informatika, S.Kom., M.T.")
    assert serious(page) == []
    page.locator("#setup-apply").click()
    expect(page).to_have_url(f"{demo_server.url}/unit-kerja/")
    expect(page.locator(".alert-success").first).to_contain_text("penyiapan-benar.xlsx")
    expect(page.locator("main")).to_contain_text("Kecamatan Contoh Selatan")
    assert Unit.objects.filter(government=government).count() == 8
    assert Official.objects.filter(unit__government=government).count() == 8
    assert users_of(government).count() == 8  # 7 and the Administrator
    budi = get_user_model().objects.get(username="kominfo.contoh.bk")
    assert budi.get_full_name() == "Budi Informatika, S.Kom., M.T." and budi.profile.is_unit_head


def _program_running_in_2023():
    cilegon = Commitment.objects.get(government__region_code="36.72", date="2019-10-11")
    bappeda = get_user_model().objects.get(username="bappeda")
    program = program_services.create_program(
        actor=bappeda,
        commitment=cilegon,
        owner_unit=Unit.objects.get(government=cilegon.government, code="DKISS"),
        title="Aplikasi Buku Kerja Uji",
        horizon="short",
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 12, 31),
        categories=[Category.objects.get(code="governance")],
        adoption_indicators=[
            {"name": "Pengguna aktif", "unit_of_measure": "orang", "quarterly_target": D("500")}
        ],
    )
    program_services.add_milestones(
        program,
        actor=bappeda,
        milestones=[
            {
                "title": "Kajian kebutuhan",
                "planned_start": datetime.date(2023, 1, 1),
                "planned_finish": datetime.date(2023, 6, 30),
                "weight": D("50"),
            },
            {
                "title": "Uji coba",
                "planned_start": datetime.date(2023, 7, 1),
                "planned_finish": datetime.date(2023, 12, 31),
                "weight": D("50"),
            },
        ],
    )
    period = ReportingPeriod.objects.filter(
        government=cilegon.government, year=2023, quarter=3
    ).first() or program_services.open_period(
        actor=bappeda, government=cilegon.government, year=2023, quarter=3
    )
    return program, period


def _rows_of(book, sheet, program):
    return [r for r in book[sheet].iter_rows(min_row=2) if r[0].value == program.pk]


def test_a_unit_reports_its_quarter_from_one_workbook(page, demo_server, log_in, tmp_path):
    program, period = _program_running_in_2023()
    log_in("dkiss")
    page.goto(f"{demo_server.url}/tugas-saya/?periode={period.pk}")
    page.locator("#progress-workbook-link").click()
    assert serious(page) == []
    with page.expect_download() as download:
        page.locator("#progress-download").click()
    path = tmp_path / "progres.xlsx"
    download.value.save_as(path)

    book = load_workbook(path)
    milestones = _rows_of(book, "Milestone", program)
    assert [r[3].value for r in milestones] == ["Kajian kebutuhan", "Uji coba"]
    milestones[0][6].value = "100"
    milestones[1][6].value = "35,5"
    _rows_of(book, "Adopsi", program)[0][5].value = "abc"  # a slip first
    book.save(path)
    _upload(page, path)
    expect(page.locator("#import-problems")).to_contain_text("kolom Nilai")
    expect(page.locator("#progress-apply")).to_have_count(0)
    assert not ProgressReport.objects.filter(program=program, period=period).exists()

    _rows_of(book, "Adopsi", program)[0][5].value = "1240"
    _rows_of(book, "Program", program)[0][3].value = "12.500.000"
    _rows_of(book, "Program", program)[0][5].value = "Jaringan di kelurahan belum stabil"
    book.save(path)
    page.goto(f"{demo_server.url}/tugas-saya/buku-kerja/{period.pk}/")
    _upload(page, path)
    card = page.locator("section.card", has_text="Aplikasi Buku Kerja Uji")
    expect(card).to_contain_text("35,5")
    expect(card).to_contain_text("12.500.000")
    assert serious(page) == []
    page.locator("#progress-apply").click()
    expect(page).to_have_url(re.compile(r"/tugas-saya/\?periode="))
    report = ProgressReport.objects.get(program=program, period=period)
    assert report.state == ProgressReport.State.DRAFT
    assert sorted(r.percent for r in report.milestone_rows.all()) == [D("35.5"), D("100")]
    assert report.budget_realisation == D("12500000")

    # The unit checks the draft on screen and sends it.
    row = page.locator("#tasks tr", has_text="Aplikasi Buku Kerja Uji")
    row.get_by_role("link").last.click()
    expect(page.locator("main")).to_contain_text("Uji coba")
    page.locator("button[name=send]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED
