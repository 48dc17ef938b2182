# ruff: noqa: F811 (the fixtures imported from test_evaluation are used as arguments)
"""A program's own targets: the services' checks, the program's pages and the
government's workbook (bad rows refused, nothing saved).

The plan (RPJMD Uji 2022-2026 of Kota Cilegon) and its two programs (DKISS and
BPBD, both reporting the summed T-SUM) are those of the evaluation tests.
"""

import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from programs import services
from programs.models import Indicator
from rpjmd import program_targets
from rpjmd.models import ProgramTarget
from rpjmd.program_target_workbook import (
    TARGETS,
    TargetsRefused,
    apply_targets,
    preview_targets,
    template_workbook,
)
from tests.reports.test_evaluation import (  # noqa: F401 (fixtures)
    _program,
    bappeda_user,
    plan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programs(cilegon, unit, plan, bappeda_user):
    """DKISS's and BPBD's programs, 2022-2024, sharing T-SUM (RPJMD 2022 target: 100)."""
    services.set_indicator_target(
        actor=bappeda_user, indicator=_indicator("T-SUM"), year=2022, target=D("100")
    )
    return {
        owner: _program(cilegon, unit, bappeda_user, plan, owner) for owner in ("DKISS", "BPBD")
    }


def _indicator(code):
    return Indicator.objects.get(plan__name="RPJMD Uji 2022-2026", code=code)


def _mine():
    """The targets of the test plan (the demo's own programs have targets too)."""
    return ProgramTarget.objects.filter(indicator__plan__name="RPJMD Uji 2022-2026")


def _stored():
    """Targets of the test plan and their history rows."""
    history = ProgramTarget.history.filter(indicator__plan__name="RPJMD Uji 2022-2026")
    return _mine().count(), history.count()


def _set(program, target, user, code="T-SUM", year=2022):
    return program_targets.set_program_target(
        actor=user, program=program, indicator=_indicator(code), year=year, target=D(target)
    )


# --- Services ---------------------------------------------------------------------------


def test_a_target_is_saved_with_history_and_an_unchanged_one_writes_nothing(programs, bappeda_user):
    assert _set(programs["DKISS"], "60", bappeda_user) is True
    assert _set(programs["DKISS"], "60.0", bappeda_user) is False
    row = _mine().get()
    assert (row.target, row.source, row.year) == (D("60"), "renja", 2022)
    assert row.history.count() == 1
    assert row.history.get().history_user == bappeda_user
    assert program_targets.clear_program_target(
        actor=bappeda_user,
        program=programs["DKISS"],
        indicator=_indicator("T-SUM"),
        year=2022,
        reason="salah ketik",
    )
    assert _stored() == (0, 2)


def test_an_indicator_the_program_is_not_linked_to_is_refused(
    programs, plan, bappeda_user, unit, cilegon
):
    linked = programs["DKISS"]
    linked.indicators.remove(_indicator("T-RATE"))
    with pytest.raises(ValidationError):
        _set(linked, "60", bappeda_user, code="T-RATE")
    assert _stored() == (0, 0)


@pytest.mark.parametrize("year", [2021, 2027])
def test_a_year_outside_the_plan_is_refused(programs, bappeda_user, year):
    with pytest.raises(ValidationError):
        _set(programs["DKISS"], "60", bappeda_user, year=year)
    assert _stored() == (0, 0)


# --- Pages ------------------------------------------------------------------------------


def test_bappeda_sets_targets_typed_the_indonesian_way(programs, login):
    program = programs["DKISS"]
    url = reverse("program-targets", args=[program.pk])
    client = login("bappeda")
    page = client.get(url)
    assert page.status_code == 200
    data = {name: "" for name in page.context["form"].fields if name.startswith("target_")}
    data.update(
        {name: "renja" for name in page.context["form"].fields if name.startswith("source_")}
    )
    sum_id = _indicator("T-SUM").pk
    rate_id = _indicator("T-RATE").pk
    data[f"target_{sum_id}_2022"] = "1.240"  # a count: points between thousands
    data[f"source_{sum_id}"] = "renstra"
    data[f"target_{rate_id}_2023"] = "71,90"
    data["reason"] = "Renstra DKISS"
    response = client.post(url, data)
    assert response.status_code == 302
    stored = {(t.indicator.code, t.year): (t.target, t.source) for t in _mine()}
    assert stored == {
        ("T-SUM", 2022): (D("1240"), "renstra"),
        ("T-RATE", 2023): (D("71.90"), "renja"),
    }
    # An empty year clears that year's target.
    data[f"target_{rate_id}_2023"] = ""
    assert client.post(url, data).status_code == 302
    assert list(_mine().values_list("indicator__code", "year")) == [("T-SUM", 2022)]


def test_the_edit_page_shows_the_rpjmd_target_with_the_indicators_decimals(
    programs, bappeda_user, login
):
    """A rate with two decimals reads "70,00" beside "71,90", not "70"; a count stays whole."""
    services.set_indicator_target(
        actor=bappeda_user, indicator=_indicator("T-RATE"), year=2022, target=D("70")
    )
    page = login("bappeda").get(reverse("program-targets", args=[programs["DKISS"].pk]))
    text = page.content.decode()
    rate = text[text.index("T-RATE") :]
    assert '<td class="num">70,00</td>' in rate[: rate.index("</fieldset>")]
    count = text[text.index("T-SUM") :]
    assert '<td class="num">100</td>' in count[: count.index("</fieldset>")]


def test_a_malformed_number_on_the_page_saves_nothing(programs, login):
    program = programs["DKISS"]
    url = reverse("program-targets", args=[program.pk])
    client = login("bappeda")
    fields = client.get(url).context["form"].fields
    data = {name: "" for name in fields if name.startswith("target_")}
    data.update({name: "renja" for name in fields if name.startswith("source_")})
    data[f"target_{_indicator('T-SUM').pk}_2022"] = "60"
    data[f"target_{_indicator('T-SUM').pk}_2023"] = "6o"
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert _stored() == (0, 0)


def test_the_program_page_shows_both_targets_and_the_summed_warning(programs, bappeda_user, login):
    dkiss = programs["DKISS"]
    _set(dkiss, "60", bappeda_user)
    _set(programs["BPBD"], "30", bappeda_user)
    url = reverse("program-detail", args=[dkiss.pk])

    page = login("bappeda").get(url).content.decode()
    table = page[page.index('id="program-targets"') :]
    table = table[: table.index("</table>")]
    assert "T-SUM" in table and ">100<" in table and ">60<" in table
    warnings = page[page.index('id="target-warnings"') :]
    warnings = warnings[: warnings.index("</div>")]
    assert "T-SUM 2022" in warnings and "90" in warnings and "100" in warnings

    # DKISS's member is told the targets do not add up, not BPBD's share.
    page = login("dkiss").get(url).content.decode()
    warnings = page[page.index('id="target-warnings"') :]
    warnings = warnings[: warnings.index("</div>")]
    assert "T-SUM 2022" in warnings and "90" not in warnings
    assert 'id="program-targets-edit"' not in page


def test_no_warning_on_the_page_when_the_targets_add_up(programs, bappeda_user, login):
    _set(programs["DKISS"], "60", bappeda_user)
    _set(programs["BPBD"], "40", bappeda_user)
    page = login("bappeda").get(reverse("program-detail", args=[programs["DKISS"].pk]))
    assert 'id="target-warnings"' not in page.content.decode()
    assert 'id="program-targets-edit"' in page.content.decode()


# --- The workbook -----------------------------------------------------------------------


def _workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.title = TARGETS.title
    sheet.append([c.header for c in TARGETS.columns])
    for program, code, year, target, source in rows:
        sheet.append([program, "", "", code, "", year, "", target, source])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_template_lists_each_program_indicator_and_year(programs, cilegon):
    sheet = load_workbook(io.BytesIO(template_workbook(cilegon)))[TARGETS.title]
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    dkiss = programs["DKISS"]
    mine = [(r[3], r[5]) for r in rows if r[0] == dkiss.pk]
    # Four linked indicators, the program's years 2022-2024 inside the plan.
    assert sorted(mine) == sorted(
        (code, year)
        for code in ("T-FIRE", "T-LOW", "T-RATE", "T-SUM")
        for year in (2022, 2023, 2024)
    )
    summed = next(r for r in rows if r[0] == dkiss.pk and r[3] == "T-SUM" and r[5] == 2022)
    assert summed[6] == "100"


def test_a_good_workbook_is_previewed_then_saved(programs, cilegon, bappeda_user):
    dkiss, bpbd = programs["DKISS"], programs["BPBD"]
    content = _workbook(
        [
            (dkiss.pk, "T-SUM", 2022, "60", "renstra"),
            (bpbd.pk, "T-SUM", 2022, 40, None),
            (bpbd.pk, "T-RATE", 2023, "71,5", "renja"),
            (bpbd.pk, "T-RATE", 2024, None, None),  # no target: changes nothing
        ]
    )
    preview = preview_targets(cilegon, content, "target.xlsx")
    assert preview.problems == []
    assert len(preview.changes) == 3
    assert _stored() == (0, 0)
    apply_targets(
        cilegon, content, "target.xlsx", actor=bappeda_user, fingerprint=preview.fingerprint
    )
    stored = {(t.program_id, t.indicator.code, t.year): (t.target, t.source) for t in _mine()}
    assert stored == {
        (dkiss.pk, "T-SUM", 2022): (D("60"), "renstra"),
        (bpbd.pk, "T-SUM", 2022): (D("40"), "renja"),
        (bpbd.pk, "T-RATE", 2023): (D("71.5"), "renja"),
    }
    # The same file again changes nothing.
    assert not preview_targets(cilegon, content, "target.xlsx").changes
    # The template now carries the saved targets, and uploading it unchanged changes nothing.
    template = template_workbook(cilegon)
    sheet = load_workbook(io.BytesIO(template))[TARGETS.title]
    row = next(
        r
        for r in sheet.iter_rows(min_row=2, values_only=True)
        if r[0] == dkiss.pk and r[3] == "T-SUM" and r[5] == 2022
    )
    assert (D(str(row[7])), row[8]) == (D("60"), "renstra")
    again = preview_targets(cilegon, template, "templat.xlsx")
    # Every stored target of the government is a row: the test's three and the demo's.
    stored = ProgramTarget.objects.filter(program__commitment__government=cilegon).count()
    assert again.problems == [] and again.changes == [] and again.unchanged == stored


def test_bad_rows_are_each_named_and_nothing_is_saved(programs, cilegon, bappeda_user):
    dkiss = programs["DKISS"]
    dkiss.indicators.remove(_indicator("T-RATE"))
    content = _workbook(
        [
            (dkiss.pk, "T-SUM", 2022, "60", "renja"),  # good, but the file has bad rows
            (999999, "T-SUM", 2022, "10", None),  # unknown program
            (dkiss.pk, "T-RATE", 2022, "70", None),  # not linked
            (dkiss.pk, "T-SUM", 2030, "70", None),  # outside the plan
            (dkiss.pk, "T-LOW", 2022, "1,2,3", None),  # not a number
        ]
    )
    preview = preview_targets(cilegon, content, "target.xlsx")
    rows = sorted(problem.row for problem in preview.problems)
    assert rows == [3, 4, 5, 6]
    assert not preview.is_valid
    with pytest.raises(TargetsRefused):
        apply_targets(cilegon, content, "target.xlsx", actor=bappeda_user)
    assert _stored() == (0, 0)


def test_the_import_pages_preview_then_save(programs, cilegon, login):
    client = login("bappeda")
    content = _workbook([(programs["DKISS"].pk, "T-SUM", 2022, "60", "renja")])
    upload = io.BytesIO(content)
    upload.name = "target.xlsx"
    page = client.post(reverse("program-targets-import"), {"file": upload})
    assert page.status_code == 200
    token = page.context["token"]
    assert token and _stored() == (0, 0)
    response = client.post(
        reverse("program-targets-import-apply"),
        {"token": token, "government": cilegon.pk, "action": "apply"},
    )
    assert response.status_code == 302
    assert _mine().get().target == D("60")


def test_the_indicator_page_lists_the_visible_own_targets_and_the_warning(
    programs, bappeda_user, login
):
    _set(programs["DKISS"], "60", bappeda_user)
    _set(programs["BPBD"], "30", bappeda_user)
    url = reverse("indicator-detail", args=[_indicator("T-SUM").pk])
    page = login("bappeda").get(url)
    assert [t.target for t in page.context["own_targets"]] == [D("30"), D("60")]  # BPBD, DKISS
    assert "T-SUM 2022" in page.content.decode()
    # DKISS's member sees only its own program's target.
    page = login("dkiss").get(url)
    assert [t.program_id for t in page.context["own_targets"]] == [programs["DKISS"].pk]


def test_the_program_history_shows_its_own_targets(programs, bappeda_user, login):
    _set(programs["DKISS"], "60", bappeda_user)
    url = reverse("history", args=["programs", "program", programs["DKISS"].pk])
    page = login("bappeda").get(url).content.decode()
    assert "60" in page and "T-SUM" in page


def test_a_target_far_off_its_neighbours_is_saved_only_once_confirmed(programs, login):
    program = programs["DKISS"]
    url = reverse("program-targets", args=[program.pk])
    client = login("bappeda")
    fields = client.get(url).context["form"].fields
    data = {name: "" for name in fields if name.startswith("target_")}
    data.update({name: "renja" for name in fields if name.startswith("source_")})
    rate = _indicator("T-RATE").pk
    # T-RATE's RPJMD target is 70: 7000 (70,00 with the comma lost) is 100x it.
    data[f"target_{rate}_2022"] = "7000"
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'id="unusual-numbers"' in response.content.decode()
    assert _stored() == (0, 0)
    data["confirm_unusual"] = "on"
    assert client.post(url, data).status_code == 302
    row = _mine().get()
    assert row.target == D("7000")
    assert "100" in row.history.get().history_change_reason
