"""Read endpoints of commitments, programs and progress reports.

Every queryset comes from an app selector wrapping ``policy.visible``; the
nested rows (signatories, signatures, report rows) are restricted by the same
policy, in prefetches, so a list costs a fixed number of queries.
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import viewsets

from api import program_serializers as s
from api.pagination import IdCursorPagination
from commitments.filters import CommitmentFilter
from commitments.models import CommitmentPoint, Signatory, Signature
from commitments.selectors import commitments_visible_to, commitments_with_counts, with_signed_flag
from programs import selectors as program_selectors
from programs.filters import PeriodChoiceFilter, ProgramFilter
from programs.models import (
    AdoptionRealisation,
    IndicatorRealisation,
    Milestone,
    MilestoneProgress,
    ProgressEvidence,
    ProgressReport,
)
from tracker import data_version, policy
from tracker.models import Government
from tracker.selectors import units_visible_to


@extend_schema_view(
    list=extend_schema(summary="Joint commitments with their signing counts"),
    retrieve=extend_schema(
        summary="One commitment with its points, signatories and signatures",
        responses=s.CommitmentDetailSerializer,
    ),
)
class CommitmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.CommitmentSerializer
    filterset_class = CommitmentFilter

    def get_queryset(self):
        user = self.request.user
        commitments = commitments_with_counts(commitments_visible_to(user)).order_by(
            "-date", "title", "id"
        )
        if self.action == "retrieve":
            signatories = with_signed_flag(
                policy.visible(user, Signatory.objects.select_related("unit"))
            ).order_by("unit__kind", "unit__name")
            signatures = policy.visible(user, Signature.objects.all()).order_by(
                "unit__kind", "unit__name", "-signed_at"
            )
            commitments = commitments.prefetch_related(
                Prefetch("points", queryset=CommitmentPoint.objects.order_by("number")),
                Prefetch("signatories", queryset=signatories, to_attr="visible_signatories"),
                Prefetch("signatures", queryset=signatures, to_attr="visible_signatures"),
            )
        return commitments

    def get_serializer_class(self):
        return s.CommitmentDetailSerializer if self.action == "retrieve" else s.CommitmentSerializer

    def filterset_kwargs(self, request):
        return {"governments": policy.visible(request.user, Government.objects.all())}


@extend_schema_field(OpenApiTypes.INT)
class _PeriodIdFilter(PeriodChoiceFilter):
    """The page's quarter filter, typed for the schema (a period id)."""


class ApiProgramFilter(ProgramFilter):
    """The program list page's FilterSet; only the schema type of ``periode`` is added."""

    periode = _PeriodIdFilter(label=_("Status in quarter"), queryset=None)


@extend_schema_view(
    list=extend_schema(
        summary="Commitment programs",
        description=(
            "The program list's filters, as on the page: stopped and cancelled programs "
            "only with state=stopped, state=cancelled or state=all; status is judged in "
            "the quarter `periode` (by default the current one)."
        ),
    ),
    retrieve=extend_schema(
        summary="One program with its milestones", responses=s.ProgramDetailSerializer
    ),
)
class ProgramViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ProgramSerializer
    filterset_class = ApiProgramFilter
    pagination_class = IdCursorPagination

    def get_queryset(self):
        programs = program_selectors.programs_visible_to(self.request.user).prefetch_related(
            "categories", "supporting_units"
        )
        if self.action == "retrieve":
            programs = programs.prefetch_related(
                Prefetch("milestones", queryset=Milestone.objects.order_by("order", "id")),
                "budgets",
                "adoption_indicators",
                "indicators",
            )
        return programs

    def get_serializer_class(self):
        return s.ProgramDetailSerializer if self.action == "retrieve" else s.ProgramSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):  # the schema is being generated
            return context
        context["statuses"] = self._statuses(self.request)
        return context

    def filterset_kwargs(self, request):
        user = request.user
        return {
            "units": units_visible_to(user).order_by("name"),
            "commitments": commitments_visible_to(user),
            "statuses": lambda: self._statuses(request),
        }

    def _statuses(self, request):
        """Program id -> status in the chosen quarter (as the program list page)."""
        from programs.views import period_from

        user = request.user
        period = period_from(request, user)
        if period is None:
            return {}
        return data_version.cached(
            data_version.government_of_user(user),
            data_version.page_parts(user, "program-statuses", period.pk),
            lambda: {
                pk: state
                for pk, (state, _rows) in program_selectors.program_statuses(
                    program_selectors.programs_visible_to(user), period
                ).items()
            },
        )


class ReportFilter(django_filters.FilterSet):
    """Progress reports by program, quarter and state. Plain ids: a filter must not
    tell whether a record outside the user's scope exists."""

    program = django_filters.NumberFilter(field_name="program")
    period = django_filters.NumberFilter(field_name="period")

    class Meta:
        model = ProgressReport
        fields = ["program", "period", "state"]


@extend_schema_view(
    list=extend_schema(summary="Quarterly progress reports with their rows"),
    retrieve=extend_schema(summary="One progress report with its rows"),
)
class ProgressReportViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ProgressReportSerializer
    filterset_class = ReportFilter
    pagination_class = IdCursorPagination

    def get_queryset(self):
        user = self.request.user

        def rows(model, *related):
            return policy.visible(user, model.objects.select_related(*related).order_by("id"))

        return policy.visible(user, ProgressReport.objects.all()).prefetch_related(
            Prefetch("milestone_rows", queryset=rows(MilestoneProgress)),
            Prefetch("indicator_rows", queryset=rows(IndicatorRealisation)),
            Prefetch("adoption_rows", queryset=rows(AdoptionRealisation)),
            Prefetch("evidence", queryset=rows(ProgressEvidence)),
        )
