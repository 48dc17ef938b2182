"""The public transparency page of each government, its open data, and the pages
where the government decides what is public."""

from django.urls import path

from transparency import manage_views, views

urlpatterns = [
    path("transparansi/atur/", manage_views.page_settings, name="transparency-settings"),
    path("transparansi/laporan/", manage_views.report_list, name="transparency-reports"),
    path(
        "transparansi/laporan/<int:pk>/<str:action>/",
        manage_views.report_publication,
        name="transparency-report-publication",
    ),
    # Public, no login: region codes look like "36.72".
    path("publik/<str:region_code>/", views.public_page, name="public-page"),
    path(
        "publik/<str:region_code>/laporan/<str:code>.pdf",
        views.public_report,
        name="public-report",
    ),
    path("publik/<str:region_code>/data.csv", views.open_data_csv, name="public-data-csv"),
    path("publik/<str:region_code>/data.json", views.open_data_json, name="public-data-json"),
    path("publik/<str:region_code>/kamus-data/", views.data_dictionary, name="public-dictionary"),
]
