"""The quarterly report as an A4 PDF, drawn with reportlab platypus.

It takes a ``QuarterlyReport`` (``reports/selectors.py``) and only lays it
out: every figure was computed there. Text is Bahasa Indonesia (the caller
activates it) in Bitstream Vera, a TrueType family that ships inside
reportlab itself, embedded so bold and italic print and the text can be
extracted. Every page carries the government, the title, "Halaman X dari Y",
the generation time in WIB and the verification code.
"""

import io
from decimal import Decimal
from pathlib import Path

import reportlab
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from programs import charts, status
from reports.selectors import UNVERIFIED, figure_headings
from tracker.achievement import predicate_label
from tracker.formatting import (
    format_date_id,
    format_datetime_id,
    format_nip,
    format_number_id,
    format_quarter,
    format_rupiah,
)

FONT = "Vera"
BOLD = "Vera-Bold"
ITALIC = "Vera-Italic"
BOLD_ITALIC = "Vera-BoldItalic"
MARGIN = 15 * mm
HEADER_GAP = 14 * mm
GRID = colors.HexColor("#8c8c8c")
HEAD_FILL = colors.HexColor("#dfe6ee")
PROGRAM_FILL = colors.HexColor("#f3f5f7")


def register_fonts():
    """Register the Vera family from reportlab's own fonts folder (once)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, file_name in (
        (FONT, "Vera.ttf"),
        (BOLD, "VeraBd.ttf"),
        (ITALIC, "VeraIt.ttf"),
        (BOLD_ITALIC, "VeraBI.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(folder / file_name)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
    )


def _styles():
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=12)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=BOLD, fontSize=13, leading=17, spaceAfter=6
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=BOLD, fontSize=10.5, leading=14, spaceBefore=8, spaceAfter=4
        ),
        "cover_title": ParagraphStyle(
            "cover_title", parent=base, fontName=BOLD, fontSize=16, leading=22, alignment=TA_CENTER
        ),
        "cover": ParagraphStyle("cover", parent=base, fontSize=12, leading=17, alignment=TA_CENTER),
        "cover_small": ParagraphStyle(
            "cover_small", parent=base, fontSize=8.5, leading=11, alignment=TA_CENTER
        ),
        "sign": ParagraphStyle("sign", parent=base, fontSize=9.5, leading=13, alignment=TA_CENTER),
    }


def _esc(text):
    """Text for a Paragraph: its markup characters escaped."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _num(value, places=2):
    return format_number_id(value, places) if value is not None else "–"


def _percent(value):
    return f"{format_number_id(value)} %" if value is not None else "–"


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
        wide = landscape(A4)
        landscape_frame = Frame(
            10 * mm, MARGIN + 6 * mm, wide[0] - 20 * mm, wide[1] - 2 * MARGIN - HEADER_GAP, id="l"
        )
        self.addPageTemplates(
            [
                PageTemplate("portrait", [portrait], onPage=self._header, pagesize=A4),
                PageTemplate("landscape", [landscape_frame], onPage=self._header, pagesize=wide),
            ]
        )

    def _header(self, canvas, doc):
        width, height = canvas._pagesize
        request = self.report.request
        canvas.saveState()
        canvas.setFont(BOLD, 8)
        canvas.drawString(MARGIN, height - 10 * mm, request.government.name.upper())
        canvas.setFont(FONT, 8)
        canvas.drawRightString(width - MARGIN, height - 10 * mm, _short_title(request))
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, height - 12 * mm, width - MARGIN, height - 12 * mm)
        canvas.restoreState()

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


def _short_title(request):
    return _("Smart City commitment monitoring · Quarter %(quarter)s %(year)s") % {
        "quarter": format_quarter(request.quarter),
        "year": request.year,
    }


