"""Steps shared by the bulk-workbook browser test and the setup timing script: a new
government with its Administrator signed in (password and one-time code), and a
counter of the screens and entries a person goes through."""

import datetime
import re

from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tracker import services

PASSWORD = "Contoh-Sandi-2026!"


def new_government(code, name):
    """A government with only its Administrator (``pengelola.<code>``), as the command
    ``create_government`` leaves it, and a confirmed authenticator on their phone."""
    government = services.create_government(
        actor=None, name=name, kind="kabupaten", region_code=code, place_name=name
    )
    username = f"pengelola.{code}"
    user = services.create_user(
        actor=None,
        username=username,
        password=PASSWORD,
        government=government,
        groups=["Administrator"],
        email=f"pengelola@{code}.go.id",
    )
    TOTPDevice.objects.create(user=user, name="telepon", confirmed=True)
    return government, username


def sign_in(page, server, username):
    """Password, then the code the authenticator shows."""
    page.context.clear_cookies()
    page.goto(f"{server.url}/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]:not([name=language])")
    expect(page).to_have_url(re.compile(r"/akun/dua-langkah/"))
    device = TOTPDevice.objects.get(user__username=username)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("#id_otp_token", f"{code:06d}")
    page.locator("#two-factor-form button[type=submit]").click()
    expect(page).to_have_url(f"{server.url}/")


class Tally:
    """Counts the pages a person sees and the entries they make (typed fields, choices,
    ticks, files); the browser's page loads count as screens."""

    def __init__(self, page):
        self.page, self.screens, self.entries = page, 0, 0
        page.on("load", self._loaded)

    def _loaded(self, _page):
        self.screens += 1

    def fill(self, selector, value):
        self.entries += 1
        self.page.fill(selector, value)

    def select(self, selector, **option):
        self.entries += 1
        self.page.select_option(selector, **option)

    def check(self, selector):
        self.entries += 1
        self.page.check(selector)


def iso(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def users_of(government):
    return get_user_model().objects.filter(profile__government=government)
