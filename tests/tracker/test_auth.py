"""Signing in: login throttling (django-axes), the verification upload limit, and
two-factor sign-in (django-otp, TOTP), required for superusers and Administrators."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from reports import services as report_services
from reports.models import GeneratedReport
from tests.conftest import DEMO_PASSWORD
from tracker import services

ENGLISH = {"django_language": "en"}


def _log_in(client, username, password=DEMO_PASSWORD, ip="192.0.2.10", **extra):
    return client.post(
        reverse("login"),
        {"username": username, "password": password, **extra},
        REMOTE_ADDR=ip,
    )


def _logged_in(client):
    return "_auth_user_id" in client.session


def _code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


# --- Login throttling ----------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_user_name_at_that_address(client, db, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = _log_in(client, "dkiss", "salah")
        assert response.status_code == 200  # the form again, with its error
    client.cookies.load(ENGLISH)
    response = _log_in(client, "dkiss", "salah")
    assert response.status_code == 429
    page = response.content.decode()
    assert 'id="lockout"' in page
    assert "Try again after" in page and "15 minutes" in page
    assert "ask the Administrator" in page
    assert 'href="/akun/masuk/"' in page  # in the site's layout, with a way back

    # The right password does not get through either, from that address...
    response = _log_in(client, "dkiss")
    assert response.status_code == 429
    assert not _logged_in(client)
    # ... but another address, or another user name there, is not locked.
    assert _log_in(client, "dkiss", ip="192.0.2.99").status_code == 302
    assert _logged_in(client)
    client.logout()
    assert _log_in(client, "dinkes").status_code == 302


def test_a_successful_login_starts_the_count_again(client, db):
    for _ in range(4):
        _log_in(client, "dkiss", "salah")
    assert _log_in(client, "dkiss").status_code == 302
    client.logout()
    for _ in range(4):
        assert _log_in(client, "dkiss", "salah").status_code == 200
    assert _log_in(client, "dkiss").status_code == 302


def test_the_administrator_lifts_a_lockout(client, login):
    for _ in range(5):
        _log_in(client, "dkiss", "salah")
    assert _log_in(client, "dkiss").status_code == 429

    # The superuser sees it in the admin (deleting the entry lifts it) ...
    admin = login("admin")
    page = admin.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "dkiss" in page
    admin.logout()
    # ... or runs the command the README gives.
    call_command("axes_reset_username", "dkiss", verbosity=0)
    assert _log_in(client, "dkiss").status_code == 302


def test_client_login_works_when_given_a_request(client, db):
    # django-axes needs the request; tests that use client.login pass one.
    assert client.login(request=HttpRequest(), username="dkiss", password=DEMO_PASSWORD)
    assert client.get(reverse("home")).status_code == 200


# --- Public verification upload limit ------------------------------------------------------


@pytest.fixture
def issued(db):
    request = report_services.resolve_request(year=2020, quarter=3, government_code="36.72")
    report = report_services.issue_report(request, source=GeneratedReport.Source.COMMAND)
    cache.clear()
    yield report
    cache.clear()


def _upload(client, report, ip):
    return client.post(
        reverse("report-verify-public", args=[report.code]),
        {"file": SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 copy", "application/pdf")},
        REMOTE_ADDR=ip,
    )


def test_the_public_verification_upload_is_limited_per_address(client, issued, settings):
    assert settings.REPORT_VERIFY_RATE_LIMIT == 20
    assert settings.REPORT_VERIFY_RATE_WINDOW == 600
    settings.REPORT_VERIFY_RATE_LIMIT = 3
    for _ in range(3):
        response = _upload(client, issued, "198.51.100.7")
        assert response.status_code == 200
        assert response.context["result"] is False
    client.cookies.load(ENGLISH)
    response = _upload(client, issued, "198.51.100.7")
    assert response.status_code == 429
    page = response.content.decode()
    assert 'id="check-result"' in page
    assert "Too many files were checked from your address. Try again in 10 minutes." in page
    assert issued.code in page  # the page itself, not a bare error
    # Reading the page is not limited, and another address still uploads.
    assert client.get(reverse("report-verify-public", args=[issued.code])).status_code == 200
    assert _upload(client, issued, "198.51.100.8").status_code == 200


def test_behind_the_proxy_the_limit_counts_the_forwarded_address(client, issued, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.REPORT_VERIFY_RATE_LIMIT = 1
    url = reverse("report-verify-public", args=[issued.code])

    def upload(forwarded):
        return client.post(
            url,
            {"file": SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 copy", "application/pdf")},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
            HTTP_X_FORWARDED_PROTO="https",
            secure=True,
        )

    assert upload("203.0.113.5").status_code == 200
    # A client cannot dodge it by sending its own X-Forwarded-For first.
    assert upload("1.2.3.4, 203.0.113.5").status_code == 429
    assert upload("203.0.113.6").status_code == 200


# --- Two-factor sign-in --------------------------------------------------------------------


def test_a_superuser_sets_up_a_device_before_anything_else(client, issued):
    assert _log_in(client, "admin").status_code == 302
    setup = reverse("two-factor-setup")
    for url in ["/", reverse("unit-list"), "/admin/", reverse("account")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{setup}?next="), url
    # Still reachable: the code pages, the public verification page, the language switch.
    assert client.get(reverse("report-verify-public", args=[issued.code])).status_code == 200
    assert client.post(reverse("set_language"), {"language": "id"}).status_code == 302

    page = client.get(setup + "?next=/unit-kerja/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert 'id="otp-secret"' in html
    device = TOTPDevice.objects.get(user__username="admin")
    assert not device.confirmed

    wrong = client.post(setup, {"otp_token": "000000", "next": "/unit-kerja/"})
    assert wrong.status_code == 400
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong try throttles the next one
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post(setup, {"otp_token": _code(device), "next": "/unit-kerja/"})
    assert right.status_code == 302 and right["Location"] == "/unit-kerja/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_superuser_with_a_device_enters_a_code_at_every_login(client, db):
    admin = get_user_model().objects.get(username="admin")
    device = TOTPDevice.objects.create(user=admin, name="HP", confirmed=True)
    assert _log_in(client, "admin", next="/pejabat/").status_code == 302
    response = client.get("/pejabat/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two-factor-verify')}?next=/pejabat/"

    verify = reverse("two-factor-verify")
    assert client.post(verify, {"otp_token": "12345x", "next": "/"}).status_code == 400
    assert client.get("/").status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    # A next that leaves the site is ignored.
    response = client.post(verify, {"otp_token": _code(device), "next": "https://example.com/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/pejabat/").status_code == 200

    client.post(reverse("logout"))
    _log_in(client, "admin")
    assert client.get("/").status_code == 302  # a new session owes a new code


def test_an_administrator_must_use_two_factor_too(client, cilegon):
    services.create_user(
        actor=None,
        username="admin.cilegon",
        password=DEMO_PASSWORD,
        government=cilegon,
        groups=["Administrator"],
    )
    assert _log_in(client, "admin.cilegon").status_code == 302
    response = client.get("/")
    assert response["Location"].startswith(reverse("two-factor-setup"))


def test_other_users_may_turn_two_factor_on_and_then_must_use_it(client, db):
    _log_in(client, "dkiss")
    assert client.get("/").status_code == 200  # not required
    account = client.get(reverse("account")).content.decode()
    assert reverse("two-factor-setup") in account

    client.get(reverse("two-factor-setup"))
    device = TOTPDevice.objects.get(user__username="dkiss")
    client.post(reverse("two-factor-setup"), {"otp_token": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200

    client.post(reverse("logout"))
    _log_in(client, "dkiss")
    assert client.get("/").status_code == 302  # chosen, so now asked for

    # Once verified, the user may turn it off again with a current code.
    device.last_t = -1
    device.save()
    client.post(reverse("two-factor-verify"), {"otp_token": _code(device)})
    device.refresh_from_db()
    device.last_t = -1  # the same 30-second code may be used once only
    device.save()
    response = client.post(reverse("two-factor-remove"), {"otp_token": _code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user__username="dkiss").exists()


def test_the_required_roles_cannot_turn_it_off(login):
    client = login("admin")  # force_login: verified by tests/conftest.py
    device = TOTPDevice.objects.get(user__username="admin", confirmed=True)
    response = client.post(reverse("two-factor-remove"), {"otp_token": _code(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


# --- The session key is new once the code is accepted (issue 23) ----------------------------


def test_the_session_key_changes_when_the_code_is_accepted(client, db):
    admin = get_user_model().objects.get(username="admin")
    device = TOTPDevice.objects.create(user=admin, name="HP", confirmed=True)
    _log_in(client, "admin")
    before = client.session.session_key
    response = client.post(reverse("two-factor-verify"), {"otp_token": _code(device)})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.get("/pejabat/").status_code == 200  # verified, under the new key
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert not store().exists(before)  # the old key opens nothing


def test_the_session_key_changes_when_two_factor_is_set_up(client, db):
    _log_in(client, "pengelola")
    client.get(reverse("two-factor-setup"))
    device = TOTPDevice.objects.get(user__username="pengelola", confirmed=False)
    before = client.session.session_key
    response = client.post(reverse("two-factor-setup"), {"otp_token": _code(device)})
    assert response.status_code == 302
    assert client.session.session_key != before
