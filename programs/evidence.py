"""Several evidence files for one progress report, checked together: all or none.

A unit attaches photos, minutes and screenshots in one upload. Each file is
checked as a single upload is (``tracker.uploads.validate_evidence``); one bad
file refuses the whole upload, and the message names that file so the person
knows which one to replace. The files themselves are saved by
``programs.reporting.save_report``, inside its transaction, with the rest of
the report.

Files chosen on the report form whose save then fails are kept
(``PendingEvidence``) for the person's next save, which attaches them: the
services at the end of this module keep, list, remove and attach them, and a
nightly task drops those nobody will attach (``expire_pending_evidence``).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import PendingEvidence, ProgressEvidence, ProgressReport, ReportingPeriod
from tracker import policy
from tracker.history import delete_tracked, save_tracked
from tracker.uploads import sha256_of, validate_evidence


def check_evidence_files(uploads):
    """Raise ``ValidationError`` naming every file of ``uploads`` that is not acceptable evidence.

    Returns the uploads as a list when all of them are acceptable. One upload
    (a page's form or an API request) carries at most
    ``EVIDENCE_MAX_FILES_PER_REQUEST`` files and ``EVIDENCE_MAX_BYTES_PER_REQUEST``
    bytes in all; more is refused before any file is looked at or saved.
    """
    uploads = [upload for upload in uploads or [] if upload]
    check_evidence_totals(uploads)
    problems = []
    for upload in uploads:
        try:
            validate_evidence(upload)
        except ValidationError as error:
            problems.append(
                _("“%(name)s”: %(problem)s") % {"name": upload.name, "problem": error.messages[0]}
            )
    if problems:
        problems.append(_("No file was saved; replace or leave out the files named above."))
        raise ValidationError(problems, code="bad_evidence")
    return uploads


def check_evidence_totals(uploads):
    """Raise ``ValidationError`` if ``uploads`` are too many files, or bytes, for one upload."""
    most_files = settings.EVIDENCE_MAX_FILES_PER_REQUEST
    if len(uploads) > most_files:
        raise ValidationError(
            _(
                "%(count)d files were sent; at most %(limit)d go in one upload. "
                "No file was saved; send them in several uploads."
            )
            % {"count": len(uploads), "limit": most_files},
            code="too_many_files",
        )
    total = sum(upload.size or 0 for upload in uploads)
    most_bytes = settings.EVIDENCE_MAX_BYTES_PER_REQUEST
    if total > most_bytes:
        raise ValidationError(
            _(
                "The files sent come to %(size)s MB; at most %(limit)s MB go in one upload. "
                "No file was saved; send them in several uploads."
            )
            % {"size": round(total / 1_000_000, 1), "limit": round(most_bytes / 1_000_000, 1)},
            code="too_many_bytes",
        )


# --- Files kept for the next save of a report form ----------------------------------------


def pending_evidence_of(user, program, period):
    """The files ``user`` chose on ``program``'s report form for ``period`` and that wait
    for the form's next successful save, oldest first.

    Only the person's own, and only while the policy lets them see the program's
    records as its owner unit: another unit's kept files (and a supporting
    unit's view of them) are never listed.
    """
    return policy.visible(
        user,
        PendingEvidence.objects.filter(program=program, period=period, uploaded_by_id=user.pk),
    ).order_by("uploaded_at", "pk")


def _authorize_pending(program, period, actor):
    if not policy.can_change(actor, ProgressReport(program=program, period=period)):
        raise PermissionDenied
    if period.is_locked:
        raise ValidationError(_("The period is locked; nothing can be changed in it."))


@transaction.atomic
def keep_pending_evidence(program, period, uploads, *, actor):
    """Keep ``uploads`` (chosen on the report form, whose save failed) for ``actor``'s
    next save of ``program``'s report for ``period``; returns the kept records.

    Each file is checked as evidence is (``check_evidence_files``: type, size, files
    and bytes per upload), and the files kept with the ones already waiting must
    still fit in one upload, since the next save attaches them together. A file
    already kept (the same content) is not kept twice. All or nothing; refused
    (``PermissionDenied``) to anyone who may not write the program's report.
    """
    _authorize_pending(program, period, actor)
    uploads = check_evidence_files(uploads)
    waiting = list(pending_evidence_of(actor, program, period))
    known = {item.sha256 for item in waiting}
    fresh = []
    for upload in uploads:
        digest = sha256_of(upload)
        if digest not in known:
            known.add(digest)
            fresh.append((upload, digest))
    check_kept_totals(waiting, [upload for upload, _digest in fresh])
    kept = []
    for upload, digest in fresh:
        item = PendingEvidence(
            program=program,
            period=period,
            uploaded_by=actor,
            name=upload.name[: PendingEvidence._meta.get_field("name").max_length],
            size=upload.size,
            sha256=digest,
        )
        item.file.save(upload.name, upload, save=False)
        kept.append(save_tracked(item, actor=actor, reason=""))
    return kept


def check_kept_totals(waiting, uploads):
    """Raise ``ValidationError`` if the files ``waiting`` plus ``uploads`` are more files or
    bytes than one upload may carry (they are attached together by the next save)."""
    try:
        check_evidence_totals([*waiting, *uploads])
    except ValidationError as error:
        raise ValidationError(
            _(
                "%(kept)d files are kept for this report already; with the %(count)d chosen "
                "now they would be more than one save may attach (%(files)d files, "
                "%(megabytes)s MB). Remove kept files you do not need, then choose again."
            )
            % {
                "kept": len(waiting),
                "count": len(uploads),
                "files": settings.EVIDENCE_MAX_FILES_PER_REQUEST,
                "megabytes": round(settings.EVIDENCE_MAX_BYTES_PER_REQUEST / 1_000_000, 1),
            },
            code=error.code,
        ) from None


def _forget_file(field_file):
    # After the commit: a rolled-back removal or save must still find its file.
    name, storage = field_file.name, field_file.storage
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def remove_pending_evidence(item, *, actor, reason=""):
    """Drop a kept file: the person removed it from the form before saving.

    Only its uploader may, while they may still write the program's report; the
    history keeps a "removed" row with the actor; the stored file is deleted
    once the removal is committed (it never was part of a report).
    """
    if item.uploaded_by_id != getattr(actor, "pk", None):
        raise PermissionDenied
    _authorize_pending(item.program, item.period, actor)
    delete_tracked(item, actor=actor, reason=reason)
    _forget_file(item.file)


def promote_pending_evidence(report, items, *, actor, reason=""):
    """Attach the kept ``items`` to ``report`` as its evidence, and drop them from the kept
    files; called by ``programs.reporting.save_report`` inside its transaction.

    Each must be ``actor``'s own, for this report's program and quarter, and
    still acceptable evidence (checked again: the settings may have changed).
    The report's evidence history names ``actor`` and ``reason``.
    """
    promoted = []
    for item in items:
        if (item.program_id, item.period_id) != (report.program_id, report.period_id) or (
            item.uploaded_by_id != getattr(actor, "pk", None)
        ):
            raise PermissionDenied
        with item.file.open("rb") as handle:
            stored = File(handle, name=item.name)
            try:
                validate_evidence(stored)
            except ValidationError as error:
                raise ValidationError(
                    {
                        "evidence": _("“%(name)s”: %(problem)s")
                        % {"name": item.name, "problem": error.messages[0]}
                    }
                ) from None
            evidence = ProgressEvidence(report=report, sha256=item.sha256, uploaded_by=actor)
            evidence.file.save(item.name, stored, save=False)
        promoted.append(save_tracked(evidence, actor=actor, reason=reason))
        delete_tracked(item, actor=actor, reason=reason)
        _forget_file(item.file)
    return promoted


def expire_pending_evidence(*, now=None):
    """Drop the kept files nobody will attach any more: kept more than
    ``KEPT_EVIDENCE_DAYS`` days ago, or of a quarter that is locked (its report can no
    longer be written). Run nightly (``programs.tasks.expire_kept_evidence``, or the
    ``expire_kept_evidence`` command from cron).

    Each file goes in a transaction of its own, with a history row ("-") of the
    system that says why; its stored copy is deleted once that is committed.
    Returns how many were dropped.
    """
    now = now or timezone.now()
    days = settings.KEPT_EVIDENCE_DAYS
    cutoff = now - datetime.timedelta(days=days)
    locked = ReportingPeriod.State.LOCKED
    stale = PendingEvidence.objects.filter(
        Q(uploaded_at__lt=cutoff) | Q(period__state=locked)
    ).select_related("period")
    count = 0
    for item in stale.iterator():
        if item.period.state == locked:
            reason = _("Kept file removed: its quarter is locked, so no report will attach it.")
        else:
            reason = _("Kept file removed: not attached within %(days)s days.") % {"days": days}
        with transaction.atomic():
            delete_tracked(item, actor=None, reason=reason)
            _forget_file(item.file)
        count += 1
    return count
