"""Content-Security-Policy on every response: this site only, and no inline script."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from commitments.models import Commitment

ROOT = Path(__file__).resolve().parent.parent.parent
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
OTHER_ORIGIN = re.compile(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def _policy(response):
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def _smart_city():
    return Commitment.objects.get(government__region_code="36.72", date="2019-10-11")


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (None, lambda: reverse("login")),
        (None, lambda: "/tidak-ada/"),  # a 404
        ("bappeda", lambda: reverse("home")),
        ("bappeda", lambda: reverse("report-list")),
        ("bappeda", lambda: reverse("commitment-signing-event", args=[_smart_city().pk])),
        ("dkiss", lambda: reverse("my-tasks")),
        ("dkiss", lambda: reverse("account")),
        ("dkiss", lambda: reverse("two-factor-setup")),
        ("admin", lambda: reverse("admin:index")),
    ],
    ids=[
        "login",
        "404",
        "home",
        "report-list",
        "signing-event",
        "my-tasks",
        "account",
        "two-factor-setup",
        "admin",
    ],
)
def test_every_response_carries_the_policy(login, role, url):
    response = login(role).get(url())
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline script, no other origin
    assert policy["style-src-elem"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    for values in policy.values():
        assert all(v.startswith("'") or v == "data:" for v in values), policy


def test_the_public_verification_page_and_a_redirect_carry_it_too(client, db):
    from reports import services
    from reports.models import GeneratedReport

    assert "Content-Security-Policy" in client.get(reverse("home"))  # 302 to the login
    request = services.resolve_request(year=2020, quarter=3, government_code="36.72")
    report = services.issue_report(request, source=GeneratedReport.Source.COMMAND)
    response = client.get(reverse("report-verify-public", args=[report.code]))
    assert response.status_code == 200
    assert _policy(response)["default-src"] == ["'self'"]


def test_no_template_has_an_inline_script():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if INLINE_SCRIPT.search(path.read_text())
    ]
    assert offenders == []


def test_no_template_has_an_inline_event_handler():
    """onsubmit=, onchange=, onclick= ... are refused by the policy: use data-confirm
    and data-autosubmit (static/js/app.js)."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if INLINE_HANDLER.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("bappeda", lambda: reverse("report-list")),
        ("bappeda", lambda: reverse("commitment-signing-event", args=[_smart_city().pk])),
        ("dkiss", lambda: reverse("two-factor-setup")),
        ("dkiss", lambda: reverse("account")),
        (None, lambda: reverse("login")),
    ],
    ids=["report-list", "signing-event", "two-factor-setup", "account", "login"],
)
def test_the_pages_load_scripts_from_files_and_nothing_from_elsewhere(login, role, url):
    page = login(role).get(url()).content.decode()
    assert not INLINE_SCRIPT.search(page)
    assert not INLINE_HANDLER.search(page)
    assert not OTHER_ORIGIN.search(page)
    assert '<script src="/static/js/app.js"></script>' in page
