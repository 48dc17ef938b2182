"""The quarterly report workflow: start, save, submit, verify or return a progress report.

One transitions table (``TRANSITIONS``) says which moves exist and who makes
them; the server decides every move, a form never sets a state. A report's
``version`` grows with every save, so a stale form or a reviewer's old page is
refused with what changed. Nobody reviews their own unit's report or one they
wrote (``tracker.policy.review_refusals``).
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from notices.services import notify
from programs import models
from programs.evidence import check_kept_totals, promote_pending_evidence
from programs.indicator_values import indicator_value_errors

# StaleReportError and report_authors are also read as reporting.* by the pages and the API.
from programs.report_history import (  # noqa: F401
    StaleReportError,
    check_seen,
    report_authors,
)
from programs.selectors import is_active_in
from reminders.deadlines import submission_deadline
from tracker import policy
from tracker.history import delete_tracked, save_tracked
from tracker.plausibility import with_notes
from tracker.uploads import sha256_of, validate_evidence

R = models.ProgressReport.State
# Allowed moves, and who makes them: the owner unit ("unit") or Bappeda ("review").
TRANSITIONS = {
    (R.DRAFT, R.SUBMITTED): "unit",
    (R.RETURNED, R.SUBMITTED): "unit",
    (R.SUBMITTED, R.VERIFIED): "review",
    (R.SUBMITTED, R.RETURNED): "review",
}


class ReviewRefused(PermissionDenied):
    """The actor reviews reports, but not this one (separation of duties); ``message`` says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _check_writable(report):
    _check_writable_period(report.period)


def _check_unit_may_edit(report, actor):
    """The report's period is open, ``actor`` writes for its unit, and the report is a
    draft or returned: what saving it or removing its evidence needs."""
    _check_writable(report)
    _authorize(report, actor, "unit")
    if not report.is_editable:
        raise ValidationError(
            _("A report that is “%(state)s” cannot be edited.")
            % {"state": report.get_state_display()}
        )


def _authorize(report, actor, who):
    if actor is None:  # the system itself: seeding and imports, never a web request
        return
    if who == "unit":
        if not policy.can_change(actor, report):
            raise PermissionDenied
        return
    if not policy.is_reviewer(actor) or not policy.can_view(actor, report):
        raise PermissionDenied
    refusal = policy.review_refusal(actor, report)
    if refusal:
        raise ReviewRefused(refusal)


def _move(report, new_state, *, actor, reason=""):
    who = TRANSITIONS.get((report.state, new_state))
    if who is None:
        raise ValidationError(
            _("A report that is “%(old)s” cannot become “%(new)s”.")
            % {"old": report.get_state_display(), "new": R(new_state).label}
        )
    _authorize(report, actor, who)
    report.state = new_state
    report.version += 1
    return save_tracked(report, actor=actor, reason=reason)


def _locked_report(report):
    return (
        models.ProgressReport.objects.select_related("period", "program")
        .select_for_update(of=("self",))
        .get(pk=report.pk)
    )


def previous_verified_percents(program, period):
    """Map milestone id -> progress in the latest verified report before ``period``."""
    rows = (
        models.MilestoneProgress.objects.filter(
            report__program=program,
            report__state=R.VERIFIED,
        )
        .filter(
            Q(report__period__year__lt=period.year)
            | Q(report__period__year=period.year, report__period__quarter__lt=period.quarter)
        )
        .order_by("report__period__year", "report__period__quarter")
        .values_list("milestone_id", "percent")
    )
    return dict(rows)  # later quarters overwrite earlier ones


class ReportAlreadyStarted(Exception):
    """A first save found the report already there: the same form sent twice (a
    double click) or by two people at once. ``report`` is the one just saved."""

    def __init__(self, report):
        self.report = report
        super().__init__(f"The report {report.pk} already exists.")


def _existing_report(program, period):
    return models.ProgressReport.objects.filter(program=program, period=period).first()


