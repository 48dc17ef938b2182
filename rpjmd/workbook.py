"""The RPJMD workbook: its sheets and columns, reading an uploaded file into typed rows,
and writing rows back out. Pure functions: nothing here touches the database.

A workbook has one sheet per level of the plan (Misi, Tujuan, Sasaran, Program
RPJMD, Indikator) and one of yearly targets (Target). Rows are keyed by the
codes the plan uses and name their parent by its code. The first row of every
sheet holds the Indonesian column headers below, in this order. The headers
and the words in choice columns are the file format, so they are fixed
Indonesian, whatever the language of the page; explanations are translated.

Reading never stops at the first problem: every bad cell becomes a
:class:`Problem` naming the sheet, the row and the column, so a user fixes the
whole file in one go.
"""

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from rpjmd.cells import CHOICES, CellError, parse_cell, word_for
from tracker.exports import set_cell
from tracker.workbook_io import (
    HEADER_FILL,
    HEADER_FONT,
    Problem,
    is_empty,
    open_workbook,
)

# Rows per sheet: a plan has a few hundred indicators, a few thousand targets.
MAX_ROWS = 20000


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str  # text, code, int, number, bool, or the name of a CHOICES entry
    required: bool = True
    width: int = 14


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    columns: tuple

    def column(self, key):
        return next(c for c in self.columns if c.key == key)


UNIT_COLUMN = "Kode Unit Penanggung Jawab"

MISSIONS = Sheet(
    "missions",
    "Misi",
    (
        Column("number", "Nomor Misi", "int", width=11),
        Column("text", "Teks Misi", "text", width=80),
    ),
)
GOALS = Sheet(
    "goals",
    "Tujuan",
    (
        Column("code", "Kode Tujuan", "code"),
        Column("mission", "Nomor Misi", "int", width=11),
        Column("text", "Teks Tujuan", "text", width=80),
    ),
)
OBJECTIVES = Sheet(
    "objectives",
    "Sasaran",
    (
        Column("code", "Kode Sasaran", "code"),
        Column("goal", "Kode Tujuan", "code"),
        Column("text", "Teks Sasaran", "text", width=80),
    ),
)
PLAN_PROGRAMS = Sheet(
    "plan_programs",
    "Program RPJMD",
    (
        Column("code", "Kode Program", "code"),
        Column("objective", "Kode Sasaran", "code"),
        Column("name", "Nama Program", "text", width=60),
        Column("responsible_unit", UNIT_COLUMN, "code", required=False, width=16),
    ),
)
INDICATORS = Sheet(
    "indicators",
    "Indikator",
    (
        Column("code", "Kode Indikator", "code", width=16),
        Column("level_kind", "Jenis Level", "level"),
        Column("level_code", "Kode Level", "code"),
        Column("name", "Nama Indikator", "text", width=60),
        Column("unit_of_measure", "Satuan", "text"),
        Column("direction", "Arah", "direction", width=10),
        Column("is_cumulative", "Kumulatif", "bool", width=11),
        Column("decimal_places", "Desimal", "int", width=9),
        Column("combination", "Aturan Gabungan", "combination", width=16),
        Column("designated_program", "ID Program Ditunjuk", "int", required=False),
        Column("baseline_value", "Kondisi Awal", "number", required=False),
        Column("baseline_year", "Tahun Kondisi Awal", "int", required=False),
        Column("final_target", "Target Akhir", "number", required=False),
        Column("responsible_unit", UNIT_COLUMN, "code", required=False, width=16),
    ),
)
TARGETS = Sheet(
    "targets",
    "Target",
    (
        Column("indicator", "Kode Indikator", "code", width=16),
        Column("year", "Tahun", "int", width=9),
        Column("target", "Target", "number"),
        Column("budget", "Pagu (Rp)", "number", required=False, width=20),
        Column("realisation", "Realisasi LKjIP", "number", required=False),
    ),
)
SHEETS = (MISSIONS, GOALS, OBJECTIVES, PLAN_PROGRAMS, INDICATORS, TARGETS)
SHEETS_BY_KEY = {sheet.key: sheet for sheet in SHEETS}
# Sheets the template and the export add for the reader; an import skips them.
INSTRUCTIONS_TITLE = "Petunjuk"
UNITS_TITLE = "Unit"
REFERENCE_TITLES = (INSTRUCTIONS_TITLE, UNITS_TITLE)


