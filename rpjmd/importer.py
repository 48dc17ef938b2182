"""Comparing an RPJMD workbook with a plan (the preview) and applying the difference.

:func:`preview_import` reads the workbook (``rpjmd.workbook``), resolves every
parent code against the file and the plan, checks each row against the
models' own validators and rules, and sorts the rows into created, changed
(old -> new per column) and unchanged. It writes nothing.

:func:`apply_import` computes the preview again from the same bytes and, if
the file is valid (and the plan has not changed since the preview the user
confirmed), makes every change through ``rpjmd.services`` in one transaction:
all of it or nothing. Rows of the plan that the file does not mention are left
alone: an import never deletes. An unchanged row writes nothing, so importing
the same file twice leaves no history behind.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programs.models import (
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    Objective,
    PlanProgram,
)
from rpjmd import services
from rpjmd.cells import word_for
from rpjmd.fields import INDICATOR_SCALARS
from rpjmd.plan_index import PlanIndex, comparable, level_of
from rpjmd.preview import (
    CHANGE,
    CREATE,
    SAME,
    FieldChange,
    ImportRefused,
    Item,
    Preview,
    display,
)
from rpjmd.workbook import (
    GOALS,
    INDICATORS,
    MISSIONS,
    OBJECTIVES,
    PLAN_PROGRAMS,
    SHEETS,
    TARGETS,
    Problem,
    read_workbook,
)

LEVEL_SHEETS = {"goal": GOALS, "objective": OBJECTIVES, "plan_program": PLAN_PROGRAMS}


class _Differ:
    """Builds the :class:`Preview`: one method per sheet checks a row and records
    whether it creates, changes or leaves alone a record of the plan."""

    def __init__(self, plan, parsed, file_name):
        self.preview = Preview(file_name=file_name, problems=list(parsed.problems))
        self.state = PlanIndex(plan, self.preview.problems)
        self.plan = plan
        self.rows = parsed.rows
        # Codes each sheet of the file holds: a parent may be new in the same file.
        # (Rows with a bad cell count too, so their children get no second message.)
        self.in_file = parsed.keys

    def problem(self, sheet, row, column_key, message):
        self.preview.problems.append(
            Problem(message, sheet.title, row.number, sheet.column(column_key).header)
        )

    def validate(self, sheet, row, instance, exclude):
        """The model's own field validators (digits, bounds, lengths, choices) on the row."""
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as error:
            columns = {c.key for c in sheet.columns}
            for name, messages in error.message_dict.items():
                for message in messages:
                    if name in columns:
                        self.problem(sheet, row, name, message)
                    else:
                        self.preview.problems.append(Problem(message, sheet.title, row.number))
            return False
        return True

    def parent_exists(self, sheet, row, column_key, file_key, stored, code, what):
        if code in self.in_file[file_key] or code in stored:
            return True
        self.problem(
            sheet,
            row,
            column_key,
            _("there is no %(what)s “%(code)s” in the file or in the plan")
            % {"what": what, "code": code},
        )
        return False

    def add(self, sheet, row, key, label, obj, pairs, **keys):
        """Record the row: ``pairs`` are (column key, stored value, value in the file);
        ``keys`` the values that identify it (code, number, indicator and year)."""
        changes = []
        if obj is not None:
            columns = [
                (sheet.column(name), old, new)
                for name, old, new in pairs
                if comparable(old) != comparable(new)
            ]
            changes = [
                FieldChange(c.header, display(old, c.kind), display(new, c.kind))
                for c, old, new in columns
            ]
        action = CREATE if obj is None else CHANGE if changes else SAME
        values = {**keys, **{name: new for name, _old, new in pairs}}
        self.preview.items.append(Item(sheet, row.number, key, label, action, values, obj, changes))

    def unit(self, sheet, row, code):
        if code is None:
            return True
        if code in self.state.units:
            return True
        self.problem(
            sheet,
            row,
            "responsible_unit",
            _("there is no unit with the code “%(code)s” in %(government)s")
            % {"code": code, "government": self.plan.government},
        )
        return False

    def run(self):
        for sheet, method in (
            (MISSIONS, self.missions),
            (GOALS, self.goals),
            (OBJECTIVES, self.objectives),
            (PLAN_PROGRAMS, self.plan_programs),
            (INDICATORS, self.indicators),
            (TARGETS, self.targets),
        ):
            for row in self.rows[sheet.key]:
                method(sheet, row, row.values)
        # In the order of the workbook: sheet by sheet, row by row.
        order = {sheet.title: index for index, sheet in enumerate(SHEETS)}
        self.preview.problems.sort(key=lambda p: (order.get(p.sheet, -1), p.row or 0))
        return self.preview

    def missions(self, sheet, row, v):
        obj = self.state.missions.get(v["number"])
        if self.validate(sheet, row, Mission(number=v["number"], text=v["text"]), ["plan"]):
            pairs = [("text", obj and obj.text, v["text"])]
            self.add(sheet, row, str(v["number"]), v["text"], obj, pairs, number=v["number"])

    def goals(self, sheet, row, v):
        obj = self.state.goals.get(v["code"])
        ok = self.validate(sheet, row, Goal(code=v["code"], text=v["text"]), ["mission"])
        ok &= self.parent_exists(
            sheet, row, "mission", "missions", self.state.missions, v["mission"], _("mission")
        )
        if ok:
            pairs = [
                ("mission", obj and obj.mission.number, v["mission"]),
                ("text", obj and obj.text, v["text"]),
            ]
            self.add(sheet, row, v["code"], v["text"], obj, pairs, code=v["code"])

    def objectives(self, sheet, row, v):
        obj = self.state.objectives.get(v["code"])
        ok = self.validate(sheet, row, Objective(code=v["code"], text=v["text"]), ["goal"])
        ok &= self.parent_exists(
            sheet, row, "goal", "goals", self.state.goals, v["goal"], _("goal")
        )
        if ok:
            pairs = [
                ("goal", obj and obj.goal.code, v["goal"]),
                ("text", obj and obj.text, v["text"]),
            ]
            self.add(sheet, row, v["code"], v["text"], obj, pairs, code=v["code"])

    def plan_programs(self, sheet, row, v):
        obj = self.state.plan_programs.get(v["code"])
        instance = PlanProgram(code=v["code"], name=v["name"])
        ok = self.validate(sheet, row, instance, ["objective", "responsible_unit"])
        ok &= self.parent_exists(
            sheet,
            row,
            "objective",
            "objectives",
            self.state.objectives,
            v["objective"],
            _("objective"),
        )
        ok &= self.unit(sheet, row, v["responsible_unit"])
        if ok:
            old_unit = obj and obj.responsible_unit and obj.responsible_unit.code
            pairs = [
                ("objective", obj and obj.objective.code, v["objective"]),
                ("name", obj and obj.name, v["name"]),
                ("responsible_unit", old_unit, v["responsible_unit"]),
            ]
            self.add(sheet, row, v["code"], v["name"], obj, pairs, code=v["code"])

    def indicators(self, sheet, row, v):
        obj = self.state.indicators.get(v["code"])
        instance = Indicator(code=v["code"], **{k: v[k] for k in INDICATOR_SCALARS})
        exclude = ["plan", "goal", "objective", "plan_program", "designated_program"]
        ok = self.validate(sheet, row, instance, [*exclude, "responsible_unit"])
        kind, level_code = v["level_kind"], v["level_code"]
        ok &= self.parent_exists(
            sheet,
            row,
            "level_code",
            LEVEL_SHEETS[kind].key,
            self.state.levels[kind],
            level_code,
            LEVEL_SHEETS[kind].title,
        )
        ok &= self.unit(sheet, row, v["responsible_unit"])
        ok &= self.indicator_rules(sheet, row, v)
        if ok:
            old = dict.fromkeys(("level", "program", "unit"))
            if obj is not None:
                old["level"] = level_of(obj)
                old["program"] = obj.designated_program_id
                old["unit"] = obj.responsible_unit and obj.responsible_unit.code
            pairs = [
                ("level_kind", old["level"] and old["level"][0], kind),
                ("level_code", old["level"] and old["level"][1], level_code),
                *[(k, obj and getattr(obj, k), v[k]) for k in INDICATOR_SCALARS],
                ("designated_program", old["program"], v["designated_program"]),
                ("responsible_unit", old["unit"], v["responsible_unit"]),
            ]
            self.add(sheet, row, v["code"], v["name"], obj, pairs, code=v["code"])

    def indicator_rules(self, sheet, row, v):
        """What ``Indicator.clean`` checks, said about the row's columns."""
        ok = True
        designated = v["combination"] == Indicator.Combination.DESIGNATED
        program_id = v["designated_program"]
        if designated and program_id is None:
            ok = False
            self.problem(
                sheet,
                row,
                "designated_program",
                _("the rule “%(rule)s” needs the id of the program whose figures count")
                % {"rule": word_for("combination", "designated")},
            )
        elif not designated and program_id is not None:
            ok = False
            self.problem(
                sheet,
                row,
                "designated_program",
                _("a designated program goes only with the rule “%(rule)s”")
                % {"rule": word_for("combination", "designated")},
            )
        elif program_id is not None and program_id not in self.state.programs:
            ok = False
            self.problem(
                sheet,
                row,
                "designated_program",
                _("there is no program %(id)s in %(government)s")
                % {"id": program_id, "government": self.plan.government},
            )
        year = v["baseline_year"]
        if year is not None and not (self.plan.start_year - 5 <= year <= self.plan.end_year):
            ok = False
            self.problem(
                sheet,
                row,
                "baseline_year",
                _("the baseline year must lie between %(first)s and %(last)s")
                % {"first": self.plan.start_year - 5, "last": self.plan.end_year},
            )
        return ok

    def targets(self, sheet, row, v):
        code, year = v["indicator"], v["year"]
        obj = self.state.targets.get((code, year))
        instance = IndicatorTarget(
            year=year, target=v["target"], budget=v["budget"], realisation=v["realisation"]
        )
        ok = self.validate(sheet, row, instance, ["indicator"])
        ok &= self.parent_exists(
            sheet, row, "indicator", "indicators", self.state.indicators, code, _("indicator")
        )
        if not self.plan.start_year <= year <= self.plan.end_year:
            ok = False
            self.problem(
                sheet,
                row,
                "year",
                _("%(year)s is outside the plan period %(period)s.")
                % {"year": year, "period": self.plan.period},
            )
        if ok:
            pairs = [
                ("target", obj and obj.target, v["target"]),
                ("budget", obj and obj.budget, v["budget"]),
                ("realisation", obj and obj.realisation, v["realisation"]),
            ]
            label = self.state.indicators[code].name if code in self.state.indicators else code
            self.add(sheet, row, f"{code} {year}", label, obj, pairs, indicator=code, year=year)


