from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Plan
from tests.factories import GoalFactory, IndicatorFactory, IndicatorTargetFactory, ObjectiveFactory


def _grow(plan, count):
    mission = plan.missions.first()
    for _ in range(count):
        goal = GoalFactory(mission=mission)
        objective = ObjectiveFactory(goal=goal)
        indicator = IndicatorFactory(objective=objective, plan=plan)
        for year in plan.years:
            IndicatorTargetFactory(indicator=indicator, year=year)


def _queries(client, url):
    client.get(url)  # the same cache state for every count: what a repeat visit costs
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_plan_page_queries_do_not_grow_with_indicators(login, cilegon):
    plan = Plan.objects.get(government=cilegon)
    client = login("walikota")
    url = reverse("plan-detail", args=[plan.pk])
    _grow(plan, 10)
    small, _ = _queries(client, url)
    _grow(plan, 90)
    large, response = _queries(client, url)
    assert small == large
    assert response.content.decode().count("Indikator contoh") == 100


def test_plan_page_shows_vision_and_targets_in_indonesian_format(login, cilegon):
    plan = Plan.objects.get(government=cilegon)
    text = login("dkiss").get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert "Unggul dan Sejahtera" in text
    assert "Indeks Sistem Pemerintahan Berbasis Elektronik" in text
    assert "2,95" in text  # the 2018 SPBE target, 2.95


def test_indicator_page_shows_2018_spbe_achievement(login, cilegon):
    from programs.models import Indicator

    spbe = Indicator.objects.get(plan__government=cilegon, code="IKU-1.1")
    text = login("dkiss").get(reverse("indicator-detail", args=[spbe.pk])).content.decode()
    assert "3,27" in text
    assert "110,85 %" in text
    assert "Sangat Tinggi" in text
