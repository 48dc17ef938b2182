"""Reading and writing the bulk-entry workbooks (setup, a unit's quarterly progress), and
the preview of an import.

Pure helpers around openpyxl: a workbook is a few sheets, each with a first row
of fixed Indonesian headers (the file format) and typed columns. Reading never
stops at the first problem: every bad cell becomes a :class:`Problem` naming
the sheet, the row and the column, so a person fixes the whole file in one go.
The apps decide what the rows mean (``tracker.setup_workbook``,
``programs.progress_workbook``).
The upload waiting between the preview and the confirmation is
``tracker.pending_upload``.
"""

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection

from tracker.exports import set_cell
from tracker.number_fields import AmbiguousNumber, ambiguous_message, parse_number

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A zipped workbook of a few MB never unpacks to more than this; more is a zip bomb.
MAX_UNPACKED_BYTES = 100 * 1000 * 1000
MAX_UPLOAD_BYTES = 5 * 1000 * 1000
MAX_ROWS = 5000
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
# Columns a person fills in are yellow and unlocked; the rest are locked (read-only).
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"  # text, code, int, number, bool, date, raw, or a choice table's name
    required: bool = True
    width: int = 16
    editable: bool = True


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    columns: tuple

    def column(self, key):
        return next(c for c in self.columns if c.key == key)


@dataclass
class Problem:
    """What is wrong with a workbook: a sheet (or none), a row and a column (or none)."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self):
        words = {"sheet": self.sheet, "row": self.row, "column": self.column}
        words["message"] = self.message
        if self.sheet and self.row and self.column:
            return _("Sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s") % words
        if self.sheet and self.row:
            return _("Sheet %(sheet)s, row %(row)s: %(message)s") % words
        if self.sheet:
            return _("Sheet %(sheet)s: %(message)s") % words
        return self.message


@dataclass
class Row:
    """One data row: its number as Excel shows it and its typed values."""

    number: int
    values: dict


@dataclass
class Parsed:
    rows: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    @property
    def row_count(self):
        return sum(len(rows) for rows in self.rows.values())


@dataclass
class ImportPreview:
    """What importing a workbook would do: its problems, or the items it would save.
    ``fingerprint`` sums up what the preview was checked against, so the
    confirmation can tell whether that changed in between."""

    file_name: str
    problems: list = field(default_factory=list)
    items: list = field(default_factory=list)
    fingerprint: str = ""

    @property
    def is_valid(self):
        return not self.problems and bool(self.items)


class CellError(ValueError):
    """A cell cannot be read as its column's type (the message says why)."""


BOOL_WORDS = {
    True: ("ya", "y", "yes", "true", "benar", "1"),
    False: ("tidak", "t", "no", "false", "salah", "0"),
}


def _normal(text):
    return " ".join(str(text or "").split()).casefold()


def parse_decimal(value, *, whole_number=False):
    """A ``Decimal`` from a cell: a number Excel stored, or text written the Indonesian
    way ("1.234,5") or the plain way, read by the app's one number parser."""
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number") % {"value": value})
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().removesuffix("%")
    if text[:2].lower() == "rp":
        text = text[2:]
    try:
        return parse_number(text, whole_number=whole_number)
    except AmbiguousNumber:
        raise CellError(ambiguous_message(text)) from None
    except (ValueError, InvalidOperation):
        raise CellError(
            _("“%(value)s” is not a number; write it as 1.500.000 or 71,90")
            % {"value": str(value).strip()}
        ) from None


