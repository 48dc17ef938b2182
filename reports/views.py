"""Pages of the reports app: ask for and list quarterly reports, verify a copy."""

import logging
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from jobs import services as job_services
from jobs.models import Job
from jobs.selectors import jobs_of
from reports import sealing, services
from reports.forms import CopyCheckForm, ReportRequestForm
from reports.models import GeneratedReport
from reports.selectors import visible
from tracker import policy
from tracker.middleware import client_ip
from tracker.uploads import download_response

logger = logging.getLogger(__name__)


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
        try:
            # The form's token makes a double click (or a reload) one job, not two.
            job = job_services.start_report_job(
                form.cleaned_data["request"],
                kind=Job.Kind.REPORT_EXCEL if excel else Job.Kind.REPORT_PDF,
                actor=user,
                base_url=request.build_absolute_uri("/"),
                token=form.cleaned_data["token"],
            )
        except job_services.FormAlreadyUsed as error:
            # Shown again with a fresh token: sending it once more is a new request.
            form.data = form.data.copy()
            form.data["token"] = str(uuid.uuid4())
            form.add_error(None, error)
        else:
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

    The count is only a cache entry, so a cache that fails lets the upload
    through rather than refusing it or answering with an error page: with
    Redis down, django-redis answers ``None`` (its ignored exceptions), and a
    cache without that setting raises. The size limit still applies.
    """
    key = f"report-verify-uploads:{client_ip(request)}"
    window = settings.REPORT_VERIFY_RATE_WINDOW
    try:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr (or never added: cache down)
            cache.set(key, 1, timeout=window)
            count = 1
    except Exception as error:  # any cache failure: allow, as a miss would
        logger.warning("Upload rate limit not counted, the cache failed: %s", error)
        return False
    if count is None:  # django-redis with IGNORE_EXCEPTIONS: the cache is down
        return False
    return count > settings.REPORT_VERIFY_RATE_LIMIT


# Room for the multipart framing and the CSRF token around the file itself.
_MULTIPART_ALLOWANCE = 64 * 1024


def _too_large(request):
    """True if the request announces a body larger than an acceptable upload.

    Read from ``CONTENT_LENGTH`` alone: the body is not touched, so an
    oversized upload is refused before any of it is read or spooled to disk.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.REPORT_VERIFY_MAX_BYTES + _MULTIPART_ALLOWANCE


def _seal_level(report):
    """The PAdES level of the issued file (``sealing.level_of``), kept in the cache by its hash.

    ``None`` if the report is unsealed or its file cannot be read.
    """
    if not report.parameters.get("sealed"):
        return None
    recorded = report.parameters.get("seal_level")
    if recorded:
        return recorded
    key = f"report-seal-level:{report.sha256}"
    level = cache.get(key)
    if level is None:
        try:
            with report.file.open("rb") as handle:
                level = sealing.level_of(handle.read())
        except Exception:  # noqa: BLE001 - a missing or unreadable file: say nothing
            logger.warning("Could not read the seal level of report %s", report.code, exc_info=True)
            return None
        cache.set(key, level, timeout=None)  # the issued bytes never change
    return level


def _verify_page(request, report, *, form, check=None, status=200, **extra):
    level = _seal_level(report)
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
            "seal_level": level,
            "seal_level_description": sealing.LEVEL_DESCRIPTIONS.get(level, ""),
        }
        | extra,
        status=status,
    )


@csrf_exempt  # checked in _verify_upload, once the size is known to be acceptable
def verify_public(request, code):
    """Anyone may check a report: its title, period, time, hash and seal, and an uploaded copy.

    The copy is identical, the sealed report with annotations added after
    sealing, or not the report (content changed after sealing, broken seal,
    someone else's, none, too complex to check): see ``services.check_copy``.
    An unknown code is a plain 404 that says nothing about which codes exist.

    Before an upload is read: past the rate limit the answer is 429, and a
    body larger than ``REPORT_VERIFY_MAX_BYTES`` is 413; both the page with a
    message. The CSRF check comes after those (it would read the body).
    """
    report = get_object_or_404(
        GeneratedReport.objects.select_related("government", "unit"), code=code.upper()
    )
    if request.method == "POST" and _too_many_uploads(request):
        minutes = max(1, settings.REPORT_VERIFY_RATE_WINDOW // 60)
        return _verify_page(request, report, form=CopyCheckForm(), status=429, limited=minutes)
    if request.method == "POST" and _too_large(request):
        limit = round(settings.REPORT_VERIFY_MAX_BYTES / 1_000_000, 1)
        return _verify_page(request, report, form=CopyCheckForm(), status=413, too_large=limit)
    return _verify_upload(request, report)


@csrf_protect
def _verify_upload(request, report):
    form = CopyCheckForm(request.POST or None, request.FILES or None)
    check = None
    if request.method == "POST" and form.is_valid():
        try:
            check = services.check_copy(report, form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
    return _verify_page(request, report, form=form, check=check, status=400 if form.errors else 200)
