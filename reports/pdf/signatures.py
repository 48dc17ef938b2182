"""The signature block, and the room under it for the electronic seal's visible field."""

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
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
# The seal's visible field (reports/sealing.py): a box at the right-hand corner
# under the signers, kept on the signatures' page.
SEAL_WIDTH = 75 * mm
SEAL_HEIGHT = 20 * mm
SEAL_GAP = 4 * mm


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
    heading = Paragraph(_("5. Approval"), styles["h1"])
    return [
        Spacer(1, 10 * mm),
        KeepTogether([heading, table, SealSpace(report, COLUMN * len(columns))]),
    ]


class SealSpace(Flowable):
    """Empty room for the seal's visible field, under the signers' right-hand corner.

    Drawing it records where the field goes, in PDF points on the page it
    landed on, as ``report.seal_box = (page_index, (x1, y1, x2, y2))``:
    ``reports.sealing.seal`` puts the field there.
    """

    def __init__(self, report, table_width):
        super().__init__()
        self.report = report
        self.table_width = table_width

    def wrap(self, available_width, available_height):
        self.width = available_width
        self.height = SEAL_GAP + SEAL_HEIGHT
        return self.width, self.height

    def draw(self):
        # The table is centred in the frame; the box ends where it ends.
        right = min(self.width, (self.width + self.table_width) / 2)
        x, y = self.canv.absolutePosition(max(0, right - SEAL_WIDTH), 0)
        self.report.seal_box = (
            self.canv.getPageNumber() - 1,
            (round(x), round(y), round(x + SEAL_WIDTH), round(y + SEAL_HEIGHT)),
        )


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