def render(report, *, code, url):
    """The report as PDF bytes. ``code`` and ``url`` are its verification code and page."""
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
    styles = _styles()
    story = []
    story += _cover(report, styles, code, url)
    story += _summary(report, styles)
    story += _commitments(report, styles)
    story += [NextPageTemplate("landscape"), PageBreak()]
    story += _evaluation(report, styles)
    story += [NextPageTemplate("portrait"), PageBreak()]
    story += _milestones(report, styles)
    story += _signatures(report, styles)

    def canvasmaker(*args, **kwargs):
        return _NumberedCanvas(*args, footer=document.footer, **kwargs)

    document.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


# --- Sections ---------------------------------------------------------------------------------


def _cover(report, styles, code, url):
    request = report.request
    issuer = report.issuing_unit.name if report.issuing_unit else ""
    story = [
        Spacer(1, 30 * mm),
        Paragraph(
            _("MONITORING AND EVALUATION REPORT ON THE JOINT COMMITMENT TO IMPLEMENT SMART CITY"),
            styles["cover_title"],
        ),
        Spacer(1, 10 * mm),
        Paragraph(_esc(request.government.name.upper()), styles["cover"]),
        Paragraph(
            _("Quarter %(quarter)s of %(year)s")
            % {"quarter": format_quarter(request.quarter), "year": request.year},
            styles["cover"],
        ),
    ]
    if request.unit is not None:
        story.append(Paragraph(_esc(request.unit.name), styles["cover"]))
    if report.is_provisional:
        story += [
            Spacer(1, 4 * mm),
            Paragraph(
                "<b>{}</b>".format(
                    _("PROVISIONAL: the period is not locked yet; figures may still change.")
                ),
                styles["cover_small"],
            ),
        ]
    story += [Spacer(1, 25 * mm), _qr(url), Spacer(1, 3 * mm)]
    story.append(
        Paragraph(
            _("Check this report at %(url)s (code %(code)s)") % {"url": _esc(url), "code": code},
            styles["cover_small"],
        )
    )
    story += [
        Spacer(1, 30 * mm),
        Paragraph(_("Issued by"), styles["cover"]),
        Paragraph(f"<b>{_esc(issuer)}</b>", styles["cover"]),
        Paragraph(_esc(request.government.name), styles["cover"]),
        Paragraph(str(request.year), styles["cover"]),
        PageBreak(),
    ]
    return story


def _qr(url, size=34 * mm):
    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    drawing.hAlign = "CENTER"
    return drawing


def _table(rows, widths, *, header_rows=1, style=(), font_size=8, padding=3):
    table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, font_size),
                ("FONT", (0, 0), (-1, header_rows - 1), BOLD, font_size),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), padding),
                ("RIGHTPADDING", (0, 0), (-1, -1), padding),
                *style,
            ]
        )
    )
    return table


