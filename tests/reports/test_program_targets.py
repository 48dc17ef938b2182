# ruff: noqa: F811 (the fixtures imported from test_evaluation are used as arguments)
"""The evaluation table grades a program against its own target (Renstra/Renja) where
it has one, and names a summed indicator whose programs' targets do not add up.

The plan and the two programs (DKISS and BPBD, both reporting every indicator)
are those of ``test_evaluation``; every expected figure is computed here by
hand from the values typed there.
"""

import io
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest

from programs import services
from programs.models import Indicator
from rpjmd import program_targets
from tests.reports.test_evaluation import (  # noqa: F401 (fixtures)
    TYPED,
    _block,
    _line,
    _table,
    bappeda_user,
    plan,
    reported,
)

pytestmark = pytest.mark.django_db


def _percent(realisation, target):
    """realisation / target x 100, two places, half-up (DOMAIN.md's rounding)."""
    return (realisation / target * 100).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def _indicator(code):
    return Indicator.objects.get(plan__name="RPJMD Uji 2022-2026", code=code)


def _own(program, code, year, target, bappeda_user, source="renja"):
    program_targets.set_program_target(
        actor=bappeda_user,
        program=program,
        indicator=_indicator(code),
        year=year,
        target=D(target),
        source=source,
        reason="Renja 2022",
    )


@pytest.fixture
def plan_target_100(reported, bappeda_user):
    """The summed indicator's 2022 RPJMD target is 100 (the two programs share it)."""
    services.set_indicator_target(
        actor=bappeda_user, indicator=_indicator("T-SUM"), year=2022, target=D("100")
    )
    return reported


def test_without_own_targets_a_shared_summed_indicator_is_not_graded_per_program(
    plan_target_100,
):
    _request, table = _table()
    for program in plan_target_100.values():
        line = _line(_block(table, program), "T-SUM")
        assert line.k.year_target is None
        assert line.k.year_achievement is None
        assert line.k.cumulative_achievement is None
        assert any("2 program" in note for note in line.notes)


def test_own_targets_60_and_40_give_each_program_row_its_achievements(
    plan_target_100, bappeda_user
):
    dkiss, bpbd = plan_target_100["DKISS"], plan_target_100["BPBD"]
    # DKISS runs 2022-2024 and sets all three years: its end target (a count,
    # cumulative) is their sum, 60 + 60 + 60 = 180. BPBD sets 2022 only.
    for year in (2022, 2023, 2024):
        _own(dkiss, "T-SUM", year, "60", bappeda_user)
    _own(bpbd, "T-SUM", 2022, "40", bappeda_user, source="renstra")
    # A rate (averaged, not shared-summed) graded against DKISS's own 64.
    _own(dkiss, "T-RATE", 2022, "64", bappeda_user)

    _request, table = _table()
    dkiss_sum = _line(_block(table, dkiss), "T-SUM").k
    bpbd_sum = _line(_block(table, bpbd), "T-SUM").k
    # Column 12: the quarters added up; 13 = 12 / 7 x 100.
    assert dkiss_sum.year_realisation == D("306")  # 101 + 102 + 103
    assert dkiss_sum.year_target == D("60")
    assert dkiss_sum.year_achievement == D("510.00")  # 306 / 60 x 100
    assert dkiss_sum.final_target == D("180")
    assert dkiss_sum.cumulative_achievement == D("170.00")  # 306 / 180 x 100
    assert bpbd_sum.year_realisation == D("636")  # 211 + 212 + 213
    assert bpbd_sum.year_target == D("40")
    assert bpbd_sum.year_achievement == D("1590.00")  # 636 / 40 x 100
    # BPBD has no own target for 2023-2024: no end target of its own, and the
    # shared plan's is nobody's alone.
    assert bpbd_sum.final_target is None
    assert bpbd_sum.cumulative_achievement is None

    rate = _line(_block(table, dkiss), "T-RATE")
    # A rate: the latest quarter (TW III, 66,45) against 64: 103,828125 -> 103,83.
    assert rate.k.year_achievement == D("103.83")
    assert rate.k.year_achievement == _percent(TYPED["DKISS"]["T-RATE"][-1], D("64"))
    # No own end target for 2026: column 15 stays against the plan's final 90.
    assert rate.k.cumulative_achievement == _percent(D("66.45"), D("90"))  # 73,83
    assert any("Renja" in note for note in rate.notes)
    # BPBD's rate row keeps the plan's target (70): 74,85 / 70 = 106,93.
    bpbd_rate = _line(_block(table, bpbd), "T-RATE").k
    assert bpbd_rate.year_achievement == D("106.93")

    # The targets add up (60 + 40 = 100): no warning on the indicator's evaluation.
    summed = next(e for e in table.indicators if e.indicator.code == "T-SUM")
    assert not [note for note in summed.notes if "T-SUM 2022" in note]


def test_the_excel_rows_carry_the_own_target_and_achievement(plan_target_100, bappeda_user):
    from openpyxl import load_workbook

    from reports import excel
    from reports.excel.styles import FIRST_FIGURE

    dkiss = plan_target_100["DKISS"]
    _own(dkiss, "T-SUM", 2022, "60", bappeda_user)
    request, table = _table()
    rows = list(
        load_workbook(io.BytesIO(excel.render(request, table))).active.iter_rows(values_only=True)
    )
    start = next(i for i, row in enumerate(rows) if row[3] and dkiss.title in str(row[3]))
    line = next(row for row in rows[start : start + 4] if "T-SUM" in str(row[3]))
    # The K cells of column 7 (the year's target) and 13 (its achievement).
    assert float(line[FIRST_FIGURE - 1 + 2 * 2]) == 60
    assert float(line[FIRST_FIGURE - 1 + 2 * 8]) == 510


def test_a_summed_indicator_whose_own_targets_miss_the_plan_is_named(plan_target_100, bappeda_user):
    _own(plan_target_100["DKISS"], "T-SUM", 2022, "60", bappeda_user)
    _own(plan_target_100["BPBD"], "T-SUM", 2022, "30", bappeda_user)
    _request, table = _table()
    summed = next(e for e in table.indicators if e.indicator.code == "T-SUM")
    warnings = [note for note in summed.notes if "T-SUM 2022" in note]
    assert len(warnings) == 1
    assert "90" in warnings[0] and "100" in warnings[0]

    mismatches = program_targets.summed_mismatches([_indicator("T-SUM")], years=[2022])
    assert [(m.year, m.total, m.plan_target) for m in mismatches] == [(2022, D("90"), D("100"))]


def test_no_warning_when_the_own_targets_add_up(plan_target_100, bappeda_user):
    _own(plan_target_100["DKISS"], "T-SUM", 2022, "60", bappeda_user)
    _own(plan_target_100["BPBD"], "T-SUM", 2022, "40", bappeda_user)
    assert program_targets.summed_mismatches([_indicator("T-SUM")], years=[2022]) == []
    _request, table = _table()
    summed = next(e for e in table.indicators if e.indicator.code == "T-SUM")
    assert not [note for note in summed.notes if "T-SUM 2022" in note]


def test_one_program_alone_with_a_target_is_named(plan_target_100, bappeda_user):
    _own(plan_target_100["DKISS"], "T-SUM", 2022, "100", bappeda_user)
    mismatches = program_targets.summed_mismatches([_indicator("T-SUM")], years=[2022])
    assert [(m.with_target, m.programs) for m in mismatches] == [(1, 2)]
