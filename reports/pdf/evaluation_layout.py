"""The evaluation table's cell texts, column widths and page size, worked out once per report.

Every K and Rp figure is formatted once and measured once here; the unit
tables, the indicator table and the page-size choice all read the same
:class:`EvaluationLayout` (a whole-government report has thousands of
figure cells, and formatting and measuring them three times each cost more
than laying them out).
"""

import functools

from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.evaluation.rows import ACHIEVEMENT_INDEXES, UNVERIFIED, Figures, figure_columns
from reports.pdf.common import BOLD, FONT, glue
from tracker.formatting import format_number_id

SIZE = 7  # points: the smallest text a reader should have to read on paper
PAD = 1.5
# Figures in Helvetica, one of the PDF standard fonts every reader has: its digits
# are an eighth narrower than Vera's, which keeps 22 figure columns on one page.
FIGURE_FONT, FIGURE_BOLD = "Helvetica", "Helvetica-Bold"
FIGURES = 11
# Fixed and minimum widths (points) of the text columns.
NO_WIDTH, CODE_MIN, UNIT_WIDTH, PREDICATE_WIDTH = 20, 30, 52, 40
OBJECTIVE_MIN, PROGRAM_MIN, NOTES_MIN = 80, 110, 70
TEXT_SHARES = {"objective": 0.25, "program": 0.45, "notes": 0.30}
PAGE_SIZES = {"A4": A4, "A3": A3}


def frame_width(pagesize):
    """The usable width of a landscape page (10 mm margins), as the document lays it."""
    return landscape(pagesize)[0] - 20 * mm


# --- Cell text ---------------------------------------------------------------------------------


def k_text(value, places):
    if value is None:
        return "–"
    if value == UNVERIFIED:
        return "†"
    return format_number_id(value, places)


def rp_text(value):
    if value is None:
        return "–"
    if value == UNVERIFIED:
        return "†"
    return format_number_id(value, 0)


def pct_text(value):
    return f"{format_number_id(value)}%" if value is not None else "–"


def figure_texts(figures, quarter, formatter):
    """The eleven cells of a K or Rp figure set; quarters still to come are blank."""
    cells = []
    for index, value in enumerate(figures.values(quarter)):
        if index in ACHIEVEMENT_INDEXES:
            cells.append(pct_text(value))
        elif 3 <= index <= 6 and index - 2 > quarter:
            cells.append("")
        else:
            cells.append(formatter(value))
    return cells


def _k_texts(figures, indicator, quarter):
    places = indicator.decimal_places
    return figure_texts(figures, quarter, lambda value: k_text(value, places))


# Most figure cells repeat a handful of texts ("–", "0,00%", "100,00%"): measure each once.
@functools.lru_cache(maxsize=8192)
def text_width(text, font=FIGURE_FONT):
    """The width at ``SIZE`` of ``text``'s widest line."""
    return max((stringWidth(part, font, SIZE) for part in text.split("\n")), default=0)


# --- The layout of one report ------------------------------------------------------------------


