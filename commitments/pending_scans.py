"""Scans kept across the signing form's errors (``PendingScan``): services and the selector.

A scan chosen on the signing form is kept as soon as it passes the file checks,
so an error elsewhere on the form (a missing date, an official not chosen) does
not make the user find the file again. It belongs to the user and the
commitment: only that user's form lists it, it becomes the event's scan when
the form saves, and the user can remove it. Kept scans nobody used are dropped
after ``PENDING_SCAN_DAYS``.
"""

import datetime
import os

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from commitments import services
from commitments.models import PendingScan
from tracker import policy
from tracker.uploads import sha256_of, validate_evidence

PENDING_SCAN_DAYS = 7
NAME_MAX = PendingScan._meta.get_field("original_name").max_length


def _cutoff():
    return timezone.now() - datetime.timedelta(days=PENDING_SCAN_DAYS)


def kept_scan(user, commitment):
    """The scan ``user`` chose for ``commitment``'s signing form and has not used yet, or None.

    Only the user's own: a kept scan is never shown to anyone else.
    """
    if not user.is_authenticated:
        return None
    return PendingScan.objects.filter(
        commitment=commitment, user=user, kept_at__gte=_cutoff()
    ).first()


def _short_name(name):
    """``name`` cut to fit the column, keeping its extension (people recognise files by it)."""
    name = os.path.basename(name or "")
    if len(name) <= NAME_MAX:
        return name
    stem, extension = os.path.splitext(name)
    return stem[: NAME_MAX - len(extension)] + extension


def _forget(pending):
    """Delete the row now and its file once the transaction has committed."""
    storage, name = pending.file.storage, pending.file.name
    pending.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def keep_scan(commitment, *, actor, upload):
    """Keep ``upload`` for ``actor``'s signing form of ``commitment`` (replacing an earlier one).

    Only someone who may record the commitment's signatures keeps a scan
    (``PermissionDenied`` otherwise); the file passes the same checks as the
    event's scan (``ValidationError``). Kept scans older than
    ``PENDING_SCAN_DAYS``, anyone's, are dropped on the way.
    """
    if not policy.can_change(actor, commitment):
        raise PermissionDenied
    validate_evidence(upload)
    for old in PendingScan.objects.select_for_update().filter(commitment=commitment, user=actor):
        _forget(old)
    for stale in PendingScan.objects.filter(kept_at__lt=_cutoff()):
        _forget(stale)
    pending = PendingScan(
        commitment=commitment,
        user=actor,
        original_name=_short_name(upload.name),
        size=upload.size,
        sha256=sha256_of(upload),
    )
    pending.file.save(pending.original_name, upload, save=False)
    pending.save()
    return pending


@transaction.atomic
def discard_scan(pending, *, actor):
    """Remove a kept scan: the "Remove" button beside it. Only its owner may."""
    if pending.user_id != actor.pk:
        raise PermissionDenied
    _forget(pending)


@transaction.atomic
def record_signing_event_with_kept_scan(commitment, *, actor, pending, **event):
    """Record a signing event (``services.record_signing_event``) whose scan is ``pending``.

    The kept scan is used up: the event stores its own copy and the kept one
    is removed in the same transaction, so a refused event keeps it for the
    next attempt.
    """
    if pending.user_id != actor.pk or pending.commitment_id != commitment.pk:
        raise PermissionDenied
    pending.file.open("rb")
    try:
        scan = File(pending.file.file, name=pending.original_name)
        result = services.record_signing_event(commitment, actor=actor, scan=scan, **event)
    finally:
        pending.file.close()
    _forget(pending)
    return result
