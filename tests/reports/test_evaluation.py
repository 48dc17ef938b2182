"""The evaluation table: each program's own figures, the combining rule, both
achievement rates and named gaps.

A plan of its own (RPJMD 2022-2026 of Kota Cilegon, beside the demo's) with
two indicators that two programs of different units both report, so every
expected figure is computed here from the values the test typed.
"""

import datetime
import io
import re
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from commitments.models import Commitment
from programs import services
from programs.models import Dimension, Indicator
from reports import services as report_services
from reports.selectors import quarterly_report, report_table
from tracker.formatting import format_number_id
from tracker.services import create_user

pytestmark = pytest.mark.django_db

# Realisations typed for 2022 TW I-III: {unit: {indicator code: [TW I, TW II, TW III]}}
TYPED = {
    "DKISS": {"T-SUM": [D("101"), D("102"), D("103")], "T-LOW": [D("21.37"), D("22.41")]},
    "BPBD": {"T-SUM": [D("211"), D("212"), D("213")], "T-LOW": [D("31.19"), D("29.83")]},
}
BUDGET = {"DKISS": D("12000000"), "BPBD": D("34000000")}


@pytest.fixture
def plan(cilegon, unit, bappeda_user):
    plan = services.create_plan(
        actor=bappeda_user,
        government=cilegon,
        name="RPJMD Uji 2022-2026",
        start_year=2022,
        end_year=2026,
        legal_basis="Perda Uji",
        vision="Uji",
    )
    mission = services.add_mission(actor=bappeda_user, plan=plan, number=1, text="Misi uji")
    goal = services.add_goal(actor=bappeda_user, mission=mission, code="9.1", text="Tujuan uji")
    objective = services.add_objective(
        actor=bappeda_user, goal=goal, code="9.1.1", text="Sasaran uji yang diukur"
    )
    indicators = {
        "T-SUM": {
            "name": "Jumlah laporan uji",
            "unit_of_measure": "laporan",
            "is_cumulative": True,
            "combination": Indicator.Combination.SUM,
            "decimal_places": 0,
            "final_target": D("5000"),
        },
        "T-LOW": {
            "name": "Waktu tanggap uji",
            "unit_of_measure": "menit",
            "direction": Indicator.Direction.LOWER,
            "combination": Indicator.Combination.AVERAGE,
            "final_target": D("15"),
        },
    }
    for code, fields in indicators.items():
        services.add_indicator(actor=bappeda_user, plan=plan, level=objective, code=code, **fields)
    for code, target in (("T-SUM", D("1000")), ("T-LOW", D("25"))):
        indicator = Indicator.objects.get(plan=plan, code=code)
        services.set_indicator_target(
            actor=bappeda_user, indicator=indicator, year=2022, target=target
        )
        services.set_indicator_target(
            actor=bappeda_user, indicator=indicator, year=2023, target=target
        )
        services.set_indicator_target(
            actor=bappeda_user, indicator=indicator, year=2024, target=target
        )
    return plan


@pytest.fixture
def bappeda_user(django_user_model):
    return django_user_model.objects.get(username="bappeda")


def _program(cilegon, unit, bappeda_user, plan, owner, *, end=datetime.date(2024, 12, 31)):
    commitment = Commitment.objects.get(government=cilegon, date=datetime.date(2019, 10, 11))
    return services.create_program(
        actor=bappeda_user,
        commitment=commitment,
        owner_unit=unit(owner),
        title=f"Program uji {owner}",
        horizon="short",
        start_date=datetime.date(2022, 1, 1),
        end_date=end,
        dimensions=[Dimension.objects.get(code="governance")],
        indicators=list(plan.indicators.all()),
        budgets={2022: BUDGET[owner] * 4, 2023: BUDGET[owner] * 4, 2024: BUDGET[owner] * 4},
    )


def _verified(program, period, values, budget, user, bappeda_user):
    """A report of ``program`` for ``period`` with ``values`` ({code: value}), verified."""
    report = services.start_report(program, period, actor=user)
    indicators = {i.code: i.pk for i in program.indicators.all()}
    report = services.save_report(
        report,
        actor=user,
        expected_version=report.version,
        milestone_percents={},
        indicator_values={indicators[code]: value for code, value in values.items()},
        budget_realisation=budget,
    )
    report = services.submit_report(report, actor=user)
    return services.verify_report(report, actor=bappeda_user)


@pytest.fixture
def reported(cilegon, unit, plan, bappeda_user, django_user_model):
    """Both programs, each with its own verified 2022 TW I-III figures."""
    users = {
        "DKISS": django_user_model.objects.get(username="dkiss"),
        "BPBD": create_user(
            actor=None,
            username="bpbd-uji",
            password="rahasia-uji-2022",
            government=cilegon,
            unit=unit("BPBD"),
            is_unit_head=True,
        ),
    }
    programs = {owner: _program(cilegon, unit, bappeda_user, plan, owner) for owner in TYPED}
    for quarter in (1, 2, 3):
        period = services.open_period(
            actor=bappeda_user, government=cilegon, year=2022, quarter=quarter
        )
        for owner, program in programs.items():
            values = {
                code: typed[quarter - 1]
                for code, typed in TYPED[owner].items()
                if quarter <= len(typed)
            }
            _verified(program, period, values, BUDGET[owner], users[owner], bappeda_user)
    return programs


