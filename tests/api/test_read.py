"""The read endpoints for a unit member (dkiss), Bappeda and another government (serang).

What each account gets is compared with what the policy lets it see, and with
what it must not see (another unit's, another government's records).
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from commitments.models import Commitment
from programs import selectors as program_selectors
from programs.models import Indicator, Plan, Program, ProgressReport, ReportingPeriod
from tracker import policy
from tracker.models import Official, Unit

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def _all(client, url, **params):
    """Every row of a list, following the pages (page numbers or cursors)."""
    rows, next_url = [], API + url
    first = True
    while next_url:
        response = client.get(next_url, params if first else None)
        first = False
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        rows += body["results"]
        next_url = body.get("next")
    return rows


def _ids(rows):
    return {row["id"] for row in rows}


def _user(username):
    return get_user_model().objects.get(username=username)


def _visible_ids(username, model):
    return set(policy.visible(_user(username), model.objects.all()).values_list("pk", flat=True))


def _p01():
    return Program.objects.get(title="Layanan Panggilan Darurat 112")


def test_units(api, unit, serang):
    dkiss = _all(api("dkiss"), "units/")
    assert _ids(dkiss) == {unit("DKISS").pk}
    bappeda = _all(api("bappeda"), "units/")
    assert _ids(bappeda) == set(
        Unit.objects.filter(government__region_code="36.72").values_list("pk", flat=True)
    )
    assert _ids(_all(api("serang"), "units/")) == set(serang.units.values_list("pk", flat=True))
    assert api("serang").get(f"{API}units/{unit('DKISS').pk}/").status_code == 404
    assert api("dkiss").get(f"{API}units/{unit('DINKES').pk}/").status_code == 404
    assert api("bappeda").get(f"{API}units/{unit('DINKES').pk}/").json()["code"] == "DINKES"


def test_units_filter_as_on_the_page(api, unit):
    rows = _all(api("bappeda"), "units/", q="Kesehatan")
    assert unit("DINKES").pk in _ids(rows)
    assert unit("DKISS").pk not in _ids(rows)
    assert api("bappeda").get(f"{API}units/", {"kind": "nonsense"}).status_code == 400


def test_officials(api, unit):
    dkiss = _all(api("dkiss"), "officials/")
    assert dkiss and {row["unit"] for row in dkiss} == {unit("DKISS").pk}
    bappeda = _all(api("bappeda"), "officials/")
    assert _ids(bappeda) == _visible_ids("bappeda", Official)
    assert len(bappeda) > 50 or "next" in api("bappeda").get(f"{API}officials/").json()
    serang_official = Official.objects.get(unit__government__region_code="36.73")
    assert api("bappeda").get(f"{API}officials/{serang_official.pk}/").status_code == 404
    assert _ids(_all(api("serang"), "officials/")) == {serang_official.pk}
    # The unit filter offers only visible units: another unit is a 400, not a leak.
    assert api("dkiss").get(f"{API}officials/", {"unit": unit("DINKES").pk}).status_code == 400


def test_officials_use_a_cursor(api):
    body = api("bappeda").get(f"{API}officials/", {"page_size": 5}).json()
    assert len(body["results"]) == 5
    assert "cursor=" in body["next"]
    assert "count" not in body


def test_plan_tree_with_indicators_and_targets(api):
    plan = Plan.objects.get(government__region_code="36.72")
    body = api("dkiss").get(f"{API}plans/{plan.pk}/").json()
    assert body["start_year"] == plan.start_year
    indicators = {}

    def walk(level):
        for indicator in level.get("indicators", []):
            indicators[indicator["code"]] = indicator
        for key in ("goals", "objectives", "plan_programs"):
            for child in level.get(key, []):
                walk(child)

    for mission in body["missions"]:
        walk(mission)
    assert set(indicators) == set(
        Indicator.objects.filter(plan=plan).values_list("code", flat=True)
    )
    iku = Indicator.objects.get(plan=plan, code="IKU-1.1")
    years = {row["year"]: Decimal(row["target"]) for row in indicators["IKU-1.1"]["targets"]}
    assert years == {t.year: t.target for t in iku.targets.all()}
    serang_plan = Plan.objects.get(government__region_code="36.73")
    assert api("dkiss").get(f"{API}plans/{serang_plan.pk}/").status_code == 404
    assert api("serang").get(f"{API}plans/{plan.pk}/").status_code == 404
    assert _ids(_all(api("serang"), "plans/")) == {serang_plan.pk}


def test_indicators(api):
    plan = Plan.objects.get(government__region_code="36.72")
    rows = _all(api("dkiss"), "indicators/", plan=plan.pk)
    assert _ids(rows) == set(plan.indicators.values_list("pk", flat=True))
    assert not _ids(_all(api("serang"), "indicators/")) & _ids(rows)


def test_periods(api):
    rows = _all(api("dkiss"), "periods/")
    assert _ids(rows) == set(
        ReportingPeriod.objects.filter(government__region_code="36.72").values_list("pk", flat=True)
    )
    assert not _ids(_all(api("serang"), "periods/")) & _ids(rows)
    assert _ids(_all(api("dkiss"), "periods/", year=2020, quarter=1)) == set(
        ReportingPeriod.objects.filter(
            government__region_code="36.72", year=2020, quarter=1
        ).values_list("pk", flat=True)
    )


def test_commitment_shows_the_signatures_the_user_sees(api, unit):
    commitment = Commitment.objects.get(government__region_code="36.72", date="2019-10-11")
    mine = api("dkiss").get(f"{API}commitments/{commitment.pk}/").json()
    assert {s["unit"] for s in mine["signatories"]} == {unit("DKISS").pk}
    assert {s["unit"] for s in mine["signatures"]} <= {unit("DKISS").pk}
    assert mine["points"] and mine["points"][0]["number"] == 1
    everything = api("bappeda").get(f"{API}commitments/{commitment.pk}/").json()
    assert len(everything["signatories"]) == commitment.signatories.count()
    assert {s["id"] for s in everything["signatures"]} == set(
        commitment.signatures.values_list("pk", flat=True)
    )
    assert api("serang").get(f"{API}commitments/{commitment.pk}/").status_code == 404
    assert _all(api("serang"), "commitments/") == []


def test_programs_of_a_unit_member(api):
    rows = _all(api("dkiss"), "programs/", state="all")
    assert _ids(rows) == _visible_ids("dkiss", Program)
    assert _p01().pk in _ids(rows)
    everything = _all(api("bappeda"), "programs/", state="all")
    assert _ids(everything) == set(
        Program.objects.filter(commitment__government__region_code="36.72").values_list(
            "pk", flat=True
        )
    )
    assert _ids(rows) < _ids(everything)
    assert _all(api("serang"), "programs/", state="all") == []
    assert api("serang").get(f"{API}programs/{_p01().pk}/").status_code == 404


def test_program_filters_as_on_the_page(api, unit):
    dinkes = _all(api("bappeda"), "programs/", unit=unit("DINKES").pk, state="all")
    assert dinkes and {row["owner_unit"] for row in dinkes} == {unit("DINKES").pk}
    # Stopped and cancelled programs only when asked, as on the page.
    active = _all(api("bappeda"), "programs/")
    assert {row["state"] for row in active} == {"active"}
    # A unit member cannot filter by a unit they do not see.
    assert api("dkiss").get(f"{API}programs/", {"unit": unit("DINKES").pk}).status_code == 400


def test_program_status_is_the_program_lists(api):
    """Each program's status in a chosen quarter is the one the program list page
    judges from verified progress (programs.selectors.program_statuses)."""
    bappeda = get_user_model().objects.get(username="bappeda")
    period = ReportingPeriod.objects.get(government__region_code="36.72", year=2020, quarter=3)
    expected = {
        pk: state
        for pk, (state, _rows) in program_selectors.program_statuses(
            program_selectors.programs_visible_to(bappeda), period
        ).items()
    }
    rows = _all(api("bappeda"), "programs/", state="all", periode=period.pk)
    got = {row["id"]: row["status"] for row in rows}
    assert got == {pk: expected[pk] for pk in got}
    assert len(set(got.values())) > 1  # a real mix, not one value everywhere
    detail = api("bappeda").get(f"{API}programs/{_p01().pk}/", {"periode": period.pk}).json()
    assert detail["status"] == expected[_p01().pk]


def test_program_detail_has_milestones(api):
    program = _p01()
    body = api("dkiss").get(f"{API}programs/{program.pk}/").json()
    assert [m["id"] for m in body["milestones"]] == list(
        program.milestones.order_by("order", "id").values_list("pk", flat=True)
    )
    assert body["owner_unit"] == program.owner_unit_id


def test_reports_with_their_rows(api):
    rows = _all(api("dkiss"), "reports/")
    assert _ids(rows) == _visible_ids("dkiss", ProgressReport)
    assert {row["program"] for row in rows} <= _visible_ids("dkiss", Program)
    everything = _all(api("bappeda"), "reports/")
    assert _ids(rows) < _ids(everything)
    report = ProgressReport.objects.filter(program=_p01()).exclude(milestone_rows=None).first()
    body = api("dkiss").get(f"{API}reports/{report.pk}/").json()
    assert {r["milestone"] for r in body["milestone_rows"]} == set(
        report.milestone_rows.values_list("milestone_id", flat=True)
    )
    assert api("serang").get(f"{API}reports/{report.pk}/").status_code == 404
    assert _all(api("serang"), "reports/") == []
    other = ProgressReport.objects.exclude(pk__in=_ids(rows)).first()
    assert api("dkiss").get(f"{API}reports/{other.pk}/").status_code == 404


def test_report_filters_do_not_tell_what_exists(api):
    other = ProgressReport.objects.exclude(pk__in=_visible_ids("dkiss", ProgressReport)).first()
    response = api("dkiss").get(f"{API}reports/", {"program": other.program_id})
    assert response.status_code == 200 and response.json()["results"] == []
    response = api("dkiss").get(f"{API}reports/", {"program": 987654})
    assert response.status_code == 200 and response.json()["results"] == []


def test_achievements_are_the_reports_figures(api):
    """The figures per indicator are those the quarterly report prints (its evaluation of
    each RPJMD indicator as a whole), computed here through the report's own code."""
    from reports.evaluation import evaluation_table

    plan = Plan.objects.get(government__region_code="36.72")
    user = _user("bappeda")
    table = evaluation_table(
        program_selectors.programs_visible_to(user), year=2020, quarter=4, whole_government=True
    )
    body = api("bappeda").get(f"{API}plans/{plan.pk}/achievements/2020/").json()
    rows = {row["indicator"]: row for row in body["indicators"]}
    assert set(rows) == set(plan.indicators.values_list("pk", flat=True))
    compared = 0
    for evaluation in table.indicators:
        row = rows[evaluation.indicator.pk]

        def number(value):
            return None if value is None else Decimal(value)

        assert number(row["target"]) == evaluation.k.year_target
        assert number(row["realisation"]) == evaluation.k.year_realisation
        assert number(row["achievement"]) == evaluation.k.year_achievement
        assert row["predicate"] == evaluation.predicate
        compared += evaluation.k.year_achievement is not None
    assert compared >= 1


def test_achievements_outside_the_plan_or_scope(api):
    plan = Plan.objects.get(government__region_code="36.72")
    assert api("bappeda").get(f"{API}plans/{plan.pk}/achievements/1999/").status_code == 404
    assert api("serang").get(f"{API}plans/{plan.pk}/achievements/2020/").status_code == 404
    response = api("bappeda").get(f"{API}plans/{plan.pk}/achievements/2020/", {"quarter": 9})
    assert response.status_code == 400


def test_unit_member_achievements_count_only_their_programs(api):
    """dkiss's figures come from the reports it sees: an indicator no DKISS program
    reports has no realisation for it, whatever other units reported."""
    plan = Plan.objects.get(government__region_code="36.72")
    body = api("dkiss").get(f"{API}plans/{plan.pk}/achievements/2020/").json()
    seen = program_selectors.programs_visible_to(_user("dkiss"))
    reported = set(Indicator.objects.filter(programs__in=seen).values_list("pk", flat=True))
    for row in body["indicators"]:
        if row["indicator"] not in reported:
            assert row["realisation"] is None
