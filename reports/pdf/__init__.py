"""The quarterly report as an A4 PDF, drawn with reportlab platypus.

It takes a ``QuarterlyReport`` (``reports/selectors.py``) and only lays it
out: every figure was computed there. Text is Bahasa Indonesia (the caller
activates it) in Bitstream Vera, a TrueType family that ships inside
reportlab itself, embedded so bold and italic print and the text can be
extracted. Every page carries the government, the title, "Halaman X dari Y",
the generation time in WIB and the verification code.
"""

import gc
import io

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate

from reports import titles
from reports.pdf import evaluation, sections, signatures, stamp
from reports.pdf.common import BOLD, FONT, GRID, HEADER_GAP, MARGIN, make_styles, register_fonts
from tracker.formatting import format_datetime_id

# Between the government's name and the title in the pages' header.
HEADER_SPACE = 8 * mm


class _NumberedCanvas(pdf_canvas.Canvas):
    """Holds every page until the end so each footer can say "Halaman X dari Y"."""

    def __init__(self, *args, footer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []
        self._footer = footer

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._footer(self, total)
            super().showPage()
        super().save()


class _Document(BaseDocTemplate):
    def __init__(self, buffer, report, code, **kwargs):
        super().__init__(buffer, pagesize=A4, **kwargs)
        self.report = report
        self.code = code
        portrait = Frame(
            MARGIN, MARGIN + 6 * mm, A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN - HEADER_GAP, id="p"
        )
        templates = [PageTemplate("portrait", [portrait], onPage=self._header, pagesize=A4)]
        # The evaluation table's pages: A4 landscape, or A3 landscape when its
        # figures do not fit A4 at a readable size.
        for name, size in evaluation.PAGE_SIZES.items():
            wide = landscape(size)
            frame = Frame(
                10 * mm,
                MARGIN + 6 * mm,
                evaluation.frame_width(size),
                wide[1] - 2 * MARGIN - HEADER_GAP,
                id=f"l{name}",
            )
            templates.append(
                PageTemplate(f"landscape-{name}", [frame], onPage=self._header, pagesize=wide)
            )
        self.addPageTemplates(templates)

    def _header(self, canvas, doc):
        width, height = canvas._pagesize
        request = self.report.request
        canvas.saveState()
        government = request.government.name.upper()
        canvas.setFont(BOLD, 8)
        canvas.drawString(MARGIN, height - 10 * mm, government)
        canvas.setFont(FONT, 8)
        room = width - 2 * MARGIN - stringWidth(government, BOLD, 8) - HEADER_SPACE
        canvas.drawRightString(width - MARGIN, height - 10 * mm, _short_title(request, room))
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, height - 12 * mm, width - MARGIN, height - 12 * mm)
        canvas.restoreState()
        if self.report.is_provisional:
            stamp.draw(canvas)

    def footer(self, canvas, total):
        width, _height = canvas._pagesize
        canvas.saveState()
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, 12 * mm, width - MARGIN, 12 * mm)
        canvas.setFont(FONT, 7)
        canvas.drawString(
            MARGIN,
            8 * mm,
            _("Generated %(when)s · Verification code %(code)s")
            % {"when": format_datetime_id(self.report.generated_at), "code": self.code},
        )
        canvas.drawRightString(
            width - MARGIN,
            8 * mm,
            _("Page %(page)s of %(total)s") % {"page": canvas.getPageNumber(), "total": total},
        )
        canvas.restoreState()


def _short_title(request, room=None):
    """The pages' header title (``titles.page_header``); with ``room`` (points), the
    commitment's title is shortened with "…" until the line fits beside the government."""
    full = titles.page_header(request)
    commitment = titles.single(request)
    if room is None or commitment is None or stringWidth(full, FONT, 8) <= room:
        return full
    words = " ".join(commitment.title.split())
    limit = len(words)
    while limit > 10:
        limit -= 4
        line = titles.page_header(request, titles.shorten(words, limit))
        if stringWidth(line, FONT, 8) <= room:
            return line
    return titles.page_header(request, titles.shorten(words, 10))


def render(report, *, code, url):
    """The report as PDF bytes. ``code`` and ``url`` are its verification code and page.

    Python's cycle collector is paused while the pages are laid out: the layout
    makes hundreds of thousands of short-lived objects (cells, styles, text
    fragments), which set off collections that each walk every object the
    process holds, and find nothing to free among the layout's own, all alive
    until the PDF is written. Reference counting still frees them as usual; any
    cycles left are collected after.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _render(report, code=code, url=url)
    finally:
        if paused:
            gc.enable()


def _render(report, *, code, url):
    register_fonts()
    buffer = io.BytesIO()
    document = _Document(
        buffer,
        report,
        code,
        title=_short_title(report.request),
        author=str(report.issuing_unit or report.request.government),
        subject=str(report.request.government),
        creator="monev komitmen",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
    )
    styles = make_styles()
    story = []
    story += sections.cover(report, styles, code, url)
    story += sections.summary(report, styles)
    story += sections.commitments(report, styles)
    layout = evaluation.EvaluationLayout(report)
    story += [NextPageTemplate(f"landscape-{layout.size}"), PageBreak()]
    story += evaluation.section(layout, styles)
    # Sections 4 and 5 follow on the same landscape pages, as the form's signatures
    # sit under its table: a switch back to portrait left the table's last rows
    # alone on a page. A page they overflow to is A4 landscape, not A3: their
    # tables are A4-wide, and an A3 page holding only the signatures was 80 % blank.
    story.append(NextPageTemplate("landscape-A4"))
    story += sections.milestones(report, styles)
    story += signatures.block(report, styles)

    def canvasmaker(*args, **kwargs):
        return _NumberedCanvas(*args, footer=document.footer, **kwargs)

    document.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


# --- Sections ---------------------------------------------------------------------------------
