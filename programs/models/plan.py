"""The RPJMD plan: vision, missions, goals, objectives, plan programs and
their performance indicators with yearly targets and budgets.

The RPJMD's own budget programs are ``PlanProgram``; the commitment programs
that units carry out (a later issue) are ``Program``. The hierarchy is a fixed
set of levels, each a plain foreign key, so it is simple to query.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.achievement import achievement_percent
from tracker.models import (  # noqa: F401 (the text limits are used by the other modules)
    LONG_TEXT_MAX,
    NOTE_MAX,
    PLAN_TEXT_MAX,
    Government,
    Unit,
    bounded_text,
)

# Indicator values: up to 16 digits before and 4 after the decimal point.
VALUE_DIGITS = {"max_digits": 20, "decimal_places": 4}
# Rupiah: whole trillions with cents.
MONEY_DIGITS = {"max_digits": 18, "decimal_places": 2}

# What every supported database keeps exactly. SQLite stores NUMERIC as a
# double (15 significant digits are safe), so a value is bounded to 15 digits
# in all: Rupiah up to Rp10 trillion (13 + 2 digits), indicator values within
# ±100 billion (11 + 4 digits). Larger numbers would be read back rounded,
# and a Decimal with more digits than ``max_digits`` breaks every page.
MONEY_MAX = Decimal("10000000000000")  # Rp10 trillion: 1e13
VALUE_LIMIT = Decimal("100000000000")  # 1e11
MONEY_VALIDATORS = [
    MinValueValidator(0, message=_("An amount in Rupiah cannot be negative.")),
    MaxValueValidator(
        MONEY_MAX,
        message=_("An amount in Rupiah can be at most Rp10 trillion (10,000,000,000,000)."),
    ),
]
VALUE_VALIDATORS = [
    MinValueValidator(-VALUE_LIMIT, message=_("A value cannot be below -100,000,000,000.")),
    MaxValueValidator(VALUE_LIMIT, message=_("A value can be at most 100,000,000,000.")),
]
# Units of measure that make an indicator a percentage.
PERCENT_UNITS = {"%", "persen", "percent", "persentase"}


class Plan(models.Model):
    """An RPJMD: a government's five-year plan, set by a Perda."""

    government = models.ForeignKey(
        Government, on_delete=models.PROTECT, related_name="plans", verbose_name=_("government")
    )
    name = models.CharField(_("name"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    legal_basis = models.CharField(
        _("legal basis"), max_length=300, help_text=_('E.g. "Perda Kota Cilegon No. 4 Tahun 2016".')
    )
    vision = bounded_text(_("vision"), PLAN_TEXT_MAX)
    commitments = models.ManyToManyField(
        "commitments.Commitment",
        blank=True,
        related_name="plans",
        verbose_name=_("commitments"),
        help_text=_("Joint commitments that implement this plan (shown with their legal basis)."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["government", "-start_year"]
        verbose_name = _("RPJMD plan")
        verbose_name_plural = _("RPJMD plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gt=models.F("start_year")), name="plan_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["government", "start_year"], name="plan_unique_per_government_period"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def period(self):
        return f"{self.start_year}-{self.end_year}"

    @property
    def years(self):
        return list(range(self.start_year, self.end_year + 1))

    def clean(self):
        if self.start_year and self.end_year and self.end_year <= self.start_year:
            raise ValidationError({"end_year": _("The last year must be after the first year.")})


class Mission(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="missions", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = bounded_text(_("text"), PLAN_TEXT_MAX)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="mission_number_unique")
        ]

    def __str__(self):
        return _("Mission %(number)s") % {"number": self.number}


class Goal(models.Model):
    """A tujuan of a mission."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="goals", verbose_name=_("mission")
    )
    code = models.CharField(_("code"), max_length=30)
    text = bounded_text(_("text"), PLAN_TEXT_MAX)
    history = HistoricalRecords()

    class Meta:
        ordering = ["mission", "code"]
        verbose_name = _("goal (tujuan)")
        verbose_name_plural = _("goals (tujuan)")
        constraints = [models.UniqueConstraint(fields=["mission", "code"], name="goal_code_unique")]

    def __str__(self):
        return f"{self.code} {self.text}"


class Objective(models.Model):
    """A sasaran of a goal."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("goal")
    )
    code = models.CharField(_("code"), max_length=30)
    text = bounded_text(_("text"), PLAN_TEXT_MAX)
    history = HistoricalRecords()

    class Meta:
        ordering = ["goal", "code"]
        verbose_name = _("objective (sasaran)")
        verbose_name_plural = _("objectives (sasaran)")
        constraints = [
            models.UniqueConstraint(fields=["goal", "code"], name="objective_code_unique")
        ]

    def __str__(self):
        return f"{self.code} {self.text}"


class PlanProgram(models.Model):
    """A budget program of the RPJMD (not a commitment ``Program``)."""

    objective = models.ForeignKey(
        Objective,
        on_delete=models.CASCADE,
        related_name="plan_programs",
        verbose_name=_("objective"),
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=300)
    responsible_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_programs",
        verbose_name=_("responsible unit"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective", "code"]
        verbose_name = _("RPJMD program")
        verbose_name_plural = _("RPJMD programs")
        constraints = [
            models.UniqueConstraint(fields=["objective", "code"], name="plan_program_code_unique")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Indicator(models.Model):
    """A performance indicator (indikator kinerja) of a goal, objective or plan program."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Combination(models.TextChoices):
        """How the figures of several programs that report this indicator make one."""

        SUM = "sum", _("Sum of the programs")
        AVERAGE = "average", _("Average of the programs")
        LATEST = "latest", _("Latest verified report")
        MINIMUM = "min", _("Lowest of the programs")
        MAXIMUM = "max", _("Highest of the programs")
        DESIGNATED = "designated", _("One designated program")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("plan")
    )
    # Exactly one of the three levels carries the indicator (a check constraint says so).
    goal = models.ForeignKey(
        Goal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("goal"),
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("objective"),
    )
    plan_program = models.ForeignKey(
        PlanProgram,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("RPJMD program"),
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=300)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=50)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    is_cumulative = models.BooleanField(
        _("cumulative"),
        default=False,
        help_text=_(
            "Cumulative: the year's realisation is the sum of its quarters. "
            "Otherwise it is the latest reported value (a rate, an index)."
        ),
    )
    decimal_places = models.PositiveSmallIntegerField(
        _("decimal places"),
        default=2,
        validators=[MaxValueValidator(4)],
        help_text=_("How values are written and entered: 0 for counts, 2 for most rates."),
    )
    combination = models.CharField(
        _("combining rule"),
        max_length=12,
        choices=Combination.choices,
        default=Combination.AVERAGE,
        help_text=_(
            "How the quarterly figures of the programs that report this indicator combine "
            "into the indicator's own figure. Printed in the report's notes."
        ),
    )
    designated_program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="designated_for",
        verbose_name=_("designated program"),
        help_text=_('With the rule "one designated program": the program whose figures count.'),
    )
    baseline_value = models.DecimalField(
        _("baseline value"), null=True, blank=True, validators=VALUE_VALIDATORS, **VALUE_DIGITS
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    final_target = models.DecimalField(
        _("final target"),
        null=True,
        blank=True,
        help_text=_("The target at the end of the plan period (kondisi akhir)."),
        validators=VALUE_VALIDATORS,
        **VALUE_DIGITS,
    )
    responsible_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("responsible unit"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique_per_plan"),
            models.CheckConstraint(
                condition=(
                    Q(goal__isnull=False, objective__isnull=True, plan_program__isnull=True)
                    | Q(goal__isnull=True, objective__isnull=False, plan_program__isnull=True)
                    | Q(goal__isnull=True, objective__isnull=True, plan_program__isnull=False)
                ),
                name="indicator_has_exactly_one_level",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def level(self):
        """The goal, objective or plan program that carries this indicator."""
        return self.goal or self.objective or self.plan_program

    @property
    def is_percentage(self):
        """Whether the unit of measure says the value is a percentage (0-100 as a rule)."""
        return self.unit_of_measure.strip().lower() in PERCENT_UNITS

    def clean(self):
        levels = [x for x in (self.goal_id, self.objective_id, self.plan_program_id) if x]
        if len(levels) != 1:
            raise ValidationError(
                _("An indicator belongs to exactly one goal, objective or RPJMD program.")
            )
        plan = self.plan if self.plan_id else None
        if (
            plan
            and self.baseline_year
            and not (plan.start_year - 5 <= self.baseline_year <= plan.end_year)
        ):
            raise ValidationError(
                {"baseline_year": _("The baseline year must be near the plan period.")}
            )
        designated = self.combination == self.Combination.DESIGNATED
        if designated and not self.designated_program_id:
            raise ValidationError(
                {"designated_program": _("Choose the program whose figures count.")}
            )
        if not designated and self.designated_program_id:
            raise ValidationError(
                {
                    "designated_program": _(
                        'A designated program goes only with the rule "one designated program".'
                    )
                }
            )
        if (
            designated
            and plan
            and self.designated_program.commitment.government_id != plan.government_id
        ):
            raise ValidationError(
                {"designated_program": _("The program must belong to the plan's government.")}
            )
        if (
            plan
            and self.responsible_unit_id
            and (self.responsible_unit.government_id != plan.government_id)
        ):
            raise ValidationError(
                {
                    "responsible_unit": _(
                        "The responsible unit must belong to the plan's government."
                    )
                }
            )


class IndicatorTarget(models.Model):
    """An indicator's target and budget (pagu) for one year of the plan."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    target = models.DecimalField(_("target"), validators=VALUE_VALIDATORS, **VALUE_DIGITS)
    budget = models.DecimalField(
        _("budget (Rp)"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, message=_("The budget cannot be negative.")),
            *MONEY_VALIDATORS[1:],
        ],
        **MONEY_DIGITS,
    )
    realisation = models.DecimalField(
        _("realisation"),
        null=True,
        blank=True,
        help_text=_(
            "The year's realisation as published in the annual performance report (LKjIP), "
            "for years before quarterly monitoring in this system."
        ),
        validators=VALUE_VALIDATORS,
        **VALUE_DIGITS,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("yearly target")
        verbose_name_plural = _("yearly targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_unique_per_year"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="target_budget_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.year}"

    @property
    def achievement(self):
        """Achievement % of the recorded realisation against the target, or ``None``."""
        return achievement_percent(
            self.realisation, self.target, direction=self.indicator.direction
        )

    def clean(self):
        if self.indicator_id and self.year:
            plan = self.indicator.plan
            if not plan.start_year <= self.year <= plan.end_year:
                raise ValidationError(
                    {
                        "year": _("%(year)s is outside the plan period %(period)s.")
                        % {"year": self.year, "period": plan.period}
                    }
                )
