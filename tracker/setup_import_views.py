"""Pages of the setup workbook: download the template, upload it, see the preview, confirm.

Only who sets up a government's units and manages its accounts (its
Administrator, or a superuser who first picks the government) may use them;
anyone else gets 403. The uploaded file waits between preview and confirmation
(``tracker.pending_upload.PendingUpload``); the confirmation reads it again and
checks it against the government as it is then (``tracker.setup_workbook``).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tracker import accounts, policy
from tracker.models import Unit
from tracker.new_records import choose_government, government_for_new
from tracker.pending_upload import PendingUpload
from tracker.setup_apply import SetupRefused, apply_setup
from tracker.setup_workbook import preview_setup, template_workbook
from tracker.workbook_io import MAX_UPLOAD_BYTES, xlsx_response

PENDING = PendingUpload("setup_import", "setup-impor")


class WorkbookForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Workbook (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": round(upload.size / 1_000_000, 1),
                    "limit": round(MAX_UPLOAD_BYTES / 1_000_000, 1),
                }
            )
        return upload


def _check_sets_up(user):
    if not (policy.can_change(user, Unit) and accounts.manages_accounts(user)):
        raise PermissionDenied


def _page_url(government):
    return f"{reverse('setup-import')}?government={government.pk}"


def _render_preview(request, government, preview, token=None):
    return render(
        request,
        "tracker/setup_import_preview.html",
        {
            "government": government,
            "preview": preview,
            "token": token,
            "form": WorkbookForm(),
        },
    )


@login_required
@require_GET
def setup_template(request):
    """The empty setup workbook, with the government's units for reference."""
    _check_sets_up(request.user)
    government = government_for_new(request)
    if government is None:
        return choose_government(request, _("Set up by workbook"))
    name = f"penyiapan-{government.region_code}.xlsx".replace(" ", "")
    return xlsx_response(template_workbook(government), name)


@login_required
def setup_import(request):
    """Upload a filled setup workbook: the answer is the preview of what it would create."""
    _check_sets_up(request.user)
    government = government_for_new(request)
    if government is None:
        return choose_government(request, _("Set up by workbook"))
    form = WorkbookForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        preview, token = PENDING.read_upload(
            request,
            form.cleaned_data["file"],
            "penyiapan.xlsx",
            lambda content, name: preview_setup(government, content, name),
            government=government.pk,
        )
        return _render_preview(request, government, preview, token)
    return render(
        request,
        "tracker/setup_import_form.html",
        {"government": government, "form": form},
    )


@login_required
@require_POST
def setup_import_apply(request):
    """Create everything the previewed workbook holds in one transaction, or cancel."""
    _check_sets_up(request.user)
    government = government_for_new(request)
    if government is None:
        raise PermissionDenied

    def apply(content, name, fingerprint):
        return apply_setup(
            government,
            content,
            name,
            actor=request.user,
            request_or_site_url=request,
            fingerprint=fingerprint,
        )

    try:
        preview, pending, answer = PENDING.apply(
            request, _page_url(government), apply, government=government.pk
        )
    except SetupRefused as refused:
        if refused.stale:
            messages.warning(
                request,
                _("The government changed since your preview. Upload the file again."),
            )
        return _render_preview(request, government, refused.preview)
    if answer is not None:
        return answer
    counts = {sheet.key: len(items) for sheet, items in preview.sheets()}
    messages.success(
        request,
        _(
            "The workbook %(file)s was imported: %(units)s units, %(officials)s officials "
            "and %(accounts)s accounts created."
        )
        % {"file": pending["name"], **counts},
    )
    if counts["accounts"]:
        messages.info(request, _("Each new account was sent an email to set its password."))
    return redirect("unit-list")
