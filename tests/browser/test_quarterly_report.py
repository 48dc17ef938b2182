"""Bappeda issues the quarterly report, downloads it, and checks the copy on the public page;
a citizen with a doctored copy is told it is not the issued report."""

from playwright.sync_api import expect


def test_bappeda_issues_downloads_and_verifies_the_report(log_in, tmp_path, browser, demo_server):
    page = log_in("bappeda")
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
    public.get_by_label("Berkas PDF yang akan diperiksa").set_input_files(str(issued))
    public.get_by_role("button", name="Periksa berkas").click()
    expect(public.locator("#check-result")).to_contain_text("identik")

    doctored = tmp_path / "diubah.pdf"
    content = bytearray(issued.read_bytes())
    content[len(content) // 2] ^= 0x01
    doctored.write_bytes(bytes(content))
    public.get_by_label("Berkas PDF yang akan diperiksa").set_input_files(str(doctored))
    public.get_by_role("button", name="Periksa berkas").click()
    expect(public.locator("#check-result")).to_contain_text("BUKAN")
    context.close()
