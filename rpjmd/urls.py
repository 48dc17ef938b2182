"""Pages that change the RPJMD plan, and its Excel workbook. The read-only plan pages
are ``programs.urls`` (``plan-list``, ``plan-detail``, ``indicator-detail``)."""

from django.urls import path

from rpjmd import import_views, program_target_views, views

urlpatterns = [
    path("rpjmd/baru/", views.plan_create, name="rpjmd-plan-create"),
    path("rpjmd/<int:pk>/ubah/", views.plan_edit, name="rpjmd-plan-edit"),
    path("rpjmd/<int:pk>/hapus/", views.plan_delete, name="rpjmd-plan-delete"),
    path("rpjmd/<int:pk>/ekspor.xlsx", import_views.plan_export, name="rpjmd-export"),
    path("rpjmd/<int:pk>/templat.xlsx", import_views.plan_template, name="rpjmd-template"),
    path("rpjmd/<int:pk>/impor/", import_views.plan_import, name="rpjmd-import"),
    path(
        "rpjmd/<int:pk>/impor/terapkan/",
        import_views.plan_import_apply,
        name="rpjmd-import-apply",
    ),
    path(
        "rpjmd/indikator/<int:pk>/target/",
        views.indicator_targets,
        name="rpjmd-indicator-targets",
    ),
    # A program's own targets (Renstra/Renja), and the government's targets workbook.
    path(
        "program/<int:pk>/target/",
        program_target_views.program_targets_edit,
        name="program-targets",
    ),
    path(
        "target-program/templat.xlsx",
        program_target_views.program_targets_template,
        name="program-targets-template",
    ),
    path(
        "target-program/impor/",
        program_target_views.program_targets_import,
        name="program-targets-import",
    ),
    path(
        "target-program/impor/terapkan/",
        program_target_views.program_targets_import_apply,
        name="program-targets-import-apply",
    ),
]

# Add (under the plan), edit and delete each node: /rpjmd/<plan>/<segment>/tambah/,
# /rpjmd/<segment>/<id>/ubah/ and /rpjmd/<segment>/<id>/hapus/.
for kind, segment in (
    ("mission", "misi"),
    ("goal", "tujuan"),
    ("objective", "sasaran"),
    ("plan_program", "program"),
    ("indicator", "indikator"),
):
    name = kind.replace("_", "-")
    urlpatterns += [
        path(
            f"rpjmd/<int:pk>/{segment}/tambah/",
            views.node_add,
            {"kind": kind},
            name=f"rpjmd-{name}-add",
        ),
        path(
            f"rpjmd/{segment}/<int:pk>/ubah/",
            views.node_edit,
            {"kind": kind},
            name=f"rpjmd-{name}-edit",
        ),
        path(
            f"rpjmd/{segment}/<int:pk>/hapus/",
            views.node_delete,
            {"kind": kind},
            name=f"rpjmd-{name}-delete",
        ),
    ]
