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
from programs import reporting, services
from programs.models import Category, Indicator
from reports import services as report_services
from reports.selectors import quarterly_report, report_table
from tracker.formatting import format_number_id
from tracker.services import create_user

pytestmark = pytest.mark.django_db

# Realisations typed for 2022 TW I-III: {unit: {indicator code: [TW I, TW II, TW III]}}
# T-SUM: a count, cumulative, higher is better, summed across programs.
# T-LOW: a time, a rate, lower is better, averaged. T-RATE: a percentage, a
# rate, higher is better, averaged. T-FIRE: a count of incidents, cumulative,
# lower is better, summed.
TYPED = {
    "DKISS": {
        "T-SUM": [D("101"), D("102"), D("103")],
        "T-LOW": [D("21.37"), D("22.41")],
        "T-RATE": [D("61.15"), D("63.35"), D("66.45")],
        "T-FIRE": [D("7"), D("5"), D("4")],
    },
    "BPBD": {
        "T-SUM": [D("211"), D("212"), D("213")],
        "T-LOW": [D("31.19"), D("29.83")],
        "T-RATE": [D("71.05"), D("72.65"), D("74.85")],
        "T-FIRE": [D("9"), D("8"), D("6")],
    },
}
TARGETS = {"T-SUM": D("1000"), "T-LOW": D("25"), "T-RATE": D("70"), "T-FIRE": D("40")}
FINAL = {"T-SUM": D("5000"), "T-LOW": D("15"), "T-RATE": D("90"), "T-FIRE": D("120")}
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
    counts = {"decimal_places": 0, "is_cumulative": True, "combination": "sum"}
    rates = {"decimal_places": 2, "is_cumulative": False, "combination": "average"}
    indicators = {
        "T-SUM": {"name": "Jumlah laporan uji", "unit_of_measure": "laporan", **counts},
        "T-LOW": {
            "name": "Waktu tanggap uji",
            "unit_of_measure": "menit",
            "direction": Indicator.Direction.LOWER,
            **rates,
        },
        "T-RATE": {"name": "Persentase layanan daring", "unit_of_measure": "persen", **rates},
        "T-FIRE": {
            "name": "Jumlah kejadian kebakaran",
            "unit_of_measure": "kejadian",
            "direction": Indicator.Direction.LOWER,
            **counts,
        },
    }
    for code, fields in indicators.items():
        services.add_indicator(
            actor=bappeda_user,
            plan=plan,
            level=objective,
            code=code,
            final_target=FINAL[code],
            **fields,
        )
    for code, target in TARGETS.items():
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
        categories=[Category.objects.get(code="governance")],
        indicators=list(plan.indicators.all()),
        budgets={2022: BUDGET[owner] * 4, 2023: BUDGET[owner] * 4, 2024: BUDGET[owner] * 4},
    )


def _verified(program, period, values, budget, user, bappeda_user):
    """A report of ``program`` for ``period`` with ``values`` ({code: value}), verified."""
    report = reporting.start_report(program, period, actor=user)
    indicators = {i.code: i.pk for i in program.indicators.all()}
    report = reporting.save_report(
        report,
        actor=user,
        expected_version=report.version,
        milestone_percents={},
        indicator_values={indicators[code]: value for code, value in values.items()},
        budget_realisation=budget,
    )
    report = reporting.submit_report(report, actor=user)
    return reporting.verify_report(report, actor=bappeda_user)


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


