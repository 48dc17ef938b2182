"""The Excel import on the Cilegon demo plan: the round trip, a corrected file, a new
plan filled from the template, and every kind of bad input (nothing saved)."""

import io
from decimal import Decimal

import pytest
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from programs.models import Indicator, IndicatorTarget, Objective, Plan
from rpjmd import services
from rpjmd.export import export_workbook, plan_rows, template_workbook
from rpjmd.importer import ImportRefused, apply_import, import_reason, preview_import
from rpjmd.workbook import build_workbook, read_workbook
from tests.rpjmd.conftest import column, excel_row, row_index, stored_counts


def test_round_trip_of_the_demo_plan_changes_nothing(plan, bappeda):
    content = export_workbook(plan)
    preview = preview_import(plan, content, "rpjmd.xlsx")
    assert [str(p) for p in preview.problems] == []
    assert (preview.created, preview.changed) == (0, 0)
    assert preview.unchanged == sum(len(r) for r in plan_rows(plan).values())
    assert preview.unchanged > 150  # 5 missions ... 108 targets: the whole plan was compared
    before = stored_counts()
    applied = apply_import(plan, content, "rpjmd.xlsx", actor=bappeda)
    assert not applied.has_changes
    assert stored_counts() == before  # not even a history row


def test_formula_like_text_survives_the_round_trip(plan, bappeda):
    mission = plan.missions.get(number=1)
    services.update_mission(mission, actor=bappeda, text="=HYPERLINK(1)")
    preview = preview_import(plan, export_workbook(plan), "rpjmd.xlsx")
    assert (preview.created, preview.changed) == (0, 0)


def test_a_corrected_file_makes_exactly_its_changes_with_the_import_reason(plan, bappeda, rows):
    target_row = rows["targets"][row_index(rows, "targets", "IKU-1.1", 2019)]
    target_row[column("targets", "target")] = Decimal("3.30")
    indicator_row = rows["indicators"][row_index(rows, "indicators", "IKS-1.1.2")]
    indicator_row[column("indicators", "name")] = "Nilai SAKIP Kota Cilegon"
    rows["objectives"].append(["1.1.3", "1.1", "Meningkatnya keterbukaan data"])
    content = build_workbook(rows)

    preview = preview_import(plan, content, "rpjmd-koreksi.xlsx")
    assert preview.is_valid
    assert (preview.created, preview.changed) == (1, 2)
    changed = {item.key: item.changes for item in preview.items if item.action == "change"}
    assert [(c.column, c.old, c.new) for c in changed["IKU-1.1 2019"]] == [
        ("Target", "3,23", "3,3")
    ]
    assert [(c.column, c.new) for c in changed["IKS-1.1.2"]] == [
        ("Nama Indikator", "Nilai SAKIP Kota Cilegon")
    ]
    assert [i.key for i in preview.items if i.action == "create"] == ["1.1.3"]

    before = stored_counts()
    apply_import(plan, content, "rpjmd-koreksi.xlsx", actor=bappeda)
    after = stored_counts()
    reason = import_reason("rpjmd-koreksi.xlsx")
    assert reason == _("Excel import %(file)s") % {"file": "rpjmd-koreksi.xlsx"}
    # one history row each, nothing else touched
    changed_models = {name for name in after if after[name] != before[name]}
    assert changed_models == {"Objective", "Indicator", "IndicatorTarget"}
    assert after["Objective"] == (before["Objective"][0] + 1, before["Objective"][1] + 1)
    assert after["Indicator"][1] == before["Indicator"][1] + 1
    assert after["IndicatorTarget"][1] == before["IndicatorTarget"][1] + 1
    target = IndicatorTarget.objects.get(indicator__plan=plan, indicator__code="IKU-1.1", year=2019)
    assert target.target == Decimal("3.30")
    record = target.history.latest("history_date")
    assert (record.history_change_reason, record.history_user) == (reason, bappeda)
    indicator = Indicator.objects.get(plan=plan, code="IKS-1.1.2")
    assert indicator.name == "Nilai SAKIP Kota Cilegon"
    assert indicator.history.latest("history_date").history_change_reason == reason
    objective = Objective.objects.get(goal__mission__plan=plan, code="1.1.3")
    assert objective.goal.code == "1.1"
    assert objective.history.get().history_change_reason == reason
    # the same file again: nothing to do, no history
    again = stored_counts()
    assert not apply_import(plan, content, "rpjmd-koreksi.xlsx", actor=bappeda).has_changes
    assert stored_counts() == again


