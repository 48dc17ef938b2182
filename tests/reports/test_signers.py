"""Who signs the quarterly report, and how the signature block is printed.

The expected signers are looked up here in the Official table (the heads in
office on the report's date), not through ``reports.signers``, and looked for in
the text pypdf extracts from the signature block, column by column.
"""

import datetime
import io
from collections import defaultdict

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from reports.services import resolve_request
from reports.signers import full_position
from tracker.formatting import format_date_id, format_nip, format_rank
from tracker.models import Official, Unit

BAPPEDA_POSITION = "Kepala Badan Perencanaan Pembangunan Daerah"

# --- The full position -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "position, government, place, full",
    [
        (
            BAPPEDA_POSITION,
            "Pemerintah Kota Cilegon",
            "Cilegon",
            "Kepala Badan Perencanaan Pembangunan Daerah Kota Cilegon",
        ),
        (
            "Kepala Dinas Kesehatan",
            "Pemerintah Kabupaten Serang",
            "Serang",
            "Kepala Dinas Kesehatan Kabupaten Serang",
        ),
        ("Camat Cibeber", "Pemerintah Kota Cilegon", "Cilegon", "Camat Cibeber Kota Cilegon"),
        # A government named without "Pemerintah" is used whole.
        ("Kepala Dinas Sosial", "Kota Cilegon", "Cilegon", "Kepala Dinas Sosial Kota Cilegon"),
        # Runs of spaces do not hide the government.
        (
            "Kepala  Dinas Sosial ",
            "Pemerintah  Kota Cilegon",
            "",
            "Kepala Dinas Sosial Kota Cilegon",
        ),
    ],
)
def test_the_position_gets_the_government(position, government, place, full):
    assert full_position(position, government, place) == full


@pytest.mark.parametrize(
    "position",
    [
        "Walikota Cilegon",  # ends with the place name
        "Wakil Walikota Cilegon",
        "Inspektur Kota Cilegon",  # ends with the government
        "Sekretaris Daerah Kota Cilegon",
        "Sekretaris Daerah kota cilegon",  # whatever the case
    ],
)
def test_a_position_that_names_the_government_is_kept(position):
    assert full_position(position, "Pemerintah Kota Cilegon", "Cilegon") == position


def test_the_government_is_matched_as_whole_words():
    # "...Cilegonan" does not end with "Cilegon".
    assert (
        full_position("Kepala UPT Cilegonan", "Pemerintah Kota Cilegon", "Cilegon")
        == "Kepala UPT Cilegonan Kota Cilegon"
    )


def test_no_position_stays_empty():
    assert full_position("", "Pemerintah Kota Cilegon", "Cilegon") == ""
    assert full_position(None, "Pemerintah Kota Cilegon", "Cilegon") == ""
    assert full_position(BAPPEDA_POSITION, "", "") == BAPPEDA_POSITION


# --- The signature block of the demo's reports -------------------------------------------------


def issue(tmp_path, *args):
    output = tmp_path / "laporan.pdf"
    call_command(
        "quarterly_report",
        *("--government", "36.72", "--year", "2020", "--quarter", "3"),
        *("--output", str(output), *args),
    )
    return output.read_bytes()


class Block:
    """The signature block of a PDF, read back: each column's lines top to bottom, and
    the height (baseline) of each line. Columns are told apart by where a line starts
    on the page: the block's two columns meet in the middle of the page."""

    HEADING = "5. Pengesahan"

    def __init__(self, content):
        reader = PdfReader(io.BytesIO(content))
        pages = [p for p in reader.pages if self.HEADING in p.extract_text()]
        assert len(pages) == 1, "the signature block is on one page"
        page = pages[0]
        middle = float(page.mediabox.width) / 2
        chunks = []

        def visit(text, cm, tm, _font, _size):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                chunks.append((round(y, 1), x, text.strip()))

        self.page_text = page.extract_text(visitor_text=visit)
        heading_y = max(y for y, _x, text in chunks if self.HEADING in text)
        lines = defaultdict(list)  # (column, y) -> [(x, text)]
        for y, x, text in chunks:
            if y < heading_y:
                lines[(0 if x < middle else 1, y)].append((x, text))
        self.columns = [[], []]  # [(y, text)] top to bottom
        for (column, y), parts in sorted(lines.items(), key=lambda item: -item[0][1]):
            self.columns[column].append((y, " ".join(t for _x, t in sorted(parts))))

    def text(self, column):
        """The column's text on one line (a wrapped position reads whole)."""
        return " ".join(text for _y, text in self.columns[column])

    def line(self, column, text):
        """The (first) line of ``column`` that holds ``text``; its height and text."""
        found = [(y, line) for y, line in self.columns[column] if text in line]
        assert found, f"{text!r} not in column {column}: {self.columns[column]!r}"
        return found[0]


def head_of(unit, on):
    return Official.objects.in_office(on).get(unit=unit, is_head=True)


