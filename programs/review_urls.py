"""Addresses of the review page's own parts (the report page itself is in ``urls.py``)."""

from django.urls import path

from programs import review_views

urlpatterns = [
    path(
        "laporan/<int:pk>/bukti/<int:evidence_pk>/pratinjau/",
        review_views.report_evidence_preview,
        name="report-evidence-preview",
    ),
]