@transaction.atomic
def start_report(program, period, *, actor, new_only=False):
    """The program's report for ``period``: existing, or a new draft with one row per
    milestone (pre-filled with the last verified progress) and per linked indicator.

    A new report is refused for a quarter the program does not run in (before its
    start, after its end, or after it was stopped). ``new_only``: an existing
    report raises :class:`ReportAlreadyStarted` instead of being returned (the
    form's first save, whose page had no report yet)."""
    existing = _existing_report(program, period)
    if existing:
        if new_only:
            raise ReportAlreadyStarted(existing)
        return existing
    period = models.ReportingPeriod.objects.get(pk=period.pk)  # its current state, not a stale copy
    _check_writable_period(period)
    if not is_active_in(program, period):
        raise ValidationError(
            _("%(program)s does not run in %(period)s: no report is due for it.")
            % {"program": program, "period": period}
        )
    report = models.ProgressReport(program=program, period=period)
    _authorize(report, actor, "unit")
    try:
        # A savepoint: on PostgreSQL the failed insert must not break the caller's
        # transaction, and the report the other request saved must still be read.
        with transaction.atomic():
            save_tracked(report, actor=actor, reason="")
    except (IntegrityError, ValidationError):
        # One per program and quarter: another request saved it just now (the
        # model's unique check saw it, or the insert met the constraint).
        existing = _existing_report(program, period)
        if existing is None:
            raise
        if new_only:
            raise ReportAlreadyStarted(existing) from None
        return existing
    previous = previous_verified_percents(program, period)
    history = {"default_user": actor, "default_change_reason": ""}
    bulk_create_with_history(
        [
            models.MilestoneProgress(
                report=report, milestone=m, percent=previous.get(m.pk, Decimal(0))
            )
            for m in program.milestones.all()
        ],
        models.MilestoneProgress,
        **history,
    )
    bulk_create_with_history(
        [models.IndicatorRealisation(report=report, indicator=i) for i in program.indicators.all()],
        models.IndicatorRealisation,
        **history,
    )
    bulk_create_with_history(
        [
            models.AdoptionRealisation(report=report, indicator=a)
            for a in program.adoption_indicators.all()
        ],
        models.AdoptionRealisation,
        **history,
    )
    return report


def _check_writable_period(period):
    if period.is_locked:
        raise ValidationError(_("The period is locked; nothing can be changed in it."))


