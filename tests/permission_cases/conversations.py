"""Permission-matrix cases: a report's conversation and its evidence previews
(``conversations``, ``programs.review_urls``).

Whoever sees a report reads its conversation; its unit's writers (DKISS) and
the government's reviewers (the Administrator, Bappeda) post to it: 403 for
the others who see it (the mayor, the Asda of a supporting unit), 404 for
everyone else. A locked quarter's conversation is closed: the page answers
with the reason (200), nothing is posted. The first page of a PDF evidence
file is served to whoever may download the file.
"""

import io

from django.core.files.base import ContentFile
from reportlab.pdfgen import canvas

from programs.models import ProgressEvidence, ProgressReport
from tests.permission_roles import SEES_DKISS, _commitment, changers, only

# DKISS's program "Layanan Panggilan Darurat 112", supported by units Asda I coordinates.
SEES_P01 = (*SEES_DKISS, "asda1")
POSTS = ("admin", "pengelola", "bappeda", "dkiss")


def _p01_reports():
    return ProgressReport.objects.filter(
        program__commitment=_commitment(), program__title="Layanan Panggilan Darurat 112"
    )


def _locked_report():
    return _p01_reports().get(period__year=2020, period__quarter=1)


def _open_report():
    return _p01_reports().filter(period__state="open").order_by("period__year").last()


def _message(_args):
    return {"body": "Mohon konfirmasi angka triwulan ini."}


def _pdf_evidence():
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, "Berita acara")
    pdf.save()
    item = ProgressEvidence(report=_locked_report(), sha256="1" * 64)
    item.file.save("berita-acara.pdf", ContentFile(buffer.getvalue()), save=True)
    return [item.report_id, item.pk]


CASES = {
    "report-conversation": (
        "report-conversation",
        lambda: [_locked_report().pk],
        "get",
        only(*SEES_P01),
    ),
    "report-conversation post": (
        "report-conversation",
        lambda: [_open_report().pk],
        "post",
        changers(302, visible=SEES_P01, allowed=POSTS),
        _message,
    ),
    "report-conversation post locked": (
        "report-conversation",
        lambda: [_locked_report().pk],
        "post",
        changers(200, visible=SEES_P01, allowed=POSTS),
        _message,
    ),
    "report-conversation missing": (
        "report-conversation",
        lambda: [999999],
        "get",
        only(),
    ),
    "report-evidence-preview": (
        "report-evidence-preview",
        _pdf_evidence,
        "get",
        only(*SEES_P01),
    ),
}
