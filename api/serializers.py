"""Serializers of the organisation and the RPJMD plan (read only).

No permission logic here: the views hand over querysets that are already
restricted by ``policy.visible`` (through the apps' selectors).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programs import models
from rpjmd.fields import INDICATOR_FIELDS, PLAN_FIELDS
from tracker.models import OFFICIAL_DETAILS, Official, Unit


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = [
            "id",
            "government",
            "kind",
            "opd_type",
            "code",
            "name",
            "abbreviation",
            "coordinator",
            "parent",
            "is_active",
        ]


class OfficialSerializer(serializers.ModelSerializer):
    """An official's term of office; the NIP as the pages show it to the government's users."""

    unit_name = serializers.CharField(source="unit.name", read_only=True, help_text=_("Unit name"))

    class Meta:
        model = Official
        fields = [
            "id",
            "unit",
            "unit_name",
            *OFFICIAL_DETAILS,
        ]


class IndicatorTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.IndicatorTarget
        fields = ["year", "target", "budget", "realisation"]


class IndicatorSerializer(serializers.ModelSerializer):
    """A performance indicator with its yearly targets."""

    targets = IndicatorTargetSerializer(many=True, read_only=True)

    class Meta:
        model = models.Indicator
        fields = [
            "id",
            "plan",
            "goal",
            "objective",
            "plan_program",
            *INDICATOR_FIELDS,
            "targets",
        ]


class PlanProgramSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = models.PlanProgram
        fields = ["id", "code", "name", "responsible_unit", "indicators"]


class ObjectiveSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)
    plan_programs = PlanProgramSerializer(many=True, read_only=True)

    class Meta:
        model = models.Objective
        fields = ["id", "code", "text", "indicators", "plan_programs"]


class GoalSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)
    objectives = ObjectiveSerializer(many=True, read_only=True)

    class Meta:
        model = models.Goal
        fields = ["id", "code", "text", "indicators", "objectives"]


class MissionSerializer(serializers.ModelSerializer):
    goals = GoalSerializer(many=True, read_only=True)

    class Meta:
        model = models.Mission
        fields = ["id", "number", "text", "goals"]


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Plan
        fields = ["id", "government", *PLAN_FIELDS]


class PlanTreeSerializer(PlanSerializer):
    """The plan with its whole tree: missions, goals, objectives, RPJMD programs, and
    every level's indicators with their yearly targets."""

    missions = serializers.SerializerMethodField(
        help_text=_("The plan's tree, mission by mission.")
    )

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "commitments", "missions"]

    @extend_schema_field(MissionSerializer(many=True))
    def get_missions(self, plan):
        return MissionSerializer(self.context["tree"], many=True).data


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.ReportingPeriod
        fields = [
            "id",
            "government",
            "year",
            "quarter",
            "submission_deadline",
            "verification_deadline",
            "state",
        ]


class QuarterValueSerializer(serializers.Serializer):
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    value = serializers.DecimalField(max_digits=20, decimal_places=4)


class AchievementRowSerializer(serializers.Serializer):
    """One indicator's figures for the year, as the quarterly report prints them."""

    indicator = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    unit_of_measure = serializers.CharField()
    direction = serializers.ChoiceField(choices=models.Indicator.Direction.choices)
    combination = serializers.ChoiceField(choices=models.Indicator.Combination.choices)
    target = serializers.DecimalField(
        max_digits=20, decimal_places=4, allow_null=True, help_text=_("Target of the year")
    )
    realisation = serializers.DecimalField(
        max_digits=20,
        decimal_places=4,
        allow_null=True,
        help_text=_("Realisation of the year from verified reports"),
    )
    achievement = serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        allow_null=True,
        help_text=_("Achievement of the year in percent"),
    )
    predicate = serializers.CharField(allow_blank=True, help_text=_("Predicate of the achievement"))
    quarters = QuarterValueSerializer(many=True)


class AchievementsSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    year = serializers.IntegerField()
    up_to_quarter = serializers.IntegerField(allow_null=True)
    indicators = AchievementRowSerializer(many=True)
