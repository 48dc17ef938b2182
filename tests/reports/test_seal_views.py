"""The public verification page with sealed reports: what it says about each kind of copy."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from reportlab.pdfgen import canvas

from reports import sealing, services
from reports.management.commands.make_signing_certificate import make_certificates
from reports.models import GeneratedReport
from tests.reports.test_seal import with_annotation


@pytest.fixture
def issued(sealing_on, cilegon):
    request = services.resolve_request(year=2020, quarter=3, government_code="36.72")
    return services.issue_report(request, source=GeneratedReport.Source.COMMAND)


def _check(client, report, content):
    response = client.post(
        reverse("report-verify-public", args=[report.code]),
        {"file": SimpleUploadedFile("salinan.pdf", content, content_type="application/pdf")},
    )
    assert response.status_code == 200
    return response


def _small_pdf(words):
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, words)
    page.showPage()
    page.save()
    return buffer.getvalue()


def test_the_page_says_the_report_is_sealed(client, issued):
    page = client.get(reverse("report-verify-public", args=[issued.code]))
    assert page.context["sealed"] is True
    assert 'id="report-seal"' in page.content.decode()
    assert "text-warning-emphasis" not in page.content.decode().split('id="report-seal"')[1][:200]


def test_an_identical_copy(client, issued):
    response = _check(client, issued, issued.file.read())
    assert response.context["result"] is True
    assert 'data-verdict="identical"' in response.content.decode()


def test_a_sealed_copy_with_an_annotation_added(client, issued):
    response = _check(client, issued, with_annotation(issued.file.read()))
    check = response.context["check"]
    assert response.context["result"] is False
    assert check.verdict == sealing.Verdict.MODIFIED and len(check.changes) == 1
    page = response.content.decode()
    assert 'data-verdict="modified"' in page and check.changes[0] in page


def test_an_unsigned_pdf(client, issued):
    response = _check(client, issued, _small_pdf("Laporan palsu"))
    assert response.context["check"].verdict == sealing.Verdict.UNSIGNED
    assert "BUKAN" in response.content.decode()


def test_a_pdf_signed_by_someone_else(client, issued, tmp_path):
    files = make_certificates("Orang lain", "lain", days=30)
    (tmp_path / "lain.p12").write_bytes(files["demo-seal.p12"])
    other = sealing._load(str(tmp_path / "lain.p12"), "lain")
    content = sealing.seal(
        _small_pdf("Laporan lain"),
        unit_name="Orang lain",
        code="XXXXXXXXXX",
        issued_at=timezone.now(),
        seal_with=other,
    )
    response = _check(client, issued, content)
    check = response.context["check"]
    assert check.verdict == sealing.Verdict.FOREIGN and "Orang lain" in check.signer
    assert 'data-verdict="foreign"' in response.content.decode()


def test_another_report_sealed_here_is_not_this_one(client, issued):
    request = services.resolve_request(year=2020, quarter=3, government_code="36.72")
    second = services.issue_report(request, source=GeneratedReport.Source.COMMAND)
    response = _check(client, issued, second.file.read())
    assert response.context["check"].verdict == sealing.Verdict.OTHER_REPORT


def test_an_unsealed_report_says_so_on_its_pages(client, login, settings, cilegon):
    sealing.clear_cache()
    settings.REPORT_SIGNING_P12 = ""
    request = services.resolve_request(year=2020, quarter=3, government_code="36.72")
    report = services.issue_report(request, source=GeneratedReport.Source.COMMAND)
    page = client.get(reverse("report-verify-public", args=[report.code]))
    assert page.context["sealed"] is False
    seal_row = page.content.decode().split('id="report-seal"')[1][:300]
    assert "text-warning-emphasis" in seal_row
    listing = login("bappeda").get(reverse("report-list")).content.decode()
    row = listing.split(report.code)[0].rsplit("<tr>", 1)[1]
    assert "text-warning-emphasis" in row
