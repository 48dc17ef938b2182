"""Read endpoints of the organisation and the RPJMD plan.

Every queryset comes from an app selector wrapping ``policy.visible``: a record
the user may not see is a 404 on its detail and absent from every list.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api.pagination import IdCursorPagination
from programs import selectors as program_selectors
from tracker.achievement import predicate_label
from tracker.filters import OfficialFilter, UnitFilter
from tracker.selectors import officials_visible_to, units_visible_to


@extend_schema_view(
    list=extend_schema(summary="Units the user may see"),
    retrieve=extend_schema(summary="One unit"),
)
class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.UnitSerializer
    filterset_class = UnitFilter

    def get_queryset(self):
        return units_visible_to(self.request.user).order_by("kind", "name", "id")


@extend_schema_view(
    list=extend_schema(summary="Officials (current and past) of the units the user may see"),
    retrieve=extend_schema(summary="One official"),
)
class OfficialViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.OfficialSerializer
    filterset_class = OfficialFilter
    pagination_class = IdCursorPagination

    def get_queryset(self):
        return officials_visible_to(self.request.user)

    def filterset_kwargs(self, request):
        return {"units": units_visible_to(request.user).order_by("name")}


@extend_schema_view(
    list=extend_schema(summary="RPJMD plans"),
    retrieve=extend_schema(
        summary="One RPJMD plan with its tree, indicators and yearly targets",
        responses=s.PlanTreeSerializer,
    ),
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PlanSerializer

    def get_queryset(self):
        plans = program_selectors.plans_visible_to(self.request.user)
        if self.action == "retrieve":
            plans = plans.prefetch_related("commitments")
        return plans

    def retrieve(self, request, *args, **kwargs):
        plan = self.get_object()
        tree = program_selectors.plan_tree(plan)
        return Response(s.PlanTreeSerializer(plan, context={"tree": tree}).data)


@extend_schema_view(
    list=extend_schema(summary="RPJMD indicators with their yearly targets"),
    retrieve=extend_schema(summary="One indicator"),
)
class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.IndicatorSerializer
    filterset_fields = ["plan", "responsible_unit"]

    def get_queryset(self):
        return program_selectors.indicators_visible_to(self.request.user).order_by(
            "plan", "code", "id"
        )


@extend_schema_view(
    list=extend_schema(summary="Reporting periods (quarters)"),
    retrieve=extend_schema(summary="One reporting period"),
)
class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PeriodSerializer
    filterset_fields = ["year", "quarter", "state"]

    def get_queryset(self):
        return program_selectors.periods_of(self.request.user)


class AchievementQuery(serializers.Serializer):
    quarter = serializers.IntegerField(
        min_value=1, max_value=4, required=False, help_text=_("Count quarters up to this one")
    )


class AchievementView(APIView):
    """The achievement of each indicator of a plan in a year, from verified reports
    only, as the quarterly report prints it: target, realisation, achievement %,
    predicate. A unit member's figures come from the programs they see."""

    @extend_schema(
        summary="Indicator achievements of a plan in a year",
        parameters=[AchievementQuery, OpenApiParameter("year", int, OpenApiParameter.PATH)],
        responses=s.AchievementsSerializer,
    )
    def get(self, request, pk, year):
        user = request.user
        plan = get_object_or_404(program_selectors.plans_visible_to(user), pk=pk)
        if year not in plan.years:
            return Response({"detail": _("The year is outside the plan period.")}, status=404)
        query = AchievementQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        up_to = query.validated_data.get("quarter")
        indicators = list(
            program_selectors.indicators_visible_to(user).filter(plan=plan).order_by("code")
        )
        programs = (
            program_selectors.programs_visible_to(user).filter(indicators__plan=plan).distinct()
        )
        figures = program_selectors.indicator_achievements(
            indicators, year, programs=programs, up_to=up_to
        )
        rows = []
        for indicator in indicators:
            figure = figures[indicator.pk]
            rows.append(
                {
                    "indicator": indicator.pk,
                    "code": indicator.code,
                    "name": indicator.name,
                    "unit_of_measure": indicator.unit_of_measure,
                    "direction": indicator.direction,
                    "combination": indicator.combination,
                    "target": figure["target"],
                    "realisation": figure["realisation"],
                    "achievement": figure["achievement"],
                    "predicate": str(predicate_label(figure["achievement"])),
                    "quarters": [
                        {"quarter": q, "value": v} for q, v in sorted(figure["quarters"].items())
                    ],
                }
            )
        data = {"plan": plan.pk, "year": year, "up_to_quarter": up_to, "indicators": rows}
        return Response(s.AchievementsSerializer(data).data)
