"""The programs' own targets of a government in one workbook: the template (pre-filled
with every program and the RPJMD indicators it is linked to, one row per plan
year), the preview of an upload and its all-or-nothing import.

A row names a program (its id, or its code when the id is empty), an indicator
code, a year, the target and its source (Renstra, Renja or another document).
A row whose target is empty changes nothing. Every problem (an unknown program,
an indicator the program is not linked to, a year outside the plan, a number
that cannot be read, a row given twice) is listed with its row and column, and
nothing is imported until the file has none.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programs.models import Program
from rpjmd import program_targets
from rpjmd.models import ProgramTarget
from tracker.formatting import format_number_id
from tracker.workbook_io import (
    Column,
    Problem,
    Sheet,
    build_book,
    read_workbook,
)

SOURCE_WORDS = {
    ProgramTarget.Source.RENJA: ("renja",),
    ProgramTarget.Source.RENSTRA: ("renstra",),
    ProgramTarget.Source.OTHER: ("lainnya", "lain", "other"),
}
CHOICES = {"source": SOURCE_WORDS}
PROGRAM_ID = Column("program", "ID Program", "int", required=False, width=11, editable=False)
PROGRAM_CODE = Column("code", "Kode Program", "code", required=False, width=16, editable=False)
INDICATOR = Column("indicator", "Kode Indikator", "code", width=14, editable=False)
YEAR = Column("year", "Tahun", "int", width=8, editable=False)
TARGET = Column("target", "Target Program", "number", required=False, width=16)
SOURCE = Column("source", "Sumber", "source", required=False, width=12)
TARGETS = Sheet(
    "targets",
    "Target Program",
    (
        PROGRAM_ID,
        PROGRAM_CODE,
        Column("title", "Program", "text", required=False, width=40, editable=False),
        INDICATOR,
        Column("name", "Indikator", "text", required=False, width=40, editable=False),
        YEAR,
        Column("plan_target", "Target RPJMD", "text", required=False, width=14, editable=False),
        TARGET,
        SOURCE,
    ),
)


def government_programs(government):
    """The government's programs with the indicators they are linked to (and their plans)."""
    return (
        Program.objects.filter(commitment__government=government)
        .select_related("commitment")
        .prefetch_related("indicators__plan", "indicators__targets")
        .order_by("owner_unit__name", "title")
    )


def _instructions(government):
    return [
        _("The programs' own targets (Renstra/Renja) of %(government)s")
        % {"government": government.name},
        _(
            "Type each program's own target for the year into the yellow column "
            "“Target Program” and its source into “Sumber” (renja, renstra or lainnya; "
            "renja when empty). A row whose target is empty changes nothing."
        ),
        _(
            "Write numbers as usual: a comma for decimals (71,90), points between "
            "thousands (1.500.000)."
        ),
        _(
            "Where several programs share a summed RPJMD indicator, their targets for "
            "a year should add up to the RPJMD target (“Target RPJMD”)."
        ),
        _(
            "Upload the file on the import page: the preview lists every change or "
            "every problem, and nothing is saved until you confirm a file without "
            "problems."
        ),
    ]


def template_workbook(government):
    """The workbook to fill in: a row per program, linked indicator and plan year in
    which the program runs, with the plan's target and the program's own so far."""
    programs = list(government_programs(government))
    own = program_targets.own_targets(programs)
    rows = []
    for program in programs:
        for indicator in sorted(program.indicators.all(), key=lambda i: i.code):
            plan_targets = {t.year: t.target for t in indicator.targets.all()}
            places = indicator.decimal_places
            for year in indicator.plan.years:
                if not program.start_date.year <= year <= program.end_date.year:
                    continue
                found = own.get((program.pk, indicator.pk, year))
                rows.append(
                    [
                        program.pk,
                        program.code,
                        program.title,
                        indicator.code,
                        indicator.name,
                        year,
                        format_number_id(plan_targets.get(year), places),
                        found[0] if found else None,
                        SOURCE_WORDS[found[1]][0] if found else None,
                    ]
                )
    return build_book(_("Instructions"), _instructions(government), [(TARGETS, rows)], protect=True)


@dataclass
class TargetChange:
    row: int
    program: Program
    indicator: object
    year: int
    old: object  # (target, source) or None
    new: tuple  # (target, source)

    @property
    def label(self):
        places = self.indicator.decimal_places
        old = format_number_id(self.old[0], places) if self.old else "—"
        return (
            f"{self.program.title} · {self.indicator.code} {self.year}: {old} → "
            f"{format_number_id(self.new[0], places)} ({ProgramTarget.Source(self.new[1]).label})"
        )


@dataclass
class TargetsPreview:
    file_name: str
    problems: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    unchanged: int = 0
    fingerprint: str = ""

    @property
    def is_valid(self):
        return not self.problems

    @property
    def has_changes(self):
        return bool(self.changes)


