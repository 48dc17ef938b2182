"""Serializers of commitments, programs and progress reports (read only).

No permission logic here: the views hand over querysets already restricted by
``policy.visible``; the nested rows come from prefetches the views restrict too.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.report_serializers import REPORT_FIELDS
from commitments.models import Commitment, CommitmentPoint, Signatory, Signature
from programs.models import (
    AdoptionIndicator,
    AdoptionRealisation,
    IndicatorRealisation,
    Milestone,
    MilestoneProgress,
    Program,
    ProgramBudget,
    ProgressEvidence,
    ProgressReport,
)
from programs.models.program import MILESTONE_FIELDS


class CommitmentSerializer(serializers.ModelSerializer):
    expected_count = serializers.IntegerField(
        read_only=True, help_text=_("Number of expected signatories")
    )
    signed_count = serializers.IntegerField(
        read_only=True, help_text=_("Number of signatories who have signed")
    )

    class Meta:
        model = Commitment
        fields = [
            "id",
            "government",
            "title",
            "document_number",
            "date",
            "place",
            "state",
            "expected_count",
            "signed_count",
        ]


class PointSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommitmentPoint
        fields = ["number", "text"]


class SignatorySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    is_signed = serializers.BooleanField(read_only=True, help_text=_("Signed (a live signature)"))

    class Meta:
        model = Signatory
        fields = ["unit", "unit_name", "is_signed"]


class SignatureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signature
        fields = [
            "id",
            "unit",
            "official",
            "official_name",
            "official_nip",
            "official_rank",
            "official_position",
            "signed_at",
            "method",
            "revoked_at",
        ]


class CommitmentDetailSerializer(CommitmentSerializer):
    """A commitment with its points, the signatories the user sees and their signatures."""

    points = PointSerializer(many=True, read_only=True)
    signatories = SignatorySerializer(many=True, read_only=True, source="visible_signatories")
    signatures = SignatureSerializer(many=True, read_only=True, source="visible_signatures")

    class Meta(CommitmentSerializer.Meta):
        fields = [
            *CommitmentSerializer.Meta.fields,
            "legal_basis",
            "witnesses",
            "points",
            "signatories",
            "signatures",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", *MILESTONE_FIELDS]


class BudgetSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgramBudget
        fields = ["year", "amount"]


class AdoptionIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdoptionIndicator
        fields = ["id", "name", "unit_of_measure", "quarterly_target"]


class ProgramSerializer(serializers.ModelSerializer):
    categories = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text=_("Codes of the categories of the commitment's classification scheme."),
    )
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True)
    status = serializers.SerializerMethodField(
        help_text=_(
            "Status in the quarter chosen with ?periode=<id> (else the current one), judged "
            "on verified progress as on the program list: not_started, on_track, at_risk, "
            "late, done; null without a reporting period."
        )
    )

    def get_status(self, program) -> str | None:
        return self.context.get("statuses", {}).get(program.pk)

    class Meta:
        model = Program
        fields = [
            "id",
            "commitment",
            "owner_unit",
            "owner_unit_name",
            "supporting_units",
            "code",
            "title",
            "categories",
            "horizon",
            "start_date",
            "end_date",
            "state",
            "state_since",
            "status",
        ]


class ProgramDetailSerializer(ProgramSerializer):
    """A program with its milestones, yearly budgets, adoption indicators and the RPJMD
    indicators it reports."""

    milestones = MilestoneSerializer(many=True, read_only=True)
    budgets = BudgetSerializer(many=True, read_only=True)
    adoption_indicators = AdoptionIndicatorSerializer(many=True, read_only=True)

    class Meta(ProgramSerializer.Meta):
        fields = [
            *ProgramSerializer.Meta.fields,
            "description",
            "state_reason",
            "indicators",
            "milestones",
            "budgets",
            "adoption_indicators",
        ]


class MilestoneRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = MilestoneProgress
        fields = ["milestone", "percent"]


class IndicatorRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorRealisation
        fields = ["indicator", "value", "note"]


class AdoptionRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdoptionRealisation
        fields = ["indicator", "value"]


class EvidenceSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField(help_text=_("File name"))

    class Meta:
        model = ProgressEvidence
        fields = ["id", "name", "sha256", "uploaded_at"]

    def get_name(self, evidence) -> str:
        return str(evidence)


class ProgressReportSerializer(serializers.ModelSerializer):
    """A quarterly progress report with its rows (milestones, indicators, adoption)
    and the list of its evidence files."""

    milestone_rows = MilestoneRowSerializer(many=True, read_only=True)
    indicator_rows = IndicatorRowSerializer(many=True, read_only=True)
    adoption_rows = AdoptionRowSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [*REPORT_FIELDS, "milestone_rows", "indicator_rows", "adoption_rows", "evidence"]