def test_a_row_the_file_leaves_out_is_left_alone(plan, bappeda, rows):
    del rows["targets"][row_index(rows, "targets", "IKU-1.1", 2019)]
    rows["indicators"] = [r for r in rows["indicators"] if r[0] != "IKU-1.2"]
    before = stored_counts()
    preview = apply_import(plan, build_workbook(rows), "sebagian.xlsx", actor=bappeda)
    assert not preview.has_changes
    assert stored_counts() == before
    assert IndicatorTarget.objects.filter(indicator__code="IKU-1.1", year=2019).exists()


def test_a_new_plan_is_filled_from_the_template(cilegon, bappeda, unit):
    plan = services.create_plan(
        actor=bappeda,
        government=cilegon,
        name="RPJMD Kota Cilegon 2022-2026",
        start_year=2022,
        end_year=2026,
        legal_basis="Perda Kota Cilegon No. 1 Tahun 2022",
        vision="Cilegon Maju",
    )
    template = read_workbook(template_workbook(plan))
    assert template.row_count == 0
    rows = {
        "Misi": [[1, "Misi pertama"]],
        "Tujuan": [["1.1", 1, "Tujuan pertama"]],
        "Sasaran": [["1.1.1", "1.1", "Sasaran pertama"]],
        "Program RPJMD": [["2.16.01", "1.1.1", "Program e-Government", "DKISS"]],
        "Indikator": [
            ["IKU-1", "tujuan", "1.1", "Indeks SPBE", "indeks (1-5)", "tinggi", "tidak", 2,
             "terbaru", None, "2,5", 2021, 4, "DKISS"],
            ["IKP-1", "program", "2.16.01", "Aplikasi terintegrasi", "aplikasi", "tinggi", "ya",
             0, "jumlah", None, 5, 2021, 40, "DKISS"],
        ],
        "Target": [
            ["IKU-1", 2022, "2,8", None, None],
            ["IKP-1", 2022, 10, "Rp1.500.000.000", None],
            ["IKP-1", 2023, 20, "2.000.000.000", None],
        ],
    }  # fmt: skip
    content = build_workbook(rows)
    preview = preview_import(plan, content, "rpjmd-baru.xlsx")
    assert [str(p) for p in preview.problems] == []
    assert (preview.created, preview.changed, preview.unchanged) == (9, 0, 0)
    apply_import(plan, content, "rpjmd-baru.xlsx", actor=bappeda)
    indicator = Indicator.objects.get(plan=plan, code="IKP-1")
    assert indicator.plan_program.code == "2.16.01"
    assert indicator.is_cumulative and indicator.decimal_places == 0
    assert indicator.combination == "sum" and indicator.responsible_unit == unit("DKISS")
    assert Indicator.objects.get(plan=plan, code="IKU-1").baseline_value == Decimal("2.5")
    budgets = dict(indicator.targets.values_list("year", "budget"))
    assert budgets == {2022: Decimal("1500000000"), 2023: Decimal("2000000000")}
    assert not preview_import(plan, export_workbook(plan), "x.xlsx").has_changes
    # the Cilegon demo plan was not touched
    assert Plan.objects.get(government=cilegon, start_year=2016).missions.count() == 5


def test_an_indicator_moves_to_another_level_and_a_goal_to_another_mission(plan, bappeda, rows):
    rows["goals"][row_index(rows, "goals", "1.2")][column("goals", "mission")] = 2
    row = rows["indicators"][row_index(rows, "indicators", "IKU-1.1")]
    row[column("indicators", "level_kind")] = "objective"
    row[column("indicators", "level_code")] = "1.1.1"
    preview = apply_import(plan, build_workbook(rows), "pindah.xlsx", actor=bappeda)
    assert preview.changed == 2
    indicator = Indicator.objects.get(plan=plan, code="IKU-1.1")
    assert indicator.goal is None and indicator.objective.code == "1.1.1"
    assert plan.missions.get(number=2).goals.filter(code="1.2").exists()


# --- Bad input: a message naming sheet, row and column; nothing saved ----------------------


def _refused(plan, bappeda, content, name="salah.xlsx"):
    """The problems of a refused import, after checking that nothing was saved."""
    before = stored_counts()
    with pytest.raises(ImportRefused) as refused:
        apply_import(plan, content, name, actor=bappeda)
    assert stored_counts() == before
    assert refused.value.preview.problems
    return [str(p) for p in refused.value.preview.problems]


