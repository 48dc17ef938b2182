"""A commitment program's own yearly targets for the RPJMD indicators it reports.

Where several programs share one RPJMD indicator (a summed count, for
instance), the plan's target belongs to all of them together, and none can be
graded against it. Each program's unit then sets its own share, from its
Renstra or Renja: the report grades the program against that
(``reports.evaluation``), and a summed indicator whose programs' targets do
not add up to the plan's is pointed out (``rpjmd.program_targets``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.models import VALUE_DIGITS
from programs.models.plan import VALUE_VALIDATORS


class ProgramTarget(models.Model):
    """A program's own target for one of its RPJMD indicators in one plan year."""

    class Source(models.TextChoices):
        # Renstra: the unit's five-year strategic plan; Renja: its annual work plan.
        RENSTRA = "renstra", "Renstra"
        RENJA = "renja", "Renja"
        OTHER = "other", _("Other document")

    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="own_targets",
        verbose_name=_("program"),
    )
    indicator = models.ForeignKey(
        "programs.Indicator",
        on_delete=models.CASCADE,
        related_name="program_targets",
        verbose_name=_("indicator"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    target = models.DecimalField(_("target"), validators=VALUE_VALIDATORS, **VALUE_DIGITS)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.RENJA
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "indicator__code", "year"]
        verbose_name = _("program target")
        verbose_name_plural = _("program targets")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "indicator", "year"], name="program_target_unique_per_year"
            )
        ]

    def __str__(self):
        return f"{self.program} · {self.indicator.code} {self.year}"

    def clean(self):
        if not (self.program_id and self.indicator_id):
            return
        if not self.program.indicators.filter(pk=self.indicator_id).exists():
            raise ValidationError(
                {"indicator": _("The program is not linked to this RPJMD indicator.")}
            )
        plan = self.indicator.plan
        if self.year and not plan.start_year <= self.year <= plan.end_year:
            raise ValidationError(
                {
                    "year": _("%(year)s is outside the plan period %(period)s.")
                    % {"year": self.year, "period": plan.period}
                }
            )
