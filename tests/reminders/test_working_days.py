"""tracker/working_days.py and programs.status.add_working_days built on it."""

import datetime

import pytest

from programs import services, status
from reminders import calendar_services
from tracker import working_days
from tracker.working_days import Calendar

D = datetime.date


def test_weekends_are_skipped():
    # Friday 3 June 2022 + 1 working day: Monday 6 June (no holiday near).
    assert working_days.add_working_days(D(2022, 6, 3), 1) == D(2022, 6, 6)
    assert not working_days.is_working_day(D(2022, 6, 4))
    assert not working_days.is_working_day(D(2022, 6, 5))
    assert working_days.is_working_day(D(2022, 6, 6))


@pytest.mark.parametrize(
    "holiday",
    [
        D(2022, 8, 17),  # Independence Day, a Wednesday
        D(2024, 1, 1),  # New Year's Day, a Monday
        D(2022, 5, 2),  # Idul Fitri 1443 H, a Monday
        D(2022, 5, 3),  # its second day
    ],
)
def test_public_holidays_are_skipped(holiday):
    assert holiday.weekday() < 5
    assert not working_days.is_working_day(holiday)
    before = holiday - datetime.timedelta(days=1)
    while not working_days.is_working_day(before):
        before -= datetime.timedelta(days=1)
    assert working_days.add_working_days(before, 1) > holiday


def test_idul_fitri_2022_moves_a_deadline():
    # Thursday 28 April 2022 + 3 working days: Friday 29 April, then Monday/Tuesday
    # 2-3 May are Idul Fitri, so Wednesday 4, Thursday 5 May.
    assert working_days.add_working_days(D(2022, 4, 28), 3) == D(2022, 5, 5)


def test_counting_backwards_and_between():
    calendar = Calendar()
    # Back 3 working days from Monday 10 April 2023 over Good Friday (7 April).
    assert calendar.add(D(2023, 4, 10), -3) == D(2023, 4, 4)
    assert calendar.between(D(2023, 4, 4), D(2023, 4, 10)) == 3
    assert calendar.between(D(2023, 4, 10), D(2023, 4, 4)) == -3
    assert working_days.working_days_between(D(2023, 3, 31), D(2023, 4, 10)) == 5


def test_a_recorded_leave_day_is_skipped_for_its_government_only(cilegon, serang):
    day = D(2022, 5, 4)  # cuti bersama Idul Fitri 2022, a Wednesday
    assert working_days.is_working_day(day, cilegon)
    calendar_services.add_leave_day(
        actor=None, government=cilegon, date=day, name="Cuti bersama Idul Fitri"
    )
    assert not working_days.is_working_day(day, cilegon)
    assert not working_days.is_working_day(day, cilegon.pk)
    assert working_days.is_working_day(day, serang)
    assert working_days.is_working_day(day)
    # From Friday 29 April: 2-3 May holidays, 4 May leave: Thursday 5 May.
    assert working_days.add_working_days(D(2022, 4, 29), 1, cilegon) == D(2022, 5, 5)
    assert working_days.add_working_days(D(2022, 4, 29), 1, serang) == D(2022, 5, 4)


def test_status_delegates_and_open_period_uses_the_governments_calendar(cilegon, serang):
    assert status.add_working_days(D(2023, 3, 31), 5) == D(2023, 4, 10)  # Good Friday
    calendar_services.add_leave_day(actor=None, government=cilegon, date=D(2023, 4, 10), name="X")
    assert status.add_working_days(D(2023, 3, 31), 5, cilegon) == D(2023, 4, 11)
    period = services.open_period(actor=None, government=cilegon, year=2023, quarter=1)
    assert period.submission_deadline == D(2023, 4, 11)
    other = services.open_period(actor=None, government=serang, year=2023, quarter=1)
    assert other.submission_deadline == D(2023, 4, 10)


def test_holidays_are_read_once_per_year():
    working_days.public_holidays.cache_clear()
    for _ in range(3):
        working_days.add_working_days(D(2022, 12, 20), 10)
    info = working_days.public_holidays.cache_info()
    assert info.misses == 2  # 2022 and 2023
    assert info.hits >= 1
