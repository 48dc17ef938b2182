"""The report's "Mengetahui" column names the regional head by the government's kind.

The demo's Cilegon is made a kabupaten, then a provinsi, in the test (its rows
change, its officials stay), and the signature block is read back from the PDF.
"""

import datetime

import pytest

from commitments.models import CommitmentPoint
from tests.reports.test_quarterly_report import pdf_text
from tests.reports.test_signers import Block, issue, regional_head, report_date
from tracker.models import Official, Unit


def _become(government, *, kind, name):
    government.kind = kind
    government.name = name
    government.save()
    return government


@pytest.mark.django_db
def test_a_kabupaten_s_report_is_acknowledged_by_the_bupati(cilegon, tmp_path):
    head = regional_head(cilegon, report_date(cilegon))
    assert head.position == "Walikota Cilegon"  # as the demo typed it, for a kota
    _become(cilegon, kind="kabupaten", name="Pemerintah Kabupaten Cilegon")

    content = issue(tmp_path)
    left = Block(content).text(0)
    assert left.startswith("Mengetahui, Bupati Cilegon")
    assert head.name in left
    # Nowhere a Wali Kota: nothing the system writes names one; only the commitment's
    # points, as the demo typed them, may ("… kepada Walikota melalui Bappeda").
    text = " ".join(pdf_text(content).split())
    for point in CommitmentPoint.objects.filter(commitment__government=cilegon):
        text = text.replace(" ".join(point.text.split()), "")
    assert "wali kota" not in text.lower() and "walikota" not in text.lower()


@pytest.mark.django_db
def test_a_provinsi_s_report_is_acknowledged_by_the_gubernur(cilegon, tmp_path):
    _become(cilegon, kind="provinsi", name="Pemerintah Provinsi Banten")
    left = Block(issue(tmp_path)).text(0)
    assert left.startswith("Mengetahui, Gubernur Banten")
    assert "Bupati" not in left and "alikota" not in left.replace("Wali Kota", "")


@pytest.mark.django_db
def test_an_acting_head_signs_as_recorded(cilegon, tmp_path):
    _become(cilegon, kind="kabupaten", name="Pemerintah Kabupaten Cilegon")
    head = regional_head(cilegon, report_date(cilegon))
    head.position = "Pj. Bupati Cilegon"
    head.save()
    assert Block(issue(tmp_path)).text(0).startswith("Mengetahui, Pj. Bupati Cilegon")


@pytest.mark.django_db
def test_with_nobody_in_office_the_office_is_still_printed(cilegon, tmp_path):
    on = report_date(cilegon)
    head = regional_head(cilegon, on)
    head.end_date = on - datetime.timedelta(days=1)
    head.save()
    assert not Official.objects.in_office(on).filter(
        unit__government=cilegon, unit__kind=Unit.Kind.KEPALA_DAERAH, is_head=True
    )
    left = Block(issue(tmp_path)).text(0)
    # The law's spelling (UU 23/2014), above an empty name.
    assert left.startswith("Mengetahui, Wali Kota Cilegon")
    assert head.name not in left
