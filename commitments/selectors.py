"""Reads on commitments, always through the permission policy."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from commitments.models import Commitment, CommitmentPoint, Signatory, Signature
from tracker import policy
from tracker.history import HistoryPart, gather_history
from tracker.models import Unit


def commitments_visible_to(user):
    """Commitments the user may see: their government's, or those their unit is party to.

    A draft stays with those who may change commitments (Bappeda, superusers):
    until it is opened for signing its points and signatories may still change,
    so Asda, units, Pimpinan and the Administrator do not see it yet.
    """
    commitments = policy.visible(user, Commitment.objects.select_related("government"))
    if not policy.can_change(user, Commitment):
        commitments = commitments.exclude(state=Commitment.State.DRAFT)
    return commitments


def signatories_visible_to(user, commitment):
    """Expected signatories of ``commitment`` that the user may see, with their unit."""
    return policy.visible(
        user,
        Signatory.objects.filter(commitment=commitment).select_related("unit", "unit__coordinator"),
    ).order_by("unit__kind", "unit__name")


def signatures_visible_to(user, commitment):
    """Signatures (live and revoked) of ``commitment`` that the user may see."""
    return policy.visible(
        user,
        Signature.objects.filter(commitment=commitment).select_related(
            "unit", "recorded_by", "revoked_by", "event"
        ),
    ).order_by("unit__kind", "unit__name", "-signed_at")


def commitment_points(commitment):
    return CommitmentPoint.objects.filter(commitment=commitment).order_by("number")


# How signatories are grouped in the progress breakdown.
GROUP_OF_KIND = {
    Unit.Kind.ASDA: "asda",
    Unit.Kind.OPD: "opd",
    Unit.Kind.SETDA: "opd",
    Unit.Kind.KECAMATAN: "kecamatan",
    Unit.Kind.KELURAHAN: "kecamatan",
    Unit.Kind.KEPALA_DAERAH: "other",
}
GROUP_ORDER = ("asda", "opd", "kecamatan", "other")


@dataclass
class Tally:
    signed: int = 0
    expected: int = 0

    @property
    def percent(self):
        return round(100 * self.signed / self.expected) if self.expected else 0

    @property
    def outstanding(self):
        return self.expected - self.signed


@dataclass
class Progress:
    """Signing progress overall and per group (Asda / OPD / Kecamatan)."""

    total: Tally = field(default_factory=Tally)
    groups: dict = field(default_factory=dict)

    def ordered_groups(self):
        return [(key, self.groups[key]) for key in GROUP_ORDER if key in self.groups]


def with_signed_flag(signatories):
    """Annotate signatories with ``is_signed``: a live signature exists for their unit."""
    live = Signature.objects.filter(
        commitment=OuterRef("commitment"), unit=OuterRef("unit"), revoked_at__isnull=True
    )
    return signatories.annotate(is_signed=Exists(live))


def signing_progress(signatories):
    """Tally a queryset of signatories (already restricted to what the user sees).

    One aggregate query, whatever the number of signatories.
    """
    rows = (
        with_signed_flag(signatories)
        .order_by()
        .values("unit__kind", "is_signed")
        .annotate(count=Count("pk"))
    )
    progress = Progress()
    for row in rows:
        tally = progress.groups.setdefault(GROUP_OF_KIND[row["unit__kind"]], Tally())
        for target in (tally, progress.total):
            target.expected += row["count"]
            if row["is_signed"]:
                target.signed += row["count"]
    return progress


def live_signatures_by_unit(signatures):
    """Map unit id -> its live signature, from an evaluated list of signatures."""
    return {s.unit_id: s for s in signatures if s.revoked_at is None}


def commitments_with_counts(commitments, units=None):
    """Annotate each commitment with its expected and live-signed counts (for lists).

    ``units`` (ids) limits the counts to those units, e.g. the user's scope.
    Subqueries rather than joins, so the counts stay right and the list query
    does not multiply rows.
    """
    in_scope = {} if units is None else {"unit_id__in": units}
    expected = (
        Signatory.objects.filter(commitment=OuterRef("pk"), **in_scope)
        .order_by()
        .values("commitment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    signed = (
        Signature.objects.filter(commitment=OuterRef("pk"), revoked_at__isnull=True, **in_scope)
        .order_by()
        .values("commitment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return commitments.annotate(
        expected_count=Coalesce(Subquery(expected), 0),
        signed_count=Coalesce(Subquery(signed), 0),
    )


def commitment_history_entries(user, commitment):
    """History of the commitment, its points, signatories and signatures, newest first.

    A user who sees only some units gets only those units' signatory and
    signature history.
    """
    actor = policy.actor_for(user)
    signatories = Signatory.history.filter(commitment_id=commitment.pk)
    signatures = Signature.history.filter(commitment_id=commitment.pk)
    if actor.unit_ids is not None and actor.role != policy.Role.SUPERUSER:
        signatories = signatories.filter(unit_id__in=actor.unit_ids)
        signatures = signatures.filter(unit_id__in=actor.unit_ids)
    return gather_history(
        [
            HistoryPart(Commitment, Commitment.history.filter(id=commitment.pk), own=True),
            HistoryPart(
                CommitmentPoint, CommitmentPoint.history.filter(commitment_id=commitment.pk)
            ),
            HistoryPart(Signatory, signatories),
            HistoryPart(Signature, signatures),
        ]
    )
