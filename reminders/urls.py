from django.urls import path

from reminders import views

urlpatterns = [
    path("hari-libur/", views.leave_day_list, name="leave-day-list"),
    path("hari-libur/tambah/", views.leave_day_create, name="leave-day-create"),
    path("hari-libur/<int:pk>/hapus/", views.leave_day_delete, name="leave-day-delete"),
    path(
        "periode/<int:pk>/perpanjangan/",
        views.extension_list,
        name="deadline-extension-list",
    ),
]