def as_typed_text(value):
    """A numeric cell as the text a person would type (decimal comma), for a form field."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else value
        return format(number.normalize(), "f").replace(".", ",")
    return str(value).strip()


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(_("“%(value)s” is not a date; write it as 31/12/2024") % {"value": text})


def parse_cell(column, value, choices):
    """The typed value of a non-empty cell; ``CellError`` if it cannot be read."""
    kind = column.kind
    if kind == "raw":  # read later by a form field (numbers typed the Indonesian way)
        return value
    if kind in ("text", "code"):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if re.fullmatch(r"\d{1,12}", str(value).strip()):
            return int(str(value).strip())
        raise CellError(_("“%(value)s” is not a whole number") % {"value": value})
    if kind == "number":
        return parse_decimal(value)
    if kind == "date":
        return parse_date(value)
    table = BOOL_WORDS if kind == "bool" else choices[kind]
    if kind == "bool" and isinstance(value, bool):
        return value
    word = _normal(value)
    for choice, words in table.items():
        if word in words:
            return choice
    allowed = ", ".join(words[0] for words in table.values())
    raise CellError(
        _("“%(value)s” is not one of: %(allowed)s")
        % {"value": str(value).strip(), "allowed": allowed}
    )


def word_for(table, value):
    """The word a workbook writes for ``value`` of a choice ``table``."""
    return table[value][0]


def open_workbook(content):
    """An openpyxl workbook from the uploaded bytes, or a :class:`Problem` saying why not."""
    if not content:
        return None, Problem(_("The file is empty."))
    if content[:4] == b"\xd0\xcf\x11\xe0":
        return None, Problem(
            _("This is an old Excel (.xls) file: open it in Excel and save it as .xlsx.")
        )
    not_xlsx = Problem(
        _("The file is not an Excel workbook (.xlsx). Download the template and fill it in.")
    )
    if content[:4] != b"PK\x03\x04":
        return None, not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                return None, Problem(_("The workbook is too large once unpacked."))
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True), None
    except Exception:  # openpyxl raises many kinds of errors on a broken file
        return None, not_xlsx


def is_empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


def read_workbook(content, sheets, *, choices=None, optional=()):
    """Read ``content`` (bytes) into a :class:`Parsed`: rows of every sheet of ``sheets``,
    typed, and a :class:`Problem` for each sheet or column missing, each cell that
    cannot be read and each required cell left empty. Sheets not named are skipped
    (instructions, reference lists); a sheet whose key is in ``optional`` may be
    missing. Each row's values hold ``_raw`` (the cells as read) and ``_ok``."""
    return WorkbookReader(sheets, choices=choices, optional=optional).read(content)


class WorkbookReader:
    """How one kind of workbook is read; a subclass changes a rule (its rows, its cells,
    how strict it is about sheet and column names)."""

    max_rows = MAX_ROWS
    # When a tuple of sheet titles: a sheet neither read nor named there is a problem.
    other_titles = None
    # Whether a column name that is unknown or repeated is a problem (else it is skipped).
    strict_columns = False

    def __init__(self, sheets, *, choices=None, optional=()):
        self.sheets, self.choices, self.optional = sheets, choices or {}, optional

    def new_parsed(self):
        return Parsed(rows={sheet.key: [] for sheet in self.sheets})

    def parse_cell(self, column, value):
        return parse_cell(column, value, self.choices)

    def read_sheet(self, worksheet, sheet, parsed):
        for number, raw, values, ok in self.rows(worksheet, sheet, parsed.problems):
            parsed.rows[sheet.key].append(Row(number, {"_raw": raw, **values, "_ok": ok}))

    def read(self, content):
        parsed = self.new_parsed()
        book, problem = open_workbook(content)
        if problem:
            parsed.problems.append(problem)
            return parsed
        try:
            by_name = {_normal(name): name for name in book.sheetnames}
            self._check_sheet_names(book, parsed)
            for sheet in self.sheets:
                name = by_name.get(_normal(sheet.title))
                if name is None:
                    if sheet.key not in self.optional:
                        parsed.problems.append(
                            Problem(_("the sheet is missing from the workbook"), sheet=sheet.title)
                        )
                    continue
                self.read_sheet(book[name], sheet, parsed)
        except Exception:  # a damaged part of the archive shows up while reading rows
            parsed.rows = self.new_parsed().rows
            parsed.problems = [
                Problem(_("The workbook could not be read; save it again in Excel and retry."))
            ]
        finally:
            book.close()
        if not parsed.problems and not parsed.row_count:
            parsed.problems.append(Problem(_("The workbook holds no rows to import.")))
        return parsed

    def _check_sheet_names(self, book, parsed):
        if self.other_titles is None:
            return
        titles = [sheet.title for sheet in self.sheets]
        known = {_normal(title) for title in (*titles, *self.other_titles)}
        for name in book.sheetnames:
            if _normal(name) not in known:
                parsed.problems.append(
                    Problem(
                        _("unknown sheet; the sheets are: %(sheets)s")
                        % {"sheets": ", ".join(titles)},
                        sheet=name,
                    )
                )

    def _positions(self, header, sheet, problems):
        """Where each column of ``sheet`` stands in the ``header`` row."""
        positions = {}
        for index, name in enumerate(header):
            if is_empty(name):
                continue
            column = next((c for c in sheet.columns if _normal(c.header) == _normal(name)), None)
            if column is None or column.key in positions:
                if self.strict_columns:
                    message = (
                        _("the column appears twice")
                        if column is not None
                        else _("unknown column name; the columns are: %(columns)s")
                        % {"columns": ", ".join(c.header for c in sheet.columns)}
                    )
                    problems.append(Problem(message, sheet.title, 1, str(name).strip()))
                continue
            positions[column.key] = index
        return positions

    def rows(self, worksheet, sheet, problems):
        """``(number, raw, values, ok)`` for each row of ``worksheet`` that is not empty,
        with a :class:`Problem` in ``problems`` for each cell that cannot be read."""
        rows = worksheet.iter_rows(values_only=True)
        positions = self._positions(next(rows, None) or (), sheet, problems)
        missing = [c.header for c in sheet.columns if c.key not in positions]
        for header in missing:
            problems.append(
                Problem(_("the column is missing from the first row"), sheet.title, 1, header)
            )
        if missing:
            return
        for number, cells in enumerate(rows, start=2):
            if number > self.max_rows + 1:
                problems.append(
                    Problem(
                        _("more than %(count)s rows; split the file") % {"count": self.max_rows},
                        sheet=sheet.title,
                    )
                )
                return
            raw = {key: cells[i] if i < len(cells) else None for key, i in positions.items()}
            if all(is_empty(raw[c.key]) for c in sheet.columns if c.editable or c.required):
                continue
            values, ok = {}, True
            for column in sheet.columns:
                value = raw[column.key]
                if is_empty(value):
                    values[column.key] = None
                    if column.required:
                        ok = False
                        problems.append(
                            Problem(_("the cell is empty"), sheet.title, number, column.header)
                        )
                    continue
                try:
                    values[column.key] = self.parse_cell(column, value)
                except CellError as error:
                    ok = False
                    values[column.key] = None
                    problems.append(Problem(str(error), sheet.title, number, column.header))
            yield number, raw, values, ok


