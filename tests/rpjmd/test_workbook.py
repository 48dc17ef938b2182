"""Reading and writing the RPJMD workbook, without a database."""

import io
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from rpjmd.cells import CellError, parse_code, parse_int, parse_number
from rpjmd.workbook import SHEETS, build_workbook, read_workbook


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.234,5", Decimal("1234.5")),
        ("1234.5", Decimal("1234.5")),
        (1234.5, Decimal("1234.5")),
        (2.38, Decimal("2.38")),
        (7, Decimal(7)),
        ("1,5", Decimal("1.5")),
        ("0.125", Decimal("0.125")),
        ("1.234.567", Decimal(1234567)),
        ("1,234.5", Decimal("1234.5")),
        ("Rp1.500.000", Decimal(1500000)),
        ("-2,5", Decimal("-2.5")),
        ("85%", Decimal(85)),
        (" 12 ", Decimal(12)),
        (",5", Decimal("0.5")),
    ],
)
def test_numbers_are_read_the_indonesian_or_the_plain_way(value, expected):
    assert parse_number(value) == expected


NOT_A_NUMBER = "“%(value)s” is not a number; write it as 1.500.000 or 71,90"


@pytest.mark.parametrize("value", ["abc", "1.2.3", "1e5", "1.234,5,6", "--1", "1.00.000"])
def test_what_is_not_a_number_is_refused(value):
    with pytest.raises(CellError) as error:
        parse_number(value)
    assert str(error.value) == _(NOT_A_NUMBER) % {"value": value}


def test_a_true_or_false_cell_is_not_a_number():
    with pytest.raises(CellError) as error:
        parse_number(True)
    assert str(error.value) == _("“%(value)s” is not a number") % {"value": True}


def test_messages_are_indonesian_once_translated():
    with translation.override("id"):
        if _("Excel import %(file)s") == "Excel import %(file)s":
            pytest.skip("the rpjmd translations are not compiled into locale/ yet")
        content = build_workbook(
            {"Indikator": [["IKU-1", "tujuan", "1.1", "X", "persen", "naik", "tidak", 2, "abc"]]}
        )
        problems = [str(p) for p in read_workbook(content).problems]
        assert problems == [
            "Sheet Indikator, baris 2, kolom Aturan Gabungan: “abc” bukan salah satu dari: "
            "jumlah, rata-rata, terbaru, terendah, tertinggi, ditunjuk"
        ]
        with pytest.raises(CellError) as error:
            parse_number("abc")
        assert str(error.value) == "“abc” bukan angka; tulis seperti 1.500.000 atau 71,90"


@pytest.mark.parametrize(
    "value, whole, fraction",
    [("1.234", "1234", "1,234"), ("10.000", "10000", "10"), ("999.999", "999999", "999,999")],
)
def test_a_dot_before_three_digits_is_ambiguous(value, whole, fraction):
    """The same message as the forms', with both readings written out."""
    with pytest.raises(CellError) as error:
        parse_number(value)
    assert f"Tulis {whole} untuk bilangan bulat atau {fraction} untuk" in str(error.value)


def test_codes_typed_as_numbers_come_back_as_text():
    assert parse_code(1.1) == "1.1"
    assert parse_code(2.0) == "2"
    assert parse_code(" 2.16.01 ") == "2.16.01"
    assert parse_int("2021") == 2021 and parse_int(2021.0) == 2021
    with pytest.raises(CellError):
        parse_int("2021,5")


def test_build_workbook_takes_lists_or_dicts_and_writes_every_sheet():
    content = build_workbook(
        {
            "Misi": [[1, "Misi satu"]],
            "goals": [{"code": "1.1", "mission": 1, "text": "Tujuan"}],
            "Target": [{"Kode Indikator": "I-1", "Tahun": 2020, "Target": Decimal("2.50")}],
        },
        instructions=["Petunjuk"],
        units=[("DKISS", "Dinas Komunikasi")],
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Petunjuk", *[s.title for s in SHEETS], "Unit"]
    assert [c.value for c in book["Target"][1]] == [c.header for c in SHEETS[-1].columns]
    parsed = read_workbook(content)
    assert parsed.problems == []
    assert parsed.rows["goals"][0].values == {"code": "1.1", "mission": 1, "text": "Tujuan"}
    assert parsed.rows["targets"][0].values["target"] == Decimal("2.5")
    with pytest.raises(KeyError):
        build_workbook({"Sasran": []})


def test_text_that_looks_like_a_formula_is_stored_as_text():
    content = build_workbook({"Misi": [[1, '=HYPERLINK("http://x")']]})
    cell = load_workbook(io.BytesIO(content))["Misi"]["B2"]
    assert cell.data_type == "s" and cell.quotePrefix
    assert read_workbook(content).rows["missions"][0].values["text"] == '=HYPERLINK("http://x")'


def test_empty_rows_are_skipped_and_row_numbers_are_those_excel_shows():
    content = build_workbook({"Misi": [[1, "Satu"], [None, None], [2, None]]})
    parsed = read_workbook(content)
    assert [r.number for r in parsed.rows["missions"]] == [2]
    assert [(p.sheet, p.row, p.column) for p in parsed.problems] == [("Misi", 4, "Teks Misi")]


def test_a_zip_that_unpacks_too_large_is_refused(monkeypatch):
    from tracker import workbook_io

    monkeypatch.setattr(workbook_io, "MAX_UNPACKED_BYTES", 1000)
    parsed = read_workbook(build_workbook({"Misi": [[1, "Satu"]]}))
    assert parsed.row_count == 0 and len(parsed.problems) == 1
