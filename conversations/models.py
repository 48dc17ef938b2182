"""Messages about a progress report, between the unit that writes it and Bappeda."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.models import ProgressReport
from tracker.models import PLAN_TEXT_MAX, bounded_text

# Long enough for an answer with a few points, short enough to read in an email.
MESSAGE_MAX = PLAN_TEXT_MAX


class Message(models.Model):
    """One message in a report's conversation.

    ``side`` is the side the author spoke for when posting (the unit or
    Bappeda), kept so the thread reads the same after the author changes unit
    or role. Messages are never edited: a correction is a new message.
    """

    class Side(models.TextChoices):
        UNIT = "unit", _("Unit")
        BAPPEDA = "bappeda", _("Bappeda")

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("progress report"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    body = bounded_text(_("message"), MESSAGE_MAX)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["report", "created_at"])]

    def __str__(self):
        return f"{self.report} · {self.created_at:%Y-%m-%d %H:%M}"