def test_the_excel_cells_carry_each_program_row_and_the_rule(reported):
    from openpyxl import load_workbook

    from reports import excel
    from reports.excel.styles import FIRST_FIGURE, UNIT_COLUMN

    request, table = _table()
    sheet = load_workbook(io.BytesIO(excel.render(request, table))).active
    rows = list(sheet.iter_rows(values_only=True))

    def quarters(row, first_quarter_index=3):
        # The K cell of columns 8-10 (TW I-III): every other sheet column.
        return [row[FIRST_FIGURE - 1 + 2 * (first_quarter_index + q)] for q in range(3)]

    for owner, program in reported.items():
        start = next(i for i, row in enumerate(rows) if row[3] and program.title in str(row[3]))
        block = rows[start : start + 4]  # four indicator lines, in code order
        assert block[0][UNIT_COLUMN - 1] == owner
        lines = {code: next(row for row in block if code in str(row[3])) for code in TYPED[owner]}
        for code, typed in TYPED[owner].items():
            expected = [float(v) for v in typed] + [None] * (3 - len(typed))
            got = [None if v in (None, "–") else float(v) for v in quarters(lines[code])]
            assert got == expected, (owner, code, got)
    # The indicator-level row of T-SUM: the two programs summed, quarter by quarter.
    summed = next(row for row in rows if row[2] == "T-SUM")
    expected = [
        float(a + b) for a, b in zip(TYPED["DKISS"]["T-SUM"], TYPED["BPBD"]["T-SUM"], strict=True)
    ]
    assert [float(v) for v in quarters(summed)] == expected


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


@pytest.mark.parametrize("code", ["T-SUM", "T-LOW", "T-RATE", "T-FIRE"])
def test_both_achievement_rates_against_figures_computed_here(reported, code):
    """Cumulative and not, higher and lower is better: columns 13-15 and the predicate."""
    from tracker.achievement import predicate_label

    indicator = Indicator.objects.get(plan__name="RPJMD Uji 2022-2026", code=code)
    grade = _higher if indicator.direction == "higher" else _lower
    dkiss, bpbd = TYPED["DKISS"][code], TYPED["BPBD"][code]
    # Cumulative: the programs summed, the quarters added up. A rate: the programs
    # averaged, the latest quarter.
    year = sum(dkiss) + sum(bpbd) if indicator.is_cumulative else (dkiss[-1] + bpbd[-1]) / 2
    up_to_now = year  # the plan began in 2022: nothing before, so 14 = 12 either way

    _request, table = _table()
    evaluation = next(e for e in table.indicators if e.indicator.code == code)
    assert evaluation.k.year_realisation == year  # column 12
    assert evaluation.k.year_achievement == grade(year, TARGETS[code])  # column 13
    assert evaluation.k.cumulative == up_to_now  # column 14
    assert evaluation.k.cumulative_achievement == grade(up_to_now, FINAL[code])  # column 15
    # The predicate grades the year (13), not the plan period (15).
    assert evaluation.predicate == str(predicate_label(grade(year, TARGETS[code])))
    if code == "T-SUM":
        assert evaluation.k.cumulative_achievement < 51 < evaluation.k.year_achievement

    # One program's own line: a rate is graded against the RPJMD target itself.
    if not indicator.is_cumulative:
        line = _line(_block(table, reported["DKISS"]), code)
        assert line.k.year_achievement == grade(dkiss[-1], TARGETS[code])
        assert line.k.cumulative_achievement == grade(dkiss[-1], FINAL[code])


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


# --- The indicator as a whole: Rp and the unit in charge --------------------------------------

PAGU = {2022: D("150000000"), 2023: D("160000000"), 2024: D("170000000")}


