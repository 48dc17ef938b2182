"""Pages of the reports app: ask for and list quarterly reports, verify a copy."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from jobs import services as job_services
from jobs.models import Job
from jobs.selectors import jobs_of
from reports import services
from reports.forms import CopyCheckForm, ReportRequestForm
from reports.models import GeneratedReport
from reports.selectors import visible
from tracker import policy
from tracker.middleware import client_ip
from tracker.uploads import download_response


def _require_role(user):
    if policy.role_of(user) == policy.Role.NONE:
        raise PermissionDenied


@login_required
def report_list(request):
    """Ask for a quarterly report (PDF) or its table (Excel); earlier reports below.

    Both are background jobs: the page goes on to the job's progress page.
    """
    user = request.user
    _require_role(user)
    form = ReportRequestForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        excel = request.POST.get("export") == "excel"
        job = job_services.start_report_job(
            form.cleaned_data["request"],
            kind=Job.Kind.REPORT_EXCEL if excel else Job.Kind.REPORT_PDF,
            actor=user,
            base_url=request.build_absolute_uri("/"),
        )
        return redirect("job-detail", pk=job.pk)
    reports = visible(
        user, GeneratedReport.objects.select_related("unit", "generated_by", "government")
    )
    page = Paginator(reports, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/report_list.html",
        {"form": form, "page_obj": page, "jobs": jobs_of(user)[:5]},
    )


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
    """Anyone may check a report: its title, period, time, hash and seal, and an uploaded copy.

    The copy is identical, the sealed report with something added after
    sealing, or not the report (broken seal, someone else's, none): see
    ``services.check_copy``. An unknown code is a plain 404 that says nothing
    about which codes exist.
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
    check = None
    if request.method == "POST" and form.is_valid():
        try:
            check = services.check_copy(report, form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
    return render(
        request,
        "reports/verify.html",
        {
            "report": report,
            "form": form,
            # True: the very bytes issued; False: anything else, as ``check`` says.
            "result": None if check is None else check.identical,
            "check": check,
            "sealed": bool(report.parameters.get("sealed")),
        },
        status=400 if form.errors else 200,
    )
