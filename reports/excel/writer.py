"""Writes the evaluation table into a sheet, row by row."""

import math
from copy import copy

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.page import PageMargins

from reports import titles
from reports.evaluation.rows import (
    ACHIEVEMENT_INDEXES,
    UNVERIFIED,
    Figures,
    closing_rows,
    figure_columns,
    grouped_texts,
    legend,
    row_notes,
)
from reports.excel.styles import (
    BOLD,
    BOLD_CHARS_PER_UNIT,
    CHARS_PER_UNIT,
    DIGIT,
    FIGURE_MIN,
    FIGURE_PAD,
    FIGURES,
    FIRST_FIGURE,
    FONT,
    HEADER_ROW,
    LAST_COLUMN,
    LINE_HEIGHT,
    MAX_PLACES,
    NOTES_COLUMN,
    PERCENT,
    SEPARATOR,
    TEXT_WIDTHS,
    UNIT_COLUMN,
    WRAPPING,
)
from tracker.exports import set_cell
from tracker.formatting import format_number_id, format_quarter


def _lines(text, width, chars_per_unit=CHARS_PER_UNIT):
    """How many lines ``text`` wraps to in a cell ``width`` units wide."""
    per_line = max(1, int(width * chars_per_unit))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def _figure_width(value, index, places):
    """Width of a figure as Excel shows it (as the PDF prints it), in units."""
    if value is None or value == UNVERIFIED:
        return 1
    if index in ACHIEVEMENT_INDEXES:
        text = format_number_id(value) + "%"
    else:
        text = format_number_id(value, places)
    return sum(DIGIT if char.isdigit() else PERCENT if char == "%" else SEPARATOR for char in text)


def column_widths(table):
    """Width of each of the 28 columns: fixed text columns, each figure column (K and
    Rp apart) as wide as its widest value."""
    lengths = dict.fromkeys(range(FIRST_FIGURE, UNIT_COLUMN), 0)

    def measure(figures, places, offset):
        for index, value in enumerate(figures.values(table.quarter)):
            column = FIRST_FIGURE + 2 * index + offset
            lengths[column] = max(lengths[column], _figure_width(value, index, places))

    codes = [1]
    for unit_section in table.sections:
        for block in unit_section.programs:
            measure(block.rp, 0, 1)
            codes.append(len(block.program.code or "–"))
            for line in block.lines:
                measure(line.k, line.indicator.decimal_places, 0)
    for evaluation in table.indicators:
        measure(evaluation.k, evaluation.indicator.decimal_places, 0)
        measure(evaluation.rp, 0, 1)
        codes.append(len(evaluation.indicator.code))
    widths = dict(TEXT_WIDTHS)
    widths[3] = max(TEXT_WIDTHS[3], math.ceil(max(codes) * DIGIT + FIGURE_PAD))
    for column, length in lengths.items():
        widths[column] = max(FIGURE_MIN, math.ceil(length + FIGURE_PAD))
    return widths


def _percent_text(value):
    return f"{format_number_id(value)}%" if value is not None else "–"


def _grouped_texts(entries):
    """Texts shared by several programs are written once, naming the programs
    (as the PDF's ``_grouped_texts``, without markup)."""
    if not entries:
        return "–"
    return "\n".join(f"{text} ({titles})" for text, titles in grouped_texts(entries))


def _indicator_text(indicator):
    return f"{indicator.code} {indicator.name} ({indicator.unit_of_measure})"


def _number(text):
    """A row number as a number where it is one (no "number stored as text" warning)."""
    return int(text) if str(text).isdigit() else text


