"""API URLs: schema, documentation and the read endpoints (namespace "api").

The token pages live under /akun/token-api/ (``api.token_urls``).
"""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api import program_views, views

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("officials", views.OfficialViewSet, basename="official")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("commitments", program_views.CommitmentViewSet, basename="commitment")
router.register("programs", program_views.ProgramViewSet, basename="program")
router.register("reports", program_views.ProgressReportViewSet, basename="report")

urlpatterns = [
    # /api/v1/ in a browser: the documentation, which lists every endpoint.
    path("", login_required(RedirectView.as_view(pattern_name="api:docs")), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path(
        "plans/<int:pk>/achievements/<int:year>/",
        views.AchievementView.as_view(),
        name="plan-achievements",
    ),
    *router.urls,
]
