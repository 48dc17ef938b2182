"""Commitment programs: what a unit promised to do under a commitment, and its milestones.

A ``Program`` belongs to a joint commitment and is owned by one unit (others
may support it). Its milestones carry weights that add up to 100 %; their
status is never typed in but derived (``programs/status.py``) from the
planned dates and the verified progress.

A program is never deleted: Bappeda stops or cancels it with a date and a
reason (``state``), and it then drops out of the quarters that start after
that date while its history and past reports stay.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from programs.models.classification import Category
from programs.models.plan import (
    MONEY_DIGITS,
    MONEY_VALIDATORS,
    VALUE_DIGITS,
    VALUE_VALIDATORS,
    Indicator,
)
from tracker.history import HistoryPart
from tracker.models import LONG_TEXT_MAX, NOTE_MAX, Unit, bounded_text


class Horizon(models.TextChoices):
    QUICK_WIN = "quick_win", _("Quick win")
    SHORT = "short", _("Short term")
    MEDIUM = "medium", _("Medium term")
    LONG = "long", _("Long term")


class Program(models.Model):
    """A program carried out under a joint commitment (not the RPJMD's ``PlanProgram``)."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        STOPPED = "stopped", _("Stopped")
        CANCELLED = "cancelled", _("Cancelled")

    commitment = models.ForeignKey(
        "commitments.Commitment",
        on_delete=models.PROTECT,
        related_name="programs",
        verbose_name=_("commitment"),
    )
    owner_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="owned_programs", verbose_name=_("owner unit")
    )
    supporting_units = models.ManyToManyField(
        Unit, blank=True, related_name="supported_programs", verbose_name=_("supporting units")
    )
    code = models.CharField(
        _("code"),
        max_length=40,
        blank=True,
        help_text=_("The program or activity code of the budget (kode program/kegiatan)."),
    )
    title = models.CharField(_("title"), max_length=300)
    description = bounded_text(_("description"), LONG_TEXT_MAX, blank=True)
    # From the commitment's classification scheme (programs.program_services checks it).
    categories = models.ManyToManyField(
        Category, blank=True, related_name="programs", verbose_name=_("categories")
    )
    horizon = models.CharField(_("horizon"), max_length=12, choices=Horizon.choices)
    indicators = models.ManyToManyField(
        Indicator,
        blank=True,
        related_name="programs",
        verbose_name=_("RPJMD indicators it contributes to"),
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    # Set only through programs.program_services.set_program_state, never by a form.
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.ACTIVE, editable=False
    )
    state_since = models.DateField(_("state since"), null=True, blank=True, editable=False)
    state_reason = bounded_text(_("reason for the state"), NOTE_MAX, blank=True, editable=False)
    # The links are history too: who added a supporting unit or an indicator, and why.
    history = HistoricalRecords(m2m_fields=["supporting_units", "categories", "indicators"])

    class Meta:
        ordering = ["owner_unit__name", "title"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="program_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["commitment", "owner_unit"])]

    def __str__(self):
        return self.title

    def history_parts(self):
        """The program's own history (with its links) and that of its milestones, budgets
        and adoption indicators, and its own targets (tracker.history)."""
        # The own targets are the rpjmd app's model, reached through the relation
        # (this app does not import that one).
        targets = self.own_targets.model
        return [
            HistoryPart(Program, self.history.all(), own=True),
            HistoryPart(Milestone, Milestone.history.filter(program_id=self.pk)),
            HistoryPart(ProgramBudget, ProgramBudget.history.filter(program_id=self.pk)),
            HistoryPart(AdoptionIndicator, AdoptionIndicator.history.filter(program_id=self.pk)),
            HistoryPart(targets, targets.history.filter(program_id=self.pk)),
        ]

    @property
    def is_active(self):
        return self.state == self.State.ACTIVE

    def stopped_before(self, day):
        """Whether the program was stopped or cancelled before ``day`` (so not running then)."""
        return not self.is_active and self.state_since is not None and self.state_since < day


class ProgramUserObjectPermission(UserObjectPermissionBase):
    """Per-program grants to users (guardian, direct foreign key)."""

    content_object = models.ForeignKey(Program, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("program permission of a user")
        verbose_name_plural = _("program permissions of users")


class ProgramGroupObjectPermission(GroupObjectPermissionBase):
    """Per-program grants to groups (guardian, direct foreign key)."""

    content_object = models.ForeignKey(Program, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("program permission of a group")
        verbose_name_plural = _("program permissions of groups")


class ProgramBudget(models.Model):
    """A program's budget for one year, in Rupiah."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("program")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("budget (Rp)"), validators=MONEY_VALIDATORS, **MONEY_DIGITS)
    history = HistoricalRecords()
    history_label = "year"  # names the row in the program's history

    class Meta:
        ordering = ["program", "year"]
        verbose_name = _("program budget")
        verbose_name_plural = _("program budgets")
        constraints = [
            models.UniqueConstraint(fields=["program", "year"], name="program_budget_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="program_budget_not_negative"),
        ]

    def __str__(self):
        return f"{self.program} · {self.year}"


class AdoptionIndicator(models.Model):
    """A program's own use indicator, e.g. reports received through the 112 app per quarter.

    It makes "launched but unused" visible next to the milestones.
    """

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="adoption_indicators",
        verbose_name=_("program"),
    )
    name = models.CharField(_("name"), max_length=200)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=50)
    quarterly_target = models.DecimalField(
        _("target per quarter"), validators=VALUE_VALIDATORS, **VALUE_DIGITS
    )
    history = HistoricalRecords()
    history_label = "name"

    class Meta:
        ordering = ["program", "name"]
        verbose_name = _("adoption indicator")
        verbose_name_plural = _("adoption indicators")

    def __str__(self):
        return self.name


# A milestone's own fields, as the API and the program page read them.
MILESTONE_FIELDS = (
    "title",
    "deliverable",
    "planned_start",
    "planned_finish",
    "actual_finish",
    "weight",
    "order",
)


class Milestone(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("program")
    )
    title = models.CharField(_("title"), max_length=300)
    deliverable = models.CharField(_("deliverable"), max_length=300, blank=True)
    planned_start = models.DateField(_("planned start"))
    planned_finish = models.DateField(_("planned finish"))
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    actual_finish = models.DateField(_("actual finish"), null=True, blank=True)
    # Bappeda's order on the program page (1, 2, 3...), set by set_milestones.
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()
    history_label = "title"

    class Meta:
        ordering = ["program", "order", "planned_start", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_finish__gte=models.F("planned_start")),
                name="milestone_finishes_after_start",
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(weight__lte=100), name="milestone_weight_range"
            ),
        ]

    def __str__(self):
        return self.title
