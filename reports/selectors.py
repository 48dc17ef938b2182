"""What the quarterly report shows, read once and handed to two renderers (PDF, Excel).

Everything here counts verified reports only, and nothing after the
report's quarter, so a report for a locked quarter shows the same figures
however often it is regenerated. ``ReportRequest.user`` narrows every read
to what that user may see through the permission policy; ``None`` is the
operator's command line, which reads the whole government.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Commitment, CommitmentPoint, Signatory, Signature
from programs import selectors as program_selectors
from programs import status
from programs.models import (
    Indicator,
    IndicatorTarget,
    Program,
    ProgramBudget,
    ProgressReport,
    ReportingPeriod,
)
from tracker import policy
from tracker.achievement import achievement_percent, aggregate_realisation, predicate_label
from tracker.models import Official, Unit

TWO_PLACES = Decimal("0.01")


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
    started by the end of the quarter, and visible to the requesting user."""
    end = status.quarter_end(request.year, request.quarter)
    programs = Program.objects.filter(
        commitment__in=request.commitments, commitment__government=request.government
    ).filter(start_date__lte=end)
    if request.unit is not None:
        programs = programs.filter(owner_unit=request.unit)
    return visible(request.user, programs)


# --- The evaluation table (Permendagri 86/2017) ---------------------------------------------


@dataclass
class IndicatorRow:
    """One indicator under a program: performance (K) figures, oldest to newest."""

    number: str
    indicator: Indicator
    objective: str
    final_target: Decimal | None
    before: Decimal | None  # realisation over the plan years before the report's year
    year_target: Decimal | None
    quarters: dict  # quarter -> verified realisation (None: nothing verified)
    year_realisation: Decimal | None
    cumulative: Decimal | None
    achievement: Decimal | None  # cumulative against the plan-period target
    predicate: str


@dataclass
class ProgramRow:
    """A program's line: its budget (Rp) figures, then its indicators' lines."""

    number: str
    program: Program
    budget_total: Decimal | None
    before: Decimal | None
    year_budget: Decimal | None
    quarters: dict  # quarter -> verified Rp, or the marker UNVERIFIED
    year_realisation: Decimal | None
    cumulative: Decimal | None
    achievement: Decimal | None
    indicators: list = field(default_factory=list)


# A quarter whose report exists but is not verified (yet): printed as a mark.
UNVERIFIED = "unverified"


@dataclass
class UnitSection:
    unit: Unit
    programs: list
    average_achievement: Decimal | None
    predicate: str
    supporting_factors: list  # (program title, text)
    obstacles: list
    follow_up: list


@dataclass
class EvaluationTable:
    year: int
    quarter: int
    sections: list


def figure_headings(year):
    """The headings of the table's ten figures (each a K / Rp pair), for both renderers."""
    return [
        _("End-of-RPJMD target"),
        _("Realisation up to %(year)s") % {"year": year - 1},
        _("Target %(year)s") % {"year": year},
        _("Q I"),
        _("Q II"),
        _("Q III"),
        _("Q IV"),
        _("Realisation %(year)s") % {"year": year},
        _("Cumulative realisation"),
        _("Achievement (%)"),
    ]


