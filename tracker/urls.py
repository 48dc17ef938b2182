"""Root URLconf: the core pages, each app's pages, auth and two-factor sign-in, language
switch, admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tracker import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("akun/masuk/", auth_views.LoginView.as_view(), name="login"),
    path("akun/keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/", views.account_view, name="account"),
    path("akun/dua-langkah/", views.two_factor_verify, name="two-factor-verify"),
    path("akun/dua-langkah/atur/", views.two_factor_setup, name="two-factor-setup"),
    path("akun/dua-langkah/hapus/", views.two_factor_remove, name="two-factor-remove"),
    path("bahasa/", include("django.conf.urls.i18n")),
    path("unit-kerja/", views.UnitListView.as_view(), name="unit-list"),
    path("unit-kerja/<int:pk>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path("pejabat/", views.OfficialListView.as_view(), name="official-list"),
    path("pejabat/<int:pk>/", views.OfficialDetailView.as_view(), name="official-detail"),
    path(
        "riwayat/<str:app_label>/<str:model_name>/<int:pk>/",
        views.history_view,
        name="history",
    ),
    path("", include("commitments.urls")),
    path("", include("programs.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
]
