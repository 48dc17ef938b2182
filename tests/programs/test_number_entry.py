"""Numbers on the program pages and the quarterly report are typed as people write them
("2,50", "1.500.000"); an edit form saved unchanged changes nothing; a realisation far
off the previous quarter's is saved only once confirmed (issue 22)."""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from programs.models import (
    AdoptionIndicator,
    IndicatorRealisation,
    Milestone,
    Program,
    ProgramBudget,
    ProgressReport,
)
from tests.programs.test_program_setup import _edit_data
from tests.rpjmd.test_number_entry import shown_values

NUMERIC = re.compile(r"-(amount|quarterly_target|weight)$")


def _history_count():
    return sum(
        model.history.count() for model in (Program, ProgramBudget, AdoptionIndicator, Milestone)
    )


def _p01():
    return Program.objects.get(title="Layanan Panggilan Darurat 112")


def test_the_program_page_has_no_number_inputs_for_money(login):
    html = login("bappeda").get(reverse("program-edit", args=[_p01().pk])).content.decode()
    amounts = re.findall(r'<input[^>]*name="budget-\d+-amount"[^>]*>', html)
    assert amounts and all('type="text"' in tag and "inputmode" in tag for tag in amounts)
    assert 'value="850.000.000"' in html


def test_program_saved_unchanged_writes_nothing(login):
    program = _p01()
    client = login("bappeda")
    url = reverse("program-edit", args=[program.pk])
    shown = shown_values(client.get(url).content.decode())
    data = _edit_data(program, reason="Tidak berubah")
    data.update({name: value for name, value in shown.items() if NUMERIC.search(name)})
    before = _history_count()
    assert client.post(url, data).status_code == 302
    assert _history_count() == before


def test_budgets_and_adoption_targets_are_read_as_people_mean_them(login, make_program):
    program = make_program()
    client = login("bappeda")
    url = reverse("program-edit", args=[program.pk])
    data = _edit_data(program, reason="Perubahan")
    data["budget-0-amount"] = "1.500.000,50"
    data["adoption-0-quarterly_target"] = "2,50"
    assert client.post(url, data).status_code == 302
    assert program.budgets.get(year=2022).amount == D("1500000.50")
    assert program.adoption_indicators.get().quarterly_target == D("2.50")
    data["budget-0-amount"] = "1.240"  # whole Rupiah: Rp1.240
    assert client.post(url, data).status_code == 302
    assert program.budgets.get(year=2022).amount == D("1240")

    data["adoption-0-quarterly_target"] = "1.240"  # people or a rate? asked about
    before = _history_count()
    response = client.post(url, data)
    assert response.status_code == 200
    message = response.context["adoption"].forms[0].errors["quarterly_target"][0]
    assert "1240" in message and "1,24" in message
    assert _history_count() == before


def test_milestone_weights_are_typed_with_a_comma(login, make_program):
    program = make_program()
    client = login("bappeda")
    url = reverse("program-milestones", args=[program.pk])
    shown = shown_values(client.get(url).content.decode())
    assert shown["milestone-0-weight"] == "30"
    before = _history_count()
    assert client.post(url, {**shown, "reason": ""}).status_code == 302
    assert _history_count() == before  # saved unchanged: nothing written
    shown.update({"milestone-0-weight": "33,33", "milestone-1-weight": "26,67"})
    assert client.post(url, {**shown, "reason": ""}).status_code == 302
    weights = list(program.milestones.order_by("planned_start").values_list("weight", flat=True))
    assert weights == [D("33.33"), D("26.67"), D("40")]


@pytest.fixture
def count_program(make_program):
    """A program reporting IKP-2.16.03 (a count) and IKU-1.2 (an index with decimals)."""
    return make_program(indicators=("IKP-2.16.03", "IKU-1.2"))


def _report_data(program, values):
    milestones = list(program.milestones.order_by("planned_start"))
    data = {
        "version": 1,
        **{f"milestone_{m.pk}": "0" for m in milestones},
        "budget_realisation": "",
    }
    data.update(values)
    return data


def test_report_values_are_read_as_people_mean_them(login, count_program, period_2022):
    program, period = count_program, period_2022(1)
    count = program.indicators.get(code="IKP-2.16.03")
    index = program.indicators.get(code="IKU-1.2")
    adoption = program.adoption_indicators.get()
    client = login("dkiss")
    url = reverse("report-edit", args=[program.pk, period.pk])
    values = {
        f"indicator_{count.pk}": "1.240",
        f"indicator_{index.pk}": "71,90",
        f"adoption_{adoption.pk}": "2,50",
        "budget_realisation": "1.500.000,50",
    }
    response = client.post(url, _report_data(program, values))
    assert response.status_code == 302, response.context["form"].errors
    report = ProgressReport.objects.get(program=program, period=period)
    rows = dict(report.indicator_rows.values_list("indicator_id", "value"))
    assert rows == {count.pk: D("1240"), index.pk: D("71.90")}
    assert report.adoption_rows.get().value == D("2.50")
    assert report.budget_realisation == D("1500000.50")

    # The form shows them back the Indonesian way, and saving it unchanged changes nothing.
    html = client.get(url).content.decode()
    shown = shown_values(html)
    assert shown[f"indicator_{count.pk}"] == "1.240"
    assert shown[f"indicator_{index.pk}"] == "71,90"
    before = IndicatorRealisation.history.count()
    assert client.post(url, shown).status_code == 302
    assert IndicatorRealisation.history.count() == before


def test_a_realisation_far_off_the_previous_quarter_needs_confirming(
    login, count_program, period_2022, django_user_model
):
    program = count_program
    count = program.indicators.get(code="IKP-2.16.03")
    client = login("dkiss")
    first, second = period_2022(1), period_2022(2)
    field = f"indicator_{count.pk}"
    data = _report_data(program, {field: "12"})
    assert client.post(reverse("report-edit", args=[program.pk, first.pk]), data).status_code == 302

    url = reverse("report-edit", args=[program.pk, second.pk])
    data[field] = "1.240"  # meant 12,40? a count has no decimals: 103x the previous quarter
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="confirm_unusual"' in html and "103x" in html
    assert not ProgressReport.objects.filter(program=program, period=second).exists()

    data["confirm_unusual"] = "on"
    assert client.post(url, data).status_code == 302
    report = ProgressReport.objects.get(program=program, period=second)
    row = report.indicator_rows.get(indicator=count)
    assert row.value == D("1240")
    record = row.history.latest("history_id")
    assert record.history_user == django_user_model.objects.get(username="dkiss")
    assert "103x" in record.history_change_reason


def test_a_budget_realisation_far_off_the_previous_quarter_needs_confirming(
    login, count_program, period_2022
):
    program = count_program
    client = login("dkiss")
    first, second = period_2022(1), period_2022(2)
    data = _report_data(program, {"budget_realisation": "150.000.000"})
    assert client.post(reverse("report-edit", args=[program.pk, first.pk]), data).status_code == 302

    url = reverse("report-edit", args=[program.pk, second.pk])
    data["budget_realisation"] = "15.000.000.000"  # a "000" too many: 100x
    response = client.post(url, data)
    assert response.status_code == 200
    assert "100x" in response.content.decode()
    assert not ProgressReport.objects.filter(program=program, period=second).exists()

    data["confirm_unusual"] = "on"
    assert client.post(url, data).status_code == 302
    report = ProgressReport.objects.get(program=program, period=second)
    assert report.budget_realisation == D("15000000000")
    assert "100x" in report.history.latest("history_id").history_change_reason