def evaluation_table(request, programs=None):
    """The evaluation table for the request, one section per owner unit.

    A fixed number of queries (seven) whatever the number of units, programs
    and indicators.
    """
    year, quarter = request.year, request.quarter
    if programs is None:
        programs = report_programs(request)
    indicators_qs = Indicator.objects.select_related(
        "plan", "objective", "goal", "plan_program__objective"
    ).order_by("code")
    programs = list(
        programs.select_related("owner_unit")
        .prefetch_related(Prefetch("indicators", queryset=indicators_qs))
        .order_by("owner_unit__name", "title")
    )
    indicators = {i.pk: i for p in programs for i in p.indicators.all()}
    first_year = min((i.plan.start_year for i in indicators.values()), default=year)
    values = program_selectors.verified_quarter_values(
        indicators.values(), years=(min(first_year, year), year), up_to=(year, quarter)
    )
    targets = {
        (row["indicator_id"], row["year"]): row
        for row in IndicatorTarget.objects.filter(indicator__in=list(indicators)).values(
            "indicator_id", "year", "target", "realisation"
        )
    }
    budgets = _program_budgets(programs, year)
    spent_before = dict(
        ProgressReport.objects.filter(
            program__in=programs,
            state=ProgressReport.State.VERIFIED,
            period__year__lt=year,
        )
        .order_by()
        .values("program_id")
        .annotate(total=Sum("budget_realisation"))
        .values_list("program_id", "total")
    )
    this_year = {}
    for report in ProgressReport.objects.filter(
        program__in=programs, period__year=year, period__quarter__lte=quarter
    ).select_related("period"):
        this_year[(report.program_id, report.period.quarter)] = report

    sections = {}
    for program in programs:
        section = sections.setdefault(program.owner_unit, [])
        row = _program_row(program, len(section) + 1, budgets, spent_before, this_year, quarter)
        for index, indicator in enumerate(program.indicators.all(), start=1):
            row.indicators.append(
                _indicator_row(
                    indicator,
                    f"{row.number}.{index}",
                    values.get(indicator.pk, {}),
                    targets,
                    year,
                )
            )
        section.append(row)
    return EvaluationTable(
        year=year,
        quarter=quarter,
        sections=[_unit_section(unit, rows, this_year, quarter) for unit, rows in sections.items()],
    )


def _program_budgets(programs, year):
    """program id -> (budget over the whole program, budget of ``year``)."""
    result = {}
    for program_id, budget_year, amount in ProgramBudget.objects.filter(
        program__in=programs
    ).values_list("program_id", "year", "amount"):
        total, of_year = result.get(program_id, (Decimal(0), None))
        result[program_id] = (total + amount, amount if budget_year == year else of_year)
    return result


def _program_row(program, number, budgets, spent_before, this_year, quarter):
    budget_total, year_budget = budgets.get(program.pk, (None, None))
    quarters = {}
    for q in range(1, quarter + 1):
        report = this_year.get((program.pk, q))
        if report is None:
            quarters[q] = None
        elif report.state == ProgressReport.State.VERIFIED:
            quarters[q] = report.budget_realisation
        else:
            quarters[q] = UNVERIFIED
    verified = [v for v in quarters.values() if v not in (None, UNVERIFIED)]
    year_total = sum(verified, Decimal(0)) if verified else None
    before = spent_before.get(program.pk)
    cumulative = aggregate_realisation([before, year_total], cumulative=True)
    return ProgramRow(
        number=str(number),
        program=program,
        budget_total=budget_total,
        before=before,
        year_budget=year_budget,
        quarters=quarters,
        year_realisation=year_total,
        cumulative=cumulative,
        achievement=achievement_percent(cumulative, budget_total),
    )


def _indicator_row(indicator, number, values, targets, year):
    """One indicator's figures. ``values`` maps (year, quarter) -> verified value.

    A past plan year counts its verified quarters, or, before quarterly
    monitoring started, the LKjIP realisation recorded on its yearly target.
    """
    by_year = {}
    for (value_year, value_quarter), value in values.items():
        by_year.setdefault(value_year, {})[value_quarter] = value
    yearly = []
    for past_year in range(indicator.plan.start_year, year):
        realisation = program_selectors.year_realisation(indicator, by_year.get(past_year, {}))
        if realisation is None:
            realisation = targets.get((indicator.pk, past_year), {}).get("realisation")
        yearly.append(realisation)
    before = aggregate_realisation(yearly, cumulative=indicator.is_cumulative)
    quarters = by_year.get(year, {})
    year_value = program_selectors.year_realisation(indicator, quarters)
    cumulative = aggregate_realisation([before, year_value], cumulative=indicator.is_cumulative)
    achievement = achievement_percent(
        cumulative, indicator.final_target, direction=indicator.direction
    )
    level = indicator.objective or (
        indicator.plan_program.objective if indicator.plan_program else indicator.goal
    )
    return IndicatorRow(
        number=number,
        indicator=indicator,
        objective=level.text if level else "",
        final_target=indicator.final_target,
        before=before,
        year_target=targets.get((indicator.pk, year), {}).get("target"),
        quarters=quarters,
        year_realisation=year_value,
        cumulative=cumulative,
        achievement=achievement,
        predicate=str(predicate_label(achievement)),
    )