@dataclass
class Row:
    """One data row of a sheet: its number as Excel shows it and its typed values."""

    number: int
    values: dict


@dataclass
class ParsedWorkbook:
    rows: dict = field(default_factory=lambda: {sheet.key: [] for sheet in SHEETS})
    # The code (mission number) of every row of each sheet, readable or not.
    keys: dict = field(default_factory=lambda: {sheet.key: set() for sheet in SHEETS})
    problems: list = field(default_factory=list)

    @property
    def row_count(self):
        return sum(len(rows) for rows in self.rows.values())


# --- Reading a workbook -------------------------------------------------------------------


def _normal(name):
    return " ".join(str(name or "").split()).casefold()


def read_workbook(content):
    """Read an uploaded workbook (bytes) into a :class:`ParsedWorkbook`.

    Every sheet of :data:`SHEETS` must be there with every column header; the
    rows come back typed, with a :class:`Problem` for each cell that cannot be
    read, for a required cell left empty, and for a code used twice in a sheet.
    Nothing is compared with a plan here (see ``rpjmd.importer``).
    """
    parsed = ParsedWorkbook()
    book, problem = open_workbook(content)
    if problem:
        parsed.problems.append(problem)
        return parsed
    try:
        by_name = {_normal(name): name for name in book.sheetnames}
        known = {_normal(sheet.title) for sheet in SHEETS} | {_normal(t) for t in REFERENCE_TITLES}
        for name in book.sheetnames:
            if _normal(name) not in known:
                parsed.problems.append(
                    Problem(
                        _("unknown sheet; the sheets are: %(sheets)s")
                        % {"sheets": ", ".join(s.title for s in SHEETS)},
                        sheet=name,
                    )
                )
        for sheet in SHEETS:
            name = by_name.get(_normal(sheet.title))
            if name is None:
                parsed.problems.append(
                    Problem(_("the sheet is missing from the workbook"), sheet=sheet.title)
                )
                continue
            _read_sheet(book[name], sheet, parsed)
    except Exception:  # a damaged part of the archive shows up while reading rows
        parsed.rows = ParsedWorkbook().rows
        parsed.problems = [
            Problem(_("The workbook could not be read; save it again in Excel and retry."))
        ]
    finally:
        book.close()
    if not parsed.problems and not parsed.row_count:
        parsed.problems.append(Problem(_("The workbook holds no rows to import.")))
    return parsed


def _read_sheet(worksheet, sheet, parsed):
    rows = worksheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions = {}
    for index, name in enumerate(header):
        if is_empty(name):
            continue
        column = next((c for c in sheet.columns if _normal(c.header) == _normal(name)), None)
        if column is None or column.key in positions:
            message = (
                _("the column appears twice")
                if column is not None
                else _("unknown column name; the columns are: %(columns)s")
                % {"columns": ", ".join(c.header for c in sheet.columns)}
            )
            parsed.problems.append(Problem(message, sheet.title, 1, str(name).strip()))
            continue
        positions[column.key] = index
    missing = [c.header for c in sheet.columns if c.key not in positions]
    for header in missing:
        parsed.problems.append(
            Problem(_("the column is missing from the first row"), sheet.title, 1, header)
        )
    if missing:
        return
    # A row is identified by its code (a mission by its number, a target by
    # indicator and year); the last of those columns is named when it repeats.
    key_columns = ("indicator", "year") if sheet is TARGETS else (sheet.columns[0].key,)
    seen = {}
    for number, cells in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            parsed.problems.append(
                Problem(
                    _("more than %(count)s rows; split the file") % {"count": MAX_ROWS},
                    sheet=sheet.title,
                )
            )
            return
        raw = {
            key: cells[index] if index < len(cells) else None for key, index in positions.items()
        }
        if all(is_empty(value) for value in raw.values()):
            continue
        values, ok = {}, True
        for column in sheet.columns:
            value = raw[column.key]
            if is_empty(value):
                values[column.key] = None
                if column.required:
                    ok = False
                    parsed.problems.append(
                        Problem(_("the cell is empty"), sheet.title, number, column.header)
                    )
                continue
            try:
                values[column.key] = parse_cell(column, value)
            except CellError as error:
                ok = False
                values[column.key] = None
                parsed.problems.append(Problem(str(error), sheet.title, number, column.header))
        key = tuple(values[k] for k in key_columns)
        parsed.keys[sheet.key].add(key[0])
        if None not in key:
            if key in seen:
                ok = False
                shown = " ".join(str(part) for part in key)
                parsed.problems.append(
                    Problem(
                        _("“%(key)s” appears twice in this sheet (also in row %(row)s)")
                        % {"key": shown, "row": seen[key]},
                        sheet.title,
                        number,
                        sheet.column(key_columns[-1]).header,
                    )
                )
            else:
                seen[key] = number
        if ok:
            parsed.rows[sheet.key].append(Row(number, values))


