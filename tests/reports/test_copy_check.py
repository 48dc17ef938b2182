"""Checking an uploaded copy is judged by its content and bounded in work.

The forged copies are made as an attacker holding only the public PDF would:
incremental updates appended with pyHanko's ``IncrementalPdfFileWriter``.
"""

import io
import time
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import FakePayload
from django.urls import reverse
from django.utils import translation
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from reports import copy_check, sealing, services
from reports.copy_check import Verdict
from reports.models import GeneratedReport
from tests.reports.test_seal import with_annotation


@pytest.fixture
def issued(sealing_on, cilegon):
    request = services.resolve_request(year=2020, quarter=3, government_code="36.72")
    return services.issue_report(request, source=GeneratedReport.Source.COMMAND)


def _write(writer):
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def with_first_page_replaced(content):
    """``content`` with page 1 showing other text: its /Contents replaced in an update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    page_ref, _resources = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    forged = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 720 Td (Realisasi 100%) Tj ET")
    page["/Contents"] = writer.add_object(forged)
    writer.update_container(page)
    return _write(writer)


def with_pages_appended(content, count):
    """``content`` with ``count`` empty pages appended to the page tree in one update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    pages_ref = writer.root.raw_get("/Pages")
    pages = pages_ref.get_object()
    kids = pages["/Kids"]
    for _number in range(count):
        page = generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Page"),
                generic.NameObject("/Parent"): pages_ref,
                generic.NameObject("/MediaBox"): generic.ArrayObject(
                    [generic.NumberObject(v) for v in (0, 0, 595, 842)]
                ),
            }
        )
        kids.append(writer.add_object(page))
    pages["/Count"] = generic.NumberObject(len(kids))
    writer.update_container(pages)
    return _write(writer)


def _post(client, report, content):
    return client.post(
        reverse("report-verify-public", args=[report.code]),
        {"file": SimpleUploadedFile("salinan.pdf", content, content_type="application/pdf")},
    )


# --- Judged by content ----------------------------------------------------------------------


def test_the_issued_file_is_green_and_the_page_names_the_seal_level(client, issued):
    response = _post(client, issued, issued.file.read())
    assert response.status_code == 200
    assert response.context["check"].verdict == Verdict.IDENTICAL
    page = response.content.decode()
    assert 'data-verdict="identical"' in page
    # No timestamp authority in the tests: the seal is B-B, and the page says so.
    assert response.context["seal_level"] == sealing.B_B
    assert 'data-level="B-B"' in page


def test_the_first_page_replaced_after_sealing_is_red(client, issued):
    forged = with_first_page_replaced(issued.file.read())
    response = _post(client, issued, forged)
    assert response.status_code == 200
    check = response.context["check"]
    assert check.verdict == Verdict.CHANGED and not check.identical
    page = response.content.decode()
    assert 'data-verdict="changed"' in page and "alert-danger" in page
    assert "BUKAN" in page  # "The file is NOT the report ..."
    # Never "seal intact" for a changed copy.
    assert "utuh" not in page.split('id="check-result"')[1].split("</div>")[0]


def test_an_added_annotation_is_yellow_and_names_the_page(client, issued):
    annotated = with_annotation(issued.file.read())
    with translation.override("en"):
        check = copy_check.examine(
            annotated,
            sha256=issued.sha256,
            issued_at=issued.generated_at,
        )
    assert check.verdict == Verdict.MODIFIED
    assert check.pages == [1]
    assert check.changes == ["annotations (comments, highlights, drawings) on page 1"]
    response = _post(client, issued, annotated)
    assert 'data-verdict="modified"' in response.content.decode()


