"""Evidence files waiting for a report form to save.

A unit member chooses photos and minutes on the quarterly report form, and the
save fails (a progress value out of range, a stale form, a far-off number to
confirm). The browser cannot refill a file input, so without this the files
would have to be chosen again, on a phone often from a camera roll. Instead the
chosen files are kept here, tied to the program, the quarter and the person who
chose them, listed on the form as "kept", and turned into the report's
``ProgressEvidence`` by the next successful save (``programs.evidence``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.models.program import Program
from programs.models.progress import ReportingPeriod


def pending_evidence_path(instance, filename):
    # Apart from the report's own files: these are not evidence of anything yet.
    return (
        f"pending/{instance.program_id}/{instance.period_id}/{instance.uploaded_by_id}/{filename}"
    )


class PendingEvidence(models.Model):
    """A file chosen on a report form whose save failed, kept for the next save."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="+", verbose_name=_("program")
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="+", verbose_name=_("period")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    file = models.FileField(_("file"), upload_to=pending_evidence_path, max_length=300)
    # The name as chosen: the storage may add a suffix to the stored one.
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("kept evidence file")
        verbose_name_plural = _("kept evidence files")
        indexes = [models.Index(fields=["program", "period", "uploaded_by"])]

    def __str__(self):
        return self.name
