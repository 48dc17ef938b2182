"""The REST API (/api/v1/): read endpoints and tokens (``read_urls``), the quarterly
report workflow (``report_urls``)."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("api.read_urls")),
    path("", include("api.report_urls")),
]
