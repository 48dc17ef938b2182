"""What a reviewer needs beside a report's figures, read in a fixed number of queries.

For the report page (``review_views.report_detail``):

* each indicator value with the year's target (``IndicatorTarget``) and the
  value the program reported the quarter before;
* each milestone's reported progress against the progress planned by the
  quarter's last day, if work went evenly from its planned start to its
  planned finish (``status.expected_percent``, as the dashboard judges "at
  risk"), and the quarter before's;
* each use-of-service value with its quarterly target and the quarter before's;
* the evidence, with what can be previewed (``evidence_previews``);
* once a returned report is sent again: what changed since Bappeda returned
  it, read from the history tables (rows, text fields, evidence).

The number of queries does not grow with the rows: each kind of row is read
once, and so is each history table.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy

from programs import evidence_previews, status
from programs.models import (
    AdoptionRealisation,
    IndicatorRealisation,
    IndicatorTarget,
    MilestoneProgress,
    ProgressEvidence,
    ProgressReport,
)

R = ProgressReport.State
# The report's own fields whose change since a return is shown, in the page's order.
TEXT_FIELDS = {
    "budget_realisation": gettext_lazy("Budget realisation"),
    "supporting_factors": gettext_lazy("Supporting factors"),
    "obstacles": gettext_lazy("Obstacles"),
    "follow_up": gettext_lazy("Follow-up in the next quarter"),
    "follow_up_next_plan": gettext_lazy("Follow-up in the next Renja"),
}


@dataclass
class Row:
    """One line of the report with its context.

    ``row`` is the report's row (a milestone's progress, an indicator's or a
    service's realisation); ``value`` what it reports now; ``target`` the
    year's target (indicators), the quarter's target (use of a service) or
    the planned progress (milestones); ``previous`` the value of the quarter
    before (``None``: no report or no value then). ``changed`` is true when
    the value (or an indicator's note) differs from the returned version,
    ``before`` and ``note_before`` what it was then.
    """

    row: object
    value: object
    target: object = None
    previous: object = None
    changed: bool = False
    before: object = None
    note_before: str = ""
    behind: bool = False


@dataclass
class TextField:
    """One of the report's own fields (``TEXT_FIELDS``), and its value when returned."""

    name: str
    label: str
    value: object
    changed: bool = False
    before: object = None


@dataclass
class Changes:
    """What changed since the report was last returned (``returned`` is that history row)."""

    returned: object
    fields: dict = field(default_factory=dict)  # field name -> value when returned
    new_evidence: set = field(default_factory=set)  # ids of files added since
    removed_evidence: list = field(default_factory=list)  # names of files removed since

    @property
    def any(self):
        return bool(self.fields or self.new_evidence or self.removed_evidence)


def _previous_period(period):
    return (period.year, period.quarter - 1) if period.quarter > 1 else (period.year - 1, 4)


def previous_report(report):
    """The program's report for the quarter before ``report``'s, or ``None``."""
    year, quarter = _previous_period(report.period)
    return ProgressReport.objects.filter(
        program_id=report.program_id, period__year=year, period__quarter=quarter
    ).first()


def _values(model, report, field_name="value"):
    """Map row key (milestone or indicator id) -> value of ``report``'s rows of ``model``."""
    if report is None:
        return {}
    key = "milestone_id" if model is MilestoneProgress else "indicator_id"
    return dict(model.objects.filter(report=report).values_list(key, field_name))


def planned_percent(milestone, period):
    """The progress ``milestone`` should have by the last day of ``period``, in whole
    percent (rounded half-up), if work went evenly between its planned dates."""
    end = status.quarter_end(period.year, period.quarter)
    expected = status.expected_percent(milestone.planned_start, milestone.planned_finish, end)
    return expected.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def last_return(report):
    """The history row of ``report``'s latest return (its move from submitted to
    returned), if it was sent again since (submitted or verified now); else ``None``.

    The unit's saves while it is returned are history rows in the returned state
    too: the return is the row that follows a submitted one.
    """
    if report.state not in (R.SUBMITTED, R.VERIFIED):
        return None
    rows = list(report.history.order_by("history_id"))
    returned = None
    for before, row in zip(rows, rows[1:], strict=False):
        if before.state == R.SUBMITTED and row.state == R.RETURNED:
            returned = row
    return returned


def _rows_when_returned(model, report, returned):
    """Map row key -> that row's history record as it stood when ``report`` was returned."""
    key = "milestone_id" if model is MilestoneProgress else "indicator_id"
    records = model.history.filter(
        report_id=report.pk, history_date__lte=returned.history_date
    ).order_by("history_date", "history_id")
    # Later records overwrite earlier ones: the last one before the return stays.
    return {getattr(record, key): record for record in records}


def _mark_changes(rows, before, *, with_note=False):
    """Mark each of ``rows`` whose value (or note) differs from its record in ``before``."""
    for item in rows:
        record = before.get(_key(item.row))
        if record is None:
            continue
        old = record.percent if isinstance(item.row, MilestoneProgress) else record.value
        if old != item.value or (with_note and record.note != item.row.note):
            item.changed, item.before = True, old
            item.note_before = record.note if with_note else ""


def _key(row):
    return row.milestone_id if isinstance(row, MilestoneProgress) else row.indicator_id


def _changes(report, returned, milestones, indicators, adoption):
    changes = Changes(returned=returned)
    for name in TEXT_FIELDS:
        old = getattr(returned, name)
        if (old or None) != (getattr(report, name) or None):
            changes.fields[name] = old
    _mark_changes(milestones, _rows_when_returned(MilestoneProgress, report, returned))
    _mark_changes(
        indicators, _rows_when_returned(IndicatorRealisation, report, returned), with_note=True
    )
    _mark_changes(adoption, _rows_when_returned(AdoptionRealisation, report, returned))
    changes.new_evidence = set(
        report.evidence.filter(uploaded_at__gt=returned.history_date).values_list("pk", flat=True)
    )
    changes.removed_evidence = [
        record.file.rsplit("/", 1)[-1]
        for record in ProgressEvidence.history.filter(
            report_id=report.pk, history_type="-", history_date__gt=returned.history_date
        ).order_by("history_id")
    ]
    return changes


def review_context(report):
    """The report's rows with their context, its evidence and what changed since its
    last return, for ``templates/programs/report_detail.html``."""
    period = report.period
    previous = previous_report(report)
    margin = settings.AT_RISK_MARGIN

    milestones = []
    previous_percents = _values(MilestoneProgress, previous, "percent")
    for row in report.milestone_rows.select_related("milestone").order_by(
        "milestone__planned_start", "milestone_id"
    ):
        planned = planned_percent(row.milestone, period)
        milestones.append(
            Row(
                row=row,
                value=row.percent,
                target=planned,
                previous=previous_percents.get(row.milestone_id),
                behind=planned - row.percent > margin,
            )
        )

    indicator_rows = list(report.indicator_rows.select_related("indicator"))
    targets = dict(
        IndicatorTarget.objects.filter(
            indicator__in=[r.indicator_id for r in indicator_rows], year=period.year
        ).values_list("indicator_id", "target")
    )
    previous_values = _values(IndicatorRealisation, previous)
    indicators = [
        Row(
            row=row,
            value=row.value,
            target=targets.get(row.indicator_id),
            previous=previous_values.get(row.indicator_id),
        )
        for row in indicator_rows
    ]

    previous_use = _values(AdoptionRealisation, previous)
    adoption = [
        Row(
            row=row,
            value=row.value,
            target=row.indicator.quarterly_target,
            previous=previous_use.get(row.indicator_id),
        )
        for row in report.adoption_rows.select_related("indicator")
    ]

    returned = last_return(report)
    changes = _changes(report, returned, milestones, indicators, adoption) if returned else None
    evidence = evidence_previews.previews(
        report, new=changes.new_evidence if changes else frozenset()
    )
    return {
        "milestone_rows": milestones,
        "indicator_rows": indicators,
        "adoption_rows": adoption,
        "evidence": evidence,
        "text_fields": [
            TextField(
                name=name,
                label=label,
                value=getattr(report, name),
                changed=bool(changes) and name in changes.fields,
                before=changes.fields.get(name) if changes else None,
            )
            for name, label in TEXT_FIELDS.items()
        ],
        "previous_report": previous,
        "changes": changes,
    }
