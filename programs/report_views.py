"""Pages of a quarterly report: the unit's form, the report, its workflow buttons,
evidence downloads, and Bappeda's verification queue."""

from decimal import Decimal

from crispy_forms.utils import render_crispy_form
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from programs import list_exports, reporting, selectors
from programs.filters import QueueFilter
from programs.forms import ProgressReportForm, ReturnForm
from programs.models import IndicatorTarget, ProgressReport
from programs.views import period_from
from tracker import data_version, policy
from tracker.forms import add_service_errors, parse_id
from tracker.selectors import units_visible_to
from tracker.uploads import download_response


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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
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
                    evidence=data.get("evidence") or [],
                    confirmations=form.confirmations(),
                )
                if "send" in request.POST:
                    reporting.submit_report(report, actor=user)
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
    return render(
        request,
        "programs/report_form.html",
        {
            "program": program,
            "period": period,
            "report": report,
            "form": form,
            "conflict": conflict,
        },
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
def report_detail(request, pk):
    user = request.user
    report = _visible_report(user, pk)
    milestone_rows = report.milestone_rows.select_related("milestone").order_by(
        "milestone__planned_start", "milestone_id"
    )
    return render(
        request,
        "programs/report_detail.html",
        {
            "report": report,
            "milestone_rows": milestone_rows,
            "indicator_rows": report.indicator_rows.select_related("indicator"),
            "adoption_rows": report.adoption_rows.select_related("indicator"),
            "evidence": report.evidence.all(),
            "can_write": report.is_editable
            and not report.period.is_locked
            and selectors.is_active_in(report.program, report.period)
            and policy.can_change(user, report),
            **_review_context(user, report),
            "return_form": ReturnForm(),
            # Opened from the verification queue: its filters, to go on to the next report.
            "queue_query": request.GET.get("queue", "")[:1000],
        },
    )


def _review_context(user, report):
    """Whether the user may verify or return ``report`` now, and, for a reviewer who
    may not (separation of duties), the reason to show instead of the buttons."""
    waiting = report.state == ProgressReport.State.SUBMITTED and not report.period.is_locked
    if not waiting or not policy.is_reviewer(user):
        return {"can_review": False, "review_refusal": None}
    refusal = policy.review_refusal(user, report)
    return {"can_review": refusal is None, "review_refusal": refusal}


def _transition(request, pk, action):
    user = request.user
    report = _visible_report(user, pk)
    # Verify and return carry the version the reviewer saw (the page's hidden field).
    version = parse_id(request.POST.get("version"))
    try:
        if action == "submit":
            reporting.submit_report(report, actor=user)
            messages.success(request, _("The report was sent to Bappeda for verification."))
        elif version is None:
            if not policy.is_reviewer(user):
                raise PermissionDenied
            messages.error(request, _("This page is out of date; look at the report again."))
        elif action == "verify":
            reporting.verify_report(report, actor=user, expected_version=version)
            messages.success(request, _("The report was verified."))
            following = _next_in_queue(request, user, report)
            if following:
                return redirect(following)
        else:
            form = ReturnForm(request.POST)
            reason = form.data.get("reason", "")
            reporting.return_report(report, actor=user, reason=reason, expected_version=version)
            messages.success(request, _("The report was returned to the unit."))
    except PermissionDenied:
        raise
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("report-detail", pk=report.pk)


@login_required
@require_POST
def report_submit(request, pk):
    return _transition(request, pk, "submit")


@login_required
@require_POST
def report_verify(request, pk):
    return _transition(request, pk, "verify")


@login_required
@require_POST
def report_return(request, pk):
    return _transition(request, pk, "return")


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


def _queue_filter(request, user, period, data=None):
    """The queue's FilterSet for ``period``: unit and state, as the queue page shows them."""
    return QueueFilter(
        request.GET if data is None else data,
        queryset=selectors.verification_queue(user, period),
        request=request,
        period=period,
        periods=selectors.periods_of(user),
        units=units_visible_to(user)
        .filter(owned_programs__isnull=False)
        .distinct()
        .order_by("name"),
    )


@login_required
def verification_queue(request):
    """Bappeda's queue for a period: filter by unit and state; verify several at once.

    Each ticked report carries the version the page showed (``version_<id>``);
    a report that is not the reviewer's to verify (separation of duties) shows
    why instead of a checkbox. ``?format=xlsx`` downloads the filtered queue.
    """
    user = request.user
    if not policy.is_reviewer(user):
        raise PermissionDenied
    period = period_from(request, user)
    if request.method == "POST" and period is None:
        # No quarter has been opened yet: there is nothing to verify.
        return redirect(request.path)
    if request.method == "POST":
        _bulk_verify(request, user, period)
        # Back to the same quarter and filters (the form posts to the queue's own URL).
        return redirect(request.get_full_path())
    if period is None:
        return render(request, "programs/verification_queue.html", {"period": None})
    queue = _queue_filter(request, user, period)
    if list_exports.wants_xlsx(request):
        return list_exports.queue_response(queue.qs, period=period)
    page = Paginator(queue.qs, 50).get_page(request.GET.get("page"))
    refusals = policy.review_refusals(
        user, [r for r in page.object_list if r.state == ProgressReport.State.SUBMITTED]
    )
    for report in page.object_list:
        report.review_refusal = refusals.get(report.pk)
    query = queue.form.data.copy()
    query.pop("page", None)
    query.pop("format", None)
    export = query.copy()
    export["format"] = "xlsx"
    # The filter form shows only the query's values and the scope's choices and
    # carries no CSRF token (a GET form): cached like the program list's. The
    # table is drawn afresh: it is the verification form itself.
    filter_form = data_version.cached(
        data_version.government_of_user(user),
        data_version.page_parts(user, "queue-filter", period.pk, sorted(query.lists())),
        lambda: render_crispy_form(queue.form),
    )
    return render(
        request,
        "programs/verification_queue.html",
        {
            "period": period,
            "filter": queue,
            "filter_form": filter_form,
            "page_obj": page,
            # Carried to each report's page, so verifying there goes on to the next one.
            "queue_query": query.urlencode(),
            "export_query": export.urlencode(),
        },
    )


def _bulk_verify(request, user, period):
    ids = [i for i in map(parse_id, request.POST.getlist("report")) if i is not None]
    # Not filtered by state: a report returned or verified since the page
    # was drawn is refused by the service, which says what changed.
    chosen = list(selectors.verification_queue(user, period).filter(pk__in=ids))
    if not chosen:
        messages.error(request, _("Tick at least one submitted report to verify."))
        return
    versions = {
        report.pk: version
        for report in chosen
        if (version := parse_id(request.POST.get(f"version_{report.pk}"))) is not None
    }
    try:
        reporting.bulk_verify(chosen, actor=user, expected_versions=versions)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        count = len(chosen)
        messages.success(
            request,
            ngettext("%(count)s report was verified.", "%(count)s reports were verified.", count)
            % {"count": count},
        )


def _next_in_queue(request, user, report):
    """Where to go after verifying ``report`` from its page, opened from the queue.

    The queue's filters come back in the form's ``queue`` field; the next report
    is the first one still waiting there that the user may verify. Without one,
    the queue itself (same quarter and filters). ``None`` if the report was not
    opened from the queue.
    """
    if "queue" not in request.POST:
        return None
    data = QueryDict(request.POST["queue"], mutable=True)
    data["periode"] = str(report.period_id)  # the quarter of the report just verified
    queue = _queue_filter(request, user, report.period, data=data)
    waiting = queue.qs.filter(state=ProgressReport.State.SUBMITTED).exclude(pk=report.pk)
    candidates = list(waiting[:50])
    refusals = policy.review_refusals(user, candidates)
    following = next((r for r in candidates if r.pk not in refusals), None)
    query = data.urlencode()
    if following is None:
        messages.info(request, _("No report is left waiting in this queue."))
        return f"{reverse('verification-queue')}?{query}"
    messages.info(
        request,
        _("Next in the queue: %(program)s (%(unit)s).")
        % {"program": following.program.title, "unit": following.program.owner_unit},
    )
    return f"{reverse('report-detail', args=[following.pk])}?{urlencode({'queue': query})}"