def test_a_flipped_byte_is_red(client, issued):
    content = bytearray(issued.file.read())
    content[len(content) // 3] ^= 0x01
    response = _post(client, issued, bytes(content))
    assert response.context["check"].verdict in Verdict.RED
    assert "alert-danger" in response.content.decode()


def test_five_thousand_appended_pages_are_answered_within_three_seconds(client, issued):
    content = issued.file.read()
    big = with_pages_appended(content, 5_000)
    _post(client, issued, content + b" ")  # the checking process is started
    started = time.monotonic()
    response = _post(client, issued, big)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.context["check"].verdict in (Verdict.TOO_COMPLEX, Verdict.CHANGED)
    assert "alert-danger" in response.content.decode()
    assert elapsed < 3, elapsed


def test_appended_pages_within_the_limits_are_red_not_yellow(issued, monkeypatch):
    monkeypatch.setattr(copy_check, "MAX_OBJECTS_AFTER_SEAL", 10**6)
    monkeypatch.setattr(copy_check, "MAX_PAGES", 10**6)
    check = copy_check.examine(
        with_pages_appended(issued.file.read(), 50),
        sha256=issued.sha256,
        issued_at=issued.generated_at,
    )
    assert check.verdict == Verdict.CHANGED


# --- Bounded work ---------------------------------------------------------------------------


def test_work_past_the_cpu_budget_is_refused_not_awaited(settings):
    settings.REPORT_VERIFY_CPU_SECONDS = 1
    started = time.monotonic()
    # Hours of big-number arithmetic: the child is killed at one second of CPU.
    answer = copy_check._run_limited(pow, 3, 10**10)
    assert answer == {"verdict": Verdict.TOO_COMPLEX}
    assert time.monotonic() - started < 5


def test_the_page_says_too_complex_in_red(client, issued, monkeypatch):
    monkeypatch.setattr(copy_check, "MAX_PAGES", 1)
    response = _post(client, issued, with_annotation(issued.file.read()))
    assert response.context["check"].verdict == Verdict.TOO_COMPLEX
    page = response.content.decode()
    assert 'data-verdict="too-complex"' in page and "alert-danger" in page


class _Unreadable(FakePayload):
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")


def test_an_oversize_body_is_refused_before_it_is_read(client, issued, settings):
    body = b"x" * 1000
    with mock.patch("django.http.multipartparser.MultiPartParser.parse") as parse:
        response = client.generic(
            "POST",
            reverse("report-verify-public", args=[issued.code]),
            content_type="multipart/form-data; boundary=BOUNDARY",
            CONTENT_LENGTH=str(120 * 1000 * 1000),
            **{"wsgi.input": _Unreadable(body)},
        )
    assert not parse.called
    assert response.status_code == 413
    assert 'data-verdict="too-large"' in response.content.decode()
    assert response.context["check"] is None


# --- The seal level -------------------------------------------------------------------------


def test_the_seal_level_follows_the_configuration(sealing_on, settings):
    current = sealing.current_seal()
    settings.REPORT_SIGNING_TSA_URL = ""
    assert current.level == sealing.B_B
    settings.REPORT_SIGNING_TSA_URL = "http://tsa.example/"
    settings.REPORT_SIGNING_FETCH_REVOCATION = False
    assert sealing.configured_level(current) == sealing.B_T
    settings.REPORT_SIGNING_FETCH_REVOCATION = True
    # The demo PKCS#12 holds its root CA: the chain and its revocation data are embedded.
    assert sealing.configured_level(current) == sealing.B_LT


def test_an_issued_report_is_b_b_even_with_its_chain_embedded(issued):
    assert sealing.level_of(issued.file.read()) == sealing.B_B


# --- Provisional reports --------------------------------------------------------------------


@pytest.mark.skipif(
    not any(f.name == "is_provisional" for f in GeneratedReport._meta.get_fields()),
    reason="GeneratedReport.is_provisional does not exist yet",
)
def test_the_page_says_a_provisional_report_is_not_final(client, issued):
    GeneratedReport.objects.filter(pk=issued.pk).update(is_provisional=False)
    page = client.get(reverse("report-verify-public", args=[issued.code])).content.decode()
    assert 'id="report-provisional"' not in page
    GeneratedReport.objects.filter(pk=issued.pk).update(is_provisional=True)
    page = client.get(reverse("report-verify-public", args=[issued.code])).content.decode()
    assert 'id="report-provisional"' in page
