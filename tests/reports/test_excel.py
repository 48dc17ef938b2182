"""The Excel export: the PDF's evaluation table, cell for cell (issue 10).

Each test renders a demo report (Kota Cilegon, 2020 TW III) and reads the
workbook back with openpyxl. Sheet columns: A No, B Sasaran, C Kode,
D Program / indikator, E-Z the form's columns 5-15 as K / Rp pairs, AA the
unit in charge (16), AB Keterangan (17).
"""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from commitments.models import Commitment
from programs.models import Indicator, IndicatorRealisation, Program, ProgressReport
from reports import excel
from reports.evaluation.rows import ACHIEVEMENT_INDEXES, UNVERIFIED
from reports.selectors import report_table
from reports.services import resolve_request

YEAR, QUARTER = 2020, 3
FIRST_FIGURE = 5  # column E: column 5's K; its Rp is F
UNIT_COLUMN, NOTES_COLUMN = 27, 28
HEADER_ROWS = (5, 6, 7)


def _render(unit_code=None):
    request = resolve_request(
        year=YEAR, quarter=QUARTER, government_code="36.72", unit_code=unit_code
    )
    table = report_table(request)
    sheet = load_workbook(io.BytesIO(excel.render(request, table))).active
    return table, sheet


@pytest.fixture
def whole(cilegon):
    return _render()


def k_column(index):
    return FIRST_FIGURE + 2 * index


def rp_column(index):
    return FIRST_FIGURE + 2 * index + 1


def _block_rows(sheet):
    """(unit name, program title) -> the sheet row of the program's first line,
    in the units' sections."""
    rows, unit = {}, None
    for (cell,) in sheet.iter_rows(min_row=HEADER_ROWS[-1] + 1, max_col=1):
        if cell.style == "eval_number_row":
            break  # the RPJMD indicators' own table
        if cell.style == "eval_unit":
            unit = cell.value
        elif cell.style == "eval_no" and cell.value is not None:
            title = sheet.cell(row=cell.row, column=4).value.split("\n")[0]
            rows[(unit, title)] = cell.row
    return rows


def _expected(value, index):
    """What a figure cell holds for ``value``, the ``index``-th of the eleven figures."""
    if 3 <= index <= 6 and index - 2 > QUARTER:
        return None
    if value == UNVERIFIED:
        return "†"
    if value is None:
        return "–"
    return Decimal(value)


def _read(cell):
    value = cell.value
    if isinstance(value, int | float):
        return Decimal(str(value))
    return value


def _merged(sheet, column, first_row, rows):
    return any(
        r.min_col == r.max_col == column
        and r.min_row == first_row
        and r.max_row == first_row + rows - 1
        for r in sheet.merged_cells.ranges
    )


def test_the_header_numbers_the_form_s_columns(whole):
    _table, sheet = whole
    numbers = [cell.value for cell in sheet[HEADER_ROWS[2]]][:NOTES_COLUMN]
    expected = [1, 2, 3, 4]
    for number in range(5, 16):
        expected += [number, None]
    assert numbers == [*expected, 16, 17]
    pairs = [cell.value for cell in sheet[HEADER_ROWS[1]]][FIRST_FIGURE - 1 : UNIT_COLUMN - 1]
    assert pairs == ["K", "Rp"] * 11
    # Each figure's heading and number span its K / Rp pair; the formula is under it.
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"E5:F5", "E7:F7", "Y5:Z5", "Y7:Z7"} <= merged
    assert "13 = 12/7 × 100%" in sheet.cell(row=HEADER_ROWS[0], column=k_column(8)).value
    assert sheet.cell(row=HEADER_ROWS[0], column=UNIT_COLUMN).value
    assert sheet.cell(row=HEADER_ROWS[0], column=NOTES_COLUMN).value


