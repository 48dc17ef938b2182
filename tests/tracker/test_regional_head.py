"""The regional head's and deputy's titles by the government's kind (tracker/regional_head.py)."""

import pytest

from tests.factories import GovernmentFactory
from tracker import regional_head
from tracker.models import Government


@pytest.mark.parametrize(
    "kind, name, place, head, deputy",
    [
        (
            Government.Kind.KOTA,
            "Pemerintah Kota Cilegon",
            "Cilegon",
            "Wali Kota Cilegon",
            "Wakil Wali Kota Cilegon",
        ),
        (
            Government.Kind.KABUPATEN,
            "Pemerintah Kabupaten Serang",
            "Ciruas",
            "Bupati Serang",
            "Wakil Bupati Serang",
        ),
        (
            Government.Kind.PROVINSI,
            "Pemerintah Provinsi Banten",
            "Serang",
            "Gubernur Banten",
            "Wakil Gubernur Banten",
        ),
        # Written short, or without "Pemerintah", or with a name that is only the kind.
        (Government.Kind.KABUPATEN, "Kab. Lebak", "Rangkasbitung", "Bupati Lebak", None),
        (Government.Kind.KOTA, "Kota Tangerang Selatan", "", "Wali Kota Tangerang Selatan", None),
        (Government.Kind.KOTA, "Pemerintah Kota", "Cilegon", "Wali Kota Cilegon", None),
    ],
)
def test_the_head_is_titled_by_the_kind(kind, name, place, head, deputy):
    government = GovernmentFactory.build(kind=kind, name=name, place_name=place)
    assert government.head_position == head
    if deputy:
        assert government.deputy_position == deputy


def test_titles_by_kind():
    assert [regional_head.head_title(k) for k in ("kota", "kabupaten", "provinsi")] == [
        "Wali Kota",
        "Bupati",
        "Gubernur",
    ]
    assert [regional_head.deputy_title(k) for k in ("kota", "kabupaten", "provinsi")] == [
        "Wakil Wali Kota",
        "Wakil Bupati",
        "Wakil Gubernur",
    ]


@pytest.mark.parametrize(
    "position, kind, names",
    [
        ("Walikota Cilegon", "kota", True),
        ("Wali Kota Cilegon", "kota", True),
        ("Plt. Wali Kota Cilegon", "kota", True),
        ("Pj. Bupati Serang", "kabupaten", True),
        ("BUPATI SERANG", "kabupaten", True),
        ("Gubernur Banten", "provinsi", True),
        ("Walikota Serang", "kabupaten", False),  # another kind's title
        ("Bupati Serang", "kota", False),
        ("Kepala Bappeda", "kota", False),
        ("Sekretaris Kabupaten", "kabupaten", False),
        ("", "kota", False),
    ],
)
def test_a_position_names_the_head_of_its_kind_only(position, kind, names):
    assert regional_head.names_head(position, kind) is names
