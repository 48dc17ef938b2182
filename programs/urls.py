from django.urls import path

from programs import (
    period_views,
    program_views,
    progress_workbook_views,
    report_views,
    review_views,
    scheme_views,
    views,
)

urlpatterns = [
    path("rpjmd/", views.PlanListView.as_view(), name="plan-list"),
    path("rpjmd/<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("rpjmd/indikator/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
]

urlpatterns += [
    path("skema-klasifikasi/", scheme_views.scheme_list, name="scheme-list"),
    path("skema-klasifikasi/baru/", scheme_views.scheme_create, name="scheme-create"),
    path("skema-klasifikasi/<int:pk>/", scheme_views.scheme_detail, name="scheme-detail"),
    path("skema-klasifikasi/<int:pk>/ubah/", scheme_views.scheme_edit, name="scheme-edit"),
]

urlpatterns += [
    path("tugas-saya/", views.my_tasks, name="my-tasks"),
    path(
        "tugas-saya/buku-kerja/<int:period_pk>/",
        progress_workbook_views.progress_workbook_upload,
        name="progress-workbook",
    ),
    path(
        "tugas-saya/buku-kerja/<int:period_pk>/unduh/",
        progress_workbook_views.progress_workbook_download,
        name="progress-workbook-download",
    ),
    path(
        "tugas-saya/buku-kerja/<int:period_pk>/simpan/",
        progress_workbook_views.progress_workbook_apply,
        name="progress-workbook-apply",
    ),
    path("program/", views.ProgramListView.as_view(), name="program-list"),
    path("program/<int:pk>/", views.program_detail, name="program-detail"),
    path("program/baru/", program_views.program_create, name="program-create"),
    path("program/<int:pk>/ubah/", program_views.program_edit, name="program-edit"),
    path(
        "program/<int:pk>/milestone/", program_views.program_milestones, name="program-milestones"
    ),
    path("program/<int:pk>/pemilik/", program_views.program_owner, name="program-owner"),
    path("program/<int:pk>/status/", program_views.program_state, name="program-state"),
    path(
        "program/<int:program_pk>/laporan/<int:period_pk>/",
        report_views.report_edit,
        name="report-edit",
    ),
    path("laporan/<int:pk>/", review_views.report_detail, name="report-detail"),
    path("laporan/<int:pk>/kirim/", review_views.report_submit, name="report-submit"),
    path("laporan/<int:pk>/verifikasi/", review_views.report_verify, name="report-verify"),
    path("laporan/<int:pk>/kembalikan/", review_views.report_return, name="report-return"),
    path(
        "laporan/<int:pk>/bukti/<int:evidence_pk>/",
        report_views.report_evidence,
        name="report-evidence",
    ),
    path(
        "laporan/<int:pk>/bukti/<int:evidence_pk>/hapus/",
        report_views.report_evidence_remove,
        name="report-evidence-remove",
    ),
    path("antrean-verifikasi/", review_views.verification_queue, name="verification-queue"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/terlambat/", views.late_milestones, name="late-milestones"),
    path("periode/", period_views.periods, name="period-list"),
    path("periode/<int:pk>/kunci/", period_views.period_lock, name="period-lock"),
]