def test_every_block_has_its_rp_beside_its_first_indicator_s_k(whole):
    table, sheet = whole
    rows = _block_rows(sheet)
    blocks = [(s.unit.name, b) for s in table.sections for b in s.programs]
    assert len(rows) == len(blocks) > 20
    multi_line = 0
    for unit_name, block in blocks:
        row = rows[(unit_name, block.program.title)]
        rp = block.rp.values(QUARTER)
        assert [_read(sheet.cell(row=row, column=rp_column(i))) for i in range(11)] == [
            _expected(value, i) for i, value in enumerate(rp)
        ]
        for offset, line in enumerate(block.lines):
            k = line.k.values(QUARTER)
            assert [_read(sheet.cell(row=row + offset, column=k_column(i))) for i in range(11)] == [
                _expected(value, i) for i, value in enumerate(k)
            ], (block.program.title, line.indicator.code)
            assert line.indicator.code in sheet.cell(row=row + offset, column=4).value
        unit = block.program.owner_unit
        assert sheet.cell(row=row, column=UNIT_COLUMN).value == (unit.abbreviation or unit.name)
        assert sheet.cell(row=row, column=3).value == (block.program.code or "–")
        if len(block.lines) > 1:
            multi_line += 1
            # No, Kode, the unit and every Rp figure span the block's rows.
            for column in (1, 3, UNIT_COLUMN, rp_column(0), rp_column(10)):
                assert _merged(sheet, column, row, len(block.lines)), (block.program.title, column)
    assert multi_line


def test_a_program_s_row_carries_its_own_verified_figures(whole):
    """Recomputed from the realisation rows: DKISS's 112 service, not BPBD's figures
    of the same RPJMD indicator (issue 10, point 1)."""
    _table, sheet = whole
    program = Program.objects.get(title="Layanan Panggilan Darurat 112")
    indicator = Indicator.objects.get(code="IKS-5.1.1", plan__government__region_code="36.72")
    own = dict(
        IndicatorRealisation.objects.filter(
            report__program=program,
            indicator=indicator,
            report__state=ProgressReport.State.VERIFIED,
            report__period__year=YEAR,
            report__period__quarter__lte=QUARTER,
            value__isnull=False,
        ).values_list("report__period__quarter", "value")
    )
    assert set(own) == {1, 2, 3}
    other = dict(
        IndicatorRealisation.objects.filter(
            indicator=indicator,
            report__state=ProgressReport.State.VERIFIED,
            report__period__year=YEAR,
            report__period__quarter__lte=QUARTER,
        )
        .exclude(report__program=program)
        .values_list("report__period__quarter", "value")
    )
    assert other and other != own  # the test would notice another program's values

    first = _block_rows(sheet)[(program.owner_unit.name, program.title)]
    row = first + [i.pk for i in program.indicators.order_by("code")].index(indicator.pk)
    assert indicator.code in sheet.cell(row=row, column=4).value
    quarters = [_read(sheet.cell(row=row, column=k_column(3 + q - 1))) for q in (1, 2, 3)]
    assert quarters == [own[1], own[2], own[3]]
    assert sheet.cell(row=row, column=k_column(6)).value is None  # Q IV has not come yet
    # Column 12: the latest quarter of a rate, the sum of the quarters of a count.
    year_value = sum(own.values()) if indicator.is_cumulative else own[3]
    assert _read(sheet.cell(row=row, column=k_column(7))) == year_value
    assert sheet.cell(row=first, column=UNIT_COLUMN).value == program.owner_unit.abbreviation


def test_numbers_are_real_cells_in_the_indicator_s_format(whole):
    table, sheet = whole
    rows = _block_rows(sheet)
    seen = set()
    for unit_section in table.sections:
        for block in unit_section.programs:
            row = rows[(unit_section.unit.name, block.program.title)]
            for offset, line in enumerate(block.lines):
                cell = sheet.cell(row=row + offset, column=k_column(2))  # target of the year
                if cell.data_type != "n":
                    continue
                places = line.indicator.decimal_places
                expected = "[$-421]#,##0" + ("." + "0" * places if places else "")
                assert cell.number_format == expected
                seen.add(places)
                achievement = sheet.cell(row=row + offset, column=k_column(ACHIEVEMENT_INDEXES[0]))
                if achievement.data_type == "n":
                    assert achievement.number_format == '[$-421]#,##0.00"%"'
            budget = sheet.cell(row=row, column=rp_column(2))
            if budget.data_type == "n":
                assert budget.number_format == "[$-421]#,##0"
    assert {0, 2} <= seen  # counts and rates are both in the demo


