"""Writes on commitments and signatures. Views, the admin and commands call these.

The commitment's life is one transitions table (``TRANSITIONS``): draft ->
open for signing -> closed, and closed -> open again with a reason. Points and
signatories change only in a draft; signatures are recorded only while open.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from commitments.models import Commitment, CommitmentPoint, Signatory, Signature, SigningEvent
from tracker.history import delete_tracked, save_tracked
from tracker.models import Official, Unit
from tracker.uploads import sha256_of, validate_evidence

State = Commitment.State

# Allowed next states; anything else is refused.
TRANSITIONS = {
    State.DRAFT: {State.OPEN},
    State.OPEN: {State.CLOSED},
    State.CLOSED: {State.OPEN},
}


def _set_state(commitment, new_state, *, actor, reason):
    if new_state not in TRANSITIONS[commitment.state]:
        raise ValidationError(
            _("A commitment that is “%(old)s” cannot become “%(new)s”.")
            % {"old": commitment.get_state_display(), "new": State(new_state).label}
        )
    commitment.state = new_state
    return save_tracked(commitment, actor=actor, reason=reason)


def _require_draft(commitment):
    if not commitment.is_editable:
        raise ValidationError(
            _("Points and signatories can only be changed while the commitment is a draft.")
        )


def _locked(commitment):
    """Re-read the commitment with a row lock, so two clerks cannot race a transition."""
    return Commitment.objects.select_for_update().get(pk=commitment.pk)


@transaction.atomic
def create_commitment(
    *,
    actor,
    government,
    title,
    theme,
    scheme,
    date,
    place,
    legal_basis,
    document_number="",
    witnesses="",
    points=(),
    signatories=(),
    scan=None,
    reason="",
):
    """Create a draft commitment with its theme and classification scheme (a shared one or
    one of ``government``), its numbered points (a list of texts), its expected signatories
    (units) and, optionally, the scan of the signed document."""
    _check_scheme(government, scheme)
    commitment = Commitment(
        government=government,
        title=title,
        theme=theme,
        scheme=scheme,
        document_number=document_number,
        date=date,
        place=place,
        legal_basis=legal_basis,
        witnesses=witnesses,
    )
    save_tracked(commitment, actor=actor, reason=reason)
    set_points(commitment, actor=actor, texts=points, reason=reason)
    set_signatories(commitment, actor=actor, units=signatories, reason=reason)
    if scan is not None:
        attach_scan(commitment, actor=actor, scan=scan, reason=reason)
    return commitment


EDITABLE_FIELDS = (
    "title",
    "theme",
    "scheme",
    "document_number",
    "date",
    "place",
    "legal_basis",
    "witnesses",
)


def _check_scheme(government, scheme):
    """A commitment follows a shared scheme or one of its own government."""
    if scheme.government_id not in (None, government.pk):
        raise ValidationError(
            {"scheme": _("This classification scheme belongs to another government.")}
        )


def _check_scheme_change(commitment, scheme):
    """The scheme changes only while no program of the commitment carries a category of the
    old one: those categories would no longer fit (change them first)."""
    _check_scheme(commitment.government, scheme)
    classified = commitment.programs.filter(categories__isnull=False).distinct().count()
    if classified:
        raise ValidationError(
            {
                "scheme": _(
                    "%(count)s program(s) of this commitment carry categories of %(scheme)s: "
                    "the classification scheme can change only once no program uses them."
                )
                % {"count": classified, "scheme": commitment.scheme}
            }
        )


@transaction.atomic
def update_commitment(
    commitment, *, actor, points=None, signatories=None, scan=None, reason="", **fields
):
    """Change a draft commitment: its fields, points (texts) and signatories (units).

    Only fields that really change are saved, so the history shows real edits.
    """
    commitment = _locked(commitment)
    _require_draft(commitment)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"cannot update {sorted(unknown)}")
    changed = {name: value for name, value in fields.items() if getattr(commitment, name) != value}
    if "scheme" in changed:
        _check_scheme_change(commitment, changed["scheme"])
    if changed:
        for name, value in changed.items():
            setattr(commitment, name, value)
        save_tracked(commitment, actor=actor, reason=reason)
    if points is not None:
        set_points(commitment, actor=actor, texts=points, reason=reason)
    if signatories is not None:
        set_signatories(commitment, actor=actor, units=signatories, reason=reason)
    if scan is not None:
        attach_scan(commitment, actor=actor, scan=scan, reason=reason)
    return commitment


@transaction.atomic
def attach_scan(commitment, *, actor, scan, reason=""):
    """Attach (or replace) the scan of the whole signed document, in any state.

    The scan usually arrives after the ceremony, so this is allowed on an open
    or closed commitment too; the old file's hash stays in the history.
    """
    validate_evidence(scan)
    commitment = _locked(commitment)
    commitment.scan_sha256 = sha256_of(scan)
    commitment.scan.save(scan.name, scan, save=False)
    return save_tracked(commitment, actor=actor, reason=reason)


@transaction.atomic
def set_points(commitment, *, actor, texts, reason=""):
    """Replace the commitment's points with ``texts``, numbered from 1 (draft only).

    Unchanged points are left alone, so the history shows only real edits.
    """
    commitment = _locked(commitment)
    _require_draft(commitment)
    texts = [t.strip() for t in texts if t and t.strip()]
    existing = {p.number: p for p in commitment.points.all()}
    for number, text in enumerate(texts, start=1):
        point = existing.pop(number, None)
        if point is None:
            save_tracked(
                CommitmentPoint(commitment=commitment, number=number, text=text),
                actor=actor,
                reason=reason,
            )
        elif point.text != text:
            point.text = text
            save_tracked(point, actor=actor, reason=reason)
    for point in existing.values():
        delete_tracked(point, actor=actor, reason=reason)


def units_of_kinds(government, kinds):
    """Active units of ``government`` of the given kinds (e.g. all Asda, all OPD, all Kecamatan)."""
    return Unit.objects.filter(government=government, kind__in=kinds, is_active=True)


@transaction.atomic
def set_signatories(commitment, *, actor, units, reason=""):
    """Make ``units`` the commitment's expected signatories (draft only)."""
    commitment = _locked(commitment)
    _require_draft(commitment)
    wanted = {unit.pk: unit for unit in units}
    for unit in wanted.values():
        if unit.government_id != commitment.government_id:
            raise ValidationError(_("%(unit)s belongs to another government.") % {"unit": unit})
    current = {s.unit_id: s for s in commitment.signatories.all()}
    new = [
        Signatory(commitment=commitment, unit=unit)
        for pk, unit in wanted.items()
        if pk not in current
    ]
    if new:
        bulk_create_with_history(new, Signatory, default_user=actor, default_change_reason=reason)
    for unit_id, signatory in current.items():
        if unit_id not in wanted:
            delete_tracked(signatory, actor=actor, reason=reason)


