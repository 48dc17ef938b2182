"""Issuing quarterly reports and checking copies of them.

The command line and the web call the same two steps: ``resolve_request``
turns what was asked for into checked parameters (or a clear error, with
nothing written), and ``issue_report`` renders the PDF and stores it with
its SHA-256 under a new verification code.
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commitments.models import Commitment
from commitments.selectors import commitments_visible_to
from programs.models import Plan, ProgressReport, ReportingPeriod
from programs.status import quarter_end, quarter_start
from reports import pdf, sealing, titles
from reports.models import GeneratedReport, new_code
from reports.selectors import ReportRequest, quarterly_report, report_programs
from tracker import policy
from tracker.formatting import format_quarter
from tracker.history import save_tracked
from tracker.models import Government, Unit

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
TITLE_MAX = GeneratedReport._meta.get_field("title").max_length


def resolve_request(
    *,
    year,
    quarter,
    government_code=None,
    unit_code=None,
    commitment_ids=None,
    user=None,
    report_date=None,
):
    """Check a report's parameters and return a :class:`ReportRequest`.

    ``user`` (``None`` for the command line) limits the report to what that
    user may see; a user who does not see the whole government gets their
    own unit's report unless they name another unit they may see. Without
    ``commitment_ids`` the report covers every open or closed commitment of
    the government that has programs in it. Raises
    ``ValidationError`` with a message saying what to change.
    """
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("The quarter must be 1, 2, 3 or 4, not %(q)s.") % {"q": quarter})
    government = _government(government_code, user)
    plans = list(Plan.objects.filter(government=government).order_by("start_year"))
    if not any(plan.start_year <= year <= plan.end_year for plan in plans):
        periods = ", ".join(plan.period for plan in plans) or _("none")
        raise ValidationError(
            _("%(year)s is outside every RPJMD period of %(government)s (%(periods)s).")
            % {"year": year, "government": government, "periods": periods}
        )
    period = ReportingPeriod.objects.filter(
        government=government, year=year, quarter=quarter
    ).first()
    if period is None:
        raise ValidationError(
            _(
                "Quarter %(quarter)s %(year)s has not been opened for reporting in "
                "%(government)s, so there is nothing to report yet."
            )
            % {"quarter": format_quarter(quarter), "year": year, "government": government}
        )
    unit = _unit(government, unit_code, user)
    commitments = _commitments(government, commitment_ids, user)
    request = ReportRequest(
        government=government,
        period=period,
        commitments=commitments,
        unit=unit,
        user=user,
    )
    if not commitment_ids:
        request.commitments = _with_programs(request)
    if report_date is not None:
        _check_report_date(report_date, period)
    last_verified = last_verification_date(request)
    if report_date is None:
        report_date = default_report_date(period, last_verified=last_verified)
    elif last_verified is not None and report_date < last_verified:
        raise ValidationError(
            _("The report counts a verification of %(date)s; date it on or after that day.")
            % {"date": date_format(last_verified, "j F Y")}
        )
    request.report_date = report_date
    return request


# A report is dated at the earliest on its quarter's first day and at the
# latest this many years after the quarter (a late reissue); year 1 or 9999
# is a typing slip.
REPORT_DATE_YEARS_AFTER = 5


def _check_report_date(report_date, period):
    earliest = quarter_start(period.year, period.quarter)
    latest = quarter_end(period.year, period.quarter).replace(
        year=period.year + REPORT_DATE_YEARS_AFTER
    )
    if not earliest <= report_date <= latest:
        raise ValidationError(
            _(
                "The report date must lie between %(earliest)s (the quarter's first day) "
                "and %(latest)s, not %(date)s."
            )
            % {
                "earliest": earliest.isoformat(),
                "latest": latest.isoformat(),
                "date": report_date.isoformat(),
            }
        )


def default_report_date(period, *, last_verified=None):
    """The date printed above the signatures: the day after Bappeda's verification
    deadline (when the quarter's figures are final), or today if that is still ahead.

    A report is never dated before the last verification it counts
    (``last_verified``, see :func:`last_verification_date`), so a verification
    after the deadline moves the date to that day; never after today.
    """
    today = timezone.localdate()
    rule = min(period.verification_deadline + datetime.timedelta(days=1), today)
    if last_verified is not None and last_verified > rule:
        return min(last_verified, today)
    return rule


def last_verification_date(request):
    """The local date (WIB) of the latest verification among the progress reports
    ``request`` counts, or ``None`` if it counts none. One aggregate query.

    The scope is the report's: verified reports of its programs
    (``report_programs``: commitments, unit, what the user may see) in the
    quarters up to the requested one, as ``reports.evaluation.facts`` reads them.
    A verification is taken at its recorded time, but never before the
    submission it verified: a row whose ``verified_at`` precedes its
    ``submitted_at`` (imported or seeded data) was verified on that
    submission's day at the earliest.
    """
    verified = Greatest("verified_at", Coalesce("submitted_at", "verified_at"))
    latest = (
        ProgressReport.objects.filter(
            program__in=report_programs(request),
            period__government=request.government,
            period__year__lte=request.year,
            state=ProgressReport.State.VERIFIED,
            verified_at__isnull=False,
        )
        .exclude(period__year=request.year, period__quarter__gt=request.quarter)
        .aggregate(latest=Max(verified))["latest"]
    )
    if latest is None:
        return None
    # The day in the government's zone (WIB), not UTC: a verification at
    # 06.00 WIB is on that day, though it is still the day before in UTC.
    return timezone.localdate(latest, timezone.get_default_timezone())


def _government(code, user):
    governments = Government.objects.order_by("name")
    if user is not None and not user.is_superuser:
        actor = policy.actor_for(user)
        governments = governments.filter(pk=actor.government_id)
    if code:
        government = governments.filter(region_code=code).first()
        if government is None:
            raise ValidationError(_("No government has the code “%(code)s”.") % {"code": code})
        return government
    found = list(governments[:2])
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(_("There is no government to report on."))
    raise ValidationError(
        _("There are several governments; choose one by its region code (e.g. %(code)s).")
        % {"code": found[0].region_code}
    )


def _unit(government, code, user):
    if not code:
        if user is None or policy.sees_whole_government(user):
            return None
        # A unit member's report is their own unit's.
        code = (
            Unit.objects.filter(pk=policy.actor_for(user).unit_id)
            .values_list("code", flat=True)
            .first()
        )
    units = Unit.objects.filter(government=government)
    unit = units.filter(code=code).first()
    if unit is None:
        raise ValidationError(
            _("%(government)s has no unit with the code “%(code)s”.")
            % {"government": government, "code": code}
        )
    if user is not None and not policy.visible(user, units).filter(pk=unit.pk).exists():
        raise ValidationError(
            _("%(user)s may not see %(unit)s, so cannot have its report.")
            % {"user": user.get_username(), "unit": unit}
        )
    return unit


def _commitments(government, ids, user):
    # A user sees no draft unless they may change commitments (commitments_visible_to);
    # the command line without --as-user sees them all.
    commitments = (
        (Commitment.objects.all() if user is None else commitments_visible_to(user))
        .filter(government=government)
        .order_by("date", "pk")
    )
    if ids:
        found = list(commitments.filter(pk__in=ids))
        missing = sorted(set(ids) - {c.pk for c in found})
        if missing:
            raise ValidationError(
                _("%(government)s has no commitment numbered %(ids)s that you may see.")
                % {"government": government, "ids": ", ".join(map(str, missing))}
            )
        return found
    found = list(commitments.filter(state__in=[Commitment.State.OPEN, Commitment.State.CLOSED]))
    if not found:
        raise ValidationError(
            _("%(government)s has no open or closed commitment to report on.")
            % {"government": government}
        )
    return found


def _with_programs(request):
    """Of the request's commitments, those with programs in the report (``report_programs``:
    its period, unit and what the user may see), so the cover names only commitments the
    report holds programs of; all of them if none has any (the report then says so)."""
    having = set(report_programs(request).values_list("commitment_id", flat=True))
    return [c for c in request.commitments if c.pk in having] or request.commitments


def report_title(request):
    """The report's title as listed and shown on the verification page: named by the
    commitment it covers, or as a joint commitments' report (``reports.titles``)."""
    title = titles.report_name(request)
    if is_provisional(request):
        # In the title too, so every list, job and page that names the report says it.
        title = _("%(title)s (provisional)") % {"title": title}
    return titles.shorten(title, TITLE_MAX)


