"""The RPJMD services: updates that write only real changes, deletions only of what
nothing depends on, and the plan's government and codes kept coherent."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from programs.models import Goal, Indicator, IndicatorTarget, Mission, Plan
from rpjmd import services
from tests.rpjmd.conftest import stored_counts
from tracker.models import Unit


def test_update_writes_history_only_when_something_changes(plan, bappeda):
    mission = plan.missions.get(number=1)
    before = mission.history.count()
    services.update_mission(mission, actor=bappeda, text=mission.text, reason="sama")
    assert mission.history.count() == before
    services.update_mission(mission, actor=bappeda, text="Misi baru", reason="Revisi Perda")
    record = mission.history.latest("history_date")
    assert (record.text, record.history_user, record.history_change_reason) == (
        "Misi baru",
        bappeda,
        "Revisi Perda",
    )


def test_deleting_a_node_with_children_is_refused_and_changes_nothing(plan, bappeda):
    before = stored_counts()
    for node, delete in (
        (plan.missions.get(number=1), services.delete_mission),
        (Goal.objects.get(mission__plan=plan, code="1.1"), services.delete_goal),
        (Indicator.objects.get(plan=plan, code="IKU-1.1"), services.delete_indicator),
    ):
        with pytest.raises(ValidationError):
            delete(node, actor=bappeda)
    with pytest.raises(ValidationError):
        services.delete_plan(plan, actor=bappeda)
    assert stored_counts() == before


def test_deleting_a_leaf_records_who_and_why(plan, bappeda):
    mission = services.add_mission(actor=bappeda, plan=plan, number=9, text="Sementara")
    goal = services.add_goal(actor=bappeda, mission=mission, code="9.1", text="Sementara")
    indicator = services.add_indicator(
        actor=bappeda,
        plan=plan,
        level=goal,
        code="IKU-9",
        name="Sementara",
        unit_of_measure="persen",
    )
    services.set_target(actor=bappeda, indicator=indicator, year=2019, target=Decimal(1))
    services.delete_indicator(indicator, actor=bappeda, reason="Salah input")
    services.delete_goal(goal, actor=bappeda, reason="Salah input")
    services.delete_mission(mission, actor=bappeda, reason="Salah input")
    assert not Mission.objects.filter(pk=mission.pk).exists()
    for model in (Mission, Goal, Indicator, IndicatorTarget):
        record = model.history.filter(history_type="-").latest("history_date")
        assert (record.history_user, record.history_change_reason) == (bappeda, "Salah input")


def test_an_indicator_with_an_lkjip_realisation_is_not_deleted(plan, bappeda):
    goal = Goal.objects.get(mission__plan=plan, code="1.1")
    indicator = services.add_indicator(
        actor=bappeda, plan=plan, level=goal, code="IKU-9", name="X", unit_of_measure="persen"
    )
    services.set_target(
        actor=bappeda, indicator=indicator, year=2017, target=Decimal(1), realisation=Decimal(1)
    )
    with pytest.raises(ValidationError, match="LKjIP"):
        services.delete_indicator(indicator, actor=bappeda)


def test_codes_are_unique_within_the_plan(plan, bappeda):
    mission = plan.missions.get(number=2)
    with pytest.raises(ValidationError) as error:
        services.add_goal(actor=bappeda, mission=mission, code="1.1", text="Kembar")
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.add_mission(actor=bappeda, plan=plan, number=1, text="Kembar")
    goal = Goal.objects.get(mission__plan=plan, code="1.2")
    with pytest.raises(ValidationError):
        services.update_goal(goal, actor=bappeda, code="1.1")


def test_a_unit_of_another_government_is_refused(plan, bappeda, serang):
    serang_unit = Unit.objects.get(government=serang, code="BAPPEDA")
    objective = plan.missions.get(number=1).goals.get(code="1.1").objectives.get(code="1.1.1")
    before = stored_counts()
    with pytest.raises(ValidationError):
        services.add_plan_program(
            actor=bappeda,
            objective=objective,
            code="9.1",
            name="Program",
            responsible_unit=serang_unit,
        )
    indicator = Indicator.objects.get(plan=plan, code="IKU-1.1")
    with pytest.raises(ValidationError):
        services.update_indicator(indicator, actor=bappeda, responsible_unit=serang_unit)
    assert stored_counts() == before


def test_a_node_cannot_move_to_another_plan(plan, bappeda, serang):
    serang_mission = Mission.objects.get(plan__government=serang)
    goal = Goal.objects.get(mission__plan=plan, code="1.1")
    with pytest.raises(ValidationError):
        services.update_goal(goal, actor=bappeda, mission=serang_mission)
    assert Goal.objects.get(pk=goal.pk).mission.plan == plan


def test_set_targets_clears_a_year_and_refuses_years_outside(plan, bappeda):
    indicator = Indicator.objects.get(plan=plan, code="IKS-1.1.2")
    changed = services.set_targets(
        indicator,
        actor=bappeda,
        rows={
            2016: (Decimal("61.00"), None, None),
            2019: None,
            2020: (Decimal(71), Decimal(5), None),
        },
        reason="Koreksi",
    )
    assert changed == [2019, 2020]
    assert set(indicator.targets.values_list("year", flat=True)) == {2016, 2017, 2018, 2020, 2021}
    with pytest.raises(ValidationError):
        services.set_targets(indicator, actor=bappeda, rows={2030: (Decimal(1), None, None)})


def test_the_period_cannot_shrink_past_a_target(plan, bappeda):
    with pytest.raises(ValidationError, match="2021"):
        services.update_plan(plan, actor=bappeda, end_year=2020)
    assert Plan.objects.get(pk=plan.pk).end_year == 2021


def test_an_empty_plan_is_deleted_with_history(cilegon, bappeda):
    plan = services.create_plan(
        actor=bappeda,
        government=cilegon,
        name="Keliru",
        start_year=2030,
        end_year=2034,
        legal_basis="-",
        vision="-",
    )
    services.delete_plan(plan, actor=bappeda, reason="Dibuat keliru")
    assert not Plan.objects.filter(pk=plan.pk).exists()
    record = Plan.history.filter(id=plan.pk, history_type="-").get()
    assert (record.history_user, record.history_change_reason) == (bappeda, "Dibuat keliru")
