"""The sheet's layout constants, number formats and named styles."""

from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

FIGURES = 11  # the form's figure columns 5-15, each a K / Rp pair
FIRST_FIGURE = 5  # sheet column of column 5's K
UNIT_COLUMN = FIRST_FIGURE + 2 * FIGURES  # 27: column 16
NOTES_COLUMN = UNIT_COLUMN + 1  # 28: column 17
LAST_COLUMN = NOTES_COLUMN
HEADER_ROW = 5  # the three header rows are 5-7
TEXT_SIZE = 8
LINE_HEIGHT = 10.5  # points per line of 8-pt text
# Widths in Excel's units (the width of a "0" of the 11-pt default font). Text
# columns are fixed; each figure column is as wide as its widest value, as in the PDF.
TEXT_WIDTHS = {1: 4, 2: 24, 3: 10, 4: 36, UNIT_COLUMN: 12, NOTES_COLUMN: 30}
DIGIT, SEPARATOR, PERCENT = 0.8, 0.5, 1  # widths of an 8-pt digit, "." or ",", "%"
FIGURE_PAD, FIGURE_MIN = 2, 6
# Characters of 8-pt text a unit of width holds, with room for wrapping words and
# for a substitute font where Calibri is missing.
CHARS_PER_UNIT = 1.45
BOLD_CHARS_PER_UNIT = 1.25
FONT = "Calibri"

# [$-421] is the Indonesian locale: Excel shows 1.234,56.
RP_FORMAT = "[$-421]#,##0"
PERCENT_FORMAT = '[$-421]#,##0.00"%"'
MAX_PLACES = 4  # Indicator.decimal_places is at most 4
THIN = Side(style="thin", color="8C8C8C")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DFE6EE")
PROGRAM_FILL = PatternFill("solid", fgColor="F3F5F7")
UNVERIFIED_FILL = PatternFill("solid", fgColor="FFF3CD")
BOLD = InlineFont(rFont=FONT, b=True, sz=TEXT_SIZE)
# Styles whose text wraps inside its own cell: the row grows to hold it.
WRAPPING = {"eval_text": CHARS_PER_UNIT, "eval_total": BOLD_CHARS_PER_UNIT}


def k_format(places):
    """The number format of a K value written with ``places`` decimals."""
    places = min(places or 0, MAX_PLACES)
    return RP_FORMAT + ("." + "0" * places if places else "")


def named_styles():
    """Styles registered once per workbook: assigning a named style to a cell is far
    cheaper than setting its font, fill, border, alignment and format one by one."""
    font = Font(name=FONT, size=TEXT_SIZE)
    bold = Font(name=FONT, size=TEXT_SIZE, bold=True)
    top = Alignment(vertical="top")
    text = Alignment(vertical="top", wrap_text=True)
    right = Alignment(horizontal="right", vertical="top")
    center = Alignment(horizontal="center", vertical="top")
    styles = [
        NamedStyle(
            "eval_head",
            font=bold,
            fill=HEAD_FILL,
            border=BORDER,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        ),
        NamedStyle(
            "eval_number_row",
            font=Font(name=FONT, size=TEXT_SIZE - 1),
            fill=HEAD_FILL,
            border=BORDER,
            alignment=Alignment(horizontal="center"),
        ),
        NamedStyle(
            "eval_unit", font=Font(name=FONT, size=TEXT_SIZE + 1, bold=True), fill=PROGRAM_FILL
        ),
        NamedStyle("eval_no", font=font, fill=PROGRAM_FILL, border=BORDER, alignment=center),
        NamedStyle("eval_cell", font=font, border=BORDER, alignment=top),
        NamedStyle("eval_text", font=font, border=BORDER, alignment=text),
        NamedStyle("eval_dash", font=font, border=BORDER, alignment=right),
        NamedStyle(
            "eval_unverified", font=font, border=BORDER, fill=UNVERIFIED_FILL, alignment=right
        ),
        NamedStyle("eval_rp", font=font, border=BORDER, alignment=right, number_format=RP_FORMAT),
        NamedStyle(
            "eval_pct", font=font, border=BORDER, alignment=right, number_format=PERCENT_FORMAT
        ),
        NamedStyle("eval_total", font=bold, fill=HEAD_FILL, border=BORDER, alignment=text),
        NamedStyle(
            "eval_total_pct",
            font=bold,
            fill=HEAD_FILL,
            border=BORDER,
            alignment=right,
            number_format=PERCENT_FORMAT,
        ),
        NamedStyle("eval_label", font=bold, fill=HEAD_FILL, border=BORDER, alignment=text),
        NamedStyle("eval_closing", font=font, border=BORDER, alignment=text),
        NamedStyle(
            "eval_small", font=Font(name=FONT, size=TEXT_SIZE - 1, italic=True), alignment=text
        ),
    ]
    styles += [
        NamedStyle(
            f"eval_k{places}",
            font=font,
            border=BORDER,
            alignment=right,
            number_format=k_format(places),
        )
        for places in range(MAX_PLACES + 1)
    ]
    return styles
