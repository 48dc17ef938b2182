"""The unit's side of a quarterly report: its form (cards on a phone, a table on a
desktop) and its evidence files. Bappeda's side (the report page, its workflow
buttons and the verification queue) is in ``review_views.py``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from programs import evidence, reporting, selectors
from programs.forms import ProgressReportForm
from programs.models import ProgressReport
from programs.report_form_values import form_values
from tracker import policy
from tracker.forms import add_service_errors, parse_id
from tracker.uploads import download_response, sha256_of


def _report_form_context(program, period, report):
    initial, kwargs, _previous, _targets = form_values(program, period, report)
    return initial, kwargs


@login_required
def report_edit(request, program_pk, period_pk):
    """A unit writes (or fixes) its program's report for a quarter, and may send it."""
    user = request.user
    program = get_object_or_404(selectors.programs_visible_to(user), pk=program_pk)
    period = get_object_or_404(
        selectors.periods_of(user), pk=period_pk, government_id=program.commitment.government_id
    )
    report = ProgressReport.objects.filter(program=program, period=period).first()
    if not policy.can_change(user, report or ProgressReport(program=program, period=period)):
        raise PermissionDenied
    if not selectors.is_active_in(program, period):
        # Not started yet, ended, or stopped before the quarter: no report is due for it.
        messages.error(
            request,
            _("“%(program)s” does not run in %(period)s; there is no report to write for it.")
            % {"program": program, "period": period},
        )
        return redirect("program-detail", pk=program.pk)
    if report is not None and not report.is_editable:
        messages.info(request, _("This report was already sent; it can no longer be edited."))
        return redirect("report-detail", pk=report.pk)
    if period.is_locked:
        messages.error(request, _("The period is locked; nothing can be changed in it."))
        return redirect("program-detail", pk=program.pk)
    initial, kwargs = _report_form_context(program, period, report)
    form = ProgressReportForm(
        request.POST or None, request.FILES or None, initial=initial, **kwargs
    )
    conflict = None
    if request.method == "POST":
        valid = form.is_valid()
        # The files chosen this time, if they are acceptable evidence: kept when
        # nothing is saved, so they need not be chosen again.
        chosen = form.cleaned_data.get("evidence") or []
        remove = parse_id(request.POST.get("remove_pending", ""))
        if remove is not None:
            _remove_pending(request, program, period, remove)
        elif valid:
            try:
                report = _save(request, form, program, period, report)
            except reporting.ReportAlreadyStarted as error:
                # The same first save sent twice (a double click): the first one saved it.
                messages.info(
                    request,
                    _(
                        "This report had just been saved (the form was probably sent twice). "
                        "Here it is: check it before changing it again."
                    ),
                )
                return redirect("report-detail", pk=error.report.pk)
            except reporting.StaleReportError as error:
                conflict = _conflict(error.report, form)
                form = ProgressReportForm(
                    {**request.POST.dict(), "version": error.report.version},
                    initial=initial,
                    **kwargs,
                )
                form.is_valid()
                form.add_error(None, error.messages[0])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if "send" in request.POST:
                    messages.success(request, _("The report was sent to Bappeda for verification."))
                else:
                    messages.success(request, _("The report was saved as a draft."))
                return redirect("report-detail", pk=report.pk)
        if chosen and "evidence" not in form.errors:
            _keep_chosen(request, form, program, period, chosen)
    form.mark_invalid()
    return render(
        request,
        "programs/report_form.html",
        {
            "program": program,
            "period": period,
            "report": report,
            "form": form,
            "conflict": conflict,
            "pending": evidence.pending_evidence_of(user, program, period),
            "kept_days": settings.KEPT_EVIDENCE_DAYS,
        },
    )


def _save(request, form, program, period, report):
    """Save (and with "send", submit) what the form holds, with the files it carries and
    those kept from an earlier try; all or nothing."""
    user, data = request.user, form.cleaned_data
    pending = list(evidence.pending_evidence_of(user, program, period))
    kept = {item.sha256 for item in pending}
    # A kept file chosen once more is attached once.
    uploads = [upload for upload in data.get("evidence") or [] if sha256_of(upload) not in kept]
    with transaction.atomic():
        if report is None:
            report = reporting.start_report(program, period, actor=user, new_only=True)
        report = reporting.save_report(
            report,
            actor=user,
            expected_version=data["version"],
            evidence=uploads,
            pending=pending,
            **form.report_values(),
        )
        if "send" in request.POST:
            reporting.submit_report(report, actor=user)
    return report


def _keep_chosen(request, form, program, period, chosen):
    """Keep the files chosen on a form that was not saved, for the next save."""
    try:
        kept = evidence.keep_pending_evidence(program, period, chosen, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            form.add_error("evidence", message)
        return
    if kept:
        messages.info(
            request,
            ngettext(
                "The file you chose is kept; it is attached when the report is saved.",
                "The %(count)d files you chose are kept; they are attached when the report "
                "is saved.",
                len(kept),
            )
            % {"count": len(kept)},
        )


def _remove_pending(request, program, period, pk):
    """Drop one kept file (the form's "Remove" button); nothing else is saved."""
    item = get_object_or_404(evidence.pending_evidence_of(request.user, program, period), pk=pk)
    evidence.remove_pending_evidence(item, actor=request.user)
    messages.success(
        request,
        _("%(file)s was removed from the kept files. Nothing else was saved yet.") % {"file": item},
    )


def _conflict(current, form):
    """What the other person saved, next to what this user typed (for the conflict message)."""
    rows = []
    for row in current.milestone_rows.select_related("milestone"):
        mine = form.cleaned_data.get(f"milestone_{row.milestone_id}")
        if mine is not None and mine != row.percent:
            rows.append((row.milestone.title, row.percent, mine))
    for name, label in (
        ("budget_realisation", _("Budget realisation")),
        ("supporting_factors", _("Supporting factors")),
        ("obstacles", _("Obstacles")),
        ("follow_up", _("Follow-up in the next quarter")),
        ("follow_up_next_plan", _("Follow-up in the next Renja")),
    ):
        theirs = getattr(current, name)
        mine = form.cleaned_data.get(name)
        if (mine or None) != (theirs or None):
            rows.append((label, theirs, mine))
    last = current.history.select_related("history_user").order_by("-history_id").first()
    return {"rows": rows, "by": last.history_user if last else None, "at": last.history_date}


def _visible_report(user, pk):
    return get_object_or_404(
        policy.visible(
            user,
            ProgressReport.objects.select_related(
                "program", "program__owner_unit", "period", "verified_by"
            ),
        ),
        pk=pk,
    )


@login_required
def report_evidence(request, pk, evidence_pk):
    report = _visible_report(request.user, pk)
    item = get_object_or_404(report.evidence, pk=evidence_pk)
    return download_response(item.file)


@login_required
@require_POST
def report_evidence_remove(request, pk, evidence_pk):
    """Remove one evidence file from a draft or returned report (the unit's writers only);
    the report's history keeps a "removed" row with the actor."""
    report = _visible_report(request.user, pk)
    item = get_object_or_404(report.evidence, pk=evidence_pk)
    try:
        reporting.remove_evidence(item, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(file)s was removed from the report.") % {"file": item})
    return redirect("report-edit", program_pk=report.program_id, period_pk=report.period_id)
