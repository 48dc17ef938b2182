"""Bappeda's side of a quarterly report: the report page, its workflow buttons
(submit, verify, return) and the verification queue."""

from crispy_forms.utils import render_crispy_form
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from programs import evidence_previews, list_exports, reporting, selectors
from programs.filters import QueueFilter
from programs.forms import ReturnForm
from programs.models import ProgressReport
from programs.report_views import _visible_report
from programs.review_context import review_context
from programs.views import period_from
from tracker import data_version, policy
from tracker.forms import parse_id
from tracker.selectors import units_visible_to


@login_required
def report_detail(request, pk):
    """A report with what a reviewer needs beside it (``review_context``): targets,
    the quarter before, planned against reported progress, evidence previews and
    what changed since a return; its conversation; and the workflow buttons."""
    user = request.user
    report = _visible_report(user, pk)
    return render(
        request,
        "programs/report_detail.html",
        {
            "report": report,
            **review_context(report),
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


@login_required
def report_evidence_preview(request, pk, evidence_pk):
    """The first page of a PDF evidence file as a PNG, for whoever sees the report;
    404 if the file is not a PDF or cannot be rendered."""
    report = _visible_report(request.user, pk)
    item = get_object_or_404(report.evidence, pk=evidence_pk)
    name = evidence_previews.pdf_preview(item) if evidence_previews.kind_of(item) == "pdf" else None
    if name is None:
        raise Http404
    response = FileResponse(item.file.storage.open(name, "rb"), content_type="image/png")
    # The picture of an evidence file never changes (a new file is a new record).
    response["Cache-Control"] = "private, max-age=86400"
    return response


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