def _where(sheet, row, column_name):
    return _("Sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s") % {
        "sheet": sheet,
        "row": row,
        "column": column_name,
        "message": "",
    }


def test_a_target_that_is_not_a_number(plan, bappeda, rows):
    # a valid change in the same file is not applied either
    rows["missions"][0][1] = "Misi yang diubah"
    rows["targets"][row_index(rows, "targets", "IKU-1.1", 2019)][2] = "abc"
    problems = _refused(plan, bappeda, build_workbook(rows))
    line = excel_row(rows, "targets", "IKU-1.1", 2019)
    assert problems == [
        _where("Target", line, "Target")
        + _("“%(value)s” is not a number; write it as 1.500.000 or 71,90") % {"value": "abc"}
    ]
    assert plan.missions.get(number=1).text != "Misi yang diubah"


def test_indonesian_numbers_are_read_and_ambiguous_ones_refused(plan, bappeda, rows):
    index = row_index(rows, "targets", "IKS-3.1.1", 2019)
    rows["targets"][index][2] = "1.234,5"
    preview = preview_import(plan, build_workbook(rows), "x.xlsx")
    assert preview.is_valid
    assert [item.values["target"] for item in preview.items if item.action == "change"] == [
        Decimal("1234.5")
    ]
    rows["targets"][index][2] = "1.234"
    problems = _refused(plan, bappeda, build_workbook(rows))
    assert len(problems) == 1
    assert problems[0].startswith(_where("Target", index + 2, "Target"))
    assert "1234" in problems[0] and "1,234" in problems[0]


def test_a_year_outside_the_plan(plan, bappeda, rows):
    rows["targets"].append(["IKU-1.1", 2025, 4, None, None])
    problems = _refused(plan, bappeda, build_workbook(rows))
    assert problems == [
        _where("Target", len(rows["targets"]) + 1, "Tahun")
        + _("%(year)s is outside the plan period %(period)s.")
        % {"year": 2025, "period": "2016-2021"}
    ]


def test_a_parent_code_that_exists_neither_in_the_file_nor_in_the_plan(plan, bappeda, rows):
    rows["objectives"].append(["9.9.1", "9.9", "Sasaran tanpa tujuan"])
    rows["indicators"].append(
        ["IKX-1", "sasaran", "8.8.8", "Tanpa induk", "persen", "tinggi", "tidak", 2, "rata-rata"]
        + [None] * 5
    )
    problems = _refused(plan, bappeda, build_workbook(rows))
    assert len(problems) == 2
    assert problems[0].startswith(_where("Sasaran", len(rows["objectives"]) + 1, "Kode Tujuan"))
    assert "9.9" in problems[0]
    assert problems[1].startswith(_where("Indikator", len(rows["indicators"]) + 1, "Kode Level"))


def test_a_parent_new_in_the_same_file_is_fine(plan, rows):
    rows["goals"].append(["9.1", 5, "Tujuan baru"])
    rows["objectives"].append(["9.1.1", "9.1", "Sasaran baru di bawah tujuan baru"])
    preview = preview_import(plan, build_workbook(rows), "x.xlsx")
    assert preview.is_valid and preview.created == 2


def test_a_code_twice_in_a_sheet(plan, bappeda, rows):
    rows["goals"].append(["1.1", 1, "Lagi"])
    problems = _refused(plan, bappeda, build_workbook(rows))
    assert len(problems) == 1
    assert problems[0].startswith(_where("Tujuan", len(rows["goals"]) + 1, "Kode Tujuan"))
    assert "(" in problems[0] and "2)" in problems[0]  # names the first row too


def test_values_that_break_the_model_validators(plan, bappeda, rows):
    target = row_index(rows, "targets", "IKU-1.2", 2019)
    rows["targets"][target][3] = -5  # negative pagu
    rows["targets"][row_index(rows, "targets", "IKU-1.2", 2020)][2] = "1,12345"  # 5 decimals
    rows["targets"][row_index(rows, "targets", "IKU-1.2", 2021)][2] = 123456789012345  # too big
    rows["indicators"][row_index(rows, "indicators", "IKU-2.1")][7] = 5  # decimal places
    problems = _refused(plan, bappeda, build_workbook(rows))
    assert len(problems) == 4
    assert problems[0].startswith(_where("Indikator", excel_row(rows, "indicators", "IKU-2.1"),
                                         "Desimal"))  # fmt: skip
    assert problems[1] == _where("Target", target + 2, "Pagu (Rp)") + _(
        "The budget cannot be negative."
    )
    assert problems[2].startswith(_where("Target", target + 3, "Target"))
    assert problems[3].startswith(_where("Target", target + 4, "Target"))


