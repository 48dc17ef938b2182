"""Under the Content-Security-Policy the pages' scripts still work, and the browser
reports no violation: the signing event form, the report list and two-factor setup.

The confirm dialogs and the period picker use data-confirm / data-autosubmit,
attached by static/js/app.js, instead of inline handlers the policy refuses.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from commitments import services as commitment_services
from tests.factories import smart_city_scheme
from tracker.models import Government, Unit


@pytest.fixture
def violations(page):
    """Every console message or page error that mentions the policy."""
    found = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and found.append(f"{message.text} ({message.page.url if message.page else ''})")
        ),
    )
    page.on(
        "pageerror",
        lambda error: found.append(str(error)),
    )
    return found


@pytest.fixture
def open_commitment():
    """A fresh open commitment with three expected signatories, none signed yet."""
    cilegon = Government.objects.get(region_code="36.72")
    units = Unit.objects.filter(government=cilegon, code__in=["DKISS", "DINKES", "BAPPEDA"])
    commitment = commitment_services.create_commitment(
        actor=None,
        government=cilegon,
        theme="Smart City",
        scheme=smart_city_scheme(),
        title="Komitmen uji CSP",
        date=datetime.date.today() - datetime.timedelta(days=7),
        place="Cilegon",
        legal_basis="Uji",
        points=["Poin satu"],
        signatories=list(units),
    )
    return commitment_services.open_for_signing(commitment, actor=None)


def _signed_in(page):
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)
    return page


def _policy_of(response):
    header = response.headers["content-security-policy"]
    assert "default-src 'self'" in header
    assert "script-src 'self';" in header + ";"
    return header


def test_signing_event_form_scripts_work_under_the_policy(
    log_in, demo_server, open_commitment, violations
):
    page = _signed_in(log_in("bappeda"))
    url = f"{demo_server.url}/komitmen/{open_commitment.pk}/"
    _policy_of(page.goto(url + "penandatanganan/"))
    expect(page.locator("script:not([src])")).to_have_count(0)

    # The searchable list (Tom Select, loaded by static/js/multiselect.js) and the
    # "tick all" / "untick all" buttons.
    chosen = page.locator(".ts-wrapper:has(#id_signers-ts-control) .ts-control .item")
    expect(page.locator("#id_signers-ts-control")).to_be_visible()
    expect(chosen).to_have_count(0)
    page.click("#tick-all")
    expect(chosen).to_have_count(3)
    expect(page.locator("#officials tbody tr:visible")).to_have_count(3)
    page.click("#untick-all")
    expect(chosen).to_have_count(0)
    expect(page.locator("#officials")).to_be_hidden()

    # "Reload the officials" carries the date typed above into the GET form.
    day = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
    page.fill("#id_signed_date", day)
    page.click("#reload-officials")
    expect(page).to_have_url(f"{url}penandatanganan/?tanggal={day}")
    expect(page.locator("#id_signed_date")).to_have_value(day)

    assert violations == []


def test_report_list_script_works_under_the_policy(log_in, demo_server, violations):
    page = _signed_in(log_in("bappeda"))
    _policy_of(page.goto(f"{demo_server.url}/laporan-triwulan/"))
    expect(page.locator("script:not([src])")).to_have_count(0)
    # Answer the issuing request with "204 No Content": the page stays, as it is while busy.
    page.route(
        "**/laporan-triwulan/",
        lambda route: (
            route.fulfill(status=204) if route.request.method == "POST" else route.continue_()
        ),
    )
    page.get_by_label("Triwulan").select_option(label="Triwulan III 2020")
    button = page.locator("#issue-button")
    busy = button.get_attribute("data-busy")
    button.click()
    expect(button).to_be_disabled()
    expect(button).to_have_text(busy)
    assert violations == []


def test_the_confirm_dialog_still_asks_first(log_in, demo_server, open_commitment, violations):
    # The commitment page's "Close" asks first; Cancel keeps it open.
    page = _signed_in(log_in("bappeda"))
    url = f"{demo_server.url}/komitmen/{open_commitment.pk}/"
    _policy_of(page.goto(url))
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Tutup", exact=True).click()
    expect(page.locator("#progress")).to_be_visible()
    assert asked and asked[0].startswith("Tutup komitmen ini?"), asked
    expect(page).to_have_url(url)
    open_commitment.refresh_from_db()
    assert open_commitment.state == "open"
    assert violations == []


def test_the_period_picker_still_submits_itself(log_in, demo_server, violations):
    page = _signed_in(log_in("dkiss"))
    _policy_of(page.goto(f"{demo_server.url}/tugas-saya/"))
    picker = page.locator("#id_periode")
    other = picker.locator("option:not([selected])").first.get_attribute("value")
    picker.select_option(other)
    expect(page).to_have_url(f"{demo_server.url}/tugas-saya/?periode={other}")
    assert violations == []


def test_admin_sets_up_two_factor_under_the_policy(log_in, demo_server, violations):
    admin = get_user_model().objects.get(username="admin")
    TOTPDevice.objects.filter(user=admin).delete()
    try:
        page = log_in("admin")
        expect(page).to_have_url(f"{demo_server.url}/akun/dua-langkah/atur/?next=/")
        qr = page.locator("#qr-code")
        expect(qr).to_be_visible()
        assert page.evaluate("document.getElementById('qr-code').naturalWidth") > 0
        device = TOTPDevice.objects.get(user=admin)
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        page.fill("#id_otp_token", f"{code:06d}")
        page.locator("#two-factor-form button[type=submit]").click()
        expect(page).to_have_url(f"{demo_server.url}/")
        expect(page.locator(".alert-success")).to_be_visible()
        assert violations == []
    finally:
        TOTPDevice.objects.filter(user=admin).delete()
