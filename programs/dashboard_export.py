"""The monitoring dashboard's tables as an Excel workbook (``?format=xlsx``).

Two sheets: the tally by unit and every late milestone of the quarter. Text
goes through ``tracker.exports.set_cell`` (a unit or program name is typed by
users and must never become a formula); counts and percentages stay numbers.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from programs import status
from tracker.exports import set_cell
from tracker.templatetags.indonesia import tanggal

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT_FORMAT = '[$-421]#,##0.00"%"'  # Indonesian separators, as in the quarterly workbook


def _sheet(workbook, title, heading, columns, widths):
    sheet = workbook.create_sheet(title[:31])  # Excel's limit on a sheet name
    set_cell(sheet.cell(row=1, column=1), heading)
    sheet.cell(row=1, column=1).font = Font(bold=True)
    for index, (label, width) in enumerate(zip(columns, widths, strict=True), start=1):
        cell = set_cell(sheet.cell(row=3, column=index), str(label))
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A4"
    return sheet


def dashboard_workbook(period, by_unit, late, on):
    """The workbook's bytes: ``by_unit`` as ``monitoring_summary`` returns it, ``late``
    as ``late_rows`` does, ``on`` the date the statuses were judged on."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    heading = _("%(period)s, statuses as of %(date)s") % {
        "period": period,
        "date": tanggal(on),
    }
    keys = ["programs", "on_time", "sent_late", "missing", *status.LABELS]
    columns = [
        _("Unit"),
        _("Programs"),
        _("On time"),
        _("Sent late"),
        _("Missing"),
        *status.LABELS.values(),
    ]
    sheet = _sheet(workbook, _("By unit"), heading, columns, [40] + [12] * (len(columns) - 1))
    for row, (unit, tally) in enumerate(by_unit, start=4):
        set_cell(sheet.cell(row=row, column=1), str(unit))
        for column, key in enumerate(keys, start=2):
            set_cell(sheet.cell(row=row, column=column), tally[key])

    columns = [
        _("Milestone"),
        _("Program"),
        _("Unit"),
        _("Planned finish"),
        _("Verified progress"),
    ]
    sheet = _sheet(workbook, _("Late milestones"), heading, columns, [40, 40, 30, 14, 14])
    for row, (milestone, percent, program) in enumerate(late, start=4):
        set_cell(sheet.cell(row=row, column=1), milestone.title)
        set_cell(sheet.cell(row=row, column=2), program.title)
        set_cell(sheet.cell(row=row, column=3), str(program.owner_unit))
        finish = set_cell(sheet.cell(row=row, column=4), milestone.planned_finish)
        finish.number_format = "DD-MM-YYYY"
        progress = set_cell(sheet.cell(row=row, column=5), percent)
        progress.number_format = PERCENT_FORMAT
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def filename(period):
    """``dasbor-2021-tw3.xlsx``: the file's name for ``period``."""
    return f"dasbor-{period.year}-tw{period.quarter}.xlsx"
