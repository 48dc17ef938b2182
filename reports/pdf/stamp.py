"""The "SEMENTARA" stamp on every page of a provisional report.

A report issued while its quarter is still open is not the final report: its
figures may change until Bappeda locks the quarter. Each page says so in a red
box in the band between the running header's rule and the body's frame, where
nothing else is printed, so the stamp never covers a figure and survives a page
printed or copied on its own.
"""

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm

from reports.pdf.common import BOLD, FONT

# The printed report is in Bahasa Indonesia only (``issue_report`` renders it
# under "id"), and the stamp's word must read the same on every copy whatever
# the state of the translation catalogue: it is fixed here, not a gettext string.
# The note beside it is translated like the rest of the report.
WORD = "SEMENTARA"

RED = colors.HexColor("#b00020")
# The band's middle: the header's rule is 12 mm below the page's top edge, the
# body's frame starts 23 mm below it (reports/pdf/__init__.py, common.MARGIN and
# HEADER_GAP); the box is 7 mm tall.
BOX_TOP = 13.5 * mm
BOX_HEIGHT = 7 * mm


def draw(canvas):
    """Stamp the current page, centred in the band under the header."""
    width, height = canvas._pagesize
    note = _("provisional, not the final report: the quarter is not locked yet")
    word_size, note_size = 12, 7
    word_width = canvas.stringWidth(WORD, BOLD, word_size)
    note_width = canvas.stringWidth(note, FONT, note_size)
    gap = 3 * mm
    box_width = word_width + gap + note_width + 6 * mm
    left = (width - box_width) / 2
    bottom = height - BOX_TOP - BOX_HEIGHT
    canvas.saveState()
    canvas.setStrokeColor(RED)
    canvas.setFillColor(RED)
    canvas.setLineWidth(1.2)
    canvas.rect(left, bottom, box_width, BOX_HEIGHT, stroke=1, fill=0)
    baseline = bottom + (BOX_HEIGHT - word_size * 0.7) / 2
    canvas.setFont(BOLD, word_size)
    canvas.drawString(left + 3 * mm, baseline, WORD)
    canvas.setFont(FONT, note_size)
    canvas.drawString(left + 3 * mm + word_width + gap, baseline, note)
    canvas.restoreState()
