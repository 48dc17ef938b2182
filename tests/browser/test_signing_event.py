"""Bappeda records the late signers of the Smart City commitment with one scan."""

from playwright.sync_api import expect

from tests.commitments.conftest import PDF


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
    page.get_by_role("button", name="Muat ulang daftar pejabat untuk tanggal di atas").click()
    page.set_input_files("#id_scan", str(scan))
    for unit in [
        "Bagian Pengadaan Barang dan Jasa Setda",
        "Dinas Pemuda, Olahraga dan Pariwisata",
        "Kecamatan Pulomerak",
    ]:
        page.get_by_label(unit, exact=True).check()
    page.get_by_role("button", name="Simpan tanda tangan").click()

    expect(page.locator(".alert-success")).to_contain_text("3")
    expect(page.locator("#progress")).to_contain_text("39 dari 39 telah menandatangani")
    expect(page.locator("#outstanding")).to_have_count(0)
    row = page.locator("#signatures tr", has_text="Kecamatan Pulomerak")
    expect(row).to_contain_text("14 Oktober 2019")
    expect(row.get_by_role("link", name="Unduh")).to_be_visible()
