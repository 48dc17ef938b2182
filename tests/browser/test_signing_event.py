"""Bappeda records the late signers of the Smart City commitment with one scan.

Who signed is picked in a searchable list (typed, or "tick all expected
signatories"); the scan chosen before an error stays with the form.
"""

import hashlib
import re
from pathlib import Path

from playwright.sync_api import expect

from commitments.models import PendingScan, SigningEvent
from tests.commitments.conftest import PDF

INVALID = re.compile(r"(^|\s)is-invalid(\s|$)")
LATE = ["Bagian Pengadaan Barang dan Jasa Setda", "Dinas Pemuda, Olahraga dan Pariwisata"]


def test_bappeda_records_three_signatures_and_sees_them(log_in, demo_server, tmp_path):
    scan = tmp_path / "susulan.pdf"
    scan.write_bytes(PDF)
    page = log_in("bappeda")

    page.get_by_role("link", name="Komitmen", exact=True).click()
    page.get_by_role("link", name="Komitmen Bersama Implementasi Cilegon Smart City").click()
    expect(page.locator("#progress")).to_contain_text("36 dari 39 telah menandatangani")
    expect(page.locator("#outstanding")).to_contain_text("Kecamatan Pulomerak")

    page.get_by_role("link", name="Catat acara penandatanganan").click()
    page.fill("#id_signed_date", "2019-10-14")
    # The reload sends the form: choose the scan on the page it brings back.
    with page.expect_navigation():
        page.get_by_role("button", name="Muat ulang daftar pejabat untuk tanggal di atas").click()
    page.set_input_files("#id_scan", str(scan))

    # Type part of a name into the searchable list and pick the match.
    search = page.locator("#id_signers-ts-control")
    search.click()
    search.press_sequentially("pulo")
    page.locator(".ts-dropdown .option", has_text="Kecamatan Pulomerak").click()
    chosen = page.locator(".ts-wrapper:has(#id_signers-ts-control) .ts-control .item")
    expect(chosen).to_have_count(1)
    expect(chosen.first).to_contain_text("Kecamatan Pulomerak")
    # Only the chosen signatory's official row shows, with the head pre-filled.
    rows = page.locator("#officials tbody tr:visible")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Kecamatan Pulomerak")

    # "Tick all expected signatories": the other two late signers join.
    page.click("#tick-all")
    expect(chosen).to_have_count(3)
    expect(rows).to_have_count(3)

    # An error (the date emptied): nothing is saved, the scan is kept and listed.
    page.fill("#id_signed_date", "")
    page.get_by_role("button", name="Simpan tanda tangan").click()
    expect(page.locator("#id_signed_date")).to_have_class(INVALID)
    expect(page.locator("#kept-scan")).to_contain_text("susulan.pdf")
    expect(page.locator("#kept-scan button[value=remove-scan]")).to_be_visible()
    expect(page.locator("#id_scan")).to_have_value("")
    expect(chosen).to_have_count(3)  # who was chosen is not lost either
    for unit in LATE:
        expect(chosen.filter(has_text=unit)).to_have_count(1)

    # Fix the date and save, without choosing the file again.
    page.fill("#id_signed_date", "2019-10-14")
    page.get_by_role("button", name="Simpan tanda tangan").click()

    expect(page.locator(".alert-success")).to_contain_text("3")
    expect(page.locator("#progress")).to_contain_text("39 dari 39 telah menandatangani")
    expect(page.locator("#outstanding")).to_have_count(0)
    row = page.locator("#signatures tr", has_text="Kecamatan Pulomerak")
    expect(row).to_contain_text("14 Oktober 2019")
    expect(row.get_by_role("link", name="Unduh")).to_be_visible()
    # The event's scan is the file chosen before the error.
    event = SigningEvent.objects.latest("recorded_at")
    assert event.scan_sha256 == hashlib.sha256(PDF).hexdigest()
    assert event.signatures.count() == 3
    assert not PendingScan.objects.filter(commitment=event.commitment).exists()
    with page.expect_download() as download:
        row.get_by_role("link", name="Unduh").click()
    assert Path(download.value.path()).read_bytes() == PDF
