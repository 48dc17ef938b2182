from django.urls import path

from conversations import views

urlpatterns = [
    path("laporan/<int:pk>/percakapan/", views.report_conversation, name="report-conversation"),
]