def is_provisional(request):
    """A report of a quarter that is not locked yet: its figures may still change."""
    return not request.period.is_locked


def verification_url(code, base_url=None):
    """The public address that checks a report, printed as a QR code on it."""
    base = (base_url or settings.SITE_URL).rstrip("/")
    return base + reverse("report-verify-public", args=[code])


def _no_progress(step, percent):
    pass


def issue_report(
    request, *, actor=None, source, base_url=None, write_to=None, progress=_no_progress
):
    """Render the quarterly report for ``request`` as a PDF, seal it and store it.

    Returns the :class:`GeneratedReport`, holding the file, its parameters,
    who generated it, when, and its SHA-256: of the sealed bytes, which are
    what is stored and checked. ``write_to`` (a path) also writes the bytes
    there; if that fails, nothing is stored. ``progress`` is told each step
    (``"reading"``, ``"layout"``, ``"sealing"``, ``"storing"``) and the share
    done so far, in percent: a background job shows it as a bar.

    A report of a quarter that is not locked yet is stored as provisional
    (``is_provisional``), and every page of its PDF is stamped "SEMENTARA".

    Without a sealing certificate configured the report is issued unsealed
    (``parameters["sealed"]`` is False) and a warning is logged; a configured
    certificate that cannot seal raises ``ValidationError`` saying why, and
    nothing is stored.
    """
    code = new_code()
    with translation.override("id"):
        progress("reading", 5)
        data = quarterly_report(request)
        progress("layout", 35)
        content = pdf.render(data, code=code, url=verification_url(code, base_url))
        title = report_title(request)
        progress("sealing", 80)
        content, sealed = _seal(content, data, code)
    progress("storing", 90)
    record = GeneratedReport(
        code=code,
        government=request.government,
        year=request.year,
        quarter=request.quarter,
        unit=request.unit,
        title=title,
        parameters={
            "year": request.year,
            "quarter": request.quarter,
            "unit": request.unit.code if request.unit else None,
            "commitments": [c.pk for c in request.commitments],
            # As issued: the verification page names them even if one is renamed later.
            "commitment_titles": [c.title for c in request.commitments],
            "as_user": request.user.get_username() if request.user else None,
            "report_date": request.report_date.isoformat(),
            "sealed": sealed,
            # Read back from the sealed file: the level issued, whatever the settings become.
            "seal_level": sealing.level_of(content) if sealed else None,
        },
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        source=source,
        generated_by=actor,
        generated_at=data.generated_at,
        is_provisional=data.is_provisional,
    )
    if write_to is not None:
        with open(write_to, "wb") as handle:
            handle.write(content)
    with transaction.atomic():
        record.file.save(
            f"laporan-tw{request.quarter}-{request.year}-{code}.pdf",
            ContentFile(content),
            save=False,
        )
        save_tracked(record, actor=actor, reason=_("Report issued"))
    return record


