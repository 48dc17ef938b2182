"""What every part of the PDF shares: the embedded fonts, the paragraph styles, cell helpers."""

import re
from pathlib import Path

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import TableStyle

from reports.pdf.tables import GridTable
from tracker.formatting import (
    format_number_id,
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


def make_styles():
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
        # Each commitment of a joint report's cover, under its heading.
        "cover_list": ParagraphStyle(
            "cover_list",
            parent=base,
            fontName=BOLD,
            fontSize=12,
            leading=16,
            spaceBefore=3,
            alignment=TA_CENTER,
        ),
        "cover_small": ParagraphStyle(
            "cover_small", parent=base, fontSize=8.5, leading=11, alignment=TA_CENTER
        ),
        "sign": ParagraphStyle("sign", parent=base, fontSize=9.5, leading=13, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7, leading=8.5),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontSize=7, leading=8.5),
    }


def esc(text):
    """Text for a Paragraph: its markup characters escaped."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def num(value, places=2):
    return format_number_id(value, places) if value is not None else "–"


def pct(value):
    return f"{format_number_id(value)}%" if value is not None else "–"


def grid_table(rows, widths, *, header_rows=1, style=(), font_size=8, padding=3):
    table = GridTable(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
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


def wrap(text, width, font=FONT, size=7, padding=4):
    """Text broken into lines that fit ``width``, as a plain cell string.

    Plain strings cost a fraction of a Paragraph per cell, which matters in
    tables of thousands of cells (see STYLE.md's reportlab notes).
    """
    return "\n".join(
        line
        for part in str(text).split("\n")
        for line in _split_words(glue(part), font, size, width - padding)
    )


# "TW III" is one word to a reader: a heading never breaks between TW and its numeral.
_QUARTER_WORD = re.compile(r"\b(TW|Q) (IV|I{1,3})\b")
NBSP = "\u00a0"


def glue(text):
    """``text`` with a no-break space inside each "TW I" .. "TW IV"."""
    return _QUARTER_WORD.sub(lambda m: f"{m.group(1)}{NBSP}{m.group(2)}", text)


def _split_words(text, font, size, width):
    """Lines of ``text`` no wider than ``width``, broken at plain spaces only (reportlab's
    own splitter also breaks at a no-break space)."""
    lines, current = [], ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current]