def _unit_section(unit, rows, this_year, quarter):
    achievements = {
        row.indicator.pk: row.achievement
        for program_row in rows
        for row in program_row.indicators
        if row.achievement is not None
    }
    average = average_of(achievements.values())
    texts = {"supporting_factors": [], "obstacles": [], "follow_up": []}
    for program_row in rows:
        report = this_year.get((program_row.program.pk, quarter))
        if report is None or report.state != ProgressReport.State.VERIFIED:
            continue
        for name, found in texts.items():
            text = getattr(report, name).strip()
            if text:
                found.append((program_row.program.title, text))
    return UnitSection(
        unit=unit,
        programs=rows,
        average_achievement=average,
        predicate=str(predicate_label(average)),
        **texts,
    )


def average_of(values):
    """The mean of Decimal values to two places, or ``None`` for none."""
    values = list(values)
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(TWO_PLACES)


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
        return round(100 * self.signed / self.expected) if self.expected else 0


@dataclass
class Signer:
    caption: str  # "Disusun oleh" / "Mengetahui"
    position: str
    name: str
    rank: str
    nip: str


@dataclass
class QuarterlyReport:
    request: ReportRequest
    summary: dict
    average_achievement: Decimal | None
    plan_achievement: Decimal | None
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
    summary = program_selectors.monitoring_summary(programs, request.period)
    table = evaluation_table(request, programs)
    plan_achievements = {
        row.indicator.pk: row.achievement
        for section in table.sections
        for program_row in section.programs
        for row in program_row.indicators
        if row.achievement is not None
    }
    yearly = [a["achievement"] for _i, a in summary["indicators"] if a["achievement"] is not None]
    issuing_unit = issuing_unit_of(request.government)
    return QuarterlyReport(
        request=request,
        summary=summary,
        average_achievement=average_of(yearly),
        plan_achievement=average_of(plan_achievements.values()),
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


def issuing_unit_of(government):
    """The unit that issues the report: Bappeda, i.e. the unit most members of the
    Bappeda group work in (the group is what makes someone Bappeda in the policy)."""
    return (
        Unit.objects.filter(
            government=government,
            members__user__groups__name=policy.BAPPEDA_GROUP,
        )
        .annotate(n=Count("members"))
        .order_by("-n", "name")
        .first()
    )


def signers(request, issuing_unit):
    """The signature block: the head of Bappeda ("Disusun oleh") and the regional head
    ("Mengetahui"), as in office on the report date."""
    wanted = Q(unit__government=request.government, unit__kind=Unit.Kind.KEPALA_DAERAH)
    if issuing_unit is not None:
        wanted |= Q(unit=issuing_unit)
    heads = (
        Official.objects.in_office(request.report_date)
        .filter(is_head=True)
        .filter(wanted)
        .select_related("unit")
        .order_by("-start_date")
    )
    planner = next((o for o in heads if issuing_unit and o.unit_id == issuing_unit.pk), None)
    leader = next((o for o in heads if o.unit.kind == Unit.Kind.KEPALA_DAERAH), None)
    result = []
    for caption, official in ((_("Prepared by"), planner), (_("Acknowledged by"), leader)):
        result.append(
            Signer(
                caption=caption,
                position=official.position if official else "",
                name=official.name if official else "",
                rank=official.rank if official else "",
                nip=official.nip if official else "",
            )
        )
    return result
