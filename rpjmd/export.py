"""The plan as an RPJMD workbook (the export) and the empty workbook to fill in (the
template). Both have the layout of ``rpjmd.workbook``, so an exported plan
imports back without a single change.
"""

from django.utils.translation import gettext as _

from programs.models import Goal, Indicator, IndicatorTarget, Mission, Objective, PlanProgram
from rpjmd.workbook import SHEETS, build_workbook
from tracker.models import Unit


def _code(node):
    return node.code if node is not None else None


def plan_rows(plan):
    """The plan's rows per sheet key, in the workbook's column order (a few queries)."""
    rows = {
        "missions": [[m.number, m.text] for m in Mission.objects.filter(plan=plan)],
        "goals": [
            [g.code, g.mission.number, g.text]
            for g in Goal.objects.filter(mission__plan=plan)
            .select_related("mission")
            .order_by("mission__number", "code")
        ],
        "objectives": [
            [o.code, o.goal.code, o.text]
            for o in Objective.objects.filter(goal__mission__plan=plan)
            .select_related("goal")
            .order_by("goal__code", "code")
        ],
        "plan_programs": [
            [p.code, p.objective.code, p.name, _code(p.responsible_unit)]
            for p in PlanProgram.objects.filter(objective__goal__mission__plan=plan)
            .select_related("objective", "responsible_unit")
            .order_by("objective__code", "code")
        ],
    }
    indicators = Indicator.objects.filter(plan=plan).select_related(
        "goal", "objective", "plan_program", "responsible_unit"
    )
    rows["indicators"] = []
    for i in indicators.order_by("code"):
        kind = "goal" if i.goal_id else "objective" if i.objective_id else "plan_program"
        rows["indicators"].append(
            [
                i.code,
                kind,
                i.level.code,
                i.name,
                i.unit_of_measure,
                i.direction,
                i.is_cumulative,
                i.decimal_places,
                i.combination,
                i.designated_program_id,
                i.baseline_value,
                i.baseline_year,
                i.final_target,
                _code(i.responsible_unit),
            ]
        )
    rows["targets"] = [
        [t.indicator.code, t.year, t.target, t.budget, t.realisation]
        for t in IndicatorTarget.objects.filter(indicator__plan=plan)
        .select_related("indicator")
        .order_by("indicator__code", "year")
    ]
    return rows


def instructions(plan):
    """The lines of the "Petunjuk" sheet: what each sheet holds and how to fill it in."""
    sheets = ", ".join(sheet.title for sheet in SHEETS)
    return [
        _("RPJMD workbook: %(plan)s (%(period)s)") % {"plan": plan.name, "period": plan.period},
        _("Sheets: %(sheets)s. Keep the sheet names and the column headers of the first row.")
        % {"sheets": sheets},
        _(
            "Each row is identified by its code (a mission by its number) and names its "
            "parent by the parent's code: a goal its mission number, an objective its goal "
            "code, an RPJMD program its objective code, an indicator its level (tujuan, "
            "sasaran or program) and that level's code, a target its indicator code and year."
        ),
        _(
            "A row whose code is new is added; a row whose code exists replaces that record's "
            "values (an empty cell clears an optional value); rows the file does not mention "
            "are left as they are. Nothing is ever deleted by an import."
        ),
        _(
            "Numbers: 1234.5 or 1.234,5 (Indonesian). Write 1.234 as 1234 or as 1,234: with a "
            "single dot before three digits the number can be read two ways and is refused."
        ),
        _("Years: %(first)s to %(last)s. Budget (pagu) in Rupiah, not negative.")
        % {"first": plan.start_year, "last": plan.end_year},
        _("Arah (direction): tinggi (higher is better) or rendah (lower is better)."),
        _("Kumulatif: ya or tidak. Desimal: 0 to 4 (0 for counts)."),
        _(
            "Aturan Gabungan (combining rule): jumlah, rata-rata, terbaru, terendah, tertinggi "
            "or ditunjuk; with ditunjuk, ID Program Ditunjuk is the number in the address of "
            "the program's page (/program/<number>/)."
        ),
        _(
            "Unit codes are listed in the sheet Unit. Keep code columns as text, so that "
            "1.10 does not become 1.1."
        ),
        _(
            "Upload the file on the plan's page (Impor Excel): a preview lists what will be "
            "added and changed, and every problem by sheet, row and column, before anything "
            "is saved."
        ),
    ]


def _units(plan):
    return list(
        Unit.objects.filter(government_id=plan.government_id)
        .order_by("code")
        .values_list("code", "name")
    )


def export_workbook(plan):
    """The whole plan as workbook bytes."""
    return build_workbook(plan_rows(plan), instructions=instructions(plan), units=_units(plan))


def template_workbook(plan):
    """An empty workbook for the plan: headers, instructions and the unit codes."""
    return build_workbook({}, instructions=instructions(plan), units=_units(plan))
