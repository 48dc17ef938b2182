from django.urls import path

from commitments import views

urlpatterns = [
    path("komitmen/", views.CommitmentListView.as_view(), name="commitment-list"),
    path("komitmen/baru/", views.commitment_create, name="commitment-create"),
    path("komitmen/<int:pk>/", views.commitment_detail, name="commitment-detail"),
    path("komitmen/<int:pk>/ubah/", views.commitment_edit, name="commitment-edit"),
    path(
        "komitmen/<int:pk>/status/<str:action>/",
        views.commitment_transition,
        name="commitment-transition",
    ),
    path("komitmen/<int:pk>/buka-kembali/", views.commitment_reopen, name="commitment-reopen"),
    path(
        "komitmen/<int:pk>/penandatanganan/",
        views.signing_event,
        name="commitment-signing-event",
    ),
    path(
        "komitmen/<int:pk>/tanda-tangan/<int:signature_pk>/cabut/",
        views.signature_revoke,
        name="signature-revoke",
    ),
    path(
        "komitmen/<int:pk>/tanda-tangan/<int:signature_pk>/bukti/",
        views.signature_evidence,
        name="signature-evidence",
    ),
    path("komitmen/<int:pk>/dokumen/", views.commitment_scan, name="commitment-scan"),
    path("komitmen/<int:pk>/penandatangan.csv", views.signatories_csv, name="commitment-csv"),
    path("komitmen/<int:pk>/riwayat/", views.commitment_history, name="commitment-history"),
]