def _summary(report, styles):
    summary = report.summary
    totals = summary["totals"]
    count = totals["programs"] or 1
    story = [Paragraph(_("1. Executive summary"), styles["h1"])]
    story.append(
        Paragraph(
            _(
                "%(programs)s programs of the commitment were due to report for this quarter. "
                "Only verified reports count in the figures below."
            )
            % {"programs": totals["programs"]},
            styles["body"],
        )
    )
    story.append(Paragraph(_("Report submission"), styles["h2"]))
    rows = [[_("Submission"), _("Programs"), "%"]]
    for key, label in charts.COMPLIANCE_LABELS.items():
        rows.append([str(label), str(totals[key]), _percent(Decimal(100 * totals[key]) / count)])
    story.append(
        _table(rows, [60 * mm, 30 * mm, 30 * mm], style=[("ALIGN", (1, 1), (-1, -1), "RIGHT")])
    )
    story.append(Paragraph(_("Program status"), styles["h2"]))
    rows = [[_("Status"), _("Programs"), "%"]]
    for key in status.ORDER:
        rows.append(
            [
                str(status.LABELS[key]),
                str(totals[key]),
                _percent(Decimal(100 * totals[key]) / count),
            ]
        )
    story.append(
        _table(rows, [60 * mm, 30 * mm, 30 * mm], style=[("ALIGN", (1, 1), (-1, -1), "RIGHT")])
    )
    story.append(Paragraph(_("Achievement"), styles["h2"]))
    rows = [
        [_("Measure"), _("Average achievement"), _("Predicate")],
        [
            _("Against the %(year)s targets (up to quarter %(quarter)s)")
            % {"year": report.request.year, "quarter": format_quarter(report.request.quarter)},
            _percent(report.average_achievement),
            predicate_label(report.average_achievement) or "–",
        ],
        [
            _("Against the RPJMD end-of-period targets"),
            _percent(report.plan_achievement),
            predicate_label(report.plan_achievement) or "–",
        ],
    ]
    story.append(
        _table(rows, [90 * mm, 40 * mm, 40 * mm], style=[("ALIGN", (1, 1), (1, -1), "RIGHT")])
    )
    story.append(Paragraph(_("The five most overdue milestones"), styles["h2"]))
    overdue = summary["overdue"][:5]
    if overdue:
        rows = [[_("Milestone"), _("Program"), _("Unit"), _("Planned finish"), _("Progress")]]
        for milestone, percent, program in overdue:
            rows.append(
                [
                    Paragraph(_esc(milestone.title), styles["small"]),
                    Paragraph(_esc(program.title), styles["small"]),
                    Paragraph(
                        _esc(program.owner_unit.abbreviation or program.owner_unit.name),
                        styles["small"],
                    ),
                    format_date_id(milestone.planned_finish),
                    _percent(percent),
                ]
            )
        story.append(
            _table(
                rows,
                [50 * mm, 55 * mm, 25 * mm, 27 * mm, 20 * mm],
                font_size=7.5,
                style=[("ALIGN", (4, 1), (4, -1), "RIGHT")],
            )
        )
    else:
        story.append(Paragraph(_("No milestone is overdue."), styles["body"]))
    fonts = {"font": FONT, "bold_font": BOLD, "width": 480}
    story += [
        CondPageBreak(80 * mm),
        Spacer(1, 4 * mm),
        charts.status_by_dimension(summary["by_dimension"], **fonts),
        Spacer(1, 4 * mm),
        charts.compliance_by_asda(summary["by_asda"], **fonts),
        PageBreak(),
    ]
    return story


def _commitments(report, styles):
    story = [Paragraph(_("2. Commitment status"), styles["h1"])]
    for item in report.commitments:
        commitment = item.commitment
        block = [
            Paragraph(_esc(commitment.title), styles["h2"]),
            Paragraph(
                _("Signed at %(place)s on %(date)s. Number: %(number)s.")
                % {
                    "place": _esc(commitment.place),
                    "date": format_date_id(commitment.date),
                    "number": _esc(commitment.document_number or "–"),
                },
                styles["body"],
            ),
        ]
        story += block
        for point in item.points:
            story.append(
                Paragraph(f"{point.number}. {_esc(point.text)}", styles["body"], bulletText=None)
            )
        story.append(Spacer(1, 2 * mm))
        story.append(
            Paragraph(
                _(
                    "Signing at the end of the quarter: <b>%(signed)s of %(expected)s</b> "
                    "expected signatories (%(percent)s %%)."
                )
                % {"signed": item.signed, "expected": item.expected, "percent": item.percent},
                styles["body"],
            )
        )
        if item.outstanding:
            story.append(Paragraph(_("Not signed yet:"), styles["body"]))
            rows = [[pgettext("table column", "No"), _("Unit")]] + [
                [str(i), Paragraph(_esc(unit.name), styles["small"])]
                for i, unit in enumerate(item.outstanding, start=1)
            ]
            story.append(_table(rows, [12 * mm, 120 * mm], font_size=7.5))
    return story