class _Checker:
    def __init__(self, government, parsed, file_name):
        self.programs = {p.pk: p for p in government_programs(government)}
        self.by_code = {}
        for program in self.programs.values():
            if program.code:
                self.by_code.setdefault(program.code.strip().casefold(), []).append(program)
        self.own = program_targets.own_targets(self.programs.values())
        self.rows = parsed.rows["targets"]
        self.preview = TargetsPreview(file_name=file_name, problems=list(parsed.problems))
        self.seen = {}

    def problem(self, row, column, message):
        self.preview.problems.append(Problem(message, TARGETS.title, row.number, column.header))

    def program_of(self, row):
        values = row.values
        if values["program"] is not None:
            program = self.programs.get(values["program"])
            if program is None:
                self.problem(
                    row,
                    PROGRAM_ID,
                    _("program %(id)s is not a program of this government")
                    % {"id": values["program"]},
                )
            return program
        if not values["code"]:
            self.problem(row, PROGRAM_ID, _("give the program's id or its code"))
            return None
        found = self.by_code.get(values["code"].casefold(), [])
        if len(found) != 1:
            message = (
                _("no program of this government has the code %(code)s")
                if not found
                else _("several programs have the code %(code)s: give the program's id")
            )
            self.problem(row, PROGRAM_CODE, message % {"code": values["code"]})
            return None
        return found[0]

    def indicator_of(self, row, program):
        code, year = row.values["indicator"], row.values["year"]
        linked = [i for i in program.indicators.all() if i.code.casefold() == code.casefold()]
        if not linked:
            self.problem(
                row,
                INDICATOR,
                _("the program %(program)s is not linked to the RPJMD indicator %(code)s")
                % {"program": program.title, "code": code},
            )
            return None
        in_plan = [i for i in linked if i.plan.start_year <= year <= i.plan.end_year]
        if not in_plan:
            plan = linked[0].plan
            self.problem(
                row,
                YEAR,
                _("%(year)s is outside the plan period %(period)s.")
                % {"year": year, "period": plan.period},
            )
            return None
        return in_plan[0]

    def run(self):
        for row in self.rows:
            # A row without a target changes nothing, whatever else it holds.
            if not row.values["_ok"] or row.values["target"] is None:
                continue
            program = self.program_of(row)
            if program is None:
                continue
            indicator = self.indicator_of(row, program)
            if indicator is None:
                continue
            key = (program.pk, indicator.pk, row.values["year"])
            if key in self.seen:
                self.problem(
                    row,
                    YEAR,
                    _("the same program, indicator and year are already in row %(row)s")
                    % {"row": self.seen[key]},
                )
                continue
            self.seen[key] = row.number
            new = (row.values["target"], row.values["source"] or ProgramTarget.Source.RENJA)
            if not self.valid(row, program, indicator, new):
                continue
            old = self.own.get(key)
            if old == new:
                self.preview.unchanged += 1
                continue
            self.preview.changes.append(
                TargetChange(row.number, program, indicator, row.values["year"], old, new)
            )
        if not self.preview.problems and not self.preview.changes and not self.preview.unchanged:
            self.preview.problems.append(Problem(_("The workbook holds no target to import.")))
        digest = hashlib.sha256()
        for change in self.preview.changes:
            digest.update(
                repr(
                    (change.program.pk, change.indicator.pk, change.year, change.old, change.new)
                ).encode()
            )
        self.preview.fingerprint = digest.hexdigest()
        return self.preview

    def valid(self, row, program, indicator, new):
        """The model's own checks (limits of a value), before anything is saved."""
        candidate = ProgramTarget(
            program=program,
            indicator=indicator,
            year=row.values["year"],
            target=new[0],
            source=new[1],
        )
        try:
            candidate.full_clean(exclude=["program", "indicator"], validate_unique=False)
        except ValidationError as error:
            self.problem(row, TARGET, " ".join(error.messages))
            return False
        return True


def preview_targets(government, content, file_name=""):
    """What the uploaded workbook would change, or every problem in it. Writes nothing."""
    parsed = read_workbook(content, (TARGETS,), choices=CHOICES)
    if parsed.problems and not parsed.row_count:
        return TargetsPreview(file_name=file_name, problems=parsed.problems)
    return _Checker(government, parsed, file_name).run()


class TargetsRefused(Exception):
    """Nothing was saved: ``preview`` says why (``stale``: the targets changed since)."""

    def __init__(self, preview, stale=False):
        super().__init__(_("The workbook was not saved."))
        self.preview, self.stale = preview, stale


def apply_targets(government, content, file_name, *, actor, fingerprint=None):
    """Save every change of the previewed workbook in one transaction, or nothing."""
    preview = preview_targets(government, content, file_name)
    if not preview.is_valid or not preview.has_changes:
        raise TargetsRefused(preview)
    if fingerprint is not None and fingerprint != preview.fingerprint:
        raise TargetsRefused(preview, stale=True)
    reason = _("Program targets workbook %(file)s") % {"file": file_name}
    try:
        with transaction.atomic():
            for change in preview.changes:
                program_targets.set_program_target(
                    actor=actor,
                    program=change.program,
                    indicator=change.indicator,
                    year=change.year,
                    target=change.new[0],
                    source=change.new[1],
                    reason=reason,
                )
    except ValidationError as error:
        preview.problems.append(Problem(" ".join(error.messages)))
        preview.changes = []
        raise TargetsRefused(preview) from None
    return preview