def _table(year=2022, quarter=3, unit_code=None):
    request = report_services.resolve_request(
        year=year, quarter=quarter, government_code="36.72", unit_code=unit_code
    )
    return request, report_table(request)


def _block(table, program):
    for section in table.sections:
        for block in section.programs:
            if block.program.pk == program.pk:
                return block
    raise AssertionError(f"{program} is not in the table")


def _line(block, code):
    return next(line for line in block.lines if line.indicator.code == code)


def _higher(realisation, target):
    return (realisation / target * 100).quantize(D("0.01"))


def _lower(realisation, target):
    return max((2 * target - realisation) / target * 100, D(0)).quantize(D("0.01"))


def test_each_program_row_carries_only_its_own_figures_and_unit(reported):
    _request, table = _table()
    for owner, program in reported.items():
        block = _block(table, program)
        assert block.program.owner_unit.code == owner
        for code, typed in TYPED[owner].items():
            line = _line(block, code)
            quarters = [line.k.quarters[q] for q in (1, 2, 3)]
            assert quarters == typed + [None] * (3 - len(typed)), (owner, code)
        # The budget line is the program's own verified Rupiah of the three quarters.
        assert block.rp.year_realisation == BUDGET[owner] * 3
        assert block.rp.year_achievement == _higher(BUDGET[owner] * 3, BUDGET[owner] * 4)


def test_a_summed_indicator_shared_by_two_programs_is_not_graded_per_program(reported):
    _request, table = _table()
    line = _line(_block(table, reported["DKISS"]), "T-SUM")
    assert line.k.year_realisation == sum(TYPED["DKISS"]["T-SUM"])
    # Its RPJMD target belongs to both programs together: no share is invented.
    assert line.k.year_target is None and line.k.year_achievement is None
    assert any("2" in note for note in line.notes)


def test_the_rpjmd_indicator_follows_its_stored_combining_rule(reported, plan):
    _request, table = _table()
    evaluations = {e.indicator.code: e for e in table.indicators}

    summed = evaluations["T-SUM"]
    expected = [TYPED["DKISS"]["T-SUM"][i] + TYPED["BPBD"]["T-SUM"][i] for i in range(3)]
    assert [summed.k.quarters[q] for q in (1, 2, 3)] == expected
    assert summed.k.year_realisation == sum(expected)  # cumulative: the quarters add up
    assert summed.k.year_achievement == _higher(sum(expected), D("1000"))
    assert {p.owner_unit.code for p in summed.programs} == {"DKISS", "BPBD"}

    averaged = evaluations["T-LOW"]
    expected = [(TYPED["DKISS"]["T-LOW"][i] + TYPED["BPBD"]["T-LOW"][i]) / 2 for i in range(2)]
    assert [averaged.k.quarters[q] for q in (1, 2)] == expected
    assert averaged.k.quarters[3] is None  # nobody reported TW III
    assert averaged.k.year_realisation == expected[-1]  # a rate: the latest quarter
    assert averaged.k.year_achievement == _lower(expected[-1], D("25"))

    # Another rule, chosen on the indicator, changes the figure accordingly.
    indicator = Indicator.objects.get(plan=plan, code="T-LOW")
    indicator.combination = Indicator.Combination.MAXIMUM
    indicator.save()
    _request, table = _table()
    averaged = next(e for e in table.indicators if e.indicator.code == "T-LOW")
    assert averaged.k.quarters[2] == max(TYPED["DKISS"]["T-LOW"][1], TYPED["BPBD"]["T-LOW"][1])
    indicator.combination = Indicator.Combination.DESIGNATED
    indicator.designated_program = reported["BPBD"]
    indicator.full_clean()
    indicator.save()
    _request, table = _table()
    designated = next(e for e in table.indicators if e.indicator.code == "T-LOW")
    assert [designated.k.quarters[q] for q in (1, 2)] == TYPED["BPBD"]["T-LOW"]