@transaction.atomic
def open_for_signing(commitment, *, actor, reason=""):
    """Draft -> open for signing. Needs at least one point and one signatory."""
    commitment = _locked(commitment)
    if not commitment.points.exists():
        raise ValidationError(_("Add at least one commitment point before opening it for signing."))
    if not commitment.signatories.exists():
        raise ValidationError(_("Choose the expected signatories before opening it for signing."))
    return _set_state(commitment, State.OPEN, actor=actor, reason=reason)


@transaction.atomic
def close_commitment(commitment, *, actor, reason=""):
    """Open -> closed: the commitment becomes read-only."""
    return _set_state(_locked(commitment), State.CLOSED, actor=actor, reason=reason)


@transaction.atomic
def reopen_commitment(commitment, *, actor, reason):
    """Closed -> open for signing again; the reason is required and kept in the history."""
    if not (reason or "").strip():
        raise ValidationError(_("Give a reason for reopening the commitment."))
    commitment = _locked(commitment)
    if commitment.state != State.CLOSED:
        raise ValidationError(_("Only a closed commitment can be reopened."))
    return _set_state(commitment, State.OPEN, actor=actor, reason=reason)


def _check_signing_time(commitment, signed_at):
    local_date = timezone.localdate(signed_at)
    if signed_at > timezone.now():
        raise ValidationError({"signed_at": _("The signing date cannot be in the future.")})
    if local_date < commitment.date:
        raise ValidationError(
            {
                "signed_at": _(
                    "The signing date cannot be before the commitment's date (%(date)s)."
                )
                % {"date": commitment.date.isoformat()}
            }
        )


def _check_can_sign(commitment, unit, official, on, live_units, expected_units):
    """Validate one signer; raise ``ValidationError`` naming the unit."""
    if unit.pk not in expected_units:
        raise ValidationError(
            _("%(unit)s is not an expected signatory of this commitment.") % {"unit": unit}
        )
    if unit.pk in live_units:
        raise ValidationError(
            _("%(unit)s has already signed; revoke that signature first to record another.")
            % {"unit": unit}
        )
    in_office = (
        official.unit_id == unit.pk
        and official.start_date <= on
        and (official.end_date is None or official.end_date >= on)
    )
    if not in_office:
        raise ValidationError(
            _("%(name)s was not in office at %(unit)s on %(date)s.")
            % {"name": official.name, "unit": unit, "date": on.isoformat()}
        )


