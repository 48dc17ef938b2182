"""The navbar search: what each role finds, the term's limit, and a bounded query count."""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse

from commitments import services as commitment_services
from tests.factories import smart_city_scheme


def _search(client, term):
    return client.get(reverse("search"), {"q": term})


def _titles(response, key):
    group = next(g for g in response.context["groups"] if g["key"] == key)
    return [str(row) for row in group["rows"]], group


def test_a_unit_member_finds_their_programs_by_title_and_code_but_not_others(login):
    client = login("dkiss")
    page = _search(client, "2.16.03")
    titles, group = _titles(page, "programs")
    assert any("Layanan Panggilan Darurat 112" in t for t in titles)
    assert "Layanan Panggilan Darurat 112" in page.content.decode()
    # Dinkes's program exists, but DKISS may not see it: the search does not find it.
    titles, _group = _titles(_search(client, "Gempita"), "programs")
    assert titles == []
    titles, _group = _titles(login("bappeda").get(reverse("search"), {"q": "Gempita"}), "programs")
    assert any("Gempita" in t for t in titles)


def test_units_and_indicators_by_code_within_what_the_user_sees(login):
    client = login("dkiss")
    page = _search(client, "DKISS")
    _titles_, units = _titles(page, "units")
    assert [u.code for u in units["rows"]] == ["DKISS"]
    assert units["list_url"] == reverse("unit-list") + "?q=DKISS"
    assert f'href="{reverse("unit-list")}?q=DKISS"' in page.content.decode()
    _t, units = _titles(_search(client, "DINKES"), "units")
    assert units["rows"] == []
    _t, indicators = _titles(_search(client, "IKP-2.16.03"), "indicators")
    assert [i.code for i in indicators["rows"]] == ["IKP-2.16.03"]
    assert indicators["list_url"] is None


def test_a_draft_commitment_is_found_by_bappeda_only(login, cilegon, unit):
    commitment_services.create_commitment(
        actor=get_user_model().objects.get(username="bappeda"),
        government=cilegon,
        theme="Smart City",
        scheme=smart_city_scheme(),
        title="Draf Zeta Satu Data",
        date=datetime.date(2020, 2, 3),
        place="Aula",
        legal_basis="-",
        points=["Satu data"],
        signatories=[unit("DKISS")],
    )
    for username, found in (("bappeda", 1), ("walikota", 0), ("dkiss", 0), ("asda1", 0)):
        _t, group = _titles(_search(login(username), "Zeta"), "commitments")
        assert len(group["rows"]) == found, username


def test_another_government_finds_nothing_of_cilegon(login):
    _t, commitments = _titles(_search(login("serang"), "Smart City"), "commitments")
    assert commitments["rows"] == []
    assert _titles(_search(login("bappeda"), "Smart City"), "commitments")[1]["rows"]
    _t, programs = _titles(_search(login("serang"), "112"), "programs")
    assert programs["rows"] == []


def test_a_term_over_200_characters_is_refused_with_a_message(login):
    client = login("bappeda")
    response = _search(client, "a" * 201)
    assert response.status_code == 200
    assert response.context["groups"] == []
    assert "200" in response.context["error"]
    assert response.context["error"] in response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_matches(login, django_assert_max_num_queries):
    client = login("bappeda")
    with django_assert_max_num_queries(12):
        page = _search(client, "a")  # matches many of every kind
    assert sum(len(g["rows"]) for g in page.context["groups"]) > 20
    assert all(len(g["rows"]) <= 20 for g in page.context["groups"])
    assert any(g["more"] for g in page.context["groups"])


def test_the_navbar_has_the_search_box(login):
    page = login("dkiss").get(reverse("home")).content.decode()
    assert f'action="{reverse("search")}"' in page
    assert 'role="search"' in page
