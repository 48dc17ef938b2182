"""Quarterly reporting: periods, progress reports and their rows.

One report per program and period. Its state moves only through the
transitions table in ``programs/reporting.py``; a form never sets it.
``version`` grows with every save, so a stale form is detected instead of
silently overwriting someone else's edit.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.models.plan import (
    MONEY_DIGITS,
    MONEY_VALIDATORS,
    VALUE_DIGITS,
    VALUE_VALIDATORS,
    Indicator,
)
from programs.models.program import AdoptionIndicator, Milestone, Program
from tracker.formatting import format_quarter
from tracker.history import HistoryPart
from tracker.models import LONG_TEXT_MAX, NOTE_MAX, Government, bounded_text


class ReportingPeriod(models.Model):
    """A quarter (triwulan) of a government, with its deadlines. Locked once verified."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        LOCKED = "locked", _("Locked")

    government = models.ForeignKey(
        Government, on_delete=models.PROTECT, related_name="periods", verbose_name=_("government")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    submission_deadline = models.DateField(_("deadline for units"))
    verification_deadline = models.DateField(_("deadline for Bappeda"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, editable=False
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["government", "-year", "-quarter"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(
                fields=["government", "year", "quarter"], name="period_unique_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="period_quarter_range"
            ),
        ]

    def __str__(self):
        return _("Quarter %(quarter)s %(year)s") % {
            "quarter": format_quarter(self.quarter),
            "year": self.year,
        }

    @property
    def is_locked(self):
        return self.state == self.State.LOCKED


class ProgressReport(models.Model):
    # The unit's own words on the quarter: the same names in the form, the workbook and
    # the API.
    TEXT_FIELDS = ("supporting_factors", "obstacles", "follow_up", "follow_up_next_plan")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")
        RETURNED = "returned", _("Returned")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="reports", verbose_name=_("program")
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("period"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, editable=False
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    budget_realisation = models.DecimalField(
        _("budget realisation (Rp)"),
        null=True,
        blank=True,
        validators=MONEY_VALIDATORS,
        **MONEY_DIGITS,
    )
    supporting_factors = bounded_text(
        _("supporting factors (faktor pendorong)"), LONG_TEXT_MAX, blank=True
    )
    obstacles = bounded_text(_("obstacles (faktor penghambat)"), LONG_TEXT_MAX, blank=True)
    follow_up = bounded_text(
        _("follow-up in the next quarter (tindak lanjut)"), LONG_TEXT_MAX, blank=True
    )
    follow_up_next_plan = bounded_text(
        _("follow-up in the next annual work plan (Renja)"), LONG_TEXT_MAX, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    is_late = models.BooleanField(_("submitted late"), default=False, editable=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
        editable=False,
    )
    return_reason = bounded_text(_("reason for return"), NOTE_MAX, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "program"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(fields=["program", "period"], name="report_unique_per_period"),
        ]
        indexes = [models.Index(fields=["period", "state"])]

    def __str__(self):
        return f"{self.program} · {self.period}"

    def history_parts(self):
        """The report's own history and that of its rows and evidence (tracker.history)."""
        return [
            HistoryPart(ProgressReport, self.history.all(), own=True),
            HistoryPart(MilestoneProgress, MilestoneProgress.history.filter(report_id=self.pk)),
            HistoryPart(
                IndicatorRealisation, IndicatorRealisation.history.filter(report_id=self.pk)
            ),
            HistoryPart(AdoptionRealisation, AdoptionRealisation.history.filter(report_id=self.pk)),
            HistoryPart(ProgressEvidence, ProgressEvidence.history.filter(report_id=self.pk)),
        ]

    @property
    def is_editable(self):
        """Units write in a draft or a returned report, never after submitting."""
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class MilestoneProgress(models.Model):
    """A milestone's cumulative progress (0-100 %) as reported for a quarter."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="milestone_rows",
        verbose_name=_("progress report"),
    )
    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="progress", verbose_name=_("milestone")
    )
    percent = models.DecimalField(
        _("progress (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    history = HistoricalRecords()
    history_label = "milestone"  # names the row in the report's history

    class Meta:
        verbose_name = _("milestone progress")
        verbose_name_plural = _("milestone progress")
        constraints = [
            models.UniqueConstraint(fields=["report", "milestone"], name="milestone_row_unique"),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="progress_percent_range"
            ),
        ]

    def __str__(self):
        return f"{self.milestone} · {self.percent} %"


class IndicatorRealisation(models.Model):
    """The realisation of a linked RPJMD indicator in the quarter."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="indicator_rows",
        verbose_name=_("progress report"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="realisations",
        verbose_name=_("indicator"),
    )
    value = models.DecimalField(
        _("realisation"), null=True, blank=True, validators=VALUE_VALIDATORS, **VALUE_DIGITS
    )
    note = bounded_text(
        _("note (keterangan)"),
        NOTE_MAX,
        blank=True,
        help_text=_("Printed in the report; required for a percentage above 100."),
    )
    history = HistoricalRecords()
    history_label = "indicator"

    class Meta:
        verbose_name = _("indicator realisation")
        verbose_name_plural = _("indicator realisations")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="indicator_row_unique")
        ]

    def __str__(self):
        return f"{self.indicator.code} · {self.value}"


class AdoptionRealisation(models.Model):
    """How much a program's app or service was used in the quarter."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="adoption_rows",
        verbose_name=_("progress report"),
    )
    indicator = models.ForeignKey(
        AdoptionIndicator,
        on_delete=models.CASCADE,
        related_name="realisations",
        verbose_name=_("adoption indicator"),
    )
    value = models.DecimalField(
        _("realisation"), null=True, blank=True, validators=VALUE_VALIDATORS, **VALUE_DIGITS
    )
    history = HistoricalRecords()
    history_label = "indicator"

    class Meta:
        verbose_name = _("adoption realisation")
        verbose_name_plural = _("adoption realisations")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="adoption_row_unique")
        ]

    def __str__(self):
        return f"{self.indicator} · {self.value}"


def progress_evidence_path(instance, filename):
    return f"progress/{instance.report.program_id}/{instance.report.period_id}/{filename}"


class ProgressEvidence(models.Model):
    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("progress report"),
    )
    file = models.FileField(_("file"), upload_to=progress_evidence_path, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.file.name.rsplit("/", 1)[-1]
