"""How long does setting up a new government take: 8 units, 8 officials and 7 accounts,
screen by screen (the unit, official and account forms, one record each, as a person
fills them) against one setup workbook (download, fill, upload, preview, confirm)?

A measurement, not a check of behaviour, so it runs only when asked:

    MEASURE_SETUP=1 .venv/bin/python -m pytest -n 0 -s tests/browser/test_setup_timing.py

Headless Chromium (/usr/bin/chromium). It prints, for each way, the browser time, the
screens (page loads), the entries (fields typed or chosen; cells typed in the
workbook) and the characters typed, and a person's time estimated from those counts
with the rates below (the browser fills a field in milliseconds; a person does not).
"""

import os
import time

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.bulk_steps import Tally, new_government, sign_in, users_of
from tests.tracker.setup_rows import OFFICIALS_ROWS, UNITS_ROWS, accounts_with
from tracker.models import Official, Unit

pytestmark = pytest.mark.skipif(
    not os.environ.get("MEASURE_SETUP"), reason="a measurement: set MEASURE_SETUP=1"
)

# A person's pace (assumptions, stated in the report): typing, moving to and choosing
# a field or cell, and reading a new page before acting on it.
SECONDS_PER_CHARACTER = 0.3  # about 40 words a minute
SECONDS_PER_ENTRY = 2.0
SECONDS_PER_SCREEN = 4.0

KINDS = {
    "kepala daerah": "kdh",
    "setda": "setda",
    "asda": "asda",
    "opd": "opd",
    "kecamatan": "kecamatan",
}
ROLES = {"bappeda": "Bappeda", "pimpinan": "Pimpinan", "anggota unit": "unit"}


def _nav(page, label):
    page.locator("#nav").get_by_role("link", name=label, exact=True).click()


def _typed(tally, selector, value, counts):
    if value:
        tally.fill(selector, str(value))
        counts["characters"] += len(str(value))


def _units_and_officials(page, tally, counts):
    for code, name, abbreviation, kind, opd_type, coordinator, _parent in UNITS_ROWS:
        _nav(page, "Unit kerja")
        page.get_by_role("link", name="Unit kerja baru").click()
        _typed(tally, "#id_name", name, counts)
        _typed(tally, "#id_abbreviation", abbreviation, counts)
        _typed(tally, "#id_code", code, counts)
        tally.select("#id_kind", value=KINDS[kind])
        if opd_type:
            tally.select("#id_opd_type", value=opd_type)
        if coordinator:
            tally.select("#id_coordinator", label=ABBREVIATIONS[coordinator])
        page.get_by_role("button", name="Buat unit kerja").click()
        expect(page.locator(".alert-success", has_text=name)).to_be_visible()
    for nip, name, unit, position, rank, _head, start in OFFICIALS_ROWS:
        _nav(page, "Pejabat")
        page.get_by_role("link", name="Catat pejabat").click()
        tally.select("#id_unit", label=ABBREVIATIONS[unit])
        _typed(tally, "#id_name", name, counts)
        _typed(tally, "#id_nip", nip, counts)
        _typed(tally, "#id_rank", rank, counts)
        _typed(tally, "#id_position", position, counts)
        tally.check("#id_is_head")
        _typed(tally, "#id_start_date", start.isoformat(), counts)
        page.get_by_role("button", name="Catat pejabat").click()
        expect(page.locator(".alert-success", has_text=name)).to_be_visible()


ABBREVIATIONS = {row[0]: row[2] for row in UNITS_ROWS}
OFFICIALS_BY_NIP = {row[0].replace(" ", ""): row for row in OFFICIALS_ROWS if row[0]}


def _invite(page, tally, counts, username, full_name, email, role, unit, head):
    _typed(tally, "#id_username", username, counts)
    _typed(tally, "#id_full_name", full_name, counts)
    _typed(tally, "#id_email", email, counts)
    if role is not None:
        tally.check(f"input[name=role][value='{ROLES[role]}']")
    if unit is not None:
        tally.select("#id_unit", label=ABBREVIATIONS[unit])
    if head:
        tally.check("#id_is_unit_head")
    page.get_by_role("button", name="Buat akun dan kirim undangan").click()
    expect(page.locator(".alert-success", has_text=username)).to_be_visible()


