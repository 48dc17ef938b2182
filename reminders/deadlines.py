"""The deadline a unit works to in a period: one answer for every place that judges
lateness (submitting a report, the dashboard, the reminders, the home page).

The period's own deadline counts unless Bappeda extended it
(``reminders.models.DeadlineExtension``): then the latest of the period's
deadline, the extension for every unit and the unit's own extension counts.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from reminders.models import DeadlineExtension


@dataclass(frozen=True)
class Deadlines:
    """The deadlines of one period, read once, answered for any unit without a query."""

    period: object
    for_all: object = None  # the extension for every unit, if any
    by_unit: dict = field(default_factory=dict)  # unit id -> its extension

    def submission(self, unit_id):
        """The submission deadline of the unit with id ``unit_id``."""
        candidates = [self.period.submission_deadline]
        if self.for_all is not None:
            candidates.append(self.for_all.submission_deadline)
        own = self.by_unit.get(unit_id)
        if own is not None:
            candidates.append(own.submission_deadline)
        return max(candidates)

    @property
    def verification(self):
        """Bappeda's verification deadline (only an extension for every unit moves it)."""
        moved = self.for_all.verification_deadline if self.for_all is not None else None
        return max(self.period.verification_deadline, moved or self.period.verification_deadline)

    def is_late(self, unit_id, submitted_at):
        """Whether a report of the unit submitted at ``submitted_at`` (aware) was late."""
        if submitted_at is None:
            return False
        return timezone.localdate(submitted_at) > self.submission(unit_id)


def deadlines_of(period):
    """:class:`Deadlines` for ``period``: one query."""
    for_all, by_unit = None, {}
    for extension in DeadlineExtension.objects.filter(period=period):
        if extension.unit_id is None:
            for_all = extension
        else:
            by_unit[extension.unit_id] = extension
    return Deadlines(period=period, for_all=for_all, by_unit=by_unit)


def submission_deadline(unit, period):
    """The deadline of ``unit`` (a unit or its id) for ``period``: its extension if
    any, else the period's (see the module's docstring). One query."""
    unit_id = getattr(unit, "pk", unit)
    return deadlines_of(period).submission(unit_id)


def extensions_for_all():
    """A prefetch giving each period of a list ``extension_for_all`` (a list of at
    most one extension for every unit): one query for the whole list."""
    return Prefetch(
        "deadline_extensions",
        queryset=DeadlineExtension.objects.filter(unit__isnull=True),
        to_attr="extension_for_all",
    )
