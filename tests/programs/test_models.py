"""Bad input on the plan is refused with a clear message, and nothing is saved."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from programs import services
from programs.models import Indicator, IndicatorTarget, Plan


@pytest.fixture
def spbe(cilegon):
    return Indicator.objects.get(plan__government=cilegon, code="IKU-1.1")


def test_target_for_a_year_outside_the_plan_period_is_refused(spbe):
    before = IndicatorTarget.objects.count()
    with pytest.raises(ValidationError) as error:
        services.set_indicator_target(actor=None, indicator=spbe, year=2022, target=D("4"))
    assert "2016-2021" in error.value.message_dict["year"][0]
    assert IndicatorTarget.objects.count() == before


def test_negative_budget_is_refused(spbe):
    with pytest.raises(ValidationError) as error:
        services.set_indicator_target(
            actor=None, indicator=spbe, year=2019, target=D("3.3"), budget=D("-1")
        )
    assert "budget" in error.value.message_dict
    assert IndicatorTarget.objects.get(indicator=spbe, year=2019).budget is None


def test_non_numeric_target_is_refused(spbe):
    with pytest.raises(ValidationError) as error:
        services.set_indicator_target(actor=None, indicator=spbe, year=2019, target="tiga")
    assert "target" in error.value.message_dict
    assert IndicatorTarget.objects.get(indicator=spbe, year=2019).target == D("3.23")


def test_changing_a_target_keeps_the_old_value_in_history(spbe, django_user_model):
    bappeda = django_user_model.objects.get(username="bappeda")
    services.set_indicator_target(
        actor=bappeda, indicator=spbe, year=2020, target=D("3.60"), reason="Revisi RPJMD"
    )
    row = IndicatorTarget.objects.get(indicator=spbe, year=2020)
    latest, previous = row.history.order_by("-history_date", "-history_id")[:2]
    assert latest.target == D("3.60") and previous.target == D("3.52")
    assert latest.history_user == bappeda
    assert latest.history_change_reason == "Revisi RPJMD"


def test_achievement_of_the_2018_spbe_realisation(spbe):
    row = IndicatorTarget.objects.get(indicator=spbe, year=2018)
    assert row.realisation == D("3.27")
    assert row.achievement == D("110.85")


def test_plan_must_end_after_it_starts(cilegon):
    with pytest.raises(ValidationError):
        services.create_plan(
            actor=None,
            government=cilegon,
            name="X",
            start_year=2021,
            end_year=2021,
            legal_basis="-",
            vision="-",
        )
    assert Plan.objects.filter(government=cilegon).count() == 1


def test_indicator_needs_exactly_one_level(cilegon):
    plan = Plan.objects.get(government=cilegon)
    with pytest.raises(TypeError):
        services.add_indicator(
            actor=None, plan=plan, level=plan, code="X", name="X", unit_of_measure="%"
        )
