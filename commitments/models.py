"""Joint commitments (Komitmen Bersama), the units expected to sign them, and signatures.

A signature record keeps what was true on the day it was signed: the official's
name, NIP, rank and position are copied onto it, because officials move. A
signature is never edited; a mistake is revoked with a reason and recorded
again, and both stay in the history.
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.models import (
    LONG_TEXT_MAX,
    NOTE_MAX,
    PLAN_TEXT_MAX,
    Government,
    Official,
    Unit,
    bounded_text,
)


def evidence_path(instance, filename):
    """Files are stored per commitment; they are served only through permission-checked views."""
    commitment_id = instance.pk if isinstance(instance, Commitment) else instance.commitment_id
    return f"commitments/{commitment_id}/{filename}"


def recorded_by_field():
    """Who recorded a signing event or a signature: empty only for records imported by
    the system (seed_demo, data migrations)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )


class Commitment(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for signing")
        CLOSED = "closed", _("Closed")

    government = models.ForeignKey(
        Government,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("government"),
    )
    title = models.CharField(_("title"), max_length=300)
    theme = models.CharField(
        _("theme"),
        max_length=100,
        help_text=_(
            "What the commitment is about, e.g. Percepatan Penurunan Stunting or Zona Integritas."
        ),
    )
    # How its programs are grouped (programs.models.classification).
    scheme = models.ForeignKey(
        "programs.ClassificationScheme",
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("classification scheme"),
    )
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    legal_basis = bounded_text(
        _("legal basis"),
        LONG_TEXT_MAX,
        help_text=_("One regulation per line, e.g. Perda No. 4 Tahun 2016."),
    )
    witnesses = bounded_text(
        _("witnesses"), LONG_TEXT_MAX, blank=True, help_text=_("One per line: name and position.")
    )
    scan = models.FileField(_("scan of the signed document"), upload_to=evidence_path, blank=True)
    scan_sha256 = models.CharField(_("SHA-256 of the scan"), max_length=64, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, editable=False
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [models.Index(fields=["government", "state", "date"])]

    def __str__(self):
        return self.title

    # The commitment itself evaluates: kept here so pages and services agree.
    @property
    def is_editable(self):
        """Points and signatories can change only while the commitment is a draft."""
        return self.state == self.State.DRAFT

    @property
    def accepts_signatures(self):
        return self.state == self.State.OPEN

    @property
    def legal_basis_lines(self):
        return [line.strip() for line in self.legal_basis.splitlines() if line.strip()]

    @property
    def witness_lines(self):
        return [line.strip() for line in self.witnesses.splitlines() if line.strip()]


class CommitmentPoint(models.Model):
    """One numbered pledge of a commitment."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="points", verbose_name=_("commitment")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = bounded_text(_("text"), PLAN_TEXT_MAX)
    history = HistoricalRecords()

    class Meta:
        ordering = ["commitment", "number"]
        verbose_name = _("commitment point")
        verbose_name_plural = _("commitment points")
        constraints = [
            models.UniqueConstraint(fields=["commitment", "number"], name="point_number_unique")
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"


class Signatory(models.Model):
    """A unit expected to sign a commitment."""

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="signatories",
        verbose_name=_("commitment"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="signatory_of", verbose_name=_("unit")
    )
    history = HistoricalRecords()
    history_label = "unit"  # names the row in the commitment's history

    class Meta:
        ordering = ["commitment", "unit__kind", "unit__name"]
        verbose_name = _("expected signatory")
        verbose_name_plural = _("expected signatories")
        constraints = [
            models.UniqueConstraint(fields=["commitment", "unit"], name="signatory_unique")
        ]

    def __str__(self):
        return str(self.unit)


class SigningEvent(models.Model):
    """A ceremony where many signed one sheet: one scan serves as everyone's evidence."""

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="signing_events",
        verbose_name=_("commitment"),
    )
    signed_at = models.DateTimeField(_("signed at"))
    place = models.CharField(_("place"), max_length=200)
    scan = models.FileField(_("scan"), upload_to=evidence_path)
    scan_sha256 = models.CharField(_("SHA-256 of the scan"), max_length=64)
    recorded_by = recorded_by_field()
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_at"]
        verbose_name = _("signing event")
        verbose_name_plural = _("signing events")

    def __str__(self):
        return f"{self.commitment} · {self.signed_at:%Y-%m-%d}"


class Signature(models.Model):
    """One unit's signature on a commitment, as it was on the day."""

    class Method(models.TextChoices):
        WET_INK = "wet", _("Wet ink on paper, scanned")
        ELECTRONIC = "electronic", _("Electronic signature")

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="signatures",
        verbose_name=_("commitment"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("unit")
    )
    official = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("official")
    )
    # Copied from the official at signing time.
    official_name = models.CharField(_("name"), max_length=200)
    official_nip = models.CharField(_("NIP"), max_length=18, blank=True)
    official_rank = models.CharField(_("rank / grade"), max_length=100, blank=True)
    official_position = models.CharField(_("position"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"))
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    event = models.ForeignKey(
        SigningEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("signing event"),
    )
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=300)
    evidence_sha256 = models.CharField(_("SHA-256 of the evidence"), max_length=64)
    recorded_by = recorded_by_field()
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = bounded_text(_("reason for revocation"), NOTE_MAX, blank=True)
    history = HistoricalRecords()
    history_label = "official_name"

    class Meta:
        ordering = ["commitment", "unit__kind", "unit__name", "-signed_at"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            # At most one live (unrevoked) signature per unit and commitment.
            models.UniqueConstraint(
                fields=["commitment", "unit"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_signature_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="revocation_needs_reason",
            ),
        ]
        indexes = [models.Index(fields=["commitment", "revoked_at"])]

    def __str__(self):
        return f"{self.official_name} ({self.unit})"

    @property
    def is_live(self):
        return self.revoked_at is None


def pending_scan_path(instance, filename):
    """A random name under the commitment's folder: the file is nobody's evidence yet."""
    extension = os.path.splitext(filename)[1].lower()
    return f"commitments/{instance.commitment_id}/pending/{uuid.uuid4().hex}{extension}"


class PendingScan(models.Model):
    """A scan chosen on the signing form, kept while the form is corrected.

    It belongs to one user and one commitment: only that user's signing form
    shows it (never a list, page or download for anyone else), it becomes the
    signing event's scan when the form saves, and it is removed on request or
    after ``PENDING_SCAN_DAYS``. Not a record of the commitment, so no history:
    the event that uses it has its own, with the scan's SHA-256.
    """

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="+", verbose_name=_("commitment")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    file = models.FileField(_("file"), upload_to=pending_scan_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    kept_at = models.DateTimeField(_("kept at"), default=timezone.now)

    class Meta:
        verbose_name = _("kept scan")
        verbose_name_plural = _("kept scans")
        constraints = [
            # One kept scan per user and form: a new choice replaces it.
            models.UniqueConstraint(fields=["commitment", "user"], name="one_pending_scan_per_user")
        ]
        indexes = [models.Index(fields=["kept_at"])]

    def __str__(self):
        return self.original_name