def screen_by_screen(page, tally, counts, suffix):
    """Every record on its own form; an account's name and unit are typed again."""
    _units_and_officials(page, tally, counts)
    for username, nip, full_name, email, role, unit, _head in accounts_with(suffix):
        official = OFFICIALS_BY_NIP.get(nip.replace(" ", "")) if nip else None
        _nav(page, "Pengguna")
        page.get_by_role("link", name="Akun baru").click()
        _invite(
            page,
            tally,
            counts,
            username,
            full_name or official[1],
            email,
            role,
            unit or official[2],
            official is not None,
        )


def screens_from_officials(page, tally, counts, suffix):
    """The same forms, but an official's account starts from the official's page
    ("Make an account for this official"): name, unit and headship come filled in."""
    _units_and_officials(page, tally, counts)
    for username, nip, full_name, email, role, unit, _head in accounts_with(suffix):
        official = OFFICIALS_BY_NIP.get(nip.replace(" ", "")) if nip else None
        if official is None:
            _nav(page, "Pengguna")
            page.get_by_role("link", name="Akun baru").click()
            _invite(page, tally, counts, username, full_name, email, role, unit, False)
            continue
        _nav(page, "Pejabat")
        page.get_by_role("link", name=official[1], exact=True).click()
        page.locator("#account-from-official").click()
        # The official's unit is offered as the unit; only another role is chosen.
        other_role = role if ROLES[role] != "unit" else None
        _invite(page, tally, counts, username, None, email, other_role, None, False)


def by_workbook(page, tally, counts, suffix, tmp_path, site):
    page.goto(f"{site.url}/penyiapan/")
    with page.expect_download() as download:
        page.locator("#setup-template").click()
    path = tmp_path / "penyiapan.xlsx"
    download.value.save_as(path)
    book = load_workbook(path)
    sheets = {"Unit": UNITS_ROWS, "Pejabat": OFFICIALS_ROWS, "Akun": accounts_with(suffix)}
    for title, rows in sheets.items():
        for row in rows:
            book[title].append(list(row))
            for value in row:
                if value is not None:  # a cell the person types (a date counts 10 characters)
                    tally.entries += 1
                    counts["characters"] += len(str(value))
    book.save(path)
    tally.entries += 1  # choosing the file
    page.set_input_files("#id_file", str(path))
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#import-summary")).to_be_visible()
    page.locator("#setup-apply").click()
    expect(page.locator(".alert-success").first).to_contain_text("penyiapan.xlsx")


def _measure(page, server, code, way, **kwargs):
    government, username = new_government(code, f"Pemerintah Kabupaten Ukur {code}")
    sign_in(page, server, username)
    tally, counts = Tally(page), {"characters": 0}
    started = time.perf_counter()
    way(page, tally, counts, f".{code.replace('.', '')}", **kwargs)
    seconds = time.perf_counter() - started
    assert Unit.objects.filter(government=government).count() == 8
    assert Official.objects.filter(unit__government=government).count() == 8
    assert users_of(government).count() == 8  # 7 and the Administrator
    person = (
        counts["characters"] * SECONDS_PER_CHARACTER
        + tally.entries * SECONDS_PER_ENTRY
        + tally.screens * SECONDS_PER_SCREEN
    )
    return {
        "browser_seconds": round(seconds, 1),
        "screens": tally.screens,
        "entries": tally.entries,
        "characters": counts["characters"],
        "person_minutes": round(person / 60, 1),
    }


def test_setup_time_screens_against_workbook(page, demo_server, tmp_path):
    screens = _measure(page, demo_server, "36.81", screen_by_screen)
    prefilled = _measure(page, demo_server, "36.83", screens_from_officials)
    workbook = _measure(
        page, demo_server, "36.82", by_workbook, tmp_path=tmp_path, site=demo_server
    )
    print("\nSetting up 8 units, 8 officials and 7 accounts")
    for name, result in (
        ("screen by screen", screens),
        ("screens, account from official", prefilled),
        ("by workbook", workbook),
    ):
        print(f"  {name:31} {result}")
    # The workbook saves pages and waiting, not typing: a NIP, a unit code and the
    # words of the choice columns are typed where the screens offer a list or a tick.
    assert workbook["screens"] < screens["screens"]
    assert workbook["person_minutes"] < screens["person_minutes"]
