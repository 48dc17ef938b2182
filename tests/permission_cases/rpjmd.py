"""Permission-matrix cases: rpjmd pages (editing the plan, its Excel import and export).

Bappeda of Kota Cilegon and the superuser change Cilegon's plan; everyone else
of Cilegon reads it (403 on the edit pages); Serang's Bappeda and an account
without a profile do not see it (404). Edits post the stored values, so a
changer's save succeeds (302) and changes nothing; deleting a node that
others depend on is refused with a message (302 back to its page).
"""

from programs.models import Goal, Indicator, Mission, Objective, PlanProgram
from tests.permission_roles import (
    LOGGED_IN,
    SEES_CILEGON_PLAN,
    SEES_SERANG,
    _cilegon_plan,
    _serang_plan,
    changers,
    only,
)

CHANGES_PLAN = ("admin", "bappeda")


def _plan_changers(ok):
    return changers(ok, visible=SEES_CILEGON_PLAN, allowed=CHANGES_PLAN)


def _serang_changers(ok):
    return changers(ok, visible=SEES_SERANG, allowed=SEES_SERANG)


def _mission():
    return Mission.objects.get(plan=_cilegon_plan(), number=1)


def _goal():
    return Goal.objects.get(mission__plan=_cilegon_plan(), code="1.1")


def _objective():
    return Objective.objects.get(goal__mission__plan=_cilegon_plan(), code="1.1.1")


def _plan_program():
    return PlanProgram.objects.get(objective__goal__mission__plan=_cilegon_plan(), code="2.16.01")


def _indicator():
    return Indicator.objects.get(plan=_cilegon_plan(), code="IKU-1.1")


def _plan_data(args):
    plan = _cilegon_plan()
    return {
        "name": plan.name,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "legal_basis": plan.legal_basis,
        "vision": plan.vision,
    }


def _new_plan_data(args):
    return {
        "name": "RPJMD Uji 2040-2044",
        "start_year": 2040,
        "end_year": 2044,
        "legal_basis": "Perda Uji",
        "vision": "Visi uji",
    }


def _fk(obj):
    return obj.pk if obj is not None else ""


def _indicator_data(indicator):
    level = (
        f"goal-{indicator.goal_id}"
        if indicator.goal_id
        else f"objective-{indicator.objective_id}"
        if indicator.objective_id
        else f"plan_program-{indicator.plan_program_id}"
    )
    data = {
        "level": level,
        "code": indicator.code,
        "name": indicator.name,
        "unit_of_measure": indicator.unit_of_measure,
        "direction": indicator.direction,
        "decimal_places": indicator.decimal_places,
        "combination": indicator.combination,
        "designated_program": _fk(indicator.designated_program),
        "baseline_value": indicator.baseline_value,
        "baseline_year": indicator.baseline_year or "",
        "final_target": indicator.final_target,
        "responsible_unit": _fk(indicator.responsible_unit),
    }
    if indicator.is_cumulative:
        data["is_cumulative"] = "on"
    return data


def _targets_data(args):
    indicator = Indicator.objects.get(pk=args[0])
    stored = {t.year: t for t in indicator.targets.all()}
    data = {}
    for year in indicator.plan.years:
        row = stored.get(year)
        data[f"target_{year}"] = row.target if row else ""
        data[f"budget_{year}"] = row.budget if row and row.budget is not None else ""
        data[f"realisation_{year}"] = row.realisation if row and row.realisation is not None else ""
    return data


# What each node's edit form posts (its stored values) and its add form (a new node).
EDIT_DATA = {
    "mission": lambda args: {"number": 1, "text": Mission.objects.get(pk=args[0]).text},
    "goal": lambda args: {
        "mission": _mission().pk,
        "code": "1.1",
        "text": Goal.objects.get(pk=args[0]).text,
    },
    "objective": lambda args: {
        "goal": _goal().pk,
        "code": "1.1.1",
        "text": Objective.objects.get(pk=args[0]).text,
    },
    "plan-program": lambda args: {
        "objective": _objective().pk,
        "code": "2.16.01",
        "name": PlanProgram.objects.get(pk=args[0]).name,
        "responsible_unit": _fk(PlanProgram.objects.get(pk=args[0]).responsible_unit),
    },
    "indicator": lambda args: _indicator_data(Indicator.objects.get(pk=args[0])),
}
ADD_DATA = {
    "mission": lambda args: {"number": 9, "text": "Misi uji"},
    "goal": lambda args: {"mission": _mission().pk, "code": "9.1", "text": "Tujuan uji"},
    "objective": lambda args: {"goal": _goal().pk, "code": "9.1.1", "text": "Sasaran uji"},
    "plan-program": lambda args: {
        "objective": _objective().pk,
        "code": "9.99.01",
        "name": "Program uji",
        "responsible_unit": "",
    },
    "indicator": lambda args: {
        "level": f"goal-{_goal().pk}",
        "code": "IKU-UJI",
        "name": "Indikator uji",
        "unit_of_measure": "persen",
        "direction": "higher",
        "decimal_places": 2,
        "combination": "average",
    },
}
NODES = {
    "mission": _mission,
    "goal": _goal,
    "objective": _objective,
    "plan-program": _plan_program,
    "indicator": _indicator,
}

