"""The open data: the page's figures as CSV and JSON, described by the data dictionary."""

import csv
import io
import json
from decimal import Decimal

import lxml.html
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from tests.transparency.conftest import Subject, committed
from transparency import opendata

pytestmark = pytest.mark.django_db


def _csv(client):
    response = client.get(reverse("public-data-csv", args=["36.72"]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _json(client):
    response = client.get(reverse("public-data-json", args=["36.72"]))
    return json.loads(response.content)


def _page_number(text):
    """ "43,21 %" (or "1.234,5") as the open data writes it: "43.21"; "—" -> ""."""
    text = text.replace("%", "").strip()
    if text in ("", "—"):
        return ""
    return text.replace(".", "").replace(",", ".")


def _cell_text(cell):
    """A cell's text as a wide screen shows it (phones repeat the unit under the name)."""
    for phone_only in cell.find_class("d-md-none"):
        phone_only.drop_tree()
    return cell.text_content().strip()


def _table(client, table_id):
    html = client.get(reverse("public-page", args=["36.72"])).content.decode()
    tree = lxml.html.fromstring(html)
    return [
        [_cell_text(cell) for cell in row.findall("td")]
        for row in tree.get_element_by_id(table_id).find("tbody").findall("tr")
    ]


def test_csv_and_json_hold_the_pages_figures(client, published, subject):
    with committed():
        subject.verify()
    rows = _csv(client)
    data = _json(client)
    programs = [r for r in rows if r["record"] == "program"]
    page_programs = _table(client, "programs")
    assert len(programs) == len(page_programs) == len(data["programs"]) > 20
    for (code, title, unit, _status, progress), row, item in zip(
        page_programs, programs, data["programs"], strict=True
    ):
        assert (row["code"], row["name"], row["unit"]) == (code, title, unit)
        assert row["verified_progress_percent"] == _page_number(progress)
        assert item["verified_progress_percent"] == row["verified_progress_percent"]
    ours = next(r for r in programs if r["code"] == "PUB-1")
    assert ours["verified_progress_percent"] == "43.21"

    year = data["period"]["year"]
    indicators = [r for r in rows if r["record"] == "indicator" and r["year"] == str(year)]
    page_indicators = _table(client, "indicators")
    assert len(indicators) == len(page_indicators) == len(data["indicators"]) > 10
    for (code, _name, _uom, target, realisation, achievement, predicate), row in zip(
        page_indicators, indicators, strict=True
    ):
        assert row["code"] == code
        assert Decimal(row["target"] or 0) == Decimal(_page_number(target) or 0)
        assert row["realisation"] == "" or Decimal(row["realisation"]) == Decimal(
            _page_number(realisation)
        )
        assert (row["realisation"] == "") == (realisation == "")
        assert row["achievement_percent"] == _page_number(achievement)
        assert row["predicate"] == predicate
    ours = next(i for i in data["indicators"] if i["code"] == "PUB-IKU")
    assert ours["years"][-1] == {
        "year": 2021,
        "target": "10.00",
        "realisation": "7.77",
        "achievement_percent": "77.70",
        "predicate": ours["years"][-1]["predicate"],
    }
    assert ours["years"][-1]["predicate"]  # a band name, in the reader's language
    assert [y["year"] for y in ours["years"]] == list(range(2016, 2022))


def test_text_that_looks_like_a_formula_is_neutralised_in_the_csv(client, published, cilegon):
    title = '=HYPERLINK("http://contoh.test","klik")'
    with committed():
        Subject(cilegon, title=title)
    program = next(r for r in _csv(client) if r["code"] == "PUB-1")
    assert program["name"] == "'" + title
    assert next(p for p in _json(client)["programs"] if p["code"] == "PUB-1")["name"] == title


def test_every_field_is_in_the_dictionary_in_both_languages(client, published):
    url = reverse("public-dictionary", args=["36.72"])
    page = client.get(url).content.decode()
    with translation.override("id"):
        for name, _type, description in opendata.FIELDS:
            assert f"<code>{name}</code>" in page
            assert escape(str(description)) in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    with translation.override("en"):
        for _name, _type, description in opendata.FIELDS:
            assert escape(str(description)) in english
    assert list(_csv(client)[0]) == opendata.FIELD_NAMES