class Writer:
    """Writes the table row by row; ``self.row`` is the next empty row.

    Every cell goes through :func:`tracker.exports.set_cell`: text that begins
    like a formula ("=HYPERLINK(...)" as a program title) is stored as text.

    Every row's height is set from its text: spreadsheet programs do not grow a
    row for wrapped text in merged cells, and some not at all on opening a file.
    """

    def __init__(self, sheet, table):
        self.sheet = sheet
        self.table = table
        self.widths = column_widths(table)
        self.row = 1
        self.lines = {}  # row -> lines of text it must hold
        self._styles = {}  # named style -> the style array of a cell that has it

    # --- Plain cells ---------------------------------------------------------------------------

    def put(self, column, value, style, row=None):
        row = row or self.row
        cell = self.sheet.cell(row=row, column=column)
        # Looking a named style up by name costs more than the rest of the cell; a
        # copy of the style array of the first cell that had it is the same style.
        known = self._styles.get(style)
        if known is None:
            cell.style = style
            self._styles[style] = copy(cell._style)
        else:
            cell._style = copy(known)
        # After the style: text like "=..." adds the quote prefix to this cell's style.
        if value is not None:
            set_cell(cell, value)
        if style in WRAPPING and value:
            self.need(row, _lines(value, self.widths[column], WRAPPING[style]))
        return cell

    def bold_first_line(self, column, bold, rest):
        """A text cell whose first line is bold (rich text), ``rest`` under it."""
        self.put(column, bold + (f"\n{rest}" if rest else ""), "eval_text")
        text = CellRichText(TextBlock(BOLD, bold))
        if rest:
            text.append("\n" + rest)
        set_cell(self.sheet.cell(row=self.row, column=column), text)

    def need(self, row, lines):
        self.lines[row] = max(self.lines.get(row, 1), lines)

    def width(self, first_column, last_column):
        return sum(self.widths[column] for column in range(first_column, last_column + 1))

    def span(self, first_column, last_column, *, rows=1, row=None):
        """Merge a range whose cells are already written and styled.

        Added straight to the sheet's ranges: ``Worksheet.merge_cells`` would
        recreate each edge cell's border one by one (and check every merged range
        so far), most of the time of a large workbook.
        """
        row = row or self.row
        if last_column > first_column or rows > 1:
            self.sheet.merged_cells.ranges.add(
                CellRange(
                    min_col=first_column,
                    min_row=row,
                    max_col=last_column,
                    max_row=row + rows - 1,
                )
            )

    def band(self, text, style):
        """One cell across the whole table."""
        self.put(1, text, style)
        self.span(1, LAST_COLUMN)
        self.row += 1

    def sentence(self, text):
        self.need(self.row, _lines(text, self.width(1, LAST_COLUMN)))
        self.band(text, "eval_small")

    def figure(self, column, value, index, style, row=None):
        """One K or Rp figure: a number, "–" (nothing verified), "†" (not verified) or
        empty (the quarter has not come yet)."""
        if index in ACHIEVEMENT_INDEXES:
            if value is None:
                return self.put(column, "–", "eval_dash", row)
            return self.put(column, value, "eval_pct", row)
        if 3 <= index <= 6 and index - 2 > self.table.quarter:
            return self.put(column, None, "eval_cell", row)
        if value == UNVERIFIED:
            return self.put(column, "†", "eval_unverified", row)
        if value is None:
            return self.put(column, "–", "eval_dash", row)
        return self.put(column, value, style, row)

    def k_figures(self, figures, places, row=None):
        style = f"eval_k{min(places or 0, MAX_PLACES)}"
        for index, value in enumerate(figures.values(self.table.quarter)):
            self.figure(FIRST_FIGURE + 2 * index, value, index, style, row)

    # --- Title and header ----------------------------------------------------------------------

    def title(self, request):
        scope = request.unit.name if request.unit else request.government.name
        sheet = self.sheet
        set_cell(sheet["A1"], _("Evaluation of results (Permendagri 86/2017)"))
        sheet["A1"].font = Font(name=FONT, bold=True, size=13)
        quarter = _("Quarter %(quarter)s of %(year)s") % {
            "quarter": format_quarter(self.table.quarter),
            "year": self.table.year,
        }
        set_cell(sheet["A2"], f"{titles.subject(request)} · {scope} · {quarter}")
        sheet["A2"].font = Font(name=FONT, bold=True, size=11)
        self.row = 3
        self.sentence(legend() + " " + _("In this workbook a cell marked † is also yellow."))
        self.row = HEADER_ROW

    def headings(self, fixed):
        """A heading row: ``fixed`` {column: text}, and each figure column's heading (and
        formula) over its K / Rp pair."""
        columns = figure_columns(self.table.year, self.table.plan_end_year)
        for index, (_column_number, heading, formula) in enumerate(columns):
            column = FIRST_FIGURE + 2 * index
            text = heading + (f"\n({formula})" if formula else "")
            self.put(column, text, "eval_head")
            self.put(column + 1, None, "eval_head")
            self.span(column, column + 1)
            self.need(self.row, _lines(text, self.width(column, column + 1), BOLD_CHARS_PER_UNIT))
        for column, text in fixed.items():
            self.put(column, text, "eval_head")
            self.need(self.row, _lines(text, self.widths[column], BOLD_CHARS_PER_UNIT))

    def number_row(self):
        """The form's column numbers 1-17, each figure number over its pair."""
        for column in range(1, 5):
            self.put(column, column, "eval_number_row")
        for index, (number, _heading, _formula) in enumerate(
            figure_columns(self.table.year, self.table.plan_end_year)
        ):
            column = FIRST_FIGURE + 2 * index
            self.put(column, number, "eval_number_row")
            self.put(column + 1, None, "eval_number_row")
            self.span(column, column + 1)
        self.put(UNIT_COLUMN, 16, "eval_number_row")
        self.put(NOTES_COLUMN, 17, "eval_number_row")
        self.row += 1

    def header(self):
        """Three rows: headings, K / Rp, the column numbers."""
        fixed = {
            1: pgettext("table column", "No"),
            2: _("Objective (sasaran)"),
            3: _("Code"),
            4: _("Program / indicator"),
            UNIT_COLUMN: _("Unit in charge"),
            NOTES_COLUMN: _("Notes"),
        }
        self.headings(fixed)
        for column in fixed:  # these span the K / Rp row too
            self.put(column, None, "eval_head", self.row + 1)
            self.span(column, column, rows=2)
        self.row += 1
        for index in range(FIGURES):
            column = FIRST_FIGURE + 2 * index
            self.put(column, "K", "eval_head")
            self.put(column + 1, "Rp", "eval_head")
        self.row += 1
        self.number_row()

    # --- A unit's section ----------------------------------------------------------------------

    def unit(self, unit_section):
        self.band(unit_section.unit.name, "eval_unit")
        for block in unit_section.programs:
            self.program(block)
        self.averages(unit_section)
        self.closing(unit_section)
        self.row += 1

    def program(self, block):
        first = self.row
        lines = block.lines or [None]
        program = block.program
        unit = program.owner_unit
        spanning = (1, 3, UNIT_COLUMN, *range(FIRST_FIGURE + 1, UNIT_COLUMN, 2))
        for position, line in enumerate(lines):
            notes = row_notes(block, position, line)
            indicator_text = ""
            if line is None:
                # "–" where a figure could be, blank for the quarters still to come.
                self.k_figures(Figures(), 0)
                self.put(2, None, "eval_text")
            else:
                indicator_text = _indicator_text(line.indicator)
                self.k_figures(line.k, line.indicator.decimal_places)
                self.put(2, line.objective, "eval_text")
            if position == 0:
                self.put(1, _number(block.number), "eval_no")
                self.put(3, program.code or "–", "eval_text")
                for index, value in enumerate(block.rp.values(self.table.quarter)):
                    self.figure(FIRST_FIGURE + 2 * index + 1, value, index, "eval_rp")
                self.put(UNIT_COLUMN, unit.abbreviation or unit.name, "eval_text")
                # The program's title in bold, its first indicator under it.
                self.bold_first_line(4, program.title, indicator_text)
            else:
                self.put(4, indicator_text, "eval_text")
                for column in spanning:
                    self.put(column, None, "eval_no" if column == 1 else "eval_cell")
            self.put(NOTES_COLUMN, "; ".join(notes), "eval_text")
            self.row += 1
        if len(lines) > 1:
            for column in spanning:
                self.span(column, column, rows=len(lines), row=first)

    def total_row(self, label):
        for column in range(1, LAST_COLUMN + 1):
            self.put(column, None, "eval_total")
        self.put(1, label, "eval_label")
        self.span(1, 4)
        self.need(self.row, _lines(label, self.width(1, 4), BOLD_CHARS_PER_UNIT))

    def average(self, column, value):
        if value is None:
            self.put(column, "–", "eval_total")
        else:
            self.put(column, value, "eval_total_pct")

    def averages(self, unit_section):
        """The form's two closing rows, K and Rp under column 13 (the year's achievement)."""
        column = FIRST_FIGURE + 2 * ACHIEVEMENT_INDEXES[0]
        self.total_row(_("Average achievement (%)"))
        self.average(column, unit_section.average_k)
        self.average(column + 1, unit_section.average_rp)
        self.row += 1
        self.total_row(_("Predicate"))
        self.put(column, unit_section.predicate_k or "–", "eval_total")
        self.put(column + 1, unit_section.predicate_rp or "–", "eval_total")
        self.row += 1

    def closing(self, unit_section):
        """Supporting factors, obstacles and both follow-ups, as the form's last rows."""
        label_width = self.width(1, 4)
        text_width = self.width(FIRST_FIGURE, LAST_COLUMN)
        for caption, entries in closing_rows(unit_section):
            text = _grouped_texts(entries)
            for column in range(2, 5):
                self.put(column, None, "eval_label")
            self.put(1, caption, "eval_label")
            self.span(1, 4)
            for column in range(FIRST_FIGURE + 1, LAST_COLUMN + 1):
                self.put(column, None, "eval_cell")
            self.put(FIRST_FIGURE, text, "eval_closing")
            self.span(FIRST_FIGURE, LAST_COLUMN)
            self.need(self.row, _lines(caption, label_width, BOLD_CHARS_PER_UNIT))
            self.need(self.row, _lines(text, text_width))
            self.row += 1

    # --- The RPJMD indicators as a whole -------------------------------------------------------

    def indicators(self):
        table = self.table
        self.band(_("Achievement of the RPJMD indicators"), "eval_unit")
        self.sentence(
            _(
                "Each RPJMD indicator as a whole. Where several programs report one indicator, "
                "their verified figures of each quarter are combined by the rule stored on "
                "the indicator (column 4). A past year counts the realisation published in the "
                "LKjIP where one is recorded. Rp: the RPJMD's budget (pagu) as target, against "
                "the verified budget realisations of the programs that report the indicator."
            )
        )
        self.headings(
            {
                1: pgettext("table column", "No"),
                2: _("Objective (sasaran)"),
                3: _("Code"),
                4: _("Indicator") + "\n" + _("Combining rule and programs"),
                UNIT_COLUMN: _("Unit in charge"),
                NOTES_COLUMN: _("Predicate") + "; " + _("Notes"),
            }
        )
        self.row += 1
        self.number_row()
        for evaluation in table.indicators:
            reporters = "; ".join(
                f"{p.title} ({p.owner_unit.abbreviation or p.owner_unit.name})"
                for p in evaluation.programs
            )
            self.put(1, _number(evaluation.number), "eval_no")
            self.put(2, evaluation.objective, "eval_text")
            indicator = evaluation.indicator
            self.put(3, indicator.code, "eval_text")
            self.bold_first_line(
                4,
                f"{indicator.name} ({indicator.unit_of_measure})",
                f"{evaluation.rule}: {reporters}",
            )
            self.k_figures(evaluation.k, evaluation.indicator.decimal_places)
            for index, value in enumerate(evaluation.rp.values(self.table.quarter)):
                self.figure(FIRST_FIGURE + 2 * index + 1, value, index, "eval_rp")
            unit = evaluation.responsible_unit
            self.put(UNIT_COLUMN, (unit.abbreviation or unit.name) if unit else "–", "eval_text")
            predicate = _("Predicate: %(predicate)s") % {"predicate": evaluation.predicate or "–"}
            self.put(NOTES_COLUMN, "; ".join([predicate, *evaluation.notes]), "eval_text")
            self.row += 1
        self.total_row(_("Average achievement (%)"))
        self.average(FIRST_FIGURE + 2 * ACHIEVEMENT_INDEXES[0], table.average_k)
        self.average(FIRST_FIGURE + 2 * ACHIEVEMENT_INDEXES[1], table.plan_average_k)
        self.put(NOTES_COLUMN, table.predicate_k or "–", "eval_total")
        self.row += 1
        self.sentence(
            _(
                "Government-wide: average achievement of the year %(k)s (%(predicate)s) for "
                "performance (K), %(rp)s (%(rp_predicate)s) for the budget (Rp) of all programs."
            )
            % {
                "k": _percent_text(table.average_k),
                "predicate": table.predicate_k or "–",
                "rp": _percent_text(table.average_rp),
                "rp_predicate": table.predicate_rp or "–",
            }
        )

    # --- Page setup ----------------------------------------------------------------------------

    def finish(self):
        sheet = self.sheet
        for column, width in self.widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = width
        for row, lines in self.lines.items():
            sheet.row_dimensions[row].height = lines * LINE_HEIGHT + 4
        last_header = HEADER_ROW + 2
        sheet.freeze_panes = f"{get_column_letter(FIRST_FIGURE)}{last_header + 1}"
        sheet.print_title_rows = f"{HEADER_ROW}:{last_header}"
        sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        sheet.print_options.horizontalCentered = True
        sheet.oddFooter.left.text = sheet.title
        sheet.oddFooter.right.text = "&P / &N"