@transaction.atomic
def save_report(
    report,
    *,
    actor,
    expected_version,
    milestone_percents,
    indicator_values=None,
    indicator_notes=None,
    adoption_values=None,
    budget_realisation=None,
    supporting_factors="",
    obstacles="",
    follow_up="",
    follow_up_next_plan="",
    evidence=(),
    pending=(),
    reason="",
    confirmations=None,
):
    """Save what a unit typed into its draft or returned report.

    ``indicator_values`` and ``indicator_notes`` map an indicator id to its
    realisation and to the unit's note on it (keterangan); ``follow_up`` is the
    follow-up in the next quarter, ``follow_up_next_plan`` the one for the next
    annual work plan (Renja).

    Refuses a locked period, a report already submitted or verified, a stale
    form (``StaleReportError``), progress outside 0-100 % or below the last
    verified quarter, and an indicator value the indicator does not allow (see
    ``indicator_value_errors``). Errors are keyed by the form field they belong
    to (``indicator_<id>``, ``indicator_note_<id>``). All or nothing.

    ``confirmations`` maps such a field name to the notes of a far-off value the
    unit confirmed (``tracker.plausibility``); that row's history keeps them.

    ``pending`` are files kept from the actor's earlier failed save of this form
    (``PendingEvidence``): attached with ``evidence``, within one upload's limits.
    """
    confirmations = confirmations or {}
    report = _locked_report(report)
    _check_unit_may_edit(report, actor)
    if report.version != expected_version:
        raise StaleReportError(report)

    previous = previous_verified_percents(report.program, report.period)
    rows = {row.milestone_id: row for row in report.milestone_rows.all()}
    for row in rows.values():
        row.initial_percent = row.percent
    errors = {}
    for milestone_id, percent in milestone_percents.items():
        row = rows.get(milestone_id)
        if row is None:
            raise ValidationError(_("Unknown milestone in this report."))
        percent = Decimal(percent)
        if not 0 <= percent <= 100:
            errors[f"milestone_{milestone_id}"] = _("Progress must be between 0 and 100 %.")
        elif percent < previous.get(milestone_id, 0):
            errors[f"milestone_{milestone_id}"] = _(
                "Progress cannot fall below the last verified quarter (%(previous)s %%)."
            ) % {"previous": previous[milestone_id]}
        row.percent = percent
    value_field = models.IndicatorRealisation._meta.get_field("value")
    indicator_values, indicator_notes = indicator_values or {}, indicator_notes or {}
    changed_values = {models.IndicatorRealisation: [], models.AdoptionRealisation: []}
    for row in report.indicator_rows.select_related("indicator"):
        if row.indicator_id not in indicator_values and row.indicator_id not in indicator_notes:
            continue
        old = (row.value, row.note)
        if row.indicator_id in indicator_values:
            try:
                row.value = value_field.clean(indicator_values[row.indicator_id], row)
            except ValidationError as error:
                errors[f"indicator_{row.indicator_id}"] = error.messages[0]
                continue
        if row.indicator_id in indicator_notes:
            row.note = (indicator_notes[row.indicator_id] or "").strip()
        errors.update(indicator_value_errors(row.indicator, row.value, row.note))
        if (row.value, row.note) != old:
            _note_confirmation(row, confirmations.get(f"indicator_{row.indicator_id}"), reason)
            changed_values[models.IndicatorRealisation].append(row)
    values = adoption_values or {}
    for row in report.adoption_rows.all():
        if row.indicator_id not in values or values[row.indicator_id] == row.value:
            continue
        try:
            row.value = value_field.clean(values[row.indicator_id], row)
        except ValidationError as error:
            errors[f"adoption_{row.indicator_id}"] = error.messages[0]
        _note_confirmation(row, confirmations.get(f"adoption_{row.indicator_id}"), reason)
        changed_values[models.AdoptionRealisation].append(row)
    for upload in evidence:
        try:
            validate_evidence(upload)
        except ValidationError as error:
            errors["evidence"] = error.messages[0]
    if pending and "evidence" not in errors:
        try:
            check_kept_totals(list(pending), list(evidence))
        except ValidationError as error:
            errors["evidence"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    # Rows are validated above; write them in bulk, each with its history row.
    history = {"default_user": actor, "default_change_reason": reason}
    changed_rows = [r for r in rows.values() if r.percent != r.initial_percent]
    if changed_rows:
        bulk_update_with_history(changed_rows, models.MilestoneProgress, ["percent"], **history)
    for model, fields in (
        (models.IndicatorRealisation, ["value", "note"]),
        (models.AdoptionRealisation, ["value"]),
    ):
        if changed_values[model]:
            bulk_update_with_history(changed_values[model], model, fields, **history)
    for upload in evidence:
        item = models.ProgressEvidence(report=report, sha256=sha256_of(upload), uploaded_by=actor)
        item.file.save(upload.name, upload, save=False)
        save_tracked(item, actor=actor, reason=reason)
    promote_pending_evidence(report, pending, actor=actor, reason=reason)
    report.budget_realisation = budget_realisation
    report.supporting_factors = supporting_factors
    report.obstacles = obstacles
    report.follow_up = follow_up
    report.follow_up_next_plan = follow_up_next_plan
    report.version += 1
    # A far-off budget realisation the unit confirmed is named in the report's history.
    notes = confirmations.get("budget_realisation")
    return save_tracked(report, actor=actor, reason=with_notes(reason, notes) if notes else reason)


def _note_confirmation(row, notes, reason):
    """Give ``row``'s history row the confirmation of its far-off value, after ``reason``."""
    if notes:
        row._change_reason = with_notes(reason, notes)


@transaction.atomic
def remove_evidence(evidence, *, actor, reason=""):
    """Remove an evidence file from a draft or returned report.

    The report's history keeps a "removed" row naming the file, ``actor`` and
    ``reason``; the stored file stays, so what was once attached can be audited.
    """
    report = _locked_report(evidence.report)
    _check_unit_may_edit(report, actor)
    delete_tracked(evidence, actor=actor, reason=reason)


def _unit_users(units):
    return get_user_model().objects.filter(profile__unit__in=units, is_active=True)


def _notify(subject, body, recipients, report):
    """An in-app notice and an email (now or in the daily digest) with a direct link
    to the report's page, for each recipient (``notices.services.notify``)."""
    notify(recipients, subject=subject, body=body, link=reverse("report-detail", args=[report.pk]))


def _bappeda_users(government_id):
    return get_user_model().objects.filter(
        is_active=True, groups__name=policy.BAPPEDA_GROUP, profile__government_id=government_id
    )


@transaction.atomic
def submit_report(report, *, actor, reason="", at=None, expected_version=None):
    """Send a report to Bappeda for verification; after the deadline it is marked late.

    ``at`` is when it happened (default: now); only imports of past quarters pass it.
    ``expected_version`` is the version the client read (the API sends it): if the
    report changed since, ``StaleReportError`` says what changed and nothing is done.
    """
    report = _locked_report(report)
    _authorize(report, actor, "unit")  # who may, before what state it is in
    _check_writable(report)
    check_seen(report, expected_version)
    now = at or timezone.now()
    report.submitted_at = now
    # The unit's deadline, extended or not: one answer for every screen that judges lateness.
    report.is_late = timezone.localdate(now) > submission_deadline(
        report.program.owner_unit_id, report.period
    )
    _move(report, R.SUBMITTED, actor=actor, reason=reason)
    _notify(
        _("Progress report submitted: %(report)s") % {"report": report},
        _("%(unit)s submitted its report for %(report)s. Verify or return it.")
        % {"unit": report.program.owner_unit, "report": report},
        _bappeda_users(report.period.government_id),
        report,
    )
    return report


@transaction.atomic
def verify_report(report, *, actor, expected_version=None, reason="", at=None):
    """A reviewer accepts a submitted report; it becomes read-only and its figures count.

    The reviewer must not belong to the report's unit nor have written or
    submitted it (``ReviewRefused``). ``expected_version`` is the report's
    version on the page the reviewer decided on: if the report changed since,
    ``StaleReportError`` says what changed and nothing is done. Only the system
    (seeding, imports) leaves it out.
    """
    report = _locked_report(report)
    _authorize(report, actor, "review")  # who may, before what state it is in
    _check_writable(report)
    check_seen(report, expected_version)
    report.verified_at = at or timezone.now()
    report.verified_by = actor
    report.return_reason = ""
    _move(report, R.VERIFIED, actor=actor, reason=reason)
    _notify(
        _("Progress report verified: %(report)s") % {"report": report},
        _("Bappeda verified the report %(report)s.") % {"report": report},
        _unit_users([report.program.owner_unit]),
        report,
    )
    return report


@transaction.atomic
def return_report(report, *, actor, reason, expected_version=None):
    """A reviewer sends a report back to the unit; the reason is required and shown to the unit,
    and becomes a message of the report's conversation (``conversations``).

    Refused like :func:`verify_report`: to the report's own unit and authors,
    and on a page drawn before the report's latest change.
    """
    report = _locked_report(report)
    _authorize(report, actor, "review")  # who may, before what state it is in
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the report is returned.")})
    _check_writable(report)
    check_seen(report, expected_version)
    report.return_reason = reason.strip()
    _move(report, R.RETURNED, actor=actor, reason=reason.strip())
    # The reason opens (or continues) the report's conversation, so the unit can answer it.
    from conversations.services import record_return_reason

    record_return_reason(report, actor=actor, reason=reason)
    _notify(
        _("Progress report returned: %(report)s") % {"report": report},
        _("Bappeda returned the report %(report)s. Reason: %(reason)s")
        % {"report": report, "reason": reason.strip()},
        _unit_users([report.program.owner_unit]),
        report,
    )
    return report


@transaction.atomic
def bulk_verify(reports, *, actor, expected_versions=None, reason=""):
    """Verify several submitted reports at once: all or none.

    ``expected_versions`` maps each report's id to the version shown on the
    queue page. If any report cannot be verified (changed since, not the
    actor's to verify, not submitted), nothing is, and the ``ValidationError``
    names every such report and why.
    """
    verified, problems = [], []
    for report in reports:
        try:
            if expected_versions is not None and report.pk not in expected_versions:
                raise ValidationError(_("the page did not say which version you saw"))
            expected = None if expected_versions is None else expected_versions[report.pk]
            with transaction.atomic():
                verified.append(
                    verify_report(report, actor=actor, expected_version=expected, reason=reason)
                )
        except ReviewRefused as error:
            problems.append(f"{report}: {error.message}")
        except ValidationError as error:
            problems += [f"{report}: {message}" for message in error.messages]
    if problems:
        raise ValidationError(problems)
    return verified