# --- Writing -------------------------------------------------------------------------------


def add_instructions(book, title, lines):
    sheet = book.create_sheet(title)
    sheet.column_dimensions["A"].width = 110
    for number, line in enumerate(lines, start=1):
        cell = sheet.cell(row=number, column=1)
        set_cell(cell, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    return sheet


def add_sheet(book, sheet, rows, *, protect=False):
    """Write ``sheet`` with ``rows`` (lists in column order). With ``protect``, the
    sheet is protected (no password: it only stops slips) and only the editable
    columns, coloured, can be typed into."""
    worksheet = book.create_sheet(sheet.title)
    for index, column in enumerate(sheet.columns, start=1):
        cell = worksheet.cell(row=1, column=index)
        set_cell(cell, column.header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        worksheet.column_dimensions[cell.column_letter].width = column.width
    worksheet.freeze_panes = "A2"
    last = max(len(rows) + 1, 200 if not protect else len(rows) + 1)
    for number in range(2, last + 1):
        values = rows[number - 2] if number - 2 < len(rows) else [None] * len(sheet.columns)
        for index, (column, value) in enumerate(zip(sheet.columns, values, strict=False), start=1):
            cell = worksheet.cell(row=number, column=index)
            if isinstance(value, str):
                set_cell(cell, value)
            else:
                cell.value = value
            if column.kind in ("text", "code"):
                cell.number_format = "@"
            elif column.kind == "date":
                cell.number_format = "DD/MM/YYYY"
            if column.kind == "text":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if protect and column.editable:
                cell.protection = Protection(locked=False)
                cell.fill = INPUT_FILL
    if protect:
        worksheet.protection.sheet = True
        worksheet.protection.formatColumns = False
        worksheet.protection.formatRows = False
    return worksheet


def build_book(instructions_title, instructions, sheets, *, protect=False):
    """The ``.xlsx`` bytes of a workbook: an instruction sheet, then each ``(sheet, rows)``
    of ``sheets`` written by :func:`add_sheet`."""
    book = new_book()
    add_instructions(book, instructions_title, instructions)
    for sheet, rows in sheets:
        add_sheet(book, sheet, rows, protect=protect)
    return to_bytes(book)


def to_bytes(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def new_book():
    book = Workbook()
    book.remove(book.active)
    return book


def xlsx_response(content, name):
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
