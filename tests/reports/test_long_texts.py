"""The quarterly report stays printable with the longest texts allowed (issue 11, point 6).

A 1,000,000-character "faktor penghambat" once made the whole-government PDF
take 236 s and 123 pages. Texts are now bounded (4,000 characters for a
report's texts); here every verified report of the demo quarter carries
four distinct texts of exactly that length, and the whole-government report
must still be issued with a reasonable number of pages.
"""

import io
import time

import pytest
from django.utils import translation
from pypdf import PdfReader

from programs.models import ProgressReport
from reports import services
from reports.models import GeneratedReport
from tracker.models import LONG_TEXT_MAX

TEXT_FIELDS = ["supporting_factors", "obstacles", "follow_up", "follow_up_next_plan"]


def _longest_text(label, number):
    """A distinct text of exactly LONG_TEXT_MAX characters, in words (so it wraps as prose)."""
    head = f"{label} program {number}: "
    words = "kendala koordinasi anggaran jaringan pelatihan operator aplikasi "
    body = (words * (LONG_TEXT_MAX // len(words) + 1))[: LONG_TEXT_MAX - len(head)]
    return head + body


@pytest.mark.django_db
def test_the_whole_government_report_with_every_text_at_its_limit(cilegon):
    request = services.resolve_request(year=2020, quarter=3, government_code="36.72")
    reports = list(
        ProgressReport.objects.filter(
            period=request.period, state=ProgressReport.State.VERIFIED
        ).order_by("pk")
    )
    assert len(reports) >= 10, "the demo quarter has many verified reports"
    for number, report in enumerate(reports, start=1):
        for field in TEXT_FIELDS:
            setattr(report, field, _longest_text(field, number))
        report.full_clean()  # the longest text allowed is allowed
        report.save()

    started = time.monotonic()
    issued = services.issue_report(request, source=GeneratedReport.Source.COMMAND)
    seconds = time.monotonic() - started

    content = issued.file.open("rb").read()
    pages = len(PdfReader(io.BytesIO(content)).pages)
    print(f"{len(reports)} reports, {pages} pages, {len(content)} bytes, {seconds:.1f} s")
    # 4 texts x 4,000 characters x all the quarter's reports print, but within bounds.
    assert pages <= 60
    assert len(content) < 3_000_000


@pytest.mark.django_db
def test_a_unit_with_many_programs_at_the_limit_still_prints(cilegon):
    """A unit's closing rows hold all its programs' texts in one table row, which cannot
    break across pages: without a cap three programs' longest obstacles made the PDF
    impossible to lay out."""
    request = services.resolve_request(year=2020, quarter=3, government_code="36.72")
    verified = ProgressReport.objects.filter(
        period=request.period, state=ProgressReport.State.VERIFIED
    ).select_related("program__owner_unit")
    by_unit = {}
    for report in verified:
        by_unit.setdefault(report.program.owner_unit, []).append(report)
    unit, reports = max(by_unit.items(), key=lambda item: len(item[1]))
    assert len(reports) >= 3, f"{unit} has {len(reports)} verified reports"
    for number, report in enumerate(reports, start=1):
        for field in TEXT_FIELDS:
            setattr(report, field, _longest_text(field, number))
        report.full_clean()
        report.save()
    request = services.resolve_request(
        year=2020, quarter=3, government_code="36.72", unit_code=unit.code
    )
    issued = services.issue_report(request, source=GeneratedReport.Source.COMMAND)
    content = issued.file.open("rb").read()
    pages = len(PdfReader(io.BytesIO(content)).pages)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    print(f"{unit}: {len(reports)} reports, {pages} pages, {len(content)} bytes")
    assert pages <= 20
    # Five programs' 4 x 4,000 characters are shortened to what a page holds, with "…".
    assert "…" in text and "program 1" in text and "program 5" in text


def test_grouped_texts_fit_one_page_for_any_number_of_programs():
    """Thirty programs' distinct 4,000-character texts still make one cell that fits a page."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from reports.pdf.evaluation import CELL_CHARS, _grouped_texts

    style = getSampleStyleSheet()["BodyText"]
    style.fontSize, style.leading = 7, 8.5
    for count in (1, 2, 3, 30, 300):
        entries = [
            (f"Program {n} " + "judul " * 40, _longest_text("obstacles", n)) for n in range(count)
        ]
        with translation.override("en"):
            cell = _grouped_texts(entries)
        if count == 1:
            assert entries[0][1] in cell  # one program's longest text prints in full
        else:
            assert len(cell) < CELL_CHARS * 1.5  # markup, escaping and the note
            assert "full texts are in the application" in cell
        document = SimpleDocTemplate(io.BytesIO(), pagesize=landscape(A4))
        document.build(
            [
                Table(
                    [[Paragraph("Faktor penghambat", style), Paragraph(cell, style)]],
                    colWidths=[170, 600],
                )
            ]
        )
