"""Pages of the programs' own targets: a program's target page, and the government's
targets workbook (download pre-filled, upload, preview, confirm).

Whoever sets programs up sets their targets (``policy.can_change(user,
ProgramTarget)``: Bappeda and the superuser); anyone else who sees the program
gets 403, and a program they do not see is a 404. The workbook is of the
user's own government (a superuser picks one first); the upload waits between
preview and confirmation (``tracker.pending_upload.PendingUpload``) and is read
again, all or nothing, on confirmation.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from programs.selectors import programs_visible_to
from rpjmd import program_targets
from rpjmd.models import ProgramTarget
from rpjmd.program_target_forms import ProgramTargetsForm
from rpjmd.program_target_workbook import (
    TargetsRefused,
    apply_targets,
    preview_targets,
    template_workbook,
)
from tracker import policy
from tracker.new_records import choose_government, government_for_new
from tracker.pages import service_form_page
from tracker.pending_upload import PendingUpload
from tracker.setup_import_views import WorkbookForm
from tracker.workbook_io import xlsx_response

PENDING = PendingUpload("program_targets_import", "target-program-impor")


def _check_sets_targets(user):
    if not policy.can_change(user, ProgramTarget):
        raise PermissionDenied


@login_required
def program_targets_edit(request, pk):
    """A program's own target per linked RPJMD indicator and plan year, in one save."""
    user = request.user
    program = get_object_or_404(programs_visible_to(user), pk=pk)
    _check_sets_targets(user)
    indicators = list(
        program.indicators.select_related("plan").prefetch_related("targets").order_by("code")
    )
    form = ProgramTargetsForm(request.POST or None, program=program, indicators=indicators)

    def save(data):
        changed = program_targets.set_program_targets(
            program, actor=user, rows=form.targets(), reason=form.reason()
        )
        if changed:
            messages.success(request, _("The program's targets were saved."))
        else:
            messages.info(request, _("Nothing changed."))
        return redirect("program-detail", pk=program.pk)

    mismatches = program_targets.summed_mismatches(indicators)
    return service_form_page(
        request,
        form,
        save,
        "rpjmd/program_targets_form.html",
        {"program": program, "mismatches": [m.text() for m in mismatches]},
    )


def _government(request):
    """The government whose workbook this is, or the superuser's choice page."""
    _check_sets_targets(request.user)
    return government_for_new(request)


def _page_url(government):
    return f"{reverse('program-targets-import')}?government={government.pk}"


@login_required
@require_GET
def program_targets_template(request):
    """The workbook pre-filled with the government's programs and their indicators."""
    government = _government(request)
    if government is None:
        return choose_government(request, _("Program targets by workbook"))
    name = f"target-program-{government.region_code}.xlsx".replace(" ", "")
    return xlsx_response(template_workbook(government), name)


def _render_preview(request, government, preview, token=None):
    return render(
        request,
        "rpjmd/program_targets_preview.html",
        {"government": government, "preview": preview, "token": token, "form": WorkbookForm()},
    )


@login_required
def program_targets_import(request):
    """Upload a filled workbook: the answer is the preview of what it would change."""
    government = _government(request)
    if government is None:
        return choose_government(request, _("Program targets by workbook"))
    form = WorkbookForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        preview, token = PENDING.read_upload(
            request,
            form.cleaned_data["file"],
            "target-program.xlsx",
            lambda content, name: preview_targets(government, content, name),
            when=lambda preview: preview.has_changes,
            government=government.pk,
        )
        return _render_preview(request, government, preview, token)
    return render(
        request, "rpjmd/program_targets_import.html", {"government": government, "form": form}
    )


@login_required
@require_POST
def program_targets_import_apply(request):
    """Save every change of the previewed workbook in one transaction, or cancel."""
    government = _government(request)
    if government is None:
        raise PermissionDenied
    try:
        preview, pending, answer = PENDING.apply(
            request,
            _page_url(government),
            lambda content, name, fingerprint: apply_targets(
                government, content, name, actor=request.user, fingerprint=fingerprint
            ),
            government=government.pk,
        )
    except TargetsRefused as refused:
        if refused.stale:
            messages.warning(
                request, _("The targets changed since your preview. Upload the file again.")
            )
        return _render_preview(request, government, refused.preview)
    if answer is not None:
        return answer
    messages.success(
        request,
        ngettext(
            "The workbook %(file)s was imported: %(count)s target saved.",
            "The workbook %(file)s was imported: %(count)s targets saved.",
            len(preview.changes),
        )
        % {"file": pending["name"], "count": len(preview.changes)},
    )
    return redirect(_page_url(government))
