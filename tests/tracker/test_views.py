"""What each role sees on the lists, and query counts that do not grow with rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OfficialFactory, UnitFactory
from tracker.models import Unit


def _codes(response):
    return {unit.code for unit in response.context["object_list"]}


def test_unit_member_sees_only_their_unit(login):
    response = login("dkiss").get(reverse("unit-list"))
    assert _codes(response) == {"DKISS"}


def test_asda_sees_their_unit_and_the_units_they_coordinate(login, cilegon):
    response = login("asda1").get(reverse("unit-list") + "?kind=&q=")
    expected = set(
        Unit.objects.filter(coordinator__code="ASDA1", government=cilegon).values_list(
            "code", flat=True
        )
    ) | {"ASDA1"}
    assert response.context["paginator"].count == len(expected)
    assert "DKISS" not in expected and "DINKES" in expected


def test_bappeda_sees_all_units_of_their_government_only(login, cilegon):
    response = login("bappeda").get(reverse("unit-list"))
    assert response.context["paginator"].count == Unit.objects.filter(government=cilegon).count()
    response = login("serang").get(reverse("unit-list"))
    assert _codes(response) == {"BAPPEDA"}
    assert response.context["paginator"].count == 1


def test_unit_list_filters_by_kind_and_search(login):
    client = login("bappeda")
    response = client.get(reverse("unit-list"), {"kind": "kecamatan"})
    assert response.context["paginator"].count == 8
    response = client.get(reverse("unit-list"), {"q": "cibeber"})
    assert _codes(response) == {"KEC-CIBEBER"}


def test_official_list_offers_only_visible_units_and_ignores_others(login, unit):
    client = login("dkiss")
    response = client.get(reverse("official-list"), {"unit": unit("DINKES").pk})
    names = {o.unit.code for o in response.context["object_list"]}
    assert names <= {"DKISS"}
    assert list(response.context["filter"].form.fields["unit"].queryset) == [unit("DKISS")]


def test_guardian_grant_opens_one_more_unit(login, unit, django_user_model):
    from guardian.shortcuts import assign_perm

    dkiss_user = django_user_model.objects.get(username="dkiss")
    assign_perm("tracker.view_unit", dkiss_user, unit("DINKES"))
    response = login("dkiss").get(reverse("unit-detail", args=[unit("DINKES").pk]))
    assert response.status_code == 200


def test_model_level_permission_does_not_open_records(login, unit, django_user_model):
    from django.contrib.auth.models import Permission

    dkiss_user = django_user_model.objects.get(username="dkiss")
    dkiss_user.user_permissions.add(Permission.objects.get(codename="view_unit"))
    response = login("dkiss").get(reverse("unit-detail", args=[unit("DINKES").pk]))
    assert response.status_code == 404


def _add_units(government, asda, count):
    for _ in range(count):
        unit = UnitFactory(government=government, coordinator=asda, kind=Unit.Kind.OPD)
        OfficialFactory(unit=unit, is_head=True)


def _count_queries(client, url):
    client.get(url)  # the same cache state for every count: what a repeat visit costs
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("username", ["bappeda", "asda1"])
def test_unit_list_queries_do_not_grow_with_units(login, cilegon, unit, username):
    client = login(username)
    url = reverse("unit-list")
    _add_units(cilegon, unit("ASDA1"), 10)
    small = _count_queries(client, url)
    _add_units(cilegon, unit("ASDA1"), 90)
    large = _count_queries(client, url)
    assert small == large


def test_official_list_queries_do_not_grow_with_officials(login, cilegon, unit):
    client = login("bappeda")
    url = reverse("official-list")
    _add_units(cilegon, unit("ASDA1"), 10)
    small = _count_queries(client, url)
    _add_units(cilegon, unit("ASDA1"), 90)
    assert _count_queries(client, url) == small


def test_home_tells_a_unit_member_where_their_unit_is(login, unit):
    response = login("camat.cibeber").get(reverse("home"))
    assert response.status_code == 200
    assert reverse("unit-detail", args=[unit("KEC-CIBEBER").pk]) in response.content.decode()


def test_account_without_profile_is_told_to_ask_the_administrator(login):
    response = login("nobody").get(reverse("home"))
    assert response.context["role"] == "none"
    assert response.context["units_count"] == 0