def test_a_designated_program_of_another_rule_or_government(plan, bappeda, rows):
    index = row_index(rows, "indicators", "IKU-2.1")
    rows["indicators"][index][column("indicators", "designated_program")] = 999999
    problems = _refused(plan, bappeda, build_workbook(rows))
    assert problems[0].startswith(_where("Indikator", index + 2, "ID Program Ditunjuk"))
    rows["indicators"][index][column("indicators", "combination")] = "ditunjuk"
    problems = _refused(plan, bappeda, build_workbook(rows))
    assert "999999" in problems[0]


def test_a_unit_of_another_government(plan, bappeda, rows):
    index = row_index(rows, "plan_programs", "2.16.01")
    rows["plan_programs"][index][3] = "TIDAK-ADA"
    problems = _refused(plan, bappeda, build_workbook(rows))
    assert problems[0].startswith(_where("Program RPJMD", index + 2, "Kode Unit Penanggung Jawab"))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("rename sheet", [("Sasran", None, ""), ("Sasaran", None, "")]),
        ("rename column", [("Indikator", 1, "Nama"), ("Indikator", 1, "Nama Indikator")]),
        ("drop column", [("Target", 1, "Pagu (Rp)")]),
    ],
)
def test_a_wrong_or_missing_sheet_or_column(plan, bappeda, rows, change, expected):
    book = load_workbook(io.BytesIO(build_workbook(rows)))
    if change == "rename sheet":
        book["Sasaran"].title = "Sasran"
    elif change == "rename column":
        book["Indikator"]["D1"] = "Nama"
    else:
        book["Target"].delete_cols(4)
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()
    problems = preview_import(plan, content, "x.xlsx").problems
    assert [(p.sheet, p.row, p.column) for p in problems] == expected
    shown = _refused(plan, bappeda, content)
    if change == "rename column":
        assert shown[0].startswith(_where("Indikator", 1, "Nama"))
        assert shown[1] == _where("Indikator", 1, "Nama Indikator") + _(
            "the column is missing from the first row"
        )
    if change == "rename sheet":
        assert shown[1] == _("Sheet %(sheet)s: %(message)s") % {
            "sheet": "Sasaran",
            "message": _("the sheet is missing from the workbook"),
        }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (bytes(range(256)) * 20, "The file is not an Excel workbook (.xlsx)."),
        (b"Kode Indikator,Tahun,Target\nIKU-1.1,2019,3\n", "The file is not an Excel workbook"),
        (b"PK\x03\x04" + b"\x00" * 100, "The file is not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "This is an old Excel (.xls) file"),
    ],
    ids=["empty", "random bytes", "csv renamed", "broken zip", "old xls"],
)
def test_a_file_that_is_not_a_workbook(plan, bappeda, content, message):
    problems = _refused(plan, bappeda, content)
    assert len(problems) == 1
    english = {
        "The file is empty.": _("The file is empty."),
        "This is an old Excel (.xls) file": _(
            "This is an old Excel (.xls) file: open it in Excel and save it as .xlsx."
        ),
    }.get(
        message,
        _("The file is not an Excel workbook (.xlsx). Download the template and fill it in."),
    )
    assert problems[0] == english


def test_a_workbook_without_rows(plan, bappeda):
    problems = _refused(plan, bappeda, template_workbook(plan))
    assert problems == [_("The workbook holds no rows to import.")]


def test_a_plan_changed_after_the_preview_is_not_applied_blindly(plan, bappeda, rows):
    rows["missions"][0][1] = "Misi baru"
    content = build_workbook(rows)
    preview = preview_import(plan, content, "x.xlsx")
    services.update_mission(plan.missions.get(number=1), actor=bappeda, text="Diubah orang lain")
    with pytest.raises(ImportRefused) as refused:
        apply_import(plan, content, "x.xlsx", actor=bappeda, fingerprint=preview.fingerprint)
    assert refused.value.stale
    assert plan.missions.get(number=1).text == "Diubah orang lain"


def test_text_with_line_breaks_typed_in_a_browser_round_trips(plan, bappeda):
    goal = plan.missions.get(number=1).goals.get(code="1.1")
    services.update_goal(goal, actor=bappeda, text="Baris satu\r\nbaris dua\r\n\tberindentasi")
    preview = preview_import(plan, export_workbook(plan), "rpjmd.xlsx")
    assert (preview.created, preview.changed) == (0, 0)
