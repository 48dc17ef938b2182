"""A unit's quarterly progress for all its programs in one workbook.

:func:`progress_workbook` writes, for a unit and a quarter, one pre-filled
workbook of every program the unit reports on then (drafts and returned
reports included; sent ones left out): milestone progress, indicator values
and notes, adoption values, the budget realisation and the text fields, with
the previous verified progress and the previous quarter's values beside them,
read-only (the sheets are protected; only the yellow columns take input).

:func:`preview_progress` reads an uploaded copy and checks each program's values
with the report form itself (``programs.forms.ProgressReportForm``: the same
Indonesian number parsing, limits and plausibility check as on screen); it
writes nothing. :func:`apply_progress` saves every changed program's report as
a draft through ``programs.reporting.save_report``, in one transaction: all
programs or none. The unit then checks and sends each report on screen.
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programs import reporting, selectors
from programs.forms import ProgressReportForm
from programs.indicator_values import indicator_value_errors
from programs.models import Program, ProgressReport
from programs.report_form_values import form_values
from tracker.formatting import format_number_id
from tracker.workbook_io import (
    Column,
    ImportPreview,
    Problem,
    Sheet,
    as_typed_text,
    build_book,
    read_workbook,
)

PROGRAM_ID = Column("program", "ID Program", "int", width=11, editable=False)
PROGRAM_NAME = Column("program_name", "Program", "text", required=False, width=36, editable=False)
PROGRAMS = Sheet(
    "programs",
    "Program",
    (
        PROGRAM_ID,
        PROGRAM_NAME,
        Column("budget_before", "Realisasi Anggaran Triwulan Lalu (Rp)", "text", False, 20, False),
        Column("budget_realisation", "Realisasi Anggaran (Rp)", "raw", False, 20),
        Column("supporting_factors", "Faktor Pendorong", "text", False, 40),
        Column("obstacles", "Faktor Penghambat", "text", False, 40),
        Column("follow_up", "Tindak Lanjut Triwulan Berikutnya", "text", False, 40),
        Column("follow_up_next_plan", "Tindak Lanjut Renja", "text", False, 40),
    ),
)
MILESTONES = Sheet(
    "milestones",
    "Milestone",
    (
        PROGRAM_ID,
        Column("id", "ID Milestone", "int", width=12, editable=False),
        PROGRAM_NAME,
        Column("title", "Milestone", "text", False, 40, False),
        Column("planned", "Rencana Selesai", "text", False, 14, False),
        Column("previous", "Progres Terverifikasi Sebelumnya (%)", "text", False, 16, False),
        Column("value", "Progres (%)", "raw", True, 12),
    ),
)
INDICATORS = Sheet(
    "indicators",
    "Indikator",
    (
        PROGRAM_ID,
        Column("id", "ID Indikator", "int", width=12, editable=False),
        PROGRAM_NAME,
        Column("title", "Indikator", "text", False, 40, False),
        Column("unit_of_measure", "Satuan", "text", False, 12, False),
        Column("target", "Target Tahun Ini", "text", False, 14, False),
        Column("previous", "Nilai Triwulan Lalu", "text", False, 14, False),
        Column("value", "Realisasi", "raw", False, 14),
        Column("note", "Keterangan", "text", False, 36),
    ),
)
ADOPTION = Sheet(
    "adoption",
    "Adopsi",
    (
        PROGRAM_ID,
        Column("id", "ID Indikator Adopsi", "int", width=12, editable=False),
        PROGRAM_NAME,
        Column("title", "Indikator Adopsi", "text", False, 40, False),
        Column("previous", "Nilai Triwulan Lalu", "text", False, 14, False),
        Column("value", "Nilai", "raw", False, 14),
    ),
)
SHEETS = (PROGRAMS, MILESTONES, INDICATORS, ADOPTION)
# The report form's field prefix of each sheet's rows.
PREFIX = {"milestones": "milestone", "indicators": "indicator", "adoption": "adoption"}
TEXT_FIELDS = ProgressReport.TEXT_FIELDS


def unit_programs(unit_id, period):
    """``[(program, report or None)]``: the unit's programs running in ``period`` whose
    report it may still write (none yet, draft or returned), by title."""
    programs = selectors.programs_active_in(
        period,
        Program.objects.filter(owner_unit_id=unit_id, commitment__government=period.government),
    ).order_by("title")
    programs = list(programs.prefetch_related("milestones", "indicators", "adoption_indicators"))
    reports = selectors.reports_for_period(programs, period)
    return [
        (p, reports.get(p.pk)) for p in programs if p.pk not in reports or reports[p.pk].is_editable
    ]


@dataclass
class ProgramContext:
    """What the report form of one program needs: its rows, initial values and neighbours."""

    program: Program
    report: ProgressReport | None
    initial: dict
    kwargs: dict
    previous_percents: dict
    targets: dict

    def form(self, data):
        return ProgressReportForm(data, initial=self.initial, **self.kwargs)


def program_context(program, period, report):
    """The report form's initial values as the screen shows them (the draft's values,
    else the last verified progress) and its rows."""
    initial, kwargs, previous, targets = form_values(program, period, report)
    return ProgramContext(program, report, initial, kwargs, previous, targets)


def _shown(value, places=2):
    if value is None or value == "":
        return None
    return format_number_id(value, places)


def instructions(unit, period):
    return [
        _("Quarterly progress of %(unit)s, %(period)s") % {"unit": unit, "period": period},
        _(
            "Type only into the yellow columns: progress (%), indicator values and notes, "
            "adoption values, the budget realisation and the texts. Write numbers the usual "
            "way: 71,90 or 1.500.000. The other columns are for reading."
        ),
        _(
            "Upload the file on the page you downloaded it from. You will see a preview; "
            "confirming saves each program's report as a draft. Then open each report, "
            "check it and send it to Bappeda."
        ),
        _("Keep the ID columns, the sheet names and the header row as they are."),
    ]


def progress_workbook(unit, period, programs):
    """The pre-filled workbook (bytes) of ``programs`` (from :func:`unit_programs`)."""
    rows = {sheet.key: [] for sheet in SHEETS}
    for program, report in programs:
        c = program_context(program, period, report)
        i, prev = c.initial, c.kwargs["previous"]
        rows["programs"].append(
            [
                program.pk,
                program.title,
                _shown(prev.get("budget_realisation"), 0),
                i.get("budget_realisation"),
                *[i.get(name, "") for name in TEXT_FIELDS],
            ]
        )
        for m, before in c.kwargs["milestones"]:
            rows["milestones"].append(
                [
                    program.pk,
                    m.pk,
                    program.title,
                    m.title,
                    m.planned_finish.strftime("%d/%m/%Y"),
                    _shown(before),
                    i[f"milestone_{m.pk}"],
                ]
            )
        for ind, target in c.kwargs["indicators"]:
            rows["indicators"].append(
                [
                    program.pk,
                    ind.pk,
                    program.title,
                    f"{ind.code} {ind.name}",
                    ind.unit_of_measure,
                    _shown(target, ind.decimal_places),
                    _shown(prev.get(f"indicator_{ind.pk}"), ind.decimal_places),
                    i[f"indicator_{ind.pk}"],
                    i[f"indicator_note_{ind.pk}"],
                ]
            )
        for a in c.kwargs["adoption"]:
            rows["adoption"].append(
                [
                    program.pk,
                    a.pk,
                    program.title,
                    f"{a.name} ({a.unit_of_measure})",
                    _shown(prev.get(f"adoption_{a.pk}")),
                    i[f"adoption_{a.pk}"],
                ]
            )
    sheets = [(sheet, rows[sheet.key]) for sheet in SHEETS]
    return build_book("Petunjuk", instructions(unit, period), sheets, protect=True)


@dataclass
class ProgramItem:
    """One program whose report the workbook changes."""

    context: ProgramContext
    form: ProgressReportForm
    changes: list  # (label, old, new)
    warnings: list  # (label, warning)


@dataclass
class ProgressPreview(ImportPreview):
    @property
    def warnings(self):
        return [w for item in self.items for w in item.warnings]


def _text(value):
    return "" if value is None else as_typed_text(value)


def _label(form, name):
    return str(form.fields[name].label) if name in form.fields else name


def _display(value):
    if value is None or value == "":
        return "—"
    return (
        format_number_id(value, 4).rstrip("0").rstrip(",") if not isinstance(value, str) else value
    )


class _Checker:
    def __init__(self, period, programs, parsed, file_name):
        self.period = period
        self.contexts = {p.pk: program_context(p, period, r) for p, r in programs}
        self.rows = parsed.rows
        self.preview = ProgressPreview(file_name=file_name, problems=list(parsed.problems))
        self.data = {}  # program id -> form data
        self.origin = {}  # (program id, field name) -> (sheet, row, column header)

    def problem(self, sheet, row, column, message):
        self.preview.problems.append(Problem(message, sheet.title, row.number, column))

    def program_of(self, sheet, row):
        program_id = row.values["program"]
        if program_id not in self.contexts:
            self.problem(
                sheet,
                row,
                PROGRAM_ID.header,
                _("program %(id)s is not one of your unit's programs to report on in %(period)s")
                % {"id": program_id, "period": self.period},
            )
            return None
        if program_id not in self.data:
            ctx = self.contexts[program_id]
            self.data[program_id] = {name: _text(value) for name, value in ctx.initial.items()}
            self.data[program_id]["confirm_unusual"] = "on"
        return program_id

    def put(self, sheet, row, program_id, name, value, column):
        self.data[program_id][name] = _text(value)
        self.origin[(program_id, name)] = (sheet.title, row.number, column)

    def run(self):
        for row in self.rows["programs"]:
            if not row.values["_ok"] or self.program_of(PROGRAMS, row) is None:
                continue
            pid = row.values["program"]
            for key in ("budget_realisation", *TEXT_FIELDS):
                self.put(PROGRAMS, row, pid, key, row.values[key], PROGRAMS.column(key).header)
        for sheet in (MILESTONES, INDICATORS, ADOPTION):
            for row in self.rows[sheet.key]:
                if not row.values["_ok"] or self.program_of(sheet, row) is None:
                    continue
                pid, prefix = row.values["program"], PREFIX[sheet.key]
                name = f"{prefix}_{row.values['id']}"
                if name not in self.contexts[pid].initial:
                    self.problem(
                        sheet,
                        row,
                        sheet.column("id").header,
                        _("%(id)s is not a row of the program %(program)s")
                        % {"id": row.values["id"], "program": self.contexts[pid].program},
                    )
                    continue
                self.put(sheet, row, pid, name, row.values["value"], sheet.column("value").header)
                if sheet is INDICATORS:
                    note = f"indicator_note_{row.values['id']}"
                    self.put(sheet, row, pid, note, row.values["note"], sheet.column("note").header)
        for pid, data in self.data.items():
            self.check(pid, data)
        if self.preview.problems:
            self.preview.items = []
        digest = hashlib.sha256()
        for item in self.preview.items:
            report = item.context.report
            digest.update(repr((item.context.program.pk, report and report.version)).encode())
            digest.update(repr(sorted(item.changes)).encode())
        self.preview.fingerprint = digest.hexdigest()
        return self.preview

    def check(self, pid, data):
        ctx = self.contexts[pid]
        form = ctx.form(data)
        if not form.is_valid():
            for name, messages in form.errors.items():
                sheet, row, column = self.origin.get((pid, name), (PROGRAMS.title, None, ""))
                for message in messages:
                    text = f"{ctx.program}: {message}" if row is None else message
                    self.preview.problems.append(Problem(text, sheet, row, column))
            return
        if not self.service_rules(pid, ctx, form):
            return
        changes = []
        for name, new in form.cleaned_data.items():
            if name in ("version", "confirm_unusual", "evidence"):
                continue
            old = ctx.initial.get(name)
            if (old in (None, "") and new in (None, "")) or old == new:
                continue
            changes.append((_label(form, name), _display(old), _display(new)))
        if not changes:  # nothing typed: no draft to start or save
            return
        warnings = [(str(label), warning) for label, _id, warning in form.unusual_warnings]
        self.preview.items.append(ProgramItem(ctx, form, changes, warnings))

    def service_rules(self, pid, ctx, form):
        """What ``save_report`` refuses beyond the form, said in the preview already:
        progress below the last verified quarter, a value the indicator does not allow."""
        errors = {}
        for milestone_id, percent in form.values("milestone").items():
            before = ctx.previous_percents.get(milestone_id)
            if before is not None and percent < before:
                errors[f"milestone_{milestone_id}"] = _(
                    "Progress cannot fall below the last verified quarter (%(previous)s %%)."
                ) % {"previous": before}
        values, notes = form.values("indicator"), form.values("indicator_note")
        for indicator, _target in ctx.kwargs["indicators"]:
            errors.update(
                indicator_value_errors(
                    indicator, values.get(indicator.pk), notes.get(indicator.pk) or ""
                )
            )
        for name, message in errors.items():
            sheet, row, column = self.origin.get((pid, name), (PROGRAMS.title, None, ""))
            text = f"{ctx.program}: {message}" if row is None else message
            self.preview.problems.append(Problem(str(text), sheet, row, column))
        return not errors


def preview_progress(period, programs, content, file_name=""):
    """What the uploaded workbook would save for ``programs`` (from :func:`unit_programs`):
    per program, the changed values and any far-off number to confirm; or every
    problem found, each naming sheet, row and column. Writes nothing."""
    parsed = read_workbook(content, SHEETS, optional=("indicators", "adoption"))
    if parsed.problems and not parsed.row_count:
        return ProgressPreview(file_name=file_name, problems=parsed.problems)
    return _Checker(period, programs, parsed, file_name).run()


class ProgressRefused(Exception):
    """Nothing was saved: ``preview`` says why (``stale``: a report changed since)."""

    def __init__(self, preview, stale=False, unconfirmed=False):
        super().__init__(_("The workbook was not saved."))
        self.preview, self.stale, self.unconfirmed = preview, stale, unconfirmed


def apply_progress(
    period, programs, content, file_name, *, actor, fingerprint=None, confirmed=False
):
    """Save each changed program's report as a draft (started if needed), in one
    transaction, through ``reporting.save_report``. Far-off numbers are saved only
    when ``confirmed`` (and the confirmation goes into the history)."""
    preview = preview_progress(period, programs, content, file_name)
    if not preview.is_valid:
        raise ProgressRefused(preview)
    if fingerprint is not None and fingerprint != preview.fingerprint:
        raise ProgressRefused(preview, stale=True)
    if preview.warnings and not confirmed:
        raise ProgressRefused(preview, unconfirmed=True)
    reason = _("Progress workbook %(file)s") % {"file": file_name}
    item = None
    try:
        with transaction.atomic():
            for item in preview.items:
                form, report = item.form, item.context.report
                if report is None:
                    report = reporting.start_report(item.context.program, period, actor=actor)
                reporting.save_report(
                    report,
                    actor=actor,
                    expected_version=report.version,
                    reason=reason,
                    **form.report_values(),
                )
    except ValidationError as error:
        name = item.context.program if item else ""
        preview.problems.append(Problem(f"{name}: {' '.join(error.messages)}"))
        preview.items = []
        raise ProgressRefused(preview) from None
    return preview
