"""reportlab's Table and Paragraph, drawn the same but faster for the report's big tables.

A whole-government report has tables of thousands of cells (the evaluation
section: 28 columns, a row per program indicator). reportlab spends most of
its time there on work that gives the same result each time: it builds a
text object for every line of every cell, empty ones too, and it breaks a
cell's paragraph into lines again each time the table is measured or split
across a page. The classes here do that work once. What they write into the
PDF is what reportlab writes (an empty cell writes nothing), so every figure
lands where it did.
"""

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table, TableStyle
from reportlab.platypus.tables import LINECOMMANDS, CellStyle, _setCellStyle

_ALIGNED = ("LEFT", "RIGHT", "CENTRE", "CENTER")


class GridTable(Table):
    """A Table whose plain-text cells are drawn without reportlab's text object per line.

    Each line becomes the same PDF operators ``canvas.drawString`` (or its right /
    centred kin) would write: ``BT 1 0 0 1 x y Tm <font> (text) Tj T* ET``. The
    encoded text of each distinct (font, size, leading, text) and its width are
    worked out once per document; most figure cells repeat a few texts
    ("–", "0", "0,00%"). An empty cell draws nothing (reportlab writes an empty
    text object for it). Cells with a Flowable, links, or right-to-left text are
    left to reportlab.
    """

    def __init__(self, data, *args, **kwargs):
        # Until a style is set, each cell has the style reportlab makes for it, unless
        # the cells' styles are passed in (a part of a table split across pages).
        self._fresh_cell_styles = kwargs.get("cellStyles") is None and len(args) < 12
        super().__init__(data, *args, **kwargs)

    def setStyle(self, tblstyle):
        """As ``Table.setStyle``, but the commands that set a cell's font, alignment or
        padding are applied once per block of cells they treat alike, not once per cell
        (reportlab's way: about 160,000 settings in a whole-government report)."""
        if not isinstance(tblstyle, TableStyle):
            tblstyle = TableStyle(tblstyle)
        commands = tblstyle.getCommands()
        per_cell = [command for command in commands if _sets_cells(command)]
        if not (self._fresh_cell_styles and per_cell) or any(
            isinstance(command[1][1], str) or isinstance(command[2][1], str) for command in per_cell
        ):
            super().setStyle(tblstyle)
            return
        self._cellStyles = _cell_styles(self, per_cell)
        self._fresh_cell_styles = False
        rest = TableStyle([command for command in commands if not _sets_cells(command)])
        rest._opts = tblstyle._opts
        for name in ("spaceBefore", "spaceAfter"):
            if hasattr(tblstyle, name):
                setattr(rest, name, getattr(tblstyle, name))
        super().setStyle(rest)

    def _calc(self, availWidth, availHeight):
        # A table is measured again on every wrap and split, and each time reportlab
        # goes through every cell. With the columns' widths given, the rows' heights
        # do not depend on the room offered: once every row is measured, the result
        # stands for any room (a table taller than the room stays taller than it).
        # Without the widths given, or with rows still unmeasured, measure as asked.
        done = self.__dict__.get("_measured")
        if done is not None and (done == (availWidth, availHeight) or done == "all"):
            return
        super()._calc(availWidth, availHeight)
        fixed_widths = all(isinstance(w, int | float) for w in self._argW)
        if fixed_widths and None not in self._rowHeights:
            self._measured = "all"
        else:
            self._measured = (availWidth, availHeight)

    def _drawCell(self, cellval, cellstyle, pos, size):
        if (
            not isinstance(cellval, str)
            or cellstyle.href
            or cellstyle.destination
            or cellstyle.direction
            or cellstyle.shaping
            or cellstyle.alignment not in _ALIGNED
        ):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        if not cellval:
            return
        canvas = self.canv
        # As Table._drawCell: set the colour and font when the cell's style changes.
        if self._curcellstyle is not cellstyle:
            current = self._curcellstyle
            if current is None or cellstyle.color != current.color:
                canvas.setFillColor(cellstyle.color)
            if (
                current is None
                or cellstyle.leading != current.leading
                or cellstyle.fontname != current.fontname
                or cellstyle.fontsize != current.fontsize
            ):
                canvas.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        colpos, rowpos = pos
        colwidth, rowheight = size
        just = cellstyle.alignment
        if just == "LEFT":
            x = colpos + cellstyle.leftPadding
        elif just == "RIGHT":
            x = colpos + colwidth - cellstyle.rightPadding
        else:
            x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding) * 0.5
        lines = cellval.split("\n")
        leading = cellstyle.leading
        fontsize = cellstyle.fontsize
        valign = cellstyle.valign
        if valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + len(lines) * leading - fontsize
        elif valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - fontsize
        elif valign == "MIDDLE":
            middle = (
                cellstyle.bottomPadding + rowheight - cellstyle.topPadding + len(lines) * leading
            )
            y = rowpos + middle / 2.0 - fontsize
        else:
            raise ValueError(f"Bad valign: {valign!a}")
        texts = _texts(canvas)
        key = (canvas._fontname, canvas._fontsize, canvas._leading)
        code = canvas._code
        for line in lines:
            known = texts.get((key, line))
            if known is None:
                known = texts[(key, line)] = _encoded(canvas, line)
            operators, width = known
            if just == "LEFT":
                start = x
            elif just == "RIGHT":
                start = x - width
            else:
                start = x - 0.5 * width
            code.append(f"BT 1 0 0 1 {fp_str(start, y)} Tm {operators} T* ET")
            y -= leading