def preview_import(plan, content, file_name=""):
    """What importing the workbook ``content`` (bytes) into ``plan`` would do.

    Returns a :class:`Preview`: its ``problems`` (each naming sheet, row and
    column) and, per row, whether it creates, changes (old -> new) or leaves
    alone a record. Writes nothing.
    """
    parsed = read_workbook(content)
    if parsed.problems and not parsed.row_count:
        return Preview(file_name=file_name, problems=parsed.problems)
    return _Differ(plan, parsed, file_name).run()


def import_reason(file_name):
    """The reason recorded in the history of every record an import changes."""
    return _("Excel import %(file)s") % {"file": file_name}


def apply_import(plan, content, file_name, *, actor, fingerprint=None):
    """Apply the workbook to the plan in one transaction, through the services.

    Raises :class:`ImportRefused` (and changes nothing) when the workbook has
    problems, when ``fingerprint`` is given and differs from the fresh
    preview's (the plan changed since), or when a service refuses a row.
    Returns the :class:`Preview` that was applied.
    """
    preview = preview_import(plan, content, file_name)
    if not preview.is_valid:
        raise ImportRefused(preview)
    if fingerprint is not None and fingerprint != preview.fingerprint:
        raise ImportRefused(preview, stale=True)
    reason = import_reason(file_name)
    try:
        with transaction.atomic():
            _Applier(plan, actor=actor, reason=reason).run(preview.items)
    except _RowRefused as refused:
        preview.problems.append(refused.problem)
        raise ImportRefused(preview) from None
    return preview


