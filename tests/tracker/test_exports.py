"""Text in exports that spreadsheet programs never evaluate (issue 11, point 8)."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from tracker.exports import looks_like_formula, safe_cell, safe_row, set_cell

DANGEROUS = [
    '=HYPERLINK("http://example.com","klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]
HARMLESS = ["Dinas Kesehatan", "", " =1", "1-2", "a=b", "–", "'=already quoted"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_would_be_evaluated_gets_a_leading_quote_in_csv(text):
    assert looks_like_formula(text)
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_unchanged(text):
    assert not looks_like_formula(text)
    assert safe_cell(text) == text


@pytest.mark.parametrize(
    "value", [-5, -1.5, Decimal("-2.50"), 0, None, datetime.date(2020, 1, 2), True]
)
def test_numbers_and_other_values_are_not_text(value):
    # A negative number is a number: it stays one.
    assert safe_cell(value) is value


def test_safe_row():
    assert safe_row(["=1", -1, "ok"]) == ["'=1", -1, "ok"]


def _round_trip(values):
    workbook = Workbook()
    sheet = workbook.active
    for row, value in enumerate(values, start=1):
        set_cell(sheet.cell(row=row, column=1), value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    return [sheet.cell(row=row, column=1) for row in range(1, len(values) + 1)]


def test_excel_text_is_a_string_cell_kept_as_typed():
    cells = _round_trip(DANGEROUS)
    for text, cell in zip(DANGEROUS, cells, strict=True):
        assert cell.data_type == "s", text  # not "f": never a formula
        # shown as typed, with no visible quote (a carriage return may come back as
        # "\n": XML parsers normalise line ends, lxml's as openpyxl uses it keeps "\r")
        assert cell.value in (text, text.replace("\r", "\n"))
        assert cell.quotePrefix, text  # and still text when someone edits it


def test_excel_rich_text_that_looks_like_a_formula_is_text():
    rich = CellRichText(TextBlock(InlineFont(b=True), DANGEROUS[0]), "\nindikator")
    (cell,) = _round_trip([rich])
    assert cell.data_type == "s"
    assert cell.value == DANGEROUS[0] + "\nindikator"
    assert cell.quotePrefix


def test_excel_numbers_stay_numbers_and_plain_text_plain():
    cells = _round_trip([-5, Decimal("-2.5"), 3.25, "Dinas Kesehatan"])
    assert [c.data_type for c in cells] == ["n", "n", "n", "s"]
    assert [c.value for c in cells[:3]] == [-5, -2.5, 3.25]
    assert not any(c.quotePrefix for c in cells)
