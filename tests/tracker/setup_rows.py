# ruff: noqa: E501  (rows of a spreadsheet read best one per line)
"""Filled setup workbooks for the tests and the timing script: a new government's
8 units, 8 officials and 7 accounts, as an Administrator would type them."""

import datetime

from tracker.setup_workbook import ACCOUNTS, OFFICIALS, UNITS
from tracker.workbook_io import add_sheet, new_book, to_bytes

UNITS_ROWS = [
    ["KDH", "Bupati Contoh", "Bupati", "kepala daerah", None, None, None],
    ["SETDA", "Sekretariat Daerah", "Setda", "setda", None, None, None],
    ["ASDA1", "Asisten Pemerintahan dan Kesra", "Asda I", "asda", None, None, None],
    ["BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Bappeda", "opd", "badan", "ASDA1", None],
    ["DISKOMINFO", "Dinas Komunikasi dan Informatika", "Diskominfo", "opd", "dinas", "ASDA1", None],
    ["DINKES", "Dinas Kesehatan", "Dinkes", "opd", "dinas", "ASDA1", None],
    ["KEC-UTARA", "Kecamatan Contoh Utara", "Kec. Utara", "kecamatan", None, "ASDA1", None],
    ["KEC-SELATAN", "Kecamatan Contoh Selatan", "Kec. Selatan", "kecamatan", None, "ASDA1", None],
]
START = datetime.date(2025, 1, 2)
OFFICIALS_ROWS = [
    [None, "H. Ahmad Contoh, S.H.", "KDH", "Bupati Contoh", None, "ya", datetime.date(2025, 2, 20)],
    [
        "19700101 199503 1 001",
        "Drs. Sekda Contoh, M.Si.",
        "SETDA",
        "Sekretaris Daerah",
        "Pembina Utama Madya (IV/d)",
        "ya",
        START,
    ],
    [
        "19710202 199603 1 002",
        "Asisten Satu, S.H.",
        "ASDA1",
        "Asisten Pemerintahan dan Kesra",
        "Pembina Utama Muda (IV/c)",
        "ya",
        START,
    ],
    [
        "19750315 200003 2 004",
        "Dr. Siti Perencana, M.Si.",
        "BAPPEDA",
        "Kepala Bappeda",
        "Pembina Utama Muda (IV/c)",
        "ya",
        START,
    ],
    [
        "19800610 200501 1 002",
        "Budi Informatika, S.Kom., M.T.",
        "DISKOMINFO",
        "Kepala Dinas Komunikasi dan Informatika",
        "Pembina Tk. I (IV/b)",
        "ya",
        START,
    ],
    [
        "19780808 200212 2 003",
        "dr. Rina Sehat, M.Kes.",
        "DINKES",
        "Kepala Dinas Kesehatan",
        "Pembina Tk. I (IV/b)",
        "ya",
        START,
    ],
    [
        "19820101 200604 1 005",
        "Camat Utara, S.STP.",
        "KEC-UTARA",
        "Camat Contoh Utara",
        "Pembina (IV/a)",
        "ya",
        START,
    ],
    [
        "19830202 200704 1 006",
        "Camat Selatan, S.STP.",
        "KEC-SELATAN",
        "Camat Contoh Selatan",
        "Pembina (IV/a)",
        "ya",
        START,
    ],
]
ACCOUNTS_ROWS = [
    ["bappeda.contoh", None, "Dewi Bappeda", "dewi@contohkab.go.id", "bappeda", "BAPPEDA", "tidak"],
    ["sekda.contoh", "197001011995031001", None, "sekda@contohkab.go.id", "pimpinan", None, None],
    [
        "kominfo.contoh",
        "19800610 200501 1 002",
        None,
        "budi@contohkab.go.id",
        "anggota unit",
        None,
        None,
    ],
    [
        "dinkes.contoh",
        "19780808 200212 2 003",
        None,
        "rina@contohkab.go.id",
        "anggota unit",
        None,
        None,
    ],
    [
        "asda1.contoh",
        "19710202 199603 1 002",
        None,
        "asda1@contohkab.go.id",
        "anggota unit",
        None,
        None,
    ],
    [
        "utara.contoh",
        "19820101 200604 1 005",
        None,
        "utara@contohkab.go.id",
        "anggota unit",
        None,
        None,
    ],
    [
        "selatan.contoh",
        "19830202 200704 1 006",
        None,
        "selatan@contohkab.go.id",
        "anggota unit",
        None,
        None,
    ],
]


def setup_workbook(units=UNITS_ROWS, officials=OFFICIALS_ROWS, accounts=ACCOUNTS_ROWS):
    """The setup workbook as bytes, with these rows (lists in the sheets' column order)."""
    book = new_book()
    for sheet, rows in ((UNITS, units), (OFFICIALS, officials), (ACCOUNTS, accounts)):
        add_sheet(book, sheet, [list(row) for row in rows])
    return to_bytes(book)


def accounts_with(suffix):
    """The accounts with ``suffix`` in user names and emails (those are unique site-wide)."""
    return [
        [f"{row[0]}{suffix}", row[1], row[2], row[3].replace("@", f"{suffix}@"), *row[4:]]
        for row in ACCOUNTS_ROWS
    ]
