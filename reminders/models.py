"""Which deadline reminders went out (each person at most once per period and step),
and the deadlines Bappeda extended."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.models import ReportingPeriod


class ReminderSent(models.Model):
    """A reminder claimed for one person, period and step.

    The row is written (and committed) before the email is sent; the unique
    constraint then makes a second run, or a second worker running at the same
    time, skip the person. See ``reminders.services``.
    """

    class Step(models.TextChoices):
        SUBMISSION_BEFORE = "submission_before", _("Before the submission deadline")
        SUBMISSION_DAY = "submission_day", _("On the submission deadline")
        SUBMISSION_OVERDUE = "submission_overdue", _("After the submission deadline")
        VERIFICATION_BEFORE = "verification_before", _("Before the verification deadline")
        VERIFICATION_DAY = "verification_day", _("On the verification deadline")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders_sent",
        verbose_name=_("user"),
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        related_name="reminders_sent",
        verbose_name=_("period"),
    )
    step = models.CharField(_("step"), max_length=30, choices=Step.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period", "step"], name="reminder_once_per_step"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.period} · {self.get_step_display()}"


class DeadlineExtension(models.Model):
    """A later submission deadline for one unit, or for every unit, in one period.

    ``unit`` empty means every unit of the period's government. The deadline a
    unit works to is the latest of the period's own deadline, the extension for
    every unit and the unit's own extension (``reminders.deadlines``): an
    extension never brings a deadline forward. Written only through
    ``reminders.deadline_services``, with the actor and the reason in its history.
    An extension for every unit may also move Bappeda's verification deadline
    (a quarter opened late needs both moved).
    """

    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        related_name="deadline_extensions",
        verbose_name=_("period"),
    )
    unit = models.ForeignKey(
        "tracker.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadline_extensions",
        verbose_name=_("unit"),
        help_text=_("Empty: every unit."),
    )
    submission_deadline = models.DateField(_("new deadline for units"))
    verification_deadline = models.DateField(_("new deadline for Bappeda"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "unit__name"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        constraints = [
            # One row per unit (and one for "every unit") per period: extending
            # again changes that row, and its history keeps the earlier dates.
            models.UniqueConstraint(
                fields=["period", "unit"],
                condition=models.Q(unit__isnull=False),
                name="extension_once_per_unit",
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(unit__isnull=True),
                name="extension_once_for_all_units",
            ),
        ]

    def __str__(self):
        who = self.unit.name if self.unit_id else _("every unit")
        return f"{self.period} · {who} · {self.submission_deadline:%Y-%m-%d}"
