"""The plan's Excel pages: export, the empty template, and the import (upload, preview,
apply).

Between the preview and the confirmation the uploaded file waits in the
default storage under a random name that only the server knows: the session
holds the name's token together with the plan, the user and the preview's
fingerprint, and the confirmation form sends nothing but the token, which
must match. The file is read again and compared with the plan as it is then;
if the plan changed in between, the new preview is shown instead.
"""

import hmac
import re
import secrets
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from programs.selectors import plans_visible_to
from rpjmd.export import export_workbook, template_workbook
from rpjmd.forms import ImportForm, import_max_bytes
from rpjmd.importer import ImportRefused, apply_import, preview_import
from rpjmd.views import changeable_plan
from tracker.workbook_io import XLSX_CONTENT_TYPE

SESSION_KEY = "rpjmd_import"
UPLOAD_DIR = "rpjmd-impor"
# Files of previews nobody confirmed are removed after this long.
UPLOAD_MAX_AGE = timedelta(days=1)
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _xlsx_response(content, name):
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_stem(plan):
    return f"rpjmd-{plan.government.region_code}-{plan.period}".replace(".", "")


@login_required
@require_GET
def plan_export(request, pk):
    """The whole plan as a workbook, for everyone who reads the plan."""
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    return _xlsx_response(export_workbook(plan), f"{_file_stem(plan)}.xlsx")


@login_required
@require_GET
def plan_template(request, pk):
    """The empty workbook to fill in, with the instructions and the unit codes."""
    plan = changeable_plan(request.user, pk)
    return _xlsx_response(template_workbook(plan), f"{_file_stem(plan)}-templat.xlsx")


def _path(token):
    return f"{UPLOAD_DIR}/{token}.xlsx"


def _sweep():
    """Remove files of previews that were never confirmed or cancelled."""
    try:
        _dirs, files = default_storage.listdir(UPLOAD_DIR)
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - UPLOAD_MAX_AGE
    for name in files:
        path = f"{UPLOAD_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue


def _forget(request):
    """Drop this session's waiting upload, file included."""
    pending = request.session.pop(SESSION_KEY, None)
    if pending and _TOKEN.match(pending.get("token", "")):
        default_storage.delete(_path(pending["token"]))


def _pending(request, plan):
    """The session's waiting upload for ``plan`` whose token the form sent, or ``None``."""
    pending = request.session.get(SESSION_KEY)
    sent = request.POST.get("token", "")
    if (
        not pending
        or pending.get("plan") != plan.pk
        or pending.get("user") != request.user.pk
        or not _TOKEN.match(pending.get("token", ""))
        or not hmac.compare_digest(pending["token"], sent)
    ):
        return None
    return pending


def _upload_name(upload):
    """The uploaded file's own name (no folders), as the history's reason shows it."""
    name = re.split(r"[\\/]", upload.name or "")[-1].strip()
    return name[:100] or "rpjmd.xlsx"


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
        upload = form.cleaned_data["file"]
        content = upload.read()
        name = _upload_name(upload)
        preview = preview_import(plan, content, name)
        _forget(request)
        token = None
        if preview.is_valid and preview.has_changes:
            _sweep()
            token = secrets.token_hex(16)
            default_storage.save(_path(token), ContentFile(content))
            request.session[SESSION_KEY] = {
                "token": token,
                "plan": plan.pk,
                "user": request.user.pk,
                "name": name,
                "fingerprint": preview.fingerprint,
            }
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
    pending = _pending(request, plan)
    if pending is None:
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("rpjmd-import", pk=plan.pk)
    if request.POST.get("action") == "cancel":
        _forget(request)
        messages.info(request, _("The import was cancelled; nothing was changed."))
        return redirect("plan-detail", pk=plan.pk)
    try:
        with default_storage.open(_path(pending["token"]), "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        request.session.pop(SESSION_KEY, None)
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("rpjmd-import", pk=plan.pk)
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
            pending["fingerprint"] = refused.preview.fingerprint
            request.session[SESSION_KEY] = pending
            messages.warning(
                request,
                _("The plan changed since your preview. Check this new preview and confirm again."),
            )
            return _render_preview(request, plan, refused.preview, pending["token"])
        _forget(request)
        if refused.stale:
            messages.info(request, _("The plan already holds everything in this file."))
            return redirect("plan-detail", pk=plan.pk)
        return _render_preview(request, plan, refused.preview)
    _forget(request)
    messages.success(
        request,
        _("The workbook %(file)s was imported: %(created)s added, %(changed)s changed.")
        % {"file": pending["name"], "created": preview.created, "changed": preview.changed},
    )
    return redirect("plan-detail", pk=plan.pk)