CASES = {
    # Bappeda of either government and the superuser (who first picks a government)
    "rpjmd-plan-create": (
        "rpjmd-plan-create",
        lambda: [],
        "get",
        changers(200, visible=LOGGED_IN, allowed=("admin", "bappeda", "serang")),
    ),
    "rpjmd-plan-create post": (
        "rpjmd-plan-create",
        lambda: [],
        "post",
        {
            **changers(302, visible=LOGGED_IN, allowed=("bappeda", "serang")),
            "admin": 200,  # no government chosen yet: the choice page
        },
        _new_plan_data,
    ),
    "rpjmd-plan-edit": (
        "rpjmd-plan-edit",
        lambda: [_cilegon_plan().pk],
        "get",
        _plan_changers(200),
    ),
    "rpjmd-plan-edit post": (
        "rpjmd-plan-edit",
        lambda: [_cilegon_plan().pk],
        "post",
        _plan_changers(302),
        _plan_data,
    ),
    "rpjmd-plan-edit serang": (
        "rpjmd-plan-edit",
        lambda: [_serang_plan().pk],
        "get",
        _serang_changers(200),
    ),
    # the plan has missions: refused with a message, back to the edit page
    "rpjmd-plan-delete": (
        "rpjmd-plan-delete",
        lambda: [_cilegon_plan().pk],
        "post",
        _plan_changers(302),
    ),
    # reading the whole plan as a workbook: everyone who reads the plan
    "rpjmd-export": ("rpjmd-export", lambda: [_cilegon_plan().pk], "get", only(*SEES_CILEGON_PLAN)),
    "rpjmd-export serang": ("rpjmd-export", lambda: [_serang_plan().pk], "get", only(*SEES_SERANG)),
    "rpjmd-template": ("rpjmd-template", lambda: [_cilegon_plan().pk], "get", _plan_changers(200)),
    "rpjmd-import": ("rpjmd-import", lambda: [_cilegon_plan().pk], "get", _plan_changers(200)),
    # no file: the form again with its error
    "rpjmd-import post": (
        "rpjmd-import",
        lambda: [_cilegon_plan().pk],
        "post",
        _plan_changers(200),
    ),
    "rpjmd-import serang": (
        "rpjmd-import",
        lambda: [_serang_plan().pk],
        "get",
        _serang_changers(200),
    ),
    # no preview waiting in the session: back to the upload page
    "rpjmd-import-apply": (
        "rpjmd-import-apply",
        lambda: [_cilegon_plan().pk],
        "post",
        _plan_changers(302),
    ),
    "rpjmd-indicator-targets": (
        "rpjmd-indicator-targets",
        lambda: [_indicator().pk],
        "get",
        _plan_changers(200),
    ),
    "rpjmd-indicator-targets post": (
        "rpjmd-indicator-targets",
        lambda: [_indicator().pk],
        "post",
        _plan_changers(302),
        _targets_data,
    ),
    "rpjmd-indicator-targets serang": (
        "rpjmd-indicator-targets",
        lambda: [Indicator.objects.get(plan=_serang_plan()).pk],
        "get",
        _serang_changers(200),
    ),
}

for _kind, _node in NODES.items():
    CASES[f"rpjmd-{_kind}-add"] = (
        f"rpjmd-{_kind}-add",
        lambda: [_cilegon_plan().pk],
        "get",
        _plan_changers(200),
    )
    CASES[f"rpjmd-{_kind}-add post"] = (
        f"rpjmd-{_kind}-add",
        lambda: [_cilegon_plan().pk],
        "post",
        _plan_changers(302),
        ADD_DATA[_kind],
    )
    CASES[f"rpjmd-{_kind}-add serang"] = (
        f"rpjmd-{_kind}-add",
        lambda: [_serang_plan().pk],
        "get",
        _serang_changers(200),
    )
    CASES[f"rpjmd-{_kind}-edit"] = (
        f"rpjmd-{_kind}-edit",
        lambda node=_node: [node().pk],
        "get",
        _plan_changers(200),
    )
    CASES[f"rpjmd-{_kind}-edit post"] = (
        f"rpjmd-{_kind}-edit",
        lambda node=_node: [node().pk],
        "post",
        _plan_changers(302),
        EDIT_DATA[_kind],
    )
    # every demo node has something below it: refused, back to its edit page
    CASES[f"rpjmd-{_kind}-delete"] = (
        f"rpjmd-{_kind}-delete",
        lambda node=_node: [node().pk],
        "post",
        _plan_changers(302),
    )
