"""The public page: only when published, verified figures only, nothing private, cached."""

import csv
import io

import lxml.html
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments.models import Signature
from tests.transparency.conftest import PROGRESS, VALUE, committed, issue, publish, user
from tracker.formatting import format_nip
from tracker.models import Official
from transparency import services

pytestmark = pytest.mark.django_db

PUBLIC_NAMES = ["public-page", "public-data-csv", "public-data-json", "public-dictionary"]


def _get(client, name="public-page", code="36.72"):
    return client.get(reverse(name, args=[code]))


@pytest.mark.parametrize("name", PUBLIC_NAMES)
def test_unpublished_and_unknown_governments_answer_404(client, cilegon, name):
    assert _get(client, name).status_code == 404  # never published
    assert _get(client, name, code="99.99").status_code == 404
    publish(cilegon)
    assert _get(client, name).status_code == 200
    with committed():
        services.unpublish_page(actor=user("pengelola"), government=cilegon, reason="Perbaikan")
    assert _get(client, name).status_code == 404
    assert _get(client, name, code="36.73").status_code == 404  # Serang never published


def _row(html, table_id, code):
    """The cells of the row of ``code`` in the page's table ``table_id``."""
    table = lxml.html.fromstring(html).get_element_by_id(table_id)
    rows = [[td.text_content().strip() for td in tr.findall("td")] for tr in table.iter("tr")]
    return next(row for row in rows if row and row[0] == code)


def _csv_row(client, record, code):
    text = _get(client, "public-data-csv").content.decode("utf-8-sig")
    rows = csv.DictReader(io.StringIO(text))
    return [r for r in rows if r["record"] == record and r["code"] == code][-1]


def test_a_verified_figure_shows_and_an_unverified_one_does_not(client, published, subject):
    html = _get(client).content.decode()
    assert _row(html, "programs", "PUB-1")[-1] == "—"  # sent, not verified
    assert _row(html, "indicators", "PUB-IKU")[3:6] == ["10,00", "", "—"]
    assert _csv_row(client, "program", "PUB-1")["verified_progress_percent"] == ""
    assert _csv_row(client, "indicator", "PUB-IKU")["realisation"] == ""

    with committed():
        subject.verify()
    html = _get(client).content.decode()
    assert _row(html, "programs", "PUB-1")[-1] == "43,21 %"
    assert _row(html, "indicators", "PUB-IKU")[3:6] == ["10,00", "7,77", "77,70 %"]
    assert _csv_row(client, "program", "PUB-1")["verified_progress_percent"] == str(PROGRESS)
    assert _csv_row(client, "indicator", "PUB-IKU")["realisation"] == str(VALUE)


def test_no_nip_no_email_no_evidence_anywhere(client, published, subject):
    with committed():
        subject.verify()
    nips = set(Official.objects.exclude(nip="").values_list("nip", flat=True))
    nips |= set(Signature.objects.exclude(official_nip="").values_list("official_nip", flat=True))
    assert len(nips) > 10  # the demo's officials: the check has something to find
    for username in ("pengelola", "bappeda", "dkiss"):  # addresses the page must not show
        account = user(username)
        account.email = f"{username}@cilegon.go.id"
        account.save()
    emails = {e for e in get_user_model().objects.values_list("email", flat=True) if e}
    signature = Signature.objects.filter(commitment__government=published).first()
    evidence_url = reverse("signature-evidence", args=[signature.commitment_id, signature.pk])
    for name in PUBLIC_NAMES:
        text = _get(client, name).content.decode()
        for nip in nips:
            assert nip not in text and format_nip(nip) not in text, (name, nip)
        for email in emails:
            assert email not in text, (name, email)
        assert settings.MEDIA_URL not in text and evidence_url not in text
    # ...while the signatories' names and positions are public.
    html = _get(client).content.decode()
    assert signature.official_name in html and signature.official_position in html


def test_anonymous_pages_set_no_cookie_and_carry_the_csp(client, published):
    for name in PUBLIC_NAMES:
        response = _get(client, name)
        assert response.status_code == 200
        assert not response.cookies, (name, response.cookies)
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "public" in response["Cache-Control"]
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_visitors_choose_the_language_by_address_not_cookie(client, published):
    """No session and no cookie: ?bahasa=en shows English, and links to Indonesian."""
    indonesian = client.get(reverse("public-page", args=["36.72"]))
    english = client.get(reverse("public-page", args=["36.72"]), {"bahasa": "en"})
    assert indonesian["Content-Language"] == "id"
    assert english["Content-Language"] == "en"
    assert "Open data" in english.content.decode()
    assert "Open data" not in indonesian.content.decode()
    switch = lxml.html.fromstring(english.content).get_element_by_id("public-language")
    assert switch.get("href") == "?bahasa=id"
    assert not english.cookies
    dictionary = client.get(reverse("public-dictionary", args=["36.72"]), {"bahasa": "en"})
    assert dictionary["Content-Language"] == "en"


def test_a_published_report_downloads_and_an_unpublished_one_does_not(client, published, serang):
    with committed():
        shown, hidden = (
            issue(published, title="Laporan Terbit Uji"),
            issue(published, title="Laporan Tersembunyi Uji"),
        )
        services.publish_report(actor=user("bappeda"), report=shown, reason="Layak")
    html = _get(client).content.decode()
    assert shown.title in html and hidden.title not in html
    assert reverse("report-verify-public", args=[shown.code]) in html
    url = reverse("public-report", args=["36.72", shown.code])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 uji"
    assert client.get(url.replace(shown.code, shown.code.lower())).status_code == 200
    assert client.get(reverse("public-report", args=["36.72", hidden.code])).status_code == 404
    # Published, but asked for under another government's address.
    with committed():
        services.publish_page(actor=user("admin"), government=serang, reason="Uji")
    assert client.get(reverse("public-report", args=["36.73", shown.code])).status_code == 404
    with committed():
        services.unpublish_report(actor=user("bappeda"), report=shown, reason="Ditarik")
    assert client.get(url).status_code == 404
    assert shown.title not in _get(client).content.decode()


def _queries(client, name):
    with CaptureQueriesContext(connection) as captured:
        assert _get(client, name).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", PUBLIC_NAMES)
def test_a_repeat_visit_costs_a_small_constant_number_of_queries(
    client, published, subject, name, django_assert_max_num_queries
):
    cold = _queries(client, name)
    # The published government and the data versions (in the database, so every
    # process sees a bump: tracker/data_version.py); the rest is cached.
    with django_assert_max_num_queries(2):
        _get(client, name)
    with committed():  # more of everything the page shows
        subject.verify()
        issue(published)
    with django_assert_max_num_queries(cold):
        _get(client, name)  # a miss after the bump: no dearer than before
    with django_assert_max_num_queries(2):
        _get(client, name)


def test_figures_follow_a_change_without_waiting(client, published, subject):
    """A newly verified report shows on the very next visit: the version bump misses."""
    _get(client)
    html = _get(client).content.decode()  # from the cache
    assert _row(html, "programs", "PUB-1")[-1] == "—"
    with committed():
        subject.verify()
    assert _row(_get(client).content.decode(), "programs", "PUB-1")[-1] == "43,21 %"