# --- Writing a workbook -------------------------------------------------------------------


def _cell_value(column, value):
    if value is None:
        return None
    if (
        column.kind in ("level", "direction", "combination", "bool")
        and value in CHOICES[column.kind]
    ):
        return word_for(column.kind, value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _write_sheet(worksheet, sheet, rows):
    for index, column in enumerate(sheet.columns, start=1):
        cell = worksheet.cell(row=1, column=index)
        set_cell(cell, column.header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        letter = cell.column_letter
        worksheet.column_dimensions[letter].width = column.width
        if column.kind in ("code", "text"):
            # Codes stay text when someone types 1.10 into them.
            worksheet.column_dimensions[letter].number_format = "@"
    worksheet.freeze_panes = "A2"
    for row_number, row in enumerate(rows, start=2):
        if isinstance(row, dict):
            row = [row.get(c.key, row.get(c.header)) for c in sheet.columns]
        for index, (column, value) in enumerate(zip(sheet.columns, row, strict=False), start=1):
            cell = worksheet.cell(row=row_number, column=index)
            value = _cell_value(column, value)
            if column.kind in ("code", "text") and value is not None:
                set_cell(cell, str(value))
                cell.number_format = "@"
            elif isinstance(value, str):
                set_cell(cell, value)
            else:
                cell.value = value
            if column.kind == "text":
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def build_workbook(rows=None, *, instructions=(), units=()):
    """The workbook as ``.xlsx`` bytes, with a sheet per entry of :data:`SHEETS`.

    ``rows`` maps a sheet (its key, e.g. ``"targets"``, or its title, e.g.
    ``"Target"``) to its data rows; each row is a list in the sheet's column
    order or a dict keyed by column key or header. Choice columns take the
    model values ("goal", "higher", "sum", True) or the workbook's words
    ("tujuan", "tinggi", "jumlah", "ya"). A sheet not given is written with its
    headers only. ``instructions`` (lines of text) make a first "Petunjuk"
    sheet; ``units`` (pairs of code and name) a reference "Unit" sheet.
    """
    rows = rows or {}
    by_title = {_normal(s.title): s.key for s in SHEETS}
    wanted = {}
    for name, sheet_rows in rows.items():
        key = name if name in SHEETS_BY_KEY else by_title.get(_normal(name))
        if key is None:
            raise KeyError(f"no sheet {name!r} in the RPJMD workbook")
        wanted[key] = list(sheet_rows)
    book = Workbook()
    book.remove(book.active)
    if instructions:
        sheet = book.create_sheet(INSTRUCTIONS_TITLE)
        sheet.column_dimensions["A"].width = 110
        for number, line in enumerate(instructions, start=1):
            cell = sheet.cell(row=number, column=1)
            set_cell(cell, line)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    for sheet in SHEETS:
        _write_sheet(book.create_sheet(sheet.title), sheet, wanted.get(sheet.key, []))
    if units:
        sheet = book.create_sheet(UNITS_TITLE)
        for index, header in enumerate((UNIT_COLUMN, "Nama Unit"), start=1):
            cell = sheet.cell(row=1, column=index)
            set_cell(cell, header)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        sheet.column_dimensions["A"].width = 26
        sheet.column_dimensions["B"].width = 70
        for number, (code, name) in enumerate(units, start=2):
            set_cell(sheet.cell(row=number, column=1), str(code))
            set_cell(sheet.cell(row=number, column=2), str(name))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