def new_signature(
    commitment,
    signer,
    *,
    signed_at,
    method,
    actor,
    event=None,
    evidence_name,
    evidence_sha256,
):
    """An unsaved signature of ``signer``, a ``(unit, official)`` pair, that copies the
    official's name, NIP, rank and position as they are now, so later changes to the
    official do not rewrite it."""
    unit, official = signer
    return Signature(
        commitment=commitment,
        unit=unit,
        official=official,
        official_name=official.name,
        official_nip=official.nip,
        official_rank=official.rank,
        official_position=official.position,
        signed_at=signed_at,
        method=method,
        event=event,
        evidence=evidence_name,
        evidence_sha256=evidence_sha256,
        recorded_by=actor,
    )


def _signing_state(commitment):
    if not commitment.accepts_signatures:
        raise ValidationError(
            _(
                "Signatures can only be recorded while the commitment is open for signing "
                "(it is “%(state)s”)."
            )
            % {"state": commitment.get_state_display()}
        )
    live = set(
        commitment.signatures.filter(revoked_at__isnull=True).values_list("unit_id", flat=True)
    )
    expected = set(commitment.signatories.values_list("unit_id", flat=True))
    return live, expected


@transaction.atomic
def record_signature(commitment, *, actor, unit, official, signed_at, method, evidence, reason=""):
    """Record one unit's signature with its own evidence file (PDF, JPEG or PNG)."""
    commitment = _locked(commitment)
    live, expected = _signing_state(commitment)
    _check_signing_time(commitment, signed_at)
    _check_can_sign(commitment, unit, official, timezone.localdate(signed_at), live, expected)
    validate_evidence(evidence)
    signature = new_signature(
        commitment,
        (unit, official),
        signed_at=signed_at,
        method=method,
        actor=actor,
        evidence_name=None,
        evidence_sha256=sha256_of(evidence),
    )
    signature.evidence.save(evidence.name, evidence, save=False)
    return save_tracked(signature, actor=actor, reason=reason)


@transaction.atomic
def record_signing_event(
    commitment,
    *,
    actor,
    signed_at,
    place,
    scan,
    signers,
    method=Signature.Method.WET_INK,
    reason="",
):
    """Record a ceremony: one scan, and a signature for each ``(unit, official)`` in ``signers``.

    All or nothing: one bad signer refuses the whole event. The signatures are
    written in one bulk insert with their history rows (one history batch).
    """
    commitment = _locked(commitment)
    live, expected = _signing_state(commitment)
    _check_signing_time(commitment, signed_at)
    if not signers:
        raise ValidationError(_("Tick at least one signatory who was present."))
    on = timezone.localdate(signed_at)
    seen = set()
    for unit, official in signers:
        if unit.pk in seen:
            raise ValidationError(_("%(unit)s is ticked twice.") % {"unit": unit})
        seen.add(unit.pk)
        _check_can_sign(commitment, unit, official, on, live, expected)
    validate_evidence(scan)

    event = SigningEvent(
        commitment=commitment,
        signed_at=signed_at,
        place=place,
        recorded_by=actor,
        scan_sha256=sha256_of(scan),
    )
    event.scan.save(scan.name, scan, save=False)
    save_tracked(event, actor=actor, reason=reason)
    signatures = [
        new_signature(
            commitment,
            signer,
            signed_at=signed_at,
            method=method,
            actor=actor,
            event=event,
            evidence_name=event.scan.name,
            evidence_sha256=event.scan_sha256,
        )
        for signer in signers
    ]
    return event, bulk_create_with_history(
        signatures, Signature, default_user=actor, default_change_reason=reason
    )


@transaction.atomic
def revoke_signature(signature, *, actor, reason):
    """Revoke a live signature; the reason is required. The record itself stays."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for revoking this signature.")})
    signature = Signature.objects.select_for_update().get(pk=signature.pk)
    if signature.revoked_at is not None:
        raise ValidationError(_("This signature was already revoked."))
    if signature.commitment.state == State.CLOSED:
        raise ValidationError(_("The commitment is closed; reopen it first."))
    signature.revoked_at = timezone.now()
    signature.revoked_by = actor
    signature.revocation_reason = reason.strip()
    return save_tracked(signature, actor=actor, reason=reason.strip())


def heads_for_signing(commitment, on):
    """Map unit id -> head official in office on ``on`` for each expected signatory (one query)."""
    if isinstance(on, datetime.datetime):
        on = timezone.localdate(on)
    heads = Official.objects.in_office(on).filter(
        unit__signatory_of__commitment=commitment, is_head=True
    )
    return {official.unit_id: official for official in heads}
