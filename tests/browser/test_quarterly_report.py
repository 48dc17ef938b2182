"""Bappeda issues the sealed quarterly report, downloads it, and checks the copy on the
public page; a citizen is told what a copy with a note added after sealing is, and that a
doctored copy or an unsigned PDF is not the issued report."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from reportlab.pdfgen import canvas

from reports import sealing
from tests.reports.test_seal import with_annotation


@pytest.fixture
def sealing_on(settings, tmp_path):
    """The live server (this process) seals with a demo certificate made for this test."""
    folder = tmp_path / "signing"
    call_command("make_signing_certificate", "--out-dir", str(folder), "--password", "uji")
    sealing.clear_cache()
    settings.REPORT_SIGNING_P12 = str(folder / "demo-seal.p12")
    settings.REPORT_SIGNING_PASSWORD = "uji"
    yield
    sealing.clear_cache()


def _unsigned_pdf(path):
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, "Laporan Triwulan III 2020 (salinan ketik ulang)")
    pdf.showPage()
    pdf.save()
    path.write_bytes(buffer.getvalue())
    return path


def test_bappeda_issues_downloads_and_verifies_the_report(
    log_in, tmp_path, browser, demo_server, sealing_on
):
    page = log_in("bappeda")
    with page.expect_navigation():  # the home page has a region named after a quarter too
        page.get_by_role("link", name="Laporan", exact=True).click()
    page.get_by_label("Triwulan").select_option(label="Triwulan III 2020")
    page.get_by_role("button", name="Terbitkan laporan PDF").click()
    # Without a broker the job runs within the request: its page shows it done.
    status = page.locator("#job-status")
    expect(status).to_contain_text("Laporan telah diterbitkan dengan kode verifikasi")
    code = status.locator("p").first.inner_text().rsplit(" ", 1)[-1].rstrip(".")
    page.get_by_role("link", name="Laporan triwulanan").first.click()
    new_row = page.locator("#reports tr", has_text=code)
    expect(new_row).to_have_count(1)

    with page.expect_download() as download:
        new_row.get_by_role("link", name="Unduh PDF").click()
    issued = tmp_path / "laporan.pdf"
    download.value.save_as(issued)
    assert issued.read_bytes().startswith(b"%PDF-")

    # Anyone holding the printout opens the verification page without logging in.
    context = browser.new_context(locale="en-US")
    public = context.new_page()
    href = new_row.get_by_role("link", name=code).get_attribute("href")
    public.goto(demo_server.url + href)
    expect(public.locator("#report-facts")).to_contain_text("Triwulan III 2020")
    expect(public.locator("#report-seal .text-warning-emphasis")).to_have_count(0)
    public.get_by_label("Berkas PDF yang akan diperiksa").set_input_files(str(issued))
    public.get_by_role("button", name="Periksa berkas").click()
    expect(public.locator("#check-result")).to_contain_text("identik")
    expect(public.locator("#check-result")).to_have_attribute("data-verdict", "identical")

    # Someone adds a note in their PDF reader: the seal still holds, the note is named.
    noted = tmp_path / "dengan-catatan.pdf"
    noted.write_bytes(with_annotation(issued.read_bytes()))
    public.get_by_label("Berkas PDF yang akan diperiksa").set_input_files(str(noted))
    public.get_by_role("button", name="Periksa berkas").click()
    expect(public.locator("#check-result")).to_have_attribute("data-verdict", "modified")
    expect(public.locator("#check-result li")).to_have_count(1)

    public.get_by_label("Berkas PDF yang akan diperiksa").set_input_files(
        str(_unsigned_pdf(tmp_path / "ketik-ulang.pdf"))
    )
    public.get_by_role("button", name="Periksa berkas").click()
    expect(public.locator("#check-result")).to_contain_text("BUKAN")
    expect(public.locator("#check-result")).to_have_attribute("data-verdict", "unsigned")

    doctored = tmp_path / "diubah.pdf"
    content = bytearray(issued.read_bytes())
    content[len(content) // 2] ^= 0x01
    doctored.write_bytes(bytes(content))
    public.get_by_label("Berkas PDF yang akan diperiksa").set_input_files(str(doctored))
    public.get_by_role("button", name="Periksa berkas").click()
    expect(public.locator("#check-result")).to_contain_text("BUKAN")
    expect(public.locator("#check-result")).to_have_attribute("data-verdict", "broken")
    context.close()
