"""A person logs in, reads the home page in Bahasa Indonesia, switches to English, logs out."""

from playwright.sync_api import expect


def test_dkiss_logs_in_switches_language_and_logs_out(log_in, demo_server):
    page = log_in("dkiss")

    expect(page.locator("h1")).to_contain_text("Selamat datang")
    expect(page.locator("#role-line")).to_contain_text("unit kerja Anda")
    expect(page.locator("nav")).to_contain_text("Beranda")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(
        page.get_by_role("link", name="Dinas Komunikasi, Informatika, Sandi dan Statistik")
    ).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_contain_text("Welcome")
    expect(page.locator("#role-line")).to_contain_text("your own unit")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{demo_server.url}/akun/masuk/")
    expect(page.locator("h1")).to_contain_text("Log in")


def test_wrong_password_shows_a_message_and_stays_on_login(log_in, demo_server):
    page = log_in("dkiss", password="salah")
    expect(page).to_have_url(f"{demo_server.url}/akun/masuk/")
    expect(page.locator("main form")).to_contain_text("nama pengguna")