def test_the_rpjmd_indicator_carries_the_plans_pagu_and_the_programs_rupiah(
    reported, plan, bappeda_user, unit
):
    summed = Indicator.objects.get(plan=plan, code="T-SUM")
    for year, amount in PAGU.items():
        services.set_indicator_target(
            actor=bappeda_user, indicator=summed, year=year, target=TARGETS["T-SUM"], budget=amount
        )
    summed.responsible_unit = unit("BPBD")
    summed.save()
    _request, table = _table()
    evaluation = next(e for e in table.indicators if e.indicator.code == "T-SUM")
    spent = BUDGET["DKISS"] + BUDGET["BPBD"]  # each program's verified Rupiah, every quarter
    # Column 5 is the pagu of every plan year, column 7 this year's.
    assert evaluation.rp.final_target == sum(PAGU.values())
    assert evaluation.rp.year_target == PAGU[2022]
    assert [evaluation.rp.quarters[q] for q in (1, 2, 3)] == [spent] * 3
    assert evaluation.rp.before is None  # the programs started in 2022
    assert evaluation.rp.year_realisation == 3 * spent
    assert evaluation.rp.year_achievement == _higher(3 * spent, PAGU[2022])
    assert evaluation.rp.cumulative_achievement == _higher(3 * spent, sum(PAGU.values()))
    assert evaluation.responsible_unit.code == "BPBD"
    # Years of the plan without a pagu are named, and so is money counted twice.
    assert "Rp: tidak ada pagu dalam RPJMD untuk 2025, 2026" in evaluation.notes
    assert any(note.startswith("Rp menghitung seluruh anggaran") for note in evaluation.notes)

    # A designated program's indicator counts that program's money alone.
    summed.combination = Indicator.Combination.DESIGNATED
    summed.designated_program = reported["DKISS"]
    summed.full_clean()
    summed.save()
    _request, table = _table()
    evaluation = next(e for e in table.indicators if e.indicator.code == "T-SUM")
    assert evaluation.rp.year_realisation == 3 * BUDGET["DKISS"]

    # The PDF prints the pair and the unit in charge on the indicator's row.
    request, _table_ = _table()
    content, _report = _render(request)
    text = _pdf_text(content)
    section = text[text.rindex("Capaian indikator RPJMD") :]
    start = section.index("T-SUM Jumlah laporan uji")
    text = section[start : section.index("Rata-rata", start)]
    assert format_number_id(3 * BUDGET["DKISS"], 0) in text
    assert format_number_id(PAGU[2022], 0) in text
    assert "BPBD" in text


# --- Ties: "latest" among reports verified at the same moment ---------------------------------


def _tied(program, period, value, user, bappeda_user, *, submitted, verified):
    report = reporting.start_report(program, period, actor=user)
    indicator = program.indicators.get(code="T-RATE")
    report = reporting.save_report(
        report,
        actor=user,
        expected_version=report.version,
        milestone_percents={},
        indicator_values={indicator.pk: value},
    )
    report = reporting.submit_report(report, actor=user, at=submitted)
    return reporting.verify_report(report, actor=bappeda_user, at=verified)


@pytest.mark.parametrize("later", ["DKISS", "BPBD"])
def test_a_tie_in_verification_time_is_broken_by_submission_time_and_named(
    cilegon, unit, plan, bappeda_user, django_user_model, later
):
    rate = Indicator.objects.get(plan=plan, code="T-RATE")
    rate.combination = Indicator.Combination.LATEST
    rate.save()
    users = {
        "DKISS": django_user_model.objects.get(username="dkiss"),
        "BPBD": create_user(
            actor=None,
            username="bpbd-seri",
            password="rahasia-uji-2022",
            government=cilegon,
            unit=unit("BPBD"),
            is_unit_head=True,
        ),
    }
    programs = {owner: _program(cilegon, unit, bappeda_user, plan, owner) for owner in users}
    period = services.open_period(actor=bappeda_user, government=cilegon, year=2022, quarter=1)
    values = {"DKISS": D("3.41"), "BPBD": D("3.15")}
    moment = datetime.datetime(2022, 4, 14, 9, 0, tzinfo=datetime.UTC)
    # DKISS's report is always made first (the lower id): when DKISS submitted later,
    # submission time beats the id.
    for owner in users:
        submitted = moment - datetime.timedelta(days=1 if owner == later else 2)
        _tied(
            programs[owner],
            period,
            values[owner],
            users[owner],
            bappeda_user,
            submitted=submitted,
            verified=moment,
        )
    _request, table = _table(quarter=1)
    evaluation = next(e for e in table.indicators if e.indicator.code == "T-RATE")
    assert evaluation.k.quarters[1] == values[later]
    note = next(n for n in evaluation.notes if "pada saat yang sama" in n)
    assert programs[later].title in note
    assert format_number_id(values[later], 2) in note