def _seal(content, data, code):
    """``(bytes, sealed)``: the report sealed with the instance's certificate, if it has one."""
    try:
        current = sealing.current_seal()
    except sealing.SealConfigurationError as error:
        raise ValidationError(
            _("The report cannot be sealed, so it was not issued: %(reason)s") % {"reason": error}
        ) from error
    if current is None:
        logger.warning(
            "Report %s issued WITHOUT an electronic seal: no REPORT_SIGNING_P12 configured", code
        )
        return content, False
    government = data.request.government
    issuer = f"{data.issuing_unit}, {government}" if data.issuing_unit else str(government)
    try:
        sealed = sealing.seal(
            content,
            unit_name=issuer,
            code=code,
            issued_at=data.generated_at,
            box=getattr(data, "seal_box", None),
            seal_with=current,
        )
    except Exception as error:  # pyHanko's, the timestamp authority's: stop, store nothing
        logger.exception("Sealing report %s failed", code)
        raise ValidationError(
            _("The report cannot be sealed, so it was not issued: %(reason)s") % {"reason": error}
        ) from error
    return sealed, True


def check_copy(report, upload):
    """What ``upload`` is, compared with the PDF issued as ``report``: a ``copy_check.CopyCheck``.

    Identical (the same SHA-256), the issued report with annotations or form
    filling appended after its seal (and on which pages), the issued seal
    with the content changed after it, another report sealed here, a broken
    seal, a seal of someone else, no seal at all, or too complex to check:
    ``reports.copy_check.examine``, bounded in CPU and time. Raises
    ``ValidationError`` if the upload is not a PDF or is too large; nothing
    is stored either way.
    """
    size = upload.size or 0
    limit = settings.REPORT_VERIFY_MAX_BYTES
    if size == 0:
        raise ValidationError(_("The file is empty."))
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1_000_000, 1), "limit": round(limit / 1_000_000, 1)}
        )
    upload.seek(0)
    if upload.read(len(PDF_MAGIC)) != PDF_MAGIC:
        raise ValidationError(_("This file is not a PDF. Upload the report's PDF file."))
    upload.seek(0)
    content = b"".join(upload.chunks())
    return sealing.examine(content, sha256=report.sha256, issued_at=report.generated_at)