def test_each_unit_closes_with_averages_predicates_and_texts(whole):
    table, sheet = whole
    unit_section = table.sections[0]
    rows = _block_rows(sheet)
    last_block = unit_section.programs[-1]
    row = rows[(unit_section.unit.name, last_block.program.title)] + max(1, len(last_block.lines))
    column = k_column(ACHIEVEMENT_INDEXES[0])  # column 13's pair
    assert _read(sheet.cell(row=row, column=column)) == unit_section.average_k
    assert _read(sheet.cell(row=row, column=column + 1)) == unit_section.average_rp
    assert sheet.cell(row=row + 1, column=column).value == unit_section.predicate_k
    assert sheet.cell(row=row + 1, column=column + 1).value == unit_section.predicate_rp
    texts = [sheet.cell(row=row + 2 + i, column=FIRST_FIGURE).value for i in range(4)]
    for text, entries in zip(
        texts,
        (
            unit_section.supporting_factors,
            unit_section.obstacles,
            unit_section.follow_up,
            unit_section.follow_up_next_plan,
        ),
        strict=True,
    ):
        for title, entry in entries:
            assert entry in text and title in text
    assert "E{0}:AB{0}".format(row + 2) in {str(r) for r in sheet.merged_cells.ranges}


def test_the_whole_government_ends_with_the_rpjmd_indicators(whole):
    table, sheet = whole
    assert table.indicators
    number_rows = [
        cell.row for (cell,) in sheet.iter_rows(max_col=1) if cell.style == "eval_number_row"
    ]
    assert len(number_rows) == 2  # the table's header and the indicators' own
    first = number_rows[1] + 1
    for offset, evaluation in enumerate(table.indicators):
        row = first + offset
        assert sheet.cell(row=row, column=1).value == int(evaluation.number)
        assert evaluation.indicator.code in sheet.cell(row=row, column=3).value
        assert evaluation.rule in sheet.cell(row=row, column=4).value
        k = evaluation.k.values(QUARTER)
        assert [_read(sheet.cell(row=row, column=k_column(i))) for i in range(11)] == [
            _expected(value, i) for i, value in enumerate(k)
        ]
        rp = evaluation.rp.values(QUARTER)
        assert [_read(sheet.cell(row=row, column=rp_column(i))) for i in range(11)] == [
            _expected(value, i) for i, value in enumerate(rp)
        ]
        unit = evaluation.indicator.responsible_unit
        assert sheet.cell(row=row, column=UNIT_COLUMN).value == (
            (unit.abbreviation or unit.name) if unit else "–"
        )
        notes = sheet.cell(row=row, column=NOTES_COLUMN).value
        assert notes.startswith(f"Predikat: {evaluation.predicate or '–'}")
    average = first + len(table.indicators)
    assert _read(sheet.cell(row=average, column=k_column(8))) == table.average_k
    assert _read(sheet.cell(row=average, column=k_column(10))) == table.plan_average_k
    assert sheet.cell(row=average, column=NOTES_COLUMN).value == table.predicate_k
    line = sheet.cell(row=average + 1, column=1).value
    assert table.predicate_rp in line


def test_a_unit_report_has_no_rpjmd_indicator_section(cilegon):
    table, sheet = _render("DKISS")
    assert not table.indicators
    units = [cell.value for (cell,) in sheet.iter_rows(max_col=1) if cell.style == "eval_unit"]
    assert units == [table.sections[0].unit.name]
    number_rows = [
        cell for (cell,) in sheet.iter_rows(max_col=1) if cell.style == "eval_number_row"
    ]
    assert len(number_rows) == 1


