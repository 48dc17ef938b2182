"""Which deadline reminders went out: each person at most once per period and step."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
