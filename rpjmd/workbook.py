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

from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment

from rpjmd.cells import CHOICES, parse_cell, word_for
from tracker.exports import set_cell
from tracker.workbook_io import (
    HEADER_FILL,
    HEADER_FONT,
    Parsed,
    Problem,
    Row,
    Sheet,
    WorkbookReader,
    add_instructions,
    new_book,
    to_bytes,
)
from tracker.workbook_io import Column as _Column

# Rows per sheet: a plan has a few hundred indicators, a few thousand targets.
MAX_ROWS = 20000
# The plan's columns are workbook_io's, 14 wide unless told; their kind is text, code,
# int, number, bool, or the name of a CHOICES entry (read by ``rpjmd.cells``).
Column = partial(_Column, width=14)


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
class ParsedWorkbook(Parsed):
    rows: dict = field(default_factory=lambda: {sheet.key: [] for sheet in SHEETS})
    # The code (mission number) of every row of each sheet, readable or not.
    keys: dict = field(default_factory=lambda: {sheet.key: set() for sheet in SHEETS})


# --- Reading a workbook -------------------------------------------------------------------


def _normal(name):
    return " ".join(str(name or "").split()).casefold()


class _PlanReader(WorkbookReader):
    """Every sheet and column name must be known; a row comes back only when every cell
    of it is readable, and a code used twice in a sheet is a problem."""

    max_rows = MAX_ROWS
    other_titles = REFERENCE_TITLES
    strict_columns = True

    def new_parsed(self):
        return ParsedWorkbook()

    def parse_cell(self, column, value):
        return parse_cell(column, value)

    def read_sheet(self, worksheet, sheet, parsed):
        # A row is identified by its code (a mission by its number, a target by
        # indicator and year); the last of those columns is named when it repeats.
        key_columns = ("indicator", "year") if sheet is TARGETS else (sheet.columns[0].key,)
        seen = {}
        for number, _raw, values, ok in self.rows(worksheet, sheet, parsed.problems):
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


def read_workbook(content):
    """Read an uploaded workbook (bytes) into a :class:`ParsedWorkbook`.

    Every sheet of :data:`SHEETS` must be there with every column header; the
    rows come back typed, with a :class:`Problem` for each cell that cannot be
    read, for a required cell left empty, and for a code used twice in a sheet.
    Nothing is compared with a plan here (see ``rpjmd.importer``).
    """
    return _PlanReader(SHEETS).read(content)


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
    book = new_book()
    if instructions:
        add_instructions(book, INSTRUCTIONS_TITLE, instructions)
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
    return to_bytes(book)