def regional_head(government, on):
    return Official.objects.in_office(on).get(
        unit__government=government, unit__kind=Unit.Kind.KEPALA_DAERAH, is_head=True
    )


def report_date(government, unit_code=None):
    """The date the 2020 TW III report of ``unit_code`` (or the whole government) gets
    when none is given: the rule of ``default_report_date`` for that report's scope."""
    return resolve_request(
        year=2020, quarter=3, government_code=government.region_code, unit_code=unit_code
    ).report_date


def assert_signs(block, column, caption, official, government):
    """``official`` signs in ``column`` under ``caption``, in the order of the form."""
    text = block.text(column)
    position = official.position
    if not position.endswith(("Kota Cilegon", government.place_name)):
        position = f"{position} Kota Cilegon"
    parts = [f"{caption},", position, official.name]
    if official.rank:
        parts.append(format_rank(official.rank))
    if official.nip:
        parts.append(f"NIP. {format_nip(official.nip)}")
    at = [text.find(part) for part in parts]
    assert -1 not in at, f"{parts!r} not all in {text!r}"
    assert at == sorted(at), f"{parts!r} out of order in {text!r}"
    return text


@pytest.mark.django_db
def test_the_whole_government_report_is_acknowledged_by_the_mayor(cilegon, unit, tmp_path):
    on = report_date(cilegon)
    mayor = regional_head(cilegon, on)
    planner = head_of(unit("BAPPEDA"), on)
    assert planner.position == BAPPEDA_POSITION and planner.nip and planner.rank

    block = Block(issue(tmp_path))

    left = assert_signs(block, 0, "Mengetahui", mayor, cilegon)
    right = assert_signs(block, 1, "Disusun oleh", planner, cilegon)
    assert f"{BAPPEDA_POSITION} Kota Cilegon" in right
    assert right.startswith(f"Cilegon, {format_date_id(on)}")
    assert "Cilegon, " not in left
    # The elected head has no NIP and no rank; the rank reads "Pembina (IV/a)".
    assert "NIP" not in left and "(IV/" not in left
    assert format_rank(planner.rank) in right and " / IV/" not in right
    assert format_rank(planner.rank).endswith(("(IV/a)", "(IV/b)", "(IV/c)", "(IV/d)", "(IV/e)"))
    assert "Dievaluasi" not in block.page_text
    # The names sit at the same height, whatever the positions above them wrap to.
    assert block.line(0, mayor.name)[0] == block.line(1, planner.name)[0]
    assert block.line(0, mayor.name)[1] == mayor.name
    assert block.line(1, planner.name)[1] == planner.name


@pytest.mark.django_db
def test_a_unit_report_is_prepared_by_its_head_and_evaluated_by_bappeda(cilegon, unit, tmp_path):
    on = report_date(cilegon, "DKISS")
    dkiss = head_of(unit("DKISS"), on)
    planner = head_of(unit("BAPPEDA"), on)
    mayor = regional_head(cilegon, on)

    block = Block(issue(tmp_path, "--unit", "DKISS"))

    left = assert_signs(block, 0, "Dievaluasi oleh", planner, cilegon)
    right = assert_signs(block, 1, "Disusun oleh", dkiss, cilegon)
    assert f"{dkiss.position} Kota Cilegon" in right
    assert right.startswith(f"Cilegon, {format_date_id(on)}")
    assert "Mengetahui" not in block.page_text
    assert mayor.name not in block.page_text
    assert dkiss.name not in left and planner.name not in right
    assert block.line(0, planner.name)[0] == block.line(1, dkiss.name)[0]


@pytest.mark.django_db
def test_the_signers_are_those_in_office_on_the_report_date(cilegon, unit, tmp_path):
    on = datetime.date(2021, 3, 1)
    mayor = regional_head(cilegon, on)
    earlier = regional_head(cilegon, report_date(cilegon))
    assert mayor != earlier, "the demo's Walikota changed in February 2021"

    # A rank entered the old way ("Pembina / IV/a") is printed the way the form wants it.
    planner = head_of(unit("BAPPEDA"), on)
    planner.rank = "Pembina Tk. I / IV/b"
    planner.save()

    block = Block(issue(tmp_path, "--date", on.isoformat()))

    assert_signs(block, 0, "Mengetahui", mayor, cilegon)
    assert earlier.name not in block.page_text
    right = assert_signs(block, 1, "Disusun oleh", planner, cilegon)
    assert "Pembina Tk. I (IV/b)" in right and "/ IV/b" not in right
    assert f"Cilegon, {format_date_id(on)}" in right


@pytest.mark.django_db
def test_the_demo_writes_ranks_with_the_golongan_in_parentheses(cilegon):
    ranks = set(
        Official.objects.filter(unit__government=cilegon)
        .exclude(rank="")
        .values_list("rank", flat=True)
    )
    assert ranks and all(rank == format_rank(rank) and rank.endswith(")") for rank in ranks)
