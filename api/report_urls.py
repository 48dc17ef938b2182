"""API URLs: the quarterly report workflow (start, save, evidence, submit, verify, return).

Next to the read endpoints' ``reports/`` (``api.read_urls``): their router
answers ``reports/`` and ``reports/<id>/`` (GET), so the writes use
sub-paths of their own.
"""

from django.urls import path

from api import report_views as views

urlpatterns = [
    path(
        "programs/<int:program_pk>/reports/",
        views.ReportStartView.as_view(),
        name="report-start",
    ),
    path("reports/<int:pk>/content/", views.ReportContentView.as_view(), name="report-content"),
    path(
        "reports/<int:pk>/evidence/",
        views.EvidenceUploadView.as_view(),
        name="report-evidence-upload",
    ),
    path(
        "reports/<int:pk>/evidence/<int:evidence_pk>/",
        views.EvidenceRemoveView.as_view(),
        name="report-evidence-remove",
    ),
    path("reports/<int:pk>/submit/", views.ReportSubmitView.as_view(), name="report-submit"),
    path("reports/<int:pk>/verify/", views.ReportVerifyView.as_view(), name="report-verify"),
    path("reports/<int:pk>/return/", views.ReportReturnView.as_view(), name="report-return"),
]