def test_a_report_not_verified_yet_is_marked_and_yellow(cilegon):
    program = Program.objects.get(title="Layanan Panggilan Darurat 112")
    ProgressReport.objects.filter(program=program, period__year=YEAR, period__quarter=2).update(
        state=ProgressReport.State.SUBMITTED
    )
    table, sheet = _render("DKISS")
    row = _block_rows(sheet)[(program.owner_unit.name, program.title)]
    for column in (k_column(4), rp_column(4)):  # Q II, K and Rp
        cell = sheet.cell(row=row, column=column)
        assert cell.value == "†"
        assert cell.fill.fgColor.rgb.endswith("FFF3CD")


def test_it_prints_landscape_fitted_to_the_width_with_the_header_on_every_page(whole):
    _table, sheet = whole
    assert sheet.print_title_rows == "$5:$7"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.freeze_panes == "E8"
    assert sheet.max_column == NOTES_COLUMN


def test_a_program_without_indicators_keeps_one_row_and_an_empty_report_says_so(cilegon):
    request = resolve_request(
        year=YEAR, quarter=QUARTER, government_code="36.72", unit_code="DKISS"
    )
    table = report_table(request)
    block = table.sections[0].programs[0]
    block.lines = []
    sheet = load_workbook(io.BytesIO(excel.render(request, table))).active
    row = _block_rows(sheet)[(table.sections[0].unit.name, block.program.title)]
    assert sheet.cell(row=row, column=4).value == block.program.title
    # "–" where a figure could be; the quarters after the report's are blank, as in
    # every other row and as the legend says.
    expected = ["–" if not 3 <= i <= 6 or i - 2 <= QUARTER else None for i in range(11)]
    assert [sheet.cell(row=row, column=k_column(i)).value for i in range(11)] == expected
    assert _read(sheet.cell(row=row, column=rp_column(0))) == _expected(block.rp.final_target, 0)
    # The next program starts on the next row.
    following = table.sections[0].programs[1]
    assert sheet.cell(row=row + 1, column=1).value == int(following.number)

    table.sections, table.indicators = [], []
    sheet = load_workbook(io.BytesIO(excel.render(request, table))).active
    assert sheet.cell(row=HEADER_ROWS[-1] + 1, column=1).value
    assert sheet.max_row == HEADER_ROWS[-1] + 1


INJECTED = '=HYPERLINK("http://example.com/x","klik")'


def test_text_that_looks_like_a_formula_is_written_as_text(cilegon):
    """Issue 11, point 8: a title, unit name or note typed as "=..." is never a formula."""
    from tracker.models import Unit

    program = Program.objects.get(title="Layanan Panggilan Darurat 112")
    unit = program.owner_unit
    Program.objects.filter(pk=program.pk).update(title=INJECTED)
    Unit.objects.filter(pk=unit.pk).update(name="+" + INJECTED, abbreviation=INJECTED)
    ProgressReport.objects.filter(program=program).update(obstacles="@" + INJECTED)
    Commitment.objects.filter(pk=program.commitment_id).update(title="-" + INJECTED)
    _table, sheet = _render(unit_code=unit.code)

    starting = []  # cells whose text begins like a formula
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate  # no formula anywhere
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                starting.append(cell)
    # The scope line (the commitment's title, the unit's name) and the unit's band (name),
    # the unit column (abbreviation), the program's title (rich text) and the obstacles,
    # each kept as typed.
    firsts = {cell.value.split("\n")[0].split(" (")[0] for cell in starting}
    assert firsts == {
        f"-{INJECTED} · +{INJECTED} · Triwulan III Tahun 2020",
        "+" + INJECTED,
        INJECTED,
        "@" + INJECTED,
    }
    for cell in starting:
        assert cell.data_type == "s", cell.coordinate
        assert cell.quotePrefix, cell.coordinate  # Excel keeps it text when edited
    row = _block_rows(sheet)[("+" + INJECTED, INJECTED)]
    assert sheet.cell(row=row, column=UNIT_COLUMN).value == INJECTED
    # Figures are still numbers, and ordinary text has no quote prefix.
    assert any(
        cell.data_type == "n" and isinstance(cell.value, int | float)
        for row in sheet.iter_rows(min_row=HEADER_ROWS[-1] + 1, min_col=FIRST_FIGURE)
        for cell in row
    )
    assert not sheet["A1"].quotePrefix
