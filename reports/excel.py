"""The evaluation table as an Excel workbook (openpyxl).

It lays out the same ``EvaluationTable`` the PDF prints, in the
Permendagri 86/2017 shape where every figure is a pair of columns: K
(performance) and Rp (budget). Figures are real numeric cells with
Indonesian number formats, and the header rows stay frozen while scrolling.
"""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from reports.selectors import UNVERIFIED, figure_headings
from tracker.formatting import format_quarter

# [$-421] is the Indonesian locale: Excel shows 1.234,56 and Rp1.234.000.
NUMBER = "[$-421]#,##0.00"
MONEY = '[$-421]"Rp"#,##0'
PERCENT = '[$-421]#,##0.00" %"'
THIN = Side(style="thin", color="8C8C8C")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DFE6EE")
PROGRAM_FILL = PatternFill("solid", fgColor="F3F5F7")
UNVERIFIED_FILL = PatternFill("solid", fgColor="FFF3CD")
PAIRS = 10  # figures given as a K / Rp pair
LAST_COLUMN = 7 + 2 * PAIRS


def _named_styles():
    """Styles registered once per workbook: assigning a named style to a cell is far
    cheaper than setting its font, fill, border and alignment one by one."""
    top = Alignment(vertical="top")
    return [
        NamedStyle(
            "eval_head",
            font=Font(bold=True),
            fill=HEAD_FILL,
            border=BORDER,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        ),
        NamedStyle(
            "eval_program", font=Font(bold=True), fill=PROGRAM_FILL, border=BORDER, alignment=top
        ),
        NamedStyle("eval_cell", border=BORDER, alignment=top),
        NamedStyle("eval_text", border=BORDER, alignment=Alignment(vertical="top", wrap_text=True)),
    ]


def render(request, table):
    """The workbook's bytes for ``request`` and its evaluation ``table``."""
    workbook = Workbook()
    for style in _named_styles():
        workbook.add_named_style(style)
    sheet = workbook.active
    sheet.title = _("Evaluation Q%(quarter)s %(year)s") % {
        "quarter": request.quarter,
        "year": request.year,
    }
    workbook.properties.title = sheet.title
    workbook.properties.creator = str(request.government)
    scope = request.unit.name if request.unit else request.government.name
    sheet["A1"] = _("Evaluation of results (Permendagri 86/2017)")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = f"{scope} · " + _("Quarter %(quarter)s of %(year)s") % {
        "quarter": format_quarter(request.quarter),
        "year": request.year,
    }
    sheet["A3"] = _(
        "Only verified reports count. Empty: nothing verified; yellow: a report exists but is "
        "not verified."
    )
    sheet["A3"].font = Font(italic=True, size=9)
    first_header = 5
    _write_header(sheet, first_header, request.year)
    row_number = first_header + 2
    for section in table.sections:
        sheet.cell(row=row_number, column=1, value=section.unit.name).font = Font(bold=True)
        row_number += 1
        for program_row in section.programs:
            _write_program(sheet, row_number, program_row, table.quarter)
            row_number += 1
            for indicator_row in program_row.indicators:
                _write_indicator(sheet, row_number, indicator_row, table.quarter)
                row_number += 1
        sheet.cell(row=row_number, column=4, value=_("Average achievement of the unit"))
        average = sheet.cell(row=row_number, column=6 + 2 * (PAIRS - 1))
        average.value = section.average_achievement
        average.number_format = PERCENT
        sheet.cell(row=row_number, column=6 + 2 * PAIRS, value=section.predicate)
        for cell in sheet[row_number]:
            cell.font = Font(bold=True)
        row_number += 2
    sheet.freeze_panes = sheet.cell(row=first_header + 2, column=5)
    widths = [6, 30, 36, 36, 12] + [14] * (2 * PAIRS) + [14, 12]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_header(sheet, row, year):
    fixed = [
        pgettext("table column", "No"),
        _("Objective (sasaran)"),
        _("Program"),
        _("Indicator"),
        _("Unit of measure"),
    ]
    for column, text in enumerate(fixed, start=1):
        sheet.cell(row=row, column=column, value=text)
        sheet.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column)
    for index, text in enumerate(figure_headings(year)):
        column = 6 + 2 * index
        sheet.cell(row=row, column=column, value=text)
        sheet.merge_cells(start_row=row, start_column=column, end_row=row, end_column=column + 1)
        sheet.cell(row=row + 1, column=column, value="K")
        sheet.cell(row=row + 1, column=column + 1, value="Rp")
    tail = 6 + 2 * PAIRS
    for offset, text in enumerate((_("Predicate"), _("Unit in charge"))):
        sheet.cell(row=row, column=tail + offset, value=text)
        sheet.merge_cells(
            start_row=row, start_column=tail + offset, end_row=row + 1, end_column=tail + offset
        )
    for header_row in (row, row + 1):
        for column in range(1, tail + 2):
            sheet.cell(row=header_row, column=column).style = "eval_head"
    sheet.row_dimensions[row].height = 42


def _figures(sheet, row, values, number_format, offset):
    """Write the ten figures of a line into its K (offset 0) or Rp (offset 1) columns."""
    for index, value in enumerate(values):
        cell = sheet.cell(row=row, column=6 + 2 * index + offset)
        if value == UNVERIFIED:
            cell.fill = UNVERIFIED_FILL
            continue
        cell.value = value
        cell.number_format = PERCENT if index == PAIRS - 1 else number_format


def _quarter_values(quarters, report_quarter):
    return [quarters.get(q) if q <= report_quarter else None for q in (1, 2, 3, 4)]


def _write_program(sheet, row, program_row, report_quarter):
    for column in range(1, LAST_COLUMN + 1):
        sheet.cell(row=row, column=column).style = "eval_program"
    sheet.cell(row=row, column=1, value=program_row.number)
    sheet.cell(row=row, column=3, value=program_row.program.title)
    values = [
        program_row.budget_total,
        program_row.before,
        program_row.year_budget,
        *_quarter_values(program_row.quarters, report_quarter),
        program_row.year_realisation,
        program_row.cumulative,
        program_row.achievement,
    ]
    _figures(sheet, row, values, MONEY, 1)
    sheet.cell(row=row, column=7 + 2 * PAIRS, value=program_row.program.owner_unit.name)


def _write_indicator(sheet, row, indicator_row, report_quarter):
    indicator = indicator_row.indicator
    for column in range(1, LAST_COLUMN + 1):
        sheet.cell(row=row, column=column).style = (
            "eval_text" if column in (2, 3, 4) else "eval_cell"
        )
    sheet.cell(row=row, column=1, value=indicator_row.number)
    sheet.cell(row=row, column=2, value=indicator_row.objective)
    sheet.cell(row=row, column=4, value=indicator.name)
    sheet.cell(row=row, column=5, value=indicator.unit_of_measure)
    values = [
        indicator_row.final_target,
        indicator_row.before,
        indicator_row.year_target,
        *_quarter_values(indicator_row.quarters, report_quarter),
        indicator_row.year_realisation,
        indicator_row.cumulative,
        indicator_row.achievement,
    ]
    _figures(sheet, row, values, NUMBER, 0)
    sheet.cell(row=row, column=6 + 2 * PAIRS, value=indicator_row.predicate)
    responsible = indicator.responsible_unit
    sheet.cell(row=row, column=7 + 2 * PAIRS, value=responsible.name if responsible else "")
