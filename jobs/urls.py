from django.urls import path

from jobs import views

urlpatterns = [
    path("pekerjaan/<int:pk>/", views.job_detail, name="job-detail"),
    path("pekerjaan/<int:pk>/status/", views.job_status, name="job-status"),
    path("pekerjaan/<int:pk>/ulangi/", views.job_retry, name="job-retry"),
    path("pekerjaan/<int:pk>/unduh/", views.job_download, name="job-download"),
]
