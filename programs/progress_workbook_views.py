"""Pages of a unit's quarterly progress workbook: download it pre-filled, upload it, see
the preview, confirm (every changed program's report saved as a draft).

Only a unit's head or operator uses them (anyone else: 403), for a quarter of
their own government (another's: 404). The programs are the unit's, as they
are at each request (``progress_workbook.unit_programs``); the upload waits
between preview and confirmation (``tracker.pending_upload.PendingUpload``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from programs import selectors
from programs.progress_workbook import (
    ProgressRefused,
    apply_progress,
    preview_progress,
    progress_workbook,
    unit_programs,
)
from tracker import policy
from tracker.models import Unit
from tracker.pending_upload import PendingUpload
from tracker.setup_import_views import WorkbookForm
from tracker.workbook_io import xlsx_response

PENDING = PendingUpload("progress_workbook", "progres-impor")


def _unit_and_period(request, period_pk):
    """The user's unit and the chosen quarter; 403 for anyone but a unit's member."""
    actor = policy.actor_for(request.user)
    if actor.role not in policy.UNIT_ROLES or actor.unit_id is None:
        raise PermissionDenied
    period = get_object_or_404(selectors.periods_of(request.user), pk=period_pk)
    return Unit.objects.get(pk=actor.unit_id), period


def _page(request, unit, period, programs, **context):
    return render(
        request,
        "programs/progress_workbook_form.html",
        {
            "unit": unit,
            "period": period,
            "programs": programs,
            "form": context.pop("form", WorkbookForm()),
            **context,
        },
    )


@login_required
@require_GET
def progress_workbook_download(request, period_pk):
    """The unit's pre-filled workbook for the quarter."""
    unit, period = _unit_and_period(request, period_pk)
    programs = unit_programs(unit.pk, period)
    name = f"progres-{unit.code}-{period.year}-tw{period.quarter}.xlsx".replace(" ", "")
    return xlsx_response(progress_workbook(unit, period, programs), name)


@login_required
def progress_workbook_upload(request, period_pk):
    """The page to download and upload; an upload answers with the preview."""
    unit, period = _unit_and_period(request, period_pk)
    programs = unit_programs(unit.pk, period)
    if period.is_locked:
        messages.error(request, _("The period is locked; nothing can be changed in it."))
        return _page(request, unit, period, [], locked=True)
    form = WorkbookForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        preview, token = PENDING.read_upload(
            request,
            form.cleaned_data["file"],
            "progres.xlsx",
            lambda content, name: preview_progress(period, programs, content, name),
            period=period.pk,
        )
        return render(
            request,
            "programs/progress_workbook_preview.html",
            {"unit": unit, "period": period, "preview": preview, "token": token, "form": form},
        )
    return _page(request, unit, period, programs, form=form)


@login_required
@require_POST
def progress_workbook_apply(request, period_pk):
    """Save the previewed workbook's reports as drafts, or cancel."""
    unit, period = _unit_and_period(request, period_pk)
    page = reverse("progress-workbook", args=[period.pk])
    content, pending, answer = PENDING.take(request, page, period=period.pk)
    if answer is not None:
        return answer
    try:
        preview = apply_progress(
            period,
            unit_programs(unit.pk, period),
            content,
            pending["name"],
            actor=request.user,
            fingerprint=pending["fingerprint"],
            confirmed=bool(request.POST.get("confirm_unusual")),
        )
    except ProgressRefused as refused:
        if refused.unconfirmed:
            messages.error(
                request,
                _("Some numbers are far off the previous quarter: check them and tick the box."),
            )
            return render(
                request,
                "programs/progress_workbook_preview.html",
                {
                    "unit": unit,
                    "period": period,
                    "preview": refused.preview,
                    "token": pending["token"],
                    "form": WorkbookForm(),
                },
            )
        PENDING.forget(request)
        if refused.stale:
            messages.warning(
                request, _("A report changed since your preview. Upload the file again.")
            )
            return redirect(page)
        return render(
            request,
            "programs/progress_workbook_preview.html",
            {"unit": unit, "period": period, "preview": refused.preview, "form": WorkbookForm()},
        )
    PENDING.forget(request)
    messages.success(
        request,
        ngettext(
            "%(count)s report was saved as a draft. Open it, check it and send it to Bappeda.",
            "%(count)s reports were saved as drafts. Open each one, check it and send it "
            "to Bappeda.",
            len(preview.items),
        )
        % {"count": len(preview.items)},
    )
    return redirect(f"{reverse('my-tasks')}?periode={period.pk}")
