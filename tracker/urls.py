"""Root URLconf: the core pages, each app's pages, auth and two-factor sign-in, language
switch, admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sitesearch import views as site_search
from tracker import account_views, health, organisation_views, setup_import_views, views
from tracker.forms import LoginForm

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    # For load balancers and monitors (tracker/health.py): no login, no session.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("akun/masuk/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("akun/keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/", views.account_view, name="account"),
    path("akun/dua-langkah/", views.two_factor_verify, name="two-factor-verify"),
    path("akun/dua-langkah/atur/", views.two_factor_setup, name="two-factor-setup"),
    path("akun/dua-langkah/hapus/", views.two_factor_remove, name="two-factor-remove"),
    path(
        "akun/kata-sandi/",
        account_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("akun/email/", account_views.email_change, name="account-email"),
    path("akun/token-api/", include("api.token_urls")),
    # "Forgot password?" (Django's names, which its views and emails expect). An
    # invitation's link is a password_reset_confirm link too.
    path("akun/lupa-kata-sandi/", account_views.password_reset, name="password_reset"),
    path(
        "akun/lupa-kata-sandi/terkirim/",
        account_views.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "akun/atur-kata-sandi/selesai/",
        account_views.password_reset_complete,
        name="password_reset_complete",
    ),
    path(
        "akun/atur-kata-sandi/<uidb64>/<token>/",
        account_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("bahasa/", include("django.conf.urls.i18n")),
    path("cari/", site_search.search, name="search"),
    path("unit-kerja/", views.UnitListView.as_view(), name="unit-list"),
    path("unit-kerja/baru/", organisation_views.unit_create, name="unit-create"),
    path("unit-kerja/<int:pk>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path("unit-kerja/<int:pk>/ubah/", organisation_views.unit_edit, name="unit-edit"),
    path(
        "unit-kerja/<int:pk>/nonaktifkan/",
        organisation_views.unit_set_active,
        {"active": False},
        name="unit-deactivate",
    ),
    path(
        "unit-kerja/<int:pk>/aktifkan/",
        organisation_views.unit_set_active,
        {"active": True},
        name="unit-reactivate",
    ),
    path("pejabat/", views.OfficialListView.as_view(), name="official-list"),
    path("pejabat/baru/", organisation_views.official_create, name="official-create"),
    path("pejabat/<int:pk>/", views.OfficialDetailView.as_view(), name="official-detail"),
    path("pejabat/<int:pk>/ubah/", organisation_views.official_edit, name="official-edit"),
    path("pejabat/<int:pk>/akhiri/", organisation_views.official_end, name="official-end"),
    path("pengguna/", account_views.UserListView.as_view(), name="user-list"),
    path("pengguna/baru/", account_views.user_create, name="user-create"),
    path("pengguna/<int:pk>/", account_views.user_detail, name="user-detail"),
    path("pengguna/<int:pk>/ubah/", account_views.user_edit, name="user-edit"),
    path(
        "pengguna/<int:pk>/nonaktifkan/",
        account_views.user_set_active,
        {"active": False},
        name="user-deactivate",
    ),
    path(
        "pengguna/<int:pk>/aktifkan/",
        account_views.user_set_active,
        {"active": True},
        name="user-reactivate",
    ),
    path(
        "pengguna/<int:pk>/undangan/",
        account_views.user_invite_resend,
        name="user-invite-resend",
    ),
    path("pemerintah/baru/", organisation_views.government_create, name="government-create"),
    path("penyiapan/", setup_import_views.setup_import, name="setup-import"),
    path("penyiapan/templat/", setup_import_views.setup_template, name="setup-template"),
    path("penyiapan/terapkan/", setup_import_views.setup_import_apply, name="setup-import-apply"),
    path(
        "riwayat/<str:app_label>/<str:model_name>/<int:pk>/",
        views.history_view,
        name="history",
    ),
    path("", include("commitments.urls")),
    path("", include("programs.urls")),
    path("", include("reports.urls")),
    path("", include("rpjmd.urls")),
    path("", include("jobs.urls")),
    path("", include("reminders.urls")),
    path("", include("notices.urls")),
    path("", include("conversations.urls")),
    path("", include("programs.review_urls")),
    path("api/v1/", include("api.urls")),
    path("", include("transparency.urls")),
    path("admin/", admin.site.urls),
]