class _RowRefused(Exception):
    def __init__(self, problem):
        super().__init__(str(problem))
        self.problem = problem


class _Applier:
    """Writes the rows of a valid preview, resolving parents created earlier in the run."""

    def __init__(self, plan, *, actor, reason):
        self.plan = plan
        self.state = PlanIndex(plan, [])
        self.write = {"actor": actor, "reason": reason}

    def run(self, items):
        for item in items:
            if item.action == SAME:
                continue
            try:
                getattr(self, item.sheet.key)(item, item.values)
            except ValidationError as error:
                message = " ".join(error.messages)
                raise _RowRefused(Problem(message, item.sheet.title, item.row)) from None

    def _unit(self, code):
        return self.state.units[code] if code else None

    def missions(self, item, v):
        if item.obj is None:
            self.state.missions[v["number"]] = services.add_mission(
                plan=self.plan, number=v["number"], text=v["text"], **self.write
            )
        else:
            services.update_mission(item.obj, text=v["text"], **self.write)

    def goals(self, item, v):
        mission = self.state.missions[v["mission"]]
        if item.obj is None:
            self.state.goals[v["code"]] = services.add_goal(
                mission=mission, code=v["code"], text=v["text"], **self.write
            )
        else:
            self.state.goals[v["code"]] = services.update_goal(
                item.obj, mission=mission, text=v["text"], **self.write
            )

    def objectives(self, item, v):
        goal = self.state.goals[v["goal"]]
        if item.obj is None:
            self.state.objectives[v["code"]] = services.add_objective(
                goal=goal, code=v["code"], text=v["text"], **self.write
            )
        else:
            self.state.objectives[v["code"]] = services.update_objective(
                item.obj, goal=goal, text=v["text"], **self.write
            )

    def plan_programs(self, item, v):
        fields = {
            "objective": self.state.objectives[v["objective"]],
            "name": v["name"],
            "responsible_unit": self._unit(v["responsible_unit"]),
        }
        if item.obj is None:
            self.state.plan_programs[v["code"]] = services.add_plan_program(
                code=v["code"], **fields, **self.write
            )
        else:
            self.state.plan_programs[v["code"]] = services.update_plan_program(
                item.obj, **fields, **self.write
            )

    def indicators(self, item, v):
        level = self.state.levels[v["level_kind"]][v["level_code"]]
        fields = {name: v[name] for name in INDICATOR_SCALARS}
        fields["responsible_unit"] = self._unit(v["responsible_unit"])
        program_id = v["designated_program"]
        fields["designated_program"] = self.state.programs[program_id] if program_id else None
        if item.obj is None:
            self.state.indicators[v["code"]] = services.add_indicator(
                plan=self.plan, level=level, code=v["code"], **fields, **self.write
            )
        else:
            self.state.indicators[v["code"]] = services.update_indicator(
                item.obj, level=level, **fields, **self.write
            )

    def targets(self, item, v):
        services.set_target(
            indicator=self.state.indicators[v["indicator"]],
            year=v["year"],
            target=v["target"],
            budget=v["budget"],
            realisation=v["realisation"],
            **self.write,
        )
