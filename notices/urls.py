from django.urls import path

from notices import views

urlpatterns = [
    path("pemberitahuan/", views.notice_list, name="notice-list"),
    path("pemberitahuan/<int:pk>/buka/", views.notice_open, name="notice-open"),
    path("pemberitahuan/<int:pk>/dibaca/", views.notice_read, name="notice-read"),
    path("pemberitahuan/semua-dibaca/", views.notice_read_all, name="notice-read-all"),
    path("pemberitahuan/pengaturan/", views.notice_settings, name="notice-settings"),
]
