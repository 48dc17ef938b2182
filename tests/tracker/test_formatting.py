import datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.formatting import (
    format_date_id,
    format_datetime_id,
    format_nip,
    format_number_id,
    format_rank,
    format_rupiah,
)


def test_dates_as_on_paper():
    assert format_date_id(datetime.date(2019, 10, 11)) == "11 Oktober 2019"
    assert format_date_id(datetime.date(2020, 1, 1)) == "1 Januari 2020"
    assert format_date_id(None) == ""


def test_aware_datetimes_are_shown_in_wib():
    utc_evening = datetime.datetime(2019, 10, 10, 20, 0, tzinfo=ZoneInfo("UTC"))
    # 20:00 UTC is 03:00 the next day in Jakarta
    assert format_date_id(utc_evening) == "11 Oktober 2019"
    assert format_datetime_id(utc_evening) == "11 Oktober 2019 03.00 WIB"


@pytest.mark.parametrize(
    "value, places, text",
    [
        (D("1234.56"), 2, "1.234,56"),
        (D("1234.565"), 2, "1.234,57"),
        (D("0.5"), 2, "0,50"),
        (D("-1234567.8"), 2, "-1.234.567,80"),
        (D("1000000"), 0, "1.000.000"),
        (D("999"), 0, "999"),
        (3.27, 2, "3,27"),
    ],
)
def test_numbers(value, places, text):
    assert format_number_id(value, places) == text


def test_rupiah():
    assert format_rupiah(D("1000000")) == "Rp1.000.000"
    assert format_rupiah(D("1234000.40")) == "Rp1.234.000"
    assert format_rupiah(D("-2500")) == "-Rp2.500"
    assert format_rupiah(None) == ""


@given(st.decimals(min_value="-1e12", max_value="1e12", places=2))
def test_number_text_reads_back_to_the_value(value):
    text = format_number_id(value, 2)
    assert D(text.replace(".", "").replace(",", ".")) == value


def test_nip():
    assert format_nip("198609262015051001") == "19860926 201505 1 001"
    assert format_nip("") == ""
    assert format_nip("123") == "123"


@pytest.mark.parametrize(
    "written",
    ["Pembina / IV/a", "Pembina, IV/a", "Pembina IV/a", "Pembina (IV/a)", "Pembina  ( IV / A ) "],
)
def test_rank_puts_the_golongan_in_parentheses(written):
    assert format_rank(written) == "Pembina (IV/a)"


@pytest.mark.parametrize(
    "written, printed",
    [
        ("Pembina Tk. I / IV/b", "Pembina Tk. I (IV/b)"),
        ("Pembina Tk. I, IV/b", "Pembina Tk. I (IV/b)"),
        ("Pembina Utama Muda / IV/c", "Pembina Utama Muda (IV/c)"),
        ("Penata Muda Tk. I - III/b", "Penata Muda Tk. I (III/b)"),
        ("Juru Muda I/a", "Juru Muda (I/a)"),
        ("IV/a", "IV/a"),
    ],
)
def test_rank_keeps_the_pangkat_whole(written, printed):
    assert format_rank(written) == printed


@pytest.mark.parametrize(
    "text", ["Pembina", "Pembina Tk. I", "Ajun Komisaris Besar", "PembinaIV/a"]
)
def test_rank_without_golongan_is_unchanged(text):
    assert format_rank(text) == text


def test_no_rank_is_empty():
    assert format_rank("") == ""
    assert format_rank(None) == ""


# --- One style for a moment on every page (issue 13) -----------------------------------------


def test_naive_datetimes_and_plain_dates_get_the_same_style():
    assert format_datetime_id(datetime.datetime(2022, 1, 18, 10, 0)) == "18 Januari 2022 10.00 WIB"
    assert format_datetime_id(datetime.date(2022, 1, 18)) == "18 Januari 2022"


def test_the_waktu_filter_writes_18_januari_2022_10_00_wib():
    from django.utils import translation

    from tracker.templatetags.indonesia import waktu

    moment = datetime.datetime(2022, 1, 18, 3, 0, tzinfo=ZoneInfo("UTC"))
    with translation.override("id"):
        assert waktu(moment) == "18 Januari 2022 10.00 WIB"
        assert waktu(datetime.date(2022, 1, 18)) == "18 Januari 2022"
    with translation.override("en"):
        assert waktu(moment) == "18 January 2022 10:00 WIB"


def test_quarter_headings_follow_the_language():
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load indonesia %}{{ 1|tw }}|{{ 4|tw }}")
    with translation.override("en"):
        assert template.render(Context()) == "Q I|Q IV"
    with translation.override("id"):
        assert template.render(Context()) == "TW I|TW IV"


def test_program_page_quarter_headings_are_translated(login, cilegon):
    from django.urls import reverse

    from programs.models import Program

    program = Program.objects.filter(owner_unit__code="DKISS").first()
    client = login("bappeda")
    page = client.get(reverse("program-detail", args=[program.pk])).content.decode()
    assert "TW I</th>" in page and "TW IV</th>" in page
    client.cookies.load({"django_language": "en"})
    page = client.get(reverse("program-detail", args=[program.pk])).content.decode()
    assert "Q I</th>" in page and "Q IV</th>" in page
    assert "TW I" not in page


def test_my_tasks_starts_its_sentences_and_badges_with_a_capital(login):
    import re

    from django.urls import reverse

    page = login("dkiss").get(reverse("my-tasks")).content.decode()
    badges = re.findall(r'class="(?:badge[^"]*|text-muted(?: small)?)">([^<]+)<', page)
    assert badges, "the page lists the unit's reports"
    for text in badges:
        first = text.strip()[:1]
        assert not first.isalpha() or first.isupper(), text