def _evaluation(report, styles):
    table = report.table
    year, quarter = table.year, table.quarter
    story = [
        Paragraph(_("3. Evaluation of results (Permendagri 86/2017)"), styles["h1"]),
        Paragraph(
            _(
                "Each program line gives the budget (Rp); each indicator line gives performance "
                "(K). Only verified reports count. – : nothing verified; † : a report exists but "
                "is not verified; blank: the quarter has not come yet."
            ),
            styles["small"],
        ),
    ]
    if not table.sections:
        story.append(
            Paragraph(_("No program of this report has started by this quarter."), styles["body"])
        )
    for number, section in enumerate(table.sections, start=1):
        story.append(CondPageBreak(40 * mm))
        story.append(Paragraph(f"3.{number} {_esc(section.unit.name)}", styles["h2"]))
        story.append(_evaluation_table(section, year, quarter, styles))
        story.append(Spacer(1, 2 * mm))
        story.append(
            Paragraph(
                _("Average achievement of the unit: <b>%(average)s</b> (%(predicate)s)")
                % {
                    "average": _percent(section.average_achievement),
                    "predicate": section.predicate or "–",
                },
                styles["small"],
            )
        )
        for caption, entries in (
            (_("Supporting factors"), section.supporting_factors),
            (_("Obstacles"), section.obstacles),
            (_("Follow-up"), section.follow_up),
        ):
            story.append(Paragraph(f"<b>{caption}</b>: {_grouped_texts(entries)}", styles["small"]))
    return story


def _grouped_texts(entries):
    """Texts shared by several programs are written once, naming the programs."""
    if not entries:
        return "–"
    by_text = {}
    for title, text in entries:
        by_text.setdefault(text, []).append(title)
    parts = [f"{_esc(text)} <i>({_esc('; '.join(titles))})</i>" for text, titles in by_text.items()]
    return " ".join(parts)


EVALUATION_WIDTHS = [18, 60, 104] + [49] * 10 + [42, 44]


def _evaluation_table(section, year, quarter, styles):
    head = [
        pgettext("table column", "No"),
        _("Objective (sasaran)"),
        _("Program / indicator"),
        *figure_headings(year),
        _("Predicate"),
        _("Unit in charge"),
    ]
    widths = EVALUATION_WIDTHS
    rows = [[_wrap(text, widths[i], BOLD) for i, text in enumerate(head)]]
    program_lines = []
    for program_row in section.programs:
        program_lines.append(len(rows))
        rows.append(
            [
                program_row.number,
                "",
                _wrap(program_row.program.title, widths[2], BOLD),
                _money(program_row.budget_total),
                _money(program_row.before),
                _money(program_row.year_budget),
                *[_quarter_cell(program_row.quarters, q, quarter, _money) for q in (1, 2, 3, 4)],
                _money(program_row.year_realisation),
                _money(program_row.cumulative),
                _percent(program_row.achievement),
                "",
                _wrap(program_row.program.owner_unit.abbreviation or "", widths[14]),
            ]
        )
        for row in program_row.indicators:
            indicator = row.indicator
            responsible = indicator.responsible_unit
            rows.append(
                [
                    row.number,
                    _wrap(row.objective, widths[1]),
                    _wrap(f"{indicator.name} ({indicator.unit_of_measure})", widths[2]),
                    _num(row.final_target),
                    _num(row.before),
                    _num(row.year_target),
                    *[_quarter_cell(row.quarters, q, quarter, _num) for q in (1, 2, 3, 4)],
                    _num(row.year_realisation),
                    _num(row.cumulative),
                    _percent(row.achievement),
                    _wrap(row.predicate, widths[13]),
                    _wrap(
                        (responsible.abbreviation or responsible.code) if responsible else "",
                        widths[14],
                    ),
                ]
            )
    style = [("ALIGN", (3, 1), (12, -1), "RIGHT")]
    for line in program_lines:
        style += [
            ("BACKGROUND", (0, line), (-1, line), PROGRAM_FILL),
            ("FONT", (2, line), (2, line), BOLD, 6),
        ]
    return _table(rows, EVALUATION_WIDTHS, font_size=6, style=style, padding=2)


