"""What the quarterly report shows, read once and handed to two renderers (PDF, Excel).

Everything here counts verified reports only, and nothing after the
report's quarter, so a report for a locked quarter shows the same figures
however often it is regenerated. ``ReportRequest.user`` narrows every read
to what that user may see through the permission policy; ``None`` is the
operator's command line, which reads the whole government.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from commitments.models import Commitment, CommitmentPoint, Signatory, Signature
from programs import status
from programs.models import (
    Program,
    ReportingPeriod,
)
from programs.monitoring import monitoring_summary
from reports.evaluation import evaluation_table
from reports.evaluation.rows import EvaluationTable
from reports.signers import issuing_unit_of, signers
from tracker import policy
from tracker.achievement import achievement_percent
from tracker.models import Unit


@dataclass
class ReportRequest:
    """The checked parameters of one report (see ``reports.services.resolve_request``)."""

    government: object
    period: ReportingPeriod
    commitments: list
    unit: Unit | None = None
    user: object = None
    report_date: datetime.date | None = None

    @property
    def year(self):
        return self.period.year

    @property
    def quarter(self):
        return self.period.quarter


def visible(user, queryset):
    """``queryset`` narrowed to ``user``'s scope; the command line (``None``) sees it all."""
    return queryset if user is None else policy.visible(user, queryset)


def report_programs(request):
    """The programs the report covers: its commitments', the unit's if one was asked for,
    running at some time between the start of the year and the end of the quarter
    (a program that ended, or was stopped or cancelled, before the year is not
    evaluated again; one stopped during the year keeps its figures of the quarters
    it ran), and visible to the requesting user."""
    end = status.quarter_end(request.year, request.quarter)
    first_day = datetime.date(request.year, 1, 1)
    programs = (
        Program.objects.filter(
            commitment__in=request.commitments, commitment__government=request.government
        )
        .filter(start_date__lte=end, end_date__gte=first_day)
        .exclude(~Q(state=Program.State.ACTIVE) & Q(state_since__lt=first_day))
    )
    if request.unit is not None:
        programs = programs.filter(owner_unit=request.unit)
    return visible(request.user, programs)


def report_table(request):
    """The evaluation table alone (the Excel export), for the request's programs."""
    return evaluation_table(
        report_programs(request),
        year=request.year,
        quarter=request.quarter,
        whole_government=request.unit is None,
    )


# --- The whole report -----------------------------------------------------------------------


@dataclass
class CommitmentStatus:
    commitment: Commitment
    points: list
    expected: int
    signed: int
    outstanding: list  # units

    @property
    def percent(self):
        """The signed share in percent, two decimals half-up (``Decimal``); 0 with none expected."""
        return achievement_percent(self.signed, self.expected) if self.expected else Decimal(0)


@dataclass
class QuarterlyReport:
    request: ReportRequest
    summary: dict
    commitments: list
    table: EvaluationTable
    milestones: list  # (unit, [(milestone, progress, status)])
    issuing_unit: Unit | None
    signers: list
    generated_at: datetime.datetime

    @property
    def is_provisional(self):
        return not self.request.period.is_locked


def quarterly_report(request):
    """Everything the quarterly report prints, in a fixed number of queries."""
    programs = report_programs(request)
    summary = monitoring_summary(programs, request.period)
    table = report_table(request)
    issuing_unit = issuing_unit_of(request.government)
    return QuarterlyReport(
        request=request,
        summary=summary,
        commitments=commitment_statuses(request),
        table=table,
        milestones=_milestones_by_unit(summary),
        issuing_unit=issuing_unit,
        signers=signers(request, issuing_unit),
        generated_at=timezone.now(),
    )


def _milestones_by_unit(summary):
    """Late and at-risk milestones per owner unit, latest planned finish last."""
    by_unit = {}
    for program in summary["programs"]:
        _state, rows = summary["statuses"][program.pk]
        flagged = [
            (milestone, percent, state, program)
            for milestone, percent, state in rows
            if state in (status.LATE, status.AT_RISK)
        ]
        if flagged:
            by_unit.setdefault(program.owner_unit, []).extend(flagged)
    return [
        (unit, sorted(rows, key=lambda row: (row[0].planned_finish, row[0].pk)))
        for unit, rows in by_unit.items()
    ]


def commitment_statuses(request):
    """Each commitment's points and who had signed by the end of the quarter.

    A signature counts if it was made by then and not revoked by then, so a
    later signature or revocation does not change a past quarter's report.
    """
    end = timezone.make_aware(
        datetime.datetime.combine(
            status.quarter_end(request.year, request.quarter), datetime.time.max
        )
    )
    signatories = visible(
        request.user,
        Signatory.objects.filter(commitment__in=request.commitments).select_related("unit"),
    )
    if request.unit is not None:
        signatories = signatories.filter(unit=request.unit)
    signed = set(
        Signature.objects.filter(commitment__in=request.commitments, signed_at__lte=end)
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=end))
        .values_list("commitment_id", "unit_id")
    )
    by_commitment = {}
    for signatory in signatories.order_by("unit__kind", "unit__name"):
        by_commitment.setdefault(signatory.commitment_id, []).append(signatory)
    points = {commitment.pk: [] for commitment in request.commitments}
    for point in CommitmentPoint.objects.filter(commitment__in=request.commitments).order_by(
        "number"
    ):
        points[point.commitment_id].append(point)
    result = []
    for commitment in request.commitments:
        rows = by_commitment.get(commitment.pk, [])
        outstanding = [s.unit for s in rows if (commitment.pk, s.unit_id) not in signed]
        result.append(
            CommitmentStatus(
                commitment=commitment,
                points=points[commitment.pk],
                expected=len(rows),
                signed=len(rows) - len(outstanding),
                outstanding=outstanding,
            )
        )
    return result
