"""How the evaluation section falls on pages: what a reviewer of the printed report
noticed (issue 22, item 9), checked page by page in the demo's reports."""

import io
import re

import pytest
from pypdf import PdfReader

from reports import pdf
from reports.evaluation.rows import row_notes
from reports.pdf.common import FONT, glue, wrap
from reports.selectors import quarterly_report
from reports.services import resolve_request

pytestmark = pytest.mark.django_db

CLOSING_CAPTION = "faktor pendorong, faktor penghambat dan tindak lanjut"


def _pages(unit_code=None):
    request = resolve_request(year=2020, quarter=3, government_code="36.72", unit_code=unit_code)
    data = quarterly_report(request)
    content = pdf.render(data, code="TESTCODE00", url="http://testserver/verifikasi/x/")
    reader = PdfReader(io.BytesIO(content))
    return data, reader, [page.extract_text() for page in reader.pages]


@pytest.fixture(scope="module")
def whole(django_db_setup, django_db_blocker):
    """The whole government's report, rendered once for the module (read only)."""
    with django_db_blocker.unblock():
        return _pages()


def test_a_unit_heading_starts_on_the_page_of_its_first_program(whole):
    data, _reader, pages = whole
    for number, section in enumerate(data.table.sections, start=1):
        heading = f"3.{number} {section.unit.name}"
        page = next(i for i, text in enumerate(pages) if heading in text)
        first = section.programs[0].program.title
        # The title may wrap inside its cell: compare its first two words.
        assert " ".join(first.split()[:2]) in pages[page], (heading, page + 1)


def test_closing_rows_say_whose_they_are_wherever_they_fall(whole):
    data, _reader, pages = whole
    for text in pages:
        if "Faktor pendorong" in text:
            # Every page with closing rows names the unit they belong to above them.
            before = text[: text.index("Faktor pendorong")]
            assert CLOSING_CAPTION in before
    captions = sum(text.count(CLOSING_CAPTION) for text in pages)
    assert captions >= len(data.table.sections)


@pytest.mark.parametrize("unit_code", [None, "DKISS", "DINKES"])
def test_the_signatures_never_open_an_a3_page(unit_code):
    _data, reader, pages = _pages(unit_code)
    page = next(i for i, text in enumerate(pages) if "5. Pengesahan" in text)
    if float(reader.pages[page].mediabox.width) > 1000:  # A3 landscape: 1190 points
        # Only where the table's page has room left: something of sections 3-4 precedes.
        before = pages[page][: pages[page].index("5. Pengesahan")]
        assert "Faktor pendorong" in before or "4. Tahapan" in before


def test_the_indicator_table_never_leaves_one_row_alone_on_a_page(whole):
    data, _reader, pages = whole
    last_code = data.table.indicators[-1].indicator.code
    page = next(i for i, text in reversed(list(enumerate(pages))) if last_code in text)
    # The last indicator shares its page with at least two others.
    others = [e.indicator.code for e in data.table.indicators[-3:-1]]
    assert all(code in pages[page] for code in others)


def test_a_quarter_heading_never_breaks_between_tw_and_its_numeral():
    assert glue("Realisasi TW III") == "Realisasi TW\u00a0III"
    for width in range(20, 120, 4):
        lines = wrap(glue("Realisasi TW III"), width, FONT, 7).split("\n")
        assert not any(re.search(r"TW$", line) for line in lines), lines
        assert not any(line.startswith(("III", "IV")) for line in lines), lines


def test_a_gap_named_for_budget_and_indicator_is_written_once():
    class Block:
        notes = ["Rp: data 2019 belum ada", "belum diverifikasi: TW II"]

    class Line:
        notes = ["data 2019 belum ada", "TW I: catatan"]

    assert row_notes(Block, 0, Line) == [
        "K dan Rp: data 2019 belum ada",
        "belum diverifikasi: TW II",
        "TW I: catatan",
    ]
    assert row_notes(Block, 1, Line) == ["data 2019 belum ada", "TW I: catatan"]
    assert row_notes(Block, 0, None) == Block.notes