def _wrap(text, width, font=FONT, size=6, padding=4):
    """Text broken into lines that fit ``width``, as a plain cell string.

    Plain strings cost a fraction of a Paragraph per cell, which matters in
    tables of thousands of cells (see STYLE.md's reportlab notes).
    """
    return "\n".join(simpleSplit(str(text), font, size, width - padding))


def _quarter_cell(quarters, q, report_quarter, formatter):
    if q > report_quarter:
        return ""
    value = quarters.get(q)
    if value == UNVERIFIED:
        return "†"
    return formatter(value)


def _money(value, width=EVALUATION_WIDTHS[3] - 4):
    """Rupiah for a narrow cell: on two lines ("Rp" above the digits) when too wide."""
    if value is None:
        return "–"
    text = format_rupiah(value)
    if stringWidth(text, FONT, 6) > width:
        return text.replace("Rp", "Rp\n", 1)
    return text


MILESTONE_WIDTHS = [36 * mm, 36 * mm, 23 * mm, 23 * mm, 23 * mm, 17 * mm, 18 * mm]


def _milestones(report, styles):
    story = [Paragraph(_("4. Late and at-risk milestones"), styles["h1"])]
    if not report.milestones:
        story.append(Paragraph(_("No milestone is late or at risk."), styles["body"]))
    for unit, rows in report.milestones:
        story.append(CondPageBreak(30 * mm))
        story.append(Paragraph(_esc(unit.name), styles["h2"]))
        head = [
            _("Program"),
            _("Milestone"),
            _("Planned start"),
            _("Planned finish"),
            _("Actual finish"),
            _("Progress"),
            _("Status"),
        ]
        widths = MILESTONE_WIDTHS
        table = [[_wrap(text, widths[i], BOLD, 6.5, 6) for i, text in enumerate(head)]]
        for milestone, percent, state, program in rows:
            finished = milestone.actual_finish
            table.append(
                [
                    _wrap(program.title, widths[0], FONT, 6.5, 6),
                    _wrap(milestone.title, widths[1], FONT, 6.5, 6),
                    format_date_id(milestone.planned_start),
                    format_date_id(milestone.planned_finish),
                    format_date_id(finished) if finished and state == status.DONE else "–",
                    _percent(percent),
                    str(status.LABELS[state]),
                ]
            )
        story.append(
            _table(
                table,
                MILESTONE_WIDTHS,
                font_size=6.5,
                style=[("ALIGN", (5, 1), (5, -1), "RIGHT")],
            )
        )
    return story


def _signatures(report, styles):
    """ "Mengetahui" (the regional head) on the left; "Disusun oleh" (the head of
    Bappeda) on the right under the place and date, as official documents do."""
    request = report.request
    place = request.government.place_name or request.government.name
    preparer, leader = report.signers
    dated = f"{_esc(place)}, {format_date_id(request.report_date)}"
    table = Table(
        [[_signature_cell(leader, "&nbsp;", styles), _signature_cell(preparer, dated, styles)]],
        colWidths=[85 * mm, 85 * mm],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [Spacer(1, 10 * mm), KeepTogether([Paragraph(_("5. Approval"), styles["h1"]), table])]


def _signature_cell(signer, first_line, styles):
    lines = [
        Paragraph(first_line, styles["sign"]),
        Paragraph(f"{_esc(signer.caption)},", styles["sign"]),
        Paragraph(f"<b>{_esc(signer.position or '…')}</b>", styles["sign"]),
        Spacer(1, 22 * mm),
        Paragraph(f"<b><u>{_esc(signer.name or '…')}</u></b>", styles["sign"]),
    ]
    if signer.rank:
        lines.append(Paragraph(_esc(signer.rank), styles["sign"]))
    if signer.nip:
        lines.append(Paragraph(f"NIP. {format_nip(signer.nip)}", styles["sign"]))
    return lines
