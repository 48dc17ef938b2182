"""What is public: the one place that decides what the transparency page and the open
data show. Every public view reads through here, and only here.

The rules (issue 15)
    * Only a government whose Administrator published its page: every read starts
      from :func:`published_governments`.
    * Verified figures only: milestone progress and indicator realisations come from
      verified progress reports (``programs.selectors``); nothing of a draft,
      submitted, returned or unverified report, and none of their texts.
    * No evidence files, no scans, no NIP, no e-mail address, no user account:
      the records below are turned into plain values field by field, so a field
      not named here never reaches a public page.

Nothing here takes a user: anonymous visitors have no actor, so the permission
policy is not asked; the published government is the scope instead.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from commitments.models import Commitment, CommitmentPoint, Signatory, Signature
from programs import status
from programs.models import Indicator, Plan, Program, ReportingPeriod
from programs.monitoring import late_scope
from programs.selectors import indicator_achievements, program_statuses, status_date
from tracker import data_version
from tracker.achievement import predicate_label
from tracker.models import Government
from transparency.models import PublicPage, PublishedReport

HUNDREDTH = Decimal("0.01")


def published_governments():
    """Governments whose public page is published: the only entry to every public read."""
    return Government.objects.filter(public_page__is_published=True)


def public_intro(government):
    """The introduction the Administrator wrote for the page (public by intent)."""
    return PublicPage.objects.filter(government=government).values_list("intro", flat=True).first()


# --- Commitments --------------------------------------------------------------------------


@dataclass
class PublicSignatory:
    """A unit expected to sign and, once it signed, the official who did.

    Public: the unit, and the name and position of the official who signed in
    office (printed on the signed document). Not public: NIP, rank, the
    evidence file, who recorded the signature.
    """

    unit: str
    signed: bool
    name: str = ""
    position: str = ""
    signed_on: object = None


@dataclass
class PublicCommitment:
    """A commitment open for signing or closed (a draft may still change: never public),
    with its numbered points and its signing completeness."""

    title: str
    document_number: str
    date: object
    place: str
    points: list = field(default_factory=list)  # [(number, text)]
    signatories: list = field(default_factory=list)  # [PublicSignatory]

    @property
    def signed(self):
        return sum(1 for s in self.signatories if s.signed)

    @property
    def expected(self):
        return len(self.signatories)

    @property
    def percent(self):
        return round(100 * self.signed / self.expected) if self.expected else 0


def public_commitments(government):
    """The government's commitments as the public sees them. Four queries."""
    commitments = list(
        Commitment.objects.filter(government=government)
        .exclude(state=Commitment.State.DRAFT)
        .order_by("-date", "title")
    )
    ids = [c.pk for c in commitments]
    points = {pk: [] for pk in ids}
    for commitment_id, number, text in (
        CommitmentPoint.objects.filter(commitment__in=ids)
        .order_by("number")
        .values_list("commitment_id", "number", "text")
    ):
        points[commitment_id].append((number, text))
    live = {
        (row["commitment_id"], row["unit_id"]): row
        for row in Signature.objects.filter(commitment__in=ids, revoked_at__isnull=True).values(
            "commitment_id", "unit_id", "official_name", "official_position", "signed_at"
        )
    }
    signatories = {pk: [] for pk in ids}
    for commitment_id, unit_id, unit_name in (
        Signatory.objects.filter(commitment__in=ids)
        .order_by("unit__kind", "unit__name")
        .values_list("commitment_id", "unit_id", "unit__name")
    ):
        signature = live.get((commitment_id, unit_id))
        signatories[commitment_id].append(
            PublicSignatory(
                unit=unit_name,
                signed=signature is not None,
                name=signature["official_name"] if signature else "",
                position=signature["official_position"] if signature else "",
                signed_on=timezone.localtime(signature["signed_at"]).date() if signature else None,
            )
        )
    return [
        PublicCommitment(
            title=c.title,
            document_number=c.document_number,
            date=c.date,
            place=c.place,
            points=points[c.pk],
            signatories=signatories[c.pk],
        )
        for c in commitments
    ]


# --- The quarter, programs and indicators -------------------------------------------------


def public_period(government, on=None):
    """The quarter the figures are judged on, as the dashboard chooses it: the latest
    open quarter that has ended, else the latest open one, else the latest one."""
    on = on or timezone.localdate()
    periods = list(
        ReportingPeriod.objects.filter(government=government).order_by("-year", "-quarter")
    )
    open_periods = [p for p in periods if p.state == ReportingPeriod.State.OPEN]
    for candidate in open_periods:
        if status.quarter_end(candidate.year, candidate.quarter) <= on:
            return candidate
    return open_periods[0] if open_periods else (periods[0] if periods else None)