class EvaluationLayout:
    """The figure cells of every row of the report's evaluation section, formatted once,
    and the widths and page size they lead to.

    ``rp(block)``, ``k(line)`` and ``indicator(evaluation)`` give a row's eleven cells;
    ``size`` is "A4" if the tables fit A4 landscape at 7 pt, else "A3".
    """

    def __init__(self, report):
        self.report = report
        table = report.table
        quarter = table.quarter
        self._rp, self._k, self._indicator = {}, {}, {}
        for unit_section in table.sections:
            for block in unit_section.programs:
                self._rp[id(block)] = figure_texts(block.rp, quarter, rp_text)
                for line in block.lines:
                    self._k[id(line)] = _k_texts(line.k, line.indicator, quarter)
        for evaluation in table.indicators:
            self._indicator[id(evaluation)] = (
                _k_texts(evaluation.k, evaluation.indicator, quarter),
                figure_texts(evaluation.rp, quarter, rp_text),
            )
        # No indicator: "–" where a figure could be, blank for the quarters to come.
        self.no_indicator = figure_texts(Figures(), quarter, lambda value: k_text(value, 0))
        self.figure_widths = self._figure_widths()
        self.size = self._page_size()
        self.pagesize = PAGE_SIZES[self.size]
        self.available = frame_width(self.pagesize)

    def rp(self, block):
        return self._rp[id(block)]

    def k(self, line):
        return self.no_indicator if line is None else self._k[id(line)]

    def indicator(self, evaluation):
        """(K cells, Rp cells) of an RPJMD indicator evaluated as a whole."""
        return self._indicator[id(evaluation)]

    def _figure_widths(self):
        """Width of each of the 22 figure columns (K, Rp alternating): its widest value."""
        table = self.report.table
        percent = stringWidth("100,00%", FIGURE_FONT, SIZE) + 2 * PAD
        widths = [stringWidth("K", BOLD, SIZE) + 4 * PAD] * (2 * FIGURES)
        for index in ACHIEVEMENT_INDEXES:
            widths[2 * index] = widths[2 * index + 1] = percent
        rows = [(0, cells) for cells in self._k.values()]
        rows += [(1, cells) for cells in self._rp.values()]
        for k_cells, rp_cells in self._indicator.values():
            rows += [(0, k_cells), (1, rp_cells)]
        for offset, cells in rows:
            for index, text in enumerate(cells):
                column = 2 * index + offset
                widths[column] = max(widths[column], text_width(text) + 2 * PAD)
        # A heading spans its pair: the pair is at least as wide as its longest word.
        for index, (_n, heading, formula) in enumerate(
            figure_columns(table.year, table.plan_end_year)
        ):
            words = f"{glue(heading)} ({formula})".split(" ")
            longest = max(stringWidth(word, BOLD, SIZE) for word in words) + 2 * PAD
            short = longest - widths[2 * index] - widths[2 * index + 1]
            if short > 0:
                widths[2 * index] += short / 2
                widths[2 * index + 1] += short / 2
        return widths

    def _page_size(self):
        # The indicator table has a predicate column where the unit table has the code.
        first = PREDICATE_WIDTH if self.report.table.indicators else CODE_MIN
        needed = sum(self.figure_widths) + NO_WIDTH + first + UNIT_WIDTH
        needed += OBJECTIVE_MIN + PROGRAM_MIN
        return "A4" if needed + NOTES_MIN <= frame_width(A4) else "A3"

    def unit_widths(self):
        """Widths of the unit table's 28 columns: No, Sasaran, Kode, Program, 22 figures,
        unit, notes."""
        figures = self.figure_widths
        codes = [
            text_width(block.program.code or "–", FONT) + 2 * PAD + 2
            for unit_section in self.report.table.sections
            for block in unit_section.programs
        ]
        code = max([CODE_MIN, *codes])
        spare = self.available - sum(figures) - NO_WIDTH - code - UNIT_WIDTH
        objective = max(OBJECTIVE_MIN, spare * TEXT_SHARES["objective"])
        program = max(PROGRAM_MIN, spare * TEXT_SHARES["program"])
        notes = max(NOTES_MIN, spare - objective - program)
        return [NO_WIDTH, objective, code, program, *figures, UNIT_WIDTH, notes]

    def indicator_widths(self):
        """Widths of the indicator table's 28 columns: No, Sasaran, indicator, 22 figures,
        predicate, unit, notes."""
        figures = self.figure_widths
        spare = self.available - sum(figures) - NO_WIDTH - PREDICATE_WIDTH - UNIT_WIDTH
        objective = max(OBJECTIVE_MIN, spare * TEXT_SHARES["objective"])
        indicator = max(PROGRAM_MIN, spare * TEXT_SHARES["program"])
        notes = max(NOTES_MIN, spare - objective - indicator)
        return [NO_WIDTH, objective, indicator, *figures, PREDICATE_WIDTH, UNIT_WIDTH, notes]
