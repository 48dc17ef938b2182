"""Working days of a government: Monday to Friday, except Indonesian public
holidays and the government's collective leave days (cuti bersama).

Public holidays come from the ``holidays`` package (national holidays only:
its "government" category would add the national cuti bersama, but each Pemda
decides whether and how it follows them, so those are recorded per government
as ``tracker.models.LeaveDay`` by the Administrator). Without a government
only weekends and public holidays count.

A :class:`Calendar` reads each year's closed days once; the functions below
build one per call. Code that asks many questions about one government (the
reminders) keeps a calendar instead.
"""

import datetime
from functools import lru_cache
from types import MappingProxyType

import holidays

from tracker.models import LeaveDay

ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=128)
def public_holidays(year):
    """Indonesia's public holidays in ``year``: a read-only ``{date: name}``, names in
    Indonesian. Computed once per year and process (the rules do not change while
    the process runs; a package upgrade means a restart)."""
    return MappingProxyType(dict(holidays.Indonesia(years=year, language="id")))


def _government_id(government):
    if government is None or isinstance(government, int):
        return government
    return government.pk


class Calendar:
    """The working days of one government (or of none: weekends and holidays only)."""

    def __init__(self, government=None):
        self.government_id = _government_id(government)
        self._closed = {}

    def closed_days(self, year):
        """The weekdays of ``year`` that are not working days (holidays and leave days)."""
        if year not in self._closed:
            days = set(public_holidays(year))
            if self.government_id is not None:
                days.update(
                    LeaveDay.objects.filter(
                        government_id=self.government_id, date__year=year
                    ).values_list("date", flat=True)
                )
            self._closed[year] = frozenset(days)
        return self._closed[year]

    def is_working_day(self, day):
        """Whether ``day`` is a working day."""
        return day.weekday() < 5 and day not in self.closed_days(day.year)

    def add(self, day, count):
        """The date ``count`` working days after ``day`` (before it if ``count`` is negative).

        ``day`` itself need not be a working day: a deadline "5 working days after
        the quarter ends" counts from 31 December, a Sunday or not.
        """
        step = ONE_DAY if count >= 0 else -ONE_DAY
        remaining = abs(count)
        while remaining > 0:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def between(self, start, end):
        """How many working days lie after ``start`` up to and including ``end``
        (negative if ``end`` comes first): ``between(d, add(d, n)) == n``."""
        if end < start:
            return -self.between(end, start)
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def is_working_day(day, government=None):
    """Whether ``day`` is a working day of ``government`` (a ``Government`` or its id)."""
    return Calendar(government).is_working_day(day)


def add_working_days(day, count, government=None):
    """The date ``count`` working days after ``day`` for ``government`` (see :class:`Calendar`)."""
    return Calendar(government).add(day, count)


def working_days_between(start, end, government=None):
    """Working days after ``start`` up to and including ``end`` for ``government``."""
    return Calendar(government).between(start, end)