def public_programs(government):
    """Programs of the government's commitments that are not drafts."""
    return Program.objects.filter(commitment__government=government).exclude(
        commitment__state=Commitment.State.DRAFT
    )


def verified_percent(rows):
    """A program's verified progress: its milestones' verified progress weighted by their
    weights, or ``None`` while none of them has a verified figure."""
    if all(percent is None for _m, percent, _s in rows):
        return None
    total = sum((Decimal(m.weight) for m, _p, _s in rows), Decimal(0))
    if not total:
        return None
    done = sum((Decimal(m.weight) * Decimal(p or 0) for m, p, _s in rows), Decimal(0))
    return (done / total).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def program_figures(government, period):
    """Each program that had started by the quarter's end (and was not stopped before
    it): its code, title, commitment, owner unit, status and verified progress.

    Public: what the program is, who owns it, how far it got by verified reports.
    Not public: the reports' texts, budgets realised, evidence. Three queries.
    """
    programs = list(late_scope(period, public_programs(government)).select_related("commitment"))
    statuses = program_statuses(programs, period)
    rows = []
    for program in programs:
        program_status, milestones = statuses[program.pk]
        rows.append(
            {
                "code": program.code,
                "title": program.title,
                "commitment": program.commitment.title,
                "owner_unit": program.owner_unit.name,
                "state": program.state,
                "state_label": str(Program.State(program.state).label),
                "status": program_status,
                "status_label": str(status.LABELS[program_status]),
                "verified_progress": verified_percent(milestones),
            }
        )
    return rows


def indicator_figures(government, period):
    """Each RPJMD indicator of the government's plans, with a row per plan year up to the
    quarter's year: target, verified realisation, achievement and predicate.

    Public: the plan's targets (a Perda) and the realisations Bappeda verified, up to
    the quarter (so they match the quarterly report). A year without a verified
    figure has an empty realisation, never a substitute. Two queries a year.
    """
    reporters = list(public_programs(government).only("pk"))
    result = []
    for plan in Plan.objects.filter(government=government).order_by("start_year"):
        indicators = list(
            Indicator.objects.filter(plan=plan).select_related("responsible_unit").order_by("code")
        )
        rows = {i.pk: [] for i in indicators}
        for year in range(plan.start_year, min(plan.end_year, period.year) + 1):
            up_to = period.quarter if year == period.year else None
            figures = indicator_achievements(indicators, year, programs=reporters, up_to=up_to)
            for indicator in indicators:
                figure = figures[indicator.pk]
                rows[indicator.pk].append(
                    {
                        "year": year,
                        "target": figure["target"],
                        "realisation": figure["realisation"],
                        "achievement": figure["achievement"],
                        "predicate": str(predicate_label(figure["achievement"])),
                    }
                )
        result += [
            {
                "plan": plan.name,
                "code": indicator.code,
                "name": indicator.name,
                "unit_of_measure": indicator.unit_of_measure,
                "direction": indicator.direction,
                "decimal_places": indicator.decimal_places,
                "responsible_unit": indicator.responsible_unit.name
                if indicator.responsible_unit
                else "",
                "years": rows[indicator.pk],
            }
            for indicator in indicators
        ]
    return result


def public_figures(government):
    """Everything figure-like the page and the open data show, computed once.

    Plain values (they are cached): the quarter, the programs and the indicators.
    """
    period = public_period(government)
    if period is None:
        return {"period": None, "status_date": None, "programs": [], "indicators": []}
    return {
        "period": (period.year, period.quarter),
        "status_date": status_date(period),
        "programs": program_figures(government, period),
        "indicators": indicator_figures(government, period),
    }


def cached_figures(government):
    """:func:`public_figures`, cached per data version, language and day (statuses are
    judged on today's date; labels are in the reader's language)."""
    from django.utils.translation import get_language

    return data_version.cached(
        government.pk,
        ("public-figures", get_language(), timezone.localdate()),
        lambda: public_figures(government),
    )


# --- Published reports --------------------------------------------------------------------


def published_reports(government):
    """Issued reports that Bappeda published: title, period, unit, code, hash, size.

    Not public: who generated them, their parameters. Each stays verifiable on
    the report verification page by its code.
    """
    return (
        PublishedReport.objects.filter(report__government=government)
        .select_related("report", "report__unit")
        .filter(Q(report__unit__isnull=True) | Q(report__unit__government=government))
    )
