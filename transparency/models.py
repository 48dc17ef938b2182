"""What a government chose to show the public: its transparency page and the issued
quarterly reports Bappeda published there.

Both are history-tracked: who published or withdrew what, when and why is in
the history (``tracker.history.save_tracked`` / ``delete_tracked``), never
only in a flag.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reports.models import GeneratedReport
from tracker.models import PLAN_TEXT_MAX, Government, bounded_text


class PublicPage(models.Model):
    """A government's public transparency page: off until its Administrator publishes it."""

    government = models.OneToOneField(
        Government,
        on_delete=models.PROTECT,
        related_name="public_page",
        verbose_name=_("government"),
    )
    is_published = models.BooleanField(_("published"), default=False, editable=False)
    intro = bounded_text(
        _("introduction"),
        PLAN_TEXT_MAX,
        blank=True,
        help_text=_("A few sentences shown at the top of the public page."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")

    def __str__(self):
        return str(self.government)


class PublishedReport(models.Model):
    """An issued quarterly report that Bappeda published on the public page.

    Withdrawing it deletes this row through ``transparency.services``: the
    history's last row ("-") names who withdrew it and why, and the report
    itself (never deleted) stays verifiable by its code.
    """

    report = models.OneToOneField(
        GeneratedReport,
        on_delete=models.PROTECT,
        related_name="publication",
        verbose_name=_("report"),
    )
    published_at = models.DateTimeField(_("published at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-report__year", "-report__quarter", "-published_at"]
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")

    def __str__(self):
        return str(self.report)
