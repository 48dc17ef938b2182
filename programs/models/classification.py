"""Classification schemes: how a commitment's programs are grouped.

A joint commitment has a theme (Smart City, stunting, SDGs...) and one
classification scheme: the six dimensions of Gerakan Menuju 100 Smart City,
the eight convergence actions for stunting, the 17 TPB/SDGs goals. A scheme is
data, kept with history: its categories (code, name, description, order) and
whether every program of a commitment using it must carry at least one.

A scheme without a government is shared by every government (the national
ones, seeded by migrations) and changes only through the superuser; a
government's own scheme is seen by that government and kept by its Bappeda
and Administrator (the policy, ``tracker.policy``, decides).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.history import HistoryPart
from tracker.models import LONG_TEXT_MAX, Government, bounded_text


class ClassificationScheme(models.Model):
    government = models.ForeignKey(
        Government,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="classification_schemes",
        verbose_name=_("government"),
        help_text=_("Empty for a national scheme shared by every government."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = bounded_text(_("description"), LONG_TEXT_MAX, blank=True)
    categories_required = models.BooleanField(
        _("categories required"),
        default=False,
        help_text=_("Every program of a commitment using this scheme has at least one category."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("classification scheme")
        verbose_name_plural = _("classification schemes")
        constraints = [
            models.UniqueConstraint(fields=["government", "name"], name="scheme_name_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def is_shared(self):
        return self.government_id is None

    def history_parts(self):
        """The scheme's own history and that of its categories (tracker.history)."""
        return [
            HistoryPart(ClassificationScheme, self.history.all(), own=True),
            HistoryPart(Category, Category.history.filter(scheme_id=self.pk)),
        ]


class Category(models.Model):
    """One category of a scheme (a smart-city dimension, a convergence action, an SDG)."""

    scheme = models.ForeignKey(
        ClassificationScheme,
        on_delete=models.PROTECT,
        related_name="categories",
        verbose_name=_("classification scheme"),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = bounded_text(_("description"), LONG_TEXT_MAX, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()
    history_label = "name"

    class Meta:
        ordering = ["scheme", "order", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="category_code_unique")
        ]

    def __str__(self):
        return self.name
