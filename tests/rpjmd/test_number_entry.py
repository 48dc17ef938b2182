"""Numbers on the RPJMD pages are typed as people write them ("71,90", "1.500.000"), an
edit form shows them so that saving it unchanged changes nothing, and a number far off
its neighbours is saved only once confirmed (issue 22)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from programs.models import Indicator, IndicatorTarget
from tests.rpjmd.conftest import stored_counts

INPUT = re.compile(r"<input\b[^>]*>")
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def shown_values(html):
    """``{name: value}`` of the text inputs and checked boxes a page shows, as a browser
    would post them back (hidden fields included)."""
    values = {}
    for tag in INPUT.findall(html):
        attrs = dict(ATTR.findall(tag))
        name = attrs.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        if attrs.get("type") == "checkbox" and "checked" not in tag:
            continue
        values[name] = attrs.get("value", "")
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        values[name] = text.strip()
    for name, option in re.findall(
        r'<select[^>]*name="([^"]+)"[^>]*>.*?<option value="([^"]*)"[^>]*selected', html, re.S
    ):
        values[name] = option
    return values


@pytest.fixture
def ikm(plan):
    """IKU-1.2, the satisfaction index: two decimal places, targets 76,25 to 85."""
    return Indicator.objects.get(plan=plan, code="IKU-1.2")


@pytest.fixture
def reports_112(plan):
    """IKP-2.16.03, reports through the 112 line: a count (no decimals), with a pagu."""
    return Indicator.objects.get(plan=plan, code="IKP-2.16.03")


def _targets_url(indicator):
    return reverse("rpjmd-indicator-targets", args=[indicator.pk])


def test_the_targets_page_uses_text_inputs_and_shows_numbers_the_indonesian_way(
    login, ikm, reports_112
):
    client = login("bappeda")
    html = client.get(_targets_url(ikm)).content.decode()
    assert 'type="number"' not in html
    assert 'name="target_2017" value="78,00"' in html
    assert 'inputmode="decimal"' in html
    assert "dengan titik" not in html and "(2.38)" not in html
    html = client.get(_targets_url(reports_112)).content.decode()
    assert 'name="budget_2019" value="1.357.000.000"' in html
    assert 'name="target_2019" value="2.000"' in html


@pytest.mark.parametrize("code", ["IKU-1.1", "IKU-1.2", "IKP-2.16.03", "IKP-2.16.01"])
def test_saving_the_form_unchanged_changes_nothing(plan, login, code):
    indicator = Indicator.objects.get(plan=plan, code=code)
    stored = {t.year: (t.target, t.budget, t.realisation) for t in indicator.targets.all()}
    client = login("bappeda")
    data = shown_values(client.get(_targets_url(indicator)).content.decode())
    before = stored_counts()
    response = client.post(_targets_url(indicator), data, follow=True)
    assert response.redirect_chain, response.context["form"].errors
    assert "Nothing changed" in response.content.decode() or "Tidak ada" in (
        response.content.decode()
    )
    assert stored_counts() == before
    after = {t.year: (t.target, t.budget, t.realisation) for t in indicator.targets.all()}
    assert after == stored


def test_numbers_are_read_as_people_mean_them(login, ikm, reports_112):
    client = login("bappeda")
    data = shown_values(client.get(_targets_url(ikm)).content.decode())
    data.update(target_2020="71,90", budget_2020="1.500.000", realisation_2018="78,5")
    data.update(budget_2021="1.500.000,50")
    response = client.post(_targets_url(ikm), data)
    assert response.status_code == 302, response.context["form"].errors
    row = IndicatorTarget.objects.get(indicator=ikm, year=2020)
    assert (row.target, row.budget) == (Decimal("71.90"), Decimal("1500000"))
    assert IndicatorTarget.objects.get(indicator=ikm, year=2021).budget == Decimal("1500000.50")
    assert IndicatorTarget.objects.get(indicator=ikm, year=2018).realisation == Decimal("78.5")

    # A count: "1.240" is 1240, in the target, the pagu and the realisation alike.
    data = shown_values(client.get(_targets_url(reports_112)).content.decode())
    data.update(target_2021="2.500", realisation_2019="1.240")
    response = client.post(_targets_url(reports_112), data)
    assert response.status_code == 302, response.context["form"].errors
    assert IndicatorTarget.objects.get(indicator=reports_112, year=2021).target == 2500
    assert IndicatorTarget.objects.get(indicator=reports_112, year=2019).realisation == 1240


def test_an_ambiguous_number_is_refused_with_how_to_write_it(login, ikm):
    client = login("bappeda")
    data = shown_values(client.get(_targets_url(ikm)).content.decode())
    data["realisation_2019"] = "1.240"
    before = stored_counts()
    response = client.post(_targets_url(ikm), data)
    assert response.status_code == 200
    message = response.context["form"].errors["realisation_2019"][0]
    assert "1240" in message and "1,24" in message
    assert 'value="1.240"' in response.content.decode()  # what was typed stays
    assert stored_counts() == before


def test_a_hundredfold_target_is_saved_only_once_confirmed(login, ikm, bappeda):
    client = login("bappeda")
    url = _targets_url(ikm)
    data = shown_values(client.get(url).content.decode())
    data.update(target_2020="8325", reason="Revisi")  # 83,25 typed without its comma
    before = stored_counts()
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="unusual-numbers"' in html and 'name="confirm_unusual"' in html
    assert "102x" in html and "81,50" in html  # the previous year's target, named
    assert stored_counts() == before

    data["confirm_unusual"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    row = IndicatorTarget.objects.get(indicator=ikm, year=2020)
    assert row.target == Decimal("8325")
    record = row.history.latest("history_date")
    assert record.history_user == bappeda
    assert record.history_change_reason.startswith("Revisi; ")
    assert "102x" in record.history_change_reason or "98x" in record.history_change_reason
    # The other years were not confirmed: their history has the plain reason only.
    assert (
        IndicatorTarget.objects.get(indicator=ikm, year=2019)
        .history.filter(history_change_reason__contains="Revisi")
        .count()
        == 0
    )


def test_an_unchanged_far_off_number_asks_nothing(login, ikm):
    """Only what is typed now is checked: a stored jump does not block other edits."""
    IndicatorTarget.objects.filter(indicator=ikm, year=2016).update(target=Decimal("7625"))
    client = login("bappeda")
    data = shown_values(client.get(_targets_url(ikm)).content.decode())
    data["target_2021"] = "86,00"
    response = client.post(_targets_url(ikm), data)
    assert response.status_code == 302


def test_a_hundredfold_pagu_asks_for_confirmation(login, reports_112):
    client = login("bappeda")
    data = shown_values(client.get(_targets_url(reports_112)).content.decode())
    data["budget_2021"] = "149.500.000.000"  # a zero too many... twice
    response = client.post(_targets_url(reports_112), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "budget_2021" in errors and "1.426.000.000" in errors["budget_2021"][0]


@pytest.mark.parametrize(
    ("decimal_places", "typed", "expected"),
    [("0", "1.240", Decimal("1240")), ("2", "71,90", Decimal("71.90"))],
)
def test_indicator_baseline_and_final_target(login, ikm, decimal_places, typed, expected):
    client = login("bappeda")
    url = reverse("rpjmd-indicator-edit", args=[ikm.pk])
    html = client.get(url).content.decode()
    assert 'name="baseline_value" value="74,50"' in html
    assert 'name="final_target" value="85,00"' in html
    data = shown_values(html)
    data.update(decimal_places=decimal_places, baseline_value=typed, final_target="1.500.000")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    ikm.refresh_from_db()
    assert (ikm.baseline_value, ikm.final_target) == (expected, Decimal("1500000"))


def test_an_indicator_saved_unchanged_writes_no_history(login, ikm):
    client = login("bappeda")
    url = reverse("rpjmd-indicator-edit", args=[ikm.pk])
    data = shown_values(client.get(url).content.decode())
    before = stored_counts()
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert stored_counts() == before


def test_the_import_preview_writes_numbers_the_indonesian_way():
    from rpjmd.preview import display

    assert display(Decimal("1500000.00"), "number") == "1.500.000"
    assert display(Decimal("71.90"), "number") == "71,9"
    assert display(Decimal("1500000.50"), "number") == "1.500.000,5"
