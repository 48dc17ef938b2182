"""Pages of the reports app: issue and list quarterly reports, export Excel, verify a copy."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from reports import excel, services
from reports.forms import CopyCheckForm, ReportRequestForm
from reports.models import GeneratedReport
from reports.selectors import report_table, visible
from tracker import policy
from tracker.middleware import client_ip
from tracker.uploads import download_response


def _require_role(user):
    if policy.role_of(user) == policy.Role.NONE:
        raise PermissionDenied


@login_required
def report_list(request):
    """Issue a quarterly report (PDF) or export its table (Excel); earlier reports below."""
    user = request.user
    _require_role(user)
    form = ReportRequestForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid() and request.POST.get("export") == "excel":
        return redirect(_excel_url(form))
    if request.method == "POST" and form.is_valid():
        report = services.issue_report(
            form.cleaned_data["request"],
            actor=user,
            source=GeneratedReport.Source.WEB,
            base_url=request.build_absolute_uri("/"),
        )
        messages.success(
            request,
            _("The report was issued with verification code %(code)s.") % {"code": report.code},
        )
        return redirect(f"{request.path}?baru={report.pk}")
    reports = visible(
        user, GeneratedReport.objects.select_related("unit", "generated_by", "government")
    )
    page = Paginator(reports, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/report_list.html",
        {"form": form, "page_obj": page, "new_pk": request.GET.get("baru", "")},
    )


def _excel_url(form):
    """The Excel export's address for a checked request form.

    The export is a plain GET (a bookmarkable download), but its button sits in
    the POST form that issues the PDF; going through this redirect keeps the
    CSRF token out of the download's URL, the server log and the browser history.
    """
    data = form.cleaned_data
    query = {"period": data["period"].pk}
    for name in ("unit", "commitment"):
        if data.get(name) is not None:
            query[name] = data[name].pk
    return f"{reverse('report-excel')}?{urlencode(query)}"


@login_required
@require_GET
def report_excel(request):
    """The evaluation table as an Excel workbook, for the quarter and scope asked for."""
    user = request.user
    _require_role(user)
    form = ReportRequestForm(request.GET, user=user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("report-list")
    report_request = form.cleaned_data["request"]
    with translation.override("id"):
        content = excel.render(report_request, report_table(report_request))
    name = f"evaluasi-tw{report_request.quarter}-{report_request.year}.xlsx"
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_download(request, pk):
    report = get_object_or_404(visible(request.user, GeneratedReport.objects.all()), pk=pk)
    return download_response(
        report.file, f"laporan-tw{report.quarter}-{report.year}-{report.code}.pdf"
    )


def _too_many_uploads(request):
    """Count this address's uploads on the public page; True past the limit.

    A fixed window in the default cache: the first upload from an address
    starts REPORT_VERIFY_RATE_WINDOW seconds in which REPORT_VERIFY_RATE_LIMIT
    uploads are checked.
    """
    key = f"report-verify-uploads:{client_ip(request)}"
    cache.add(key, 0, timeout=settings.REPORT_VERIFY_RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.REPORT_VERIFY_RATE_WINDOW)
        count = 1
    return count > settings.REPORT_VERIFY_RATE_LIMIT


def verify_public(request, code):
    """Anyone may check a report: its title, period, time and hash, and an uploaded copy.

    An unknown code is a plain 404 that says nothing about which codes exist.
    """
    report = get_object_or_404(
        GeneratedReport.objects.select_related("government", "unit"), code=code.upper()
    )
    if request.method == "POST" and _too_many_uploads(request):
        # The file is not read: answer 429 with the page and a message in it.
        minutes = max(1, settings.REPORT_VERIFY_RATE_WINDOW // 60)
        return render(
            request,
            "reports/verify.html",
            {"report": report, "form": CopyCheckForm(), "result": None, "limited": minutes},
            status=429,
        )
    form = CopyCheckForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.check_copy(report, form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
    return render(
        request,
        "reports/verify.html",
        {"report": report, "form": form, "result": result},
        status=400 if form.errors else 200,
    )
