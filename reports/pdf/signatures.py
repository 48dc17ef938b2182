"""The signature block."""

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from reports.pdf.common import (
    BOLD,
    esc,
)
from tracker.formatting import (
    format_date_id,
    format_nip,
    format_rank,
)

COLUMN = 85 * mm
SIGNATURE_SPACE = 22 * mm
PADDING = 3
SMALLEST_NAME = 7


def block(report, styles):
    """The signers side by side (``report.signers``, left to right), the place and date
    above the one marked ``dated``, as official documents do.

    One table, one row per part (place and date, caption, position, the space for the
    signature, name, rank, NIP), so every part lines up across the columns even when
    one position wraps to more lines than the other. Cells a signer has nothing for
    (an elected head has no rank and no NIP) stay empty; a row nobody fills is left out.
    """
    request = report.request
    place = request.government.place_name or request.government.name
    dated = f"{esc(place)}, {format_date_id(request.report_date)}"
    sign = styles["sign"]
    columns = report.signers

    def row(cell):
        return [cell(signer) for signer in columns]

    def paragraph(text):
        return Paragraph(text, sign) if text else ""

    rows = [
        row(lambda s: paragraph(dated if s.dated else "")),
        row(lambda s: paragraph(f"{esc(s.caption)},")),
        row(lambda s: paragraph(f"<b>{esc(s.position or '…')}</b>")),
        row(lambda s: ""),
        row(lambda s: _name(s.name, sign)),
    ]
    heights = [None, None, None, SIGNATURE_SPACE, None]
    for part in (
        [format_rank(s.rank) for s in columns],
        [f"NIP. {format_nip(s.nip)}" if s.nip else "" for s in columns],
    ):
        if any(part):
            rows.append([paragraph(esc(text)) for text in part])
            heights.append(None)
    table = Table(rows, colWidths=[COLUMN] * len(columns), rowHeights=heights)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [Spacer(1, 10 * mm), KeepTogether([Paragraph(_("5. Approval"), styles["h1"]), table])]


def _name(name, style):
    """The name bold and underlined on one line: a long name is set smaller, not wrapped."""
    if not name:
        return Paragraph("<b><u>…</u></b>", style)
    size = style.fontSize
    room = COLUMN - 2 * PADDING
    while size > SMALLEST_NAME and stringWidth(name, BOLD, size) > room:
        size -= 0.5
    text = f"<b><u>{esc(name)}</u></b>"
    if size != style.fontSize:
        text = f'<font size="{size}">{text}</font>'
    return Paragraph(text, style)
