"""The unit's side of a quarterly report: its form (cards on a phone, a table on a
desktop) and its evidence files. Bappeda's side (the report page, its workflow
buttons and the verification queue) is in ``review_views.py``."""

from decimal import Decimal

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
from programs.models import IndicatorTarget, ProgressReport
from tracker import policy
from tracker.forms import add_service_errors, parse_id
from tracker.uploads import download_response, sha256_of


def _report_form_context(program, period, report):
    previous = reporting.previous_verified_percents(program, period)
    current = {}
    if report is not None:
        current = {r.milestone_id: r.percent for r in report.milestone_rows.all()}
        indicator_rows = {r.indicator_id: r for r in report.indicator_rows.all()}
        adoption_values = {r.indicator_id: r.value for r in report.adoption_rows.all()}
    else:
        indicator_rows, adoption_values = {}, {}
    milestones = list(program.milestones.all())
    indicators = list(program.indicators.all())
    targets = dict(
        IndicatorTarget.objects.filter(indicator__in=indicators, year=period.year).values_list(
            "indicator_id", "target"
        )
    )
    adoption = list(program.adoption_indicators.all())
    initial = {"version": report.version if report else 1}
    if report is not None:
        initial.update(
            budget_realisation=report.budget_realisation,
            supporting_factors=report.supporting_factors,
            obstacles=report.obstacles,
            follow_up=report.follow_up,
            follow_up_next_plan=report.follow_up_next_plan,
        )
    for m in milestones:
        initial[f"milestone_{m.pk}"] = current.get(m.pk, previous.get(m.pk, 0))
    for i in indicators:
        row = indicator_rows.get(i.pk)
        initial[f"indicator_{i.pk}"] = _in_places(row.value if row else None, i.decimal_places)
        initial[f"indicator_note_{i.pk}"] = row.note if row else ""
    for a in adoption:
        initial[f"adoption_{a.pk}"] = adoption_values.get(a.pk)
    kwargs = {
        "milestones": [(m, previous.get(m.pk)) for m in milestones],
        "indicators": [(i, targets.get(i.pk)) for i in indicators],
        "adoption": adoption,
        "previous": _previous_quarter_values(program, period),
    }
    return initial, kwargs


def _previous_quarter_values(program, period):
    """The values the program reported in the quarter before ``period``, by form field
    name (``indicator_<id>``, ``adoption_<id>``, ``budget_realisation``): the
    neighbours of the plausibility check. Nothing if it has no report for that quarter."""
    year, quarter = (
        (period.year, period.quarter - 1) if period.quarter > 1 else (period.year - 1, 4)
    )
    report = ProgressReport.objects.filter(
        program=program, period__year=year, period__quarter=quarter
    ).first()
    if report is None:
        return {}
    values = {
        f"indicator_{indicator_id}": value
        for indicator_id, value in report.indicator_rows.values_list("indicator_id", "value")
    }
    values.update(
        (f"adoption_{indicator_id}", value)
        for indicator_id, value in report.adoption_rows.values_list("indicator_id", "value")
    )
    values["budget_realisation"] = report.budget_realisation
    return {name: value for name, value in values.items() if value is not None}


def _in_places(value, places):
    """``value`` written with the indicator's decimal places ("863", not "863.0000"),
    unless that would round it: a value with too many decimals stays as it is, so
    the unit sees and fixes it."""
    if value is None:
        return None
    exact = value.quantize(Decimal(1).scaleb(-places))
    return exact if exact == value else value


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
            milestone_percents=form.values("milestone"),
            indicator_values=form.values("indicator"),
            indicator_notes=form.values("indicator_note"),
            adoption_values=form.values("adoption"),
            budget_realisation=data["budget_realisation"],
            supporting_factors=data["supporting_factors"],
            obstacles=data["obstacles"],
            follow_up=data["follow_up"],
            follow_up_next_plan=data["follow_up_next_plan"],
            evidence=uploads,
            pending=pending,
            confirmations=form.confirmations(),
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
