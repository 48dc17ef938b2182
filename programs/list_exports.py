"""The program list and the verification queue as Excel workbooks (``?format=xlsx``).

The same URL as the page, with the same filters: the export holds every row
the filters keep, not only the page shown. Text goes through
``tracker.exports.set_cell`` (titles and unit names are typed by users and must
never become formulas); numbers stay numbers, dates stay dates.
"""

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from programs import status
from tracker.exports import set_cell

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0"
DATETIME_FORMAT = "DD-MM-YYYY HH:MM"


def wants_xlsx(request):
    """Whether the request asks for the list as an Excel file."""
    return request.GET.get("format") == "xlsx"


def _workbook(title, heading, columns):
    """A workbook with one sheet: ``heading`` in A1 and bold column labels in row 3."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit on a sheet name
    set_cell(sheet.cell(row=1, column=1), heading).font = Font(bold=True)
    for index, (label, width) in enumerate(columns, start=1):
        cell = set_cell(sheet.cell(row=3, column=index), str(label))
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A4"
    return workbook, sheet


def _response(workbook, name):
    output = BytesIO()
    workbook.save(output)
    response = HttpResponse(output.getvalue(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _period_slug(period):
    return f"{period.year}-tw{period.quarter}" if period else "semua"


def programs_response(programs, *, period, statuses):
    """The filtered program list as an attachment.

    ``programs`` is the filtered queryset; ``statuses`` maps a program id to its
    status in ``period`` (``programs.status``), as the page shows it.
    """
    heading = _("Programs, status in %(period)s") % {"period": period} if period else _("Programs")
    workbook, sheet = _workbook(
        _("Programs"),
        heading,
        [
            (_("No."), 6),
            (_("Program"), 50),
            (_("Owner unit"), 35),
            (_("Commitment"), 35),
            (_("Horizon"), 14),
            (_("Categories"), 30),
            (_("Program state"), 16),
            (_("Status"), 18),
        ],
    )
    rows = programs.select_related("owner_unit", "commitment").prefetch_related("categories")
    for number, program in enumerate(rows, start=1):
        row = number + 3
        state = statuses.get(program.pk, status.NOT_STARTED)
        values = [
            number,
            program.title,
            str(program.owner_unit),
            str(program.commitment),
            program.get_horizon_display(),
            ", ".join(str(d) for d in program.categories.all()),
            program.get_state_display(),
            str(status.LABELS[state]),
        ]
        for column, value in enumerate(values, start=1):
            set_cell(sheet.cell(row=row, column=column), value)
    return _response(workbook, f"program-{_period_slug(period)}.xlsx")


def queue_response(reports, *, period):
    """The filtered verification queue of ``period`` as an attachment."""
    workbook, sheet = _workbook(
        _("Verification"),
        _("Verification queue, %(period)s") % {"period": period},
        [
            (_("No."), 6),
            (_("Program"), 50),
            (_("Unit"), 35),
            (_("State"), 16),
            (_("Late"), 8),
            (_("Submitted"), 18),
            (_("Budget realisation (Rp)"), 20),
        ],
    )
    for number, report in enumerate(reports, start=1):
        row = number + 3
        submitted = report.submitted_at
        values = [
            number,
            report.program.title,
            str(report.program.owner_unit),
            report.get_state_display(),
            _("yes") if report.is_late else _("no"),
            # Excel has no time zones: the time is written as read in WIB.
            timezone.localtime(submitted).replace(tzinfo=None) if submitted else None,
            report.budget_realisation,
        ]
        for column, value in enumerate(values, start=1):
            set_cell(sheet.cell(row=row, column=column), value)
        sheet.cell(row=row, column=6).number_format = DATETIME_FORMAT
        sheet.cell(row=row, column=7).number_format = MONEY_FORMAT
    return _response(workbook, f"antrean-verifikasi-{_period_slug(period)}.xlsx")
