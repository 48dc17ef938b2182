"""The plan's Excel pages: export, the empty template, and the import (upload, preview,
apply).

Between the preview and the confirmation the uploaded file waits
(``tracker.pending_upload.PendingUpload``) with the plan, the user and the
preview's fingerprint; the confirmation form sends nothing but the token, which
must match. The file is read again and compared with the plan as it is then;
if the plan changed in between, the new preview is shown instead.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from programs.selectors import plans_visible_to
from rpjmd.export import export_workbook, template_workbook
from rpjmd.forms import ImportForm, import_max_bytes
from rpjmd.importer import ImportRefused, apply_import, preview_import
from rpjmd.views import changeable_plan
from tracker.pending_upload import PendingUpload
from tracker.workbook_io import xlsx_response

SESSION_KEY = "rpjmd_import"
UPLOAD_DIR = "rpjmd-impor"
PENDING = PendingUpload(SESSION_KEY, UPLOAD_DIR)


def _file_stem(plan):
    return f"rpjmd-{plan.government.region_code}-{plan.period}".replace(".", "")


@login_required
@require_GET
def plan_export(request, pk):
    """The whole plan as a workbook, for everyone who reads the plan."""
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    return xlsx_response(export_workbook(plan), f"{_file_stem(plan)}.xlsx")


@login_required
@require_GET
def plan_template(request, pk):
    """The empty workbook to fill in, with the instructions and the unit codes."""
    plan = changeable_plan(request.user, pk)
    return xlsx_response(template_workbook(plan), f"{_file_stem(plan)}-templat.xlsx")


def _render_preview(request, plan, preview, token=None):
    return render(
        request,
        "rpjmd/import_preview.html",
        {
            "plan": plan,
            "preview": preview,
            "sheets": preview.sheets(),
            "token": token,
            "form": ImportForm(),
            "limit_mb": round(import_max_bytes() / 1_000_000, 1),
        },
    )


@login_required
def plan_import(request, pk):
    """Upload a workbook: the answer is the preview of what importing it would do."""
    plan = changeable_plan(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        preview, token = PENDING.read_upload(
            request,
            form.cleaned_data["file"],
            "rpjmd.xlsx",
            lambda content, name: preview_import(plan, content, name),
            when=lambda preview: preview.has_changes,
            plan=plan.pk,
        )
        return _render_preview(request, plan, preview, token)
    return render(
        request,
        "rpjmd/import_form.html",
        {"plan": plan, "form": form, "limit_mb": round(import_max_bytes() / 1_000_000, 1)},
    )


@login_required
@require_POST
def plan_import_apply(request, pk):
    """Apply the previewed workbook in one transaction, or cancel it."""
    plan = changeable_plan(request.user, pk)
    content, pending, answer = PENDING.take(
        request,
        reverse("rpjmd-import", args=[plan.pk]),
        cancelled_to=reverse("plan-detail", args=[plan.pk]),
        plan=plan.pk,
    )
    if answer is not None:
        return answer
    try:
        preview = apply_import(
            plan,
            content,
            pending["name"],
            actor=request.user,
            fingerprint=pending["fingerprint"],
        )
    except ImportRefused as refused:
        if refused.stale and refused.preview.has_changes:
            request.session[PENDING.key] = {**pending, "fingerprint": refused.preview.fingerprint}
            messages.warning(
                request,
                _("The plan changed since your preview. Check this new preview and confirm again."),
            )
            return _render_preview(request, plan, refused.preview, pending["token"])
        PENDING.forget(request)
        if refused.stale:
            messages.info(request, _("The plan already holds everything in this file."))
            return redirect("plan-detail", pk=plan.pk)
        return _render_preview(request, plan, refused.preview)
    PENDING.forget(request)
    messages.success(
        request,
        _("The workbook %(file)s was imported: %(created)s added, %(changed)s changed.")
        % {"file": pending["name"], "created": preview.created, "changed": preview.changed},
    )
    return redirect("plan-detail", pk=plan.pk)