def test_the_pdf_prints_each_program_row_and_the_rule(reported):
    request, _table_ = _table()
    content, _report = _render(request)
    text = " ".join(_pdf_text(content).split())
    dkiss = _segment(text, "Program uji DKISS")
    bpbd = _segment(text, "Program uji BPBD")
    # The lower-is-better line: K of each quarter, in order, its own values only.
    for segment, owner in ((dkiss, "DKISS"), (bpbd, "BPBD")):
        other = "BPBD" if owner == "DKISS" else "DKISS"
        for value in TYPED[owner]["T-LOW"]:
            assert format_number_id(value) in segment, (owner, value)
        for value in TYPED[other]["T-LOW"]:
            assert format_number_id(value) not in segment, (owner, value)
        # Counts print without decimals.
        assert format_number_id(TYPED[owner]["T-SUM"][0], 0) in segment
        assert f"{format_number_id(TYPED[owner]['T-SUM'][0])}" not in segment
    assert re.search(r"Program uji DKISS.*?\bDKISS\b", dkiss)
    assert re.search(r"Program uji BPBD.*?\bBPBD\b", bpbd)
    # The indicator-level row names its rule and the combined figure.
    combined = sum(TYPED["DKISS"]["T-SUM"]) + sum(TYPED["BPBD"]["T-SUM"])
    assert format_number_id(combined, 0) in text
    assert "Jumlah dari program" in text or "Sum of the programs" in text


def _render(request):
    from reports import pdf

    data = quarterly_report(request)
    return pdf.render(data, code="TESTCODE00", url="http://testserver/verifikasi/x/"), data


def _pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _segment(text, title):
    """The text from a program's title to the next program block or section."""
    start = text.index(title)
    ends = [text.find(marker, start + len(title)) for marker in ("Program uji", "Faktor")]
    ends = [end for end in ends if end > 0]
    return text[start : min(ends) if ends else None]


@pytest.mark.parametrize(
    ("code", "typed", "target", "direction"),
    [
        ("T-SUM", "cumulative higher", D("1000"), "higher"),
        ("T-LOW", "rate lower", D("25"), "lower"),
    ],
)
def test_both_achievement_rates_against_figures_computed_here(
    reported, code, typed, target, direction
):
    _request, table = _table()
    evaluation = next(e for e in table.indicators if e.indicator.code == code)
    grade = _higher if direction == "higher" else _lower
    if code == "T-SUM":
        year = sum(TYPED["DKISS"][code]) + sum(TYPED["BPBD"][code])
        up_to_now = year  # the plan began in 2022: nothing before
        final = D("5000")
    else:
        year = (TYPED["DKISS"][code][-1] + TYPED["BPBD"][code][-1]) / 2
        up_to_now = year  # a rate's level up to now is this year's level
        final = D("15")
    assert evaluation.k.year_achievement == grade(year, target)  # column 13
    assert evaluation.k.cumulative == up_to_now  # column 14
    assert evaluation.k.cumulative_achievement == grade(up_to_now, final)  # column 15
    from tracker.achievement import predicate_label

    assert evaluation.predicate == str(predicate_label(grade(year, target)))


def test_a_year_without_data_is_named_never_substituted(
    cilegon, unit, plan, bappeda_user, django_user_model
):
    """2022 reported, 2023 not at all, 2024 TW I reported: "up to 2023" must not
    show 2022's value for a rate, and must say that 2023 is missing."""
    dkiss = django_user_model.objects.get(username="dkiss")
    program = _program(cilegon, unit, bappeda_user, plan, "DKISS")
    for quarter in (1, 2, 3, 4):
        period = services.open_period(
            actor=bappeda_user, government=cilegon, year=2022, quarter=quarter
        )
        _verified(
            program, period, {"T-SUM": D("50"), "T-LOW": D("20")}, D("1000"), dkiss, bappeda_user
        )
    period = services.open_period(actor=bappeda_user, government=cilegon, year=2024, quarter=1)
    _verified(program, period, {"T-SUM": D("70"), "T-LOW": D("18")}, D("1000"), dkiss, bappeda_user)

    _request, table = _table(year=2024, quarter=1)
    block = _block(table, program)
    rate = _line(block, "T-LOW")
    assert rate.k.before is None  # not 20, the 2022 value
    assert any("2023" in note for note in rate.notes)
    count = _line(block, "T-SUM")
    assert count.k.before == D("200")  # 2022's four quarters; 2023 is named, not guessed
    assert any("2023" in note for note in count.notes)
    assert count.k.cumulative == D("270")
    assert any("2023" in note for note in block.notes)  # and the budget's gap too

    request, _t = _table(year=2024, quarter=1)
    content, _data = _render(request)
    text = " ".join(_pdf_text(content).split())
    assert "2023" in _segment(text, "Program uji DKISS")


def test_the_table_reads_in_the_same_number_of_queries_for_one_unit_or_all(cilegon):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for unit_code in ("DKISS", None):
        request = report_services.resolve_request(
            year=2020, quarter=3, government_code="36.72", unit_code=unit_code
        )
        report_table(request)  # warm caches (content types, plan)
        with CaptureQueriesContext(connection) as queries:
            table = report_table(request)
        counts[unit_code] = (len(queries), sum(len(s.programs) for s in table.sections))
    assert counts["DKISS"][1] < counts[None][1]  # a few programs against thirty
    assert counts["DKISS"][0] == counts[None][0]
