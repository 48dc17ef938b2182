from django.urls import path

from reports import views

urlpatterns = [
    path("laporan-triwulan/", views.report_list, name="report-list"),
    path("laporan-triwulan/<int:pk>/unduh/", views.report_download, name="report-download"),
    # Public: anyone holding a printed report checks it here, without an account.
    path("verifikasi/<str:code>/", views.verify_public, name="report-verify-public"),
]