# What Table._addCommand does to the table as a whole rather than cell by cell.
_TABLE_COMMANDS = {"BACKGROUND", "ROWBACKGROUNDS", "COLBACKGROUNDS", "SPAN", "NOSPLIT"}


def _sets_cells(command):
    return not (
        command[0] in _TABLE_COMMANDS
        or command[0] in LINECOMMANDS
        or command[0] == "ROUNDEDCORNERS"
    )


def _cell_styles(table, commands):
    """The rows of cell styles that ``commands`` give ``table``'s cells, as reportlab's
    ``_setCellStyle`` sets them cell by cell, in order.

    The commands' edges cut the table into blocks of cells that every command
    covers whole or not at all; each block gets one style, made by applying the
    commands that cover it, in their order, to a fresh ``CellStyle``.
    """
    nrows, ncols = table._nrows, table._ncols
    ranges = []
    for command in commands:
        (op, (sc, sr), (ec, er)), values = command[:3], command[3:]
        sc, ec, sr, er = table.normCellRange(sc, ec, sr, er)
        ranges.append((op, values, sr, er + 1, sc, ec + 1))
    row_cuts = sorted({0, nrows, *(min(max(r, 0), nrows) for c in ranges for r in c[2:4])})
    col_cuts = sorted({0, ncols, *(min(max(k, 0), ncols) for c in ranges for k in c[4:6])})
    rows = []
    for top, bottom in zip(row_cuts, row_cuts[1:], strict=False):
        row = []
        for left, right in zip(col_cuts, col_cuts[1:], strict=False):
            style = [[CellStyle(repr((top, left)))]]
            for op, values, sr, er, sc, ec in ranges:
                if sr <= top and bottom <= er and sc <= left and right <= ec:
                    _setCellStyle(style, 0, 0, op, values)
            row += [style[0][0]] * (right - left)
        rows += [list(row) for _ in range(bottom - top)]
    return rows


def _texts(canvas):
    """The canvas's memo of encoded texts: per document, as a TrueType font's subsets are."""
    memo = canvas.__dict__.get("_report_cell_texts")
    if memo is None:
        memo = canvas._report_cell_texts = {}
    return memo


def _encoded(canvas, text):
    """(the PDF operators that show ``text`` in the canvas's font, its width): what
    ``drawString`` writes between the text origin and ``T*``, asked of reportlab."""
    if not canvas.bottomup:
        raise ValueError("GridTable draws on a bottom-up canvas only")
    text_object = canvas.beginText(0, 0)
    return (
        text_object._formatText(text),
        stringWidth(text, canvas._fontname, canvas._fontsize),
    )


class CellParagraph(Paragraph):
    """A Paragraph in a table cell, broken into lines once per width.

    A table wraps each cell again whenever it is measured or split across a
    page, always at the column's width; the lines come out the same each time.
    """

    def wrap(self, availWidth, availHeight):
        cached = self.__dict__.get("_wrapped")
        if cached is not None and cached[0] == availWidth:
            self.width, self.height, self.blPara, self._wrapWidths = cached[1:]
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        if availWidth >= rl_config._FUZZ:  # else reportlab breaks no lines at all
            self._wrapped = (availWidth, self.width, self.height, self.blPara, self._wrapWidths)
        return size
