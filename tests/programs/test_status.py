import datetime
from decimal import Decimal as D

import pytest

from programs import status

START, FINISH = datetime.date(2022, 1, 1), datetime.date(2022, 12, 31)


def _status(progress, on, actual_finish=None):
    return status.milestone_status(
        planned_start=START,
        planned_finish=FINISH,
        progress=progress,
        actual_finish=actual_finish,
        on=on,
        margin=15,
    )


@pytest.mark.parametrize(
    "progress, on, expected",
    [
        (None, datetime.date(2021, 12, 1), status.NOT_STARTED),
        (D("10"), datetime.date(2021, 12, 1), status.ON_TRACK),
        (D("50"), datetime.date(2022, 7, 2), status.ON_TRACK),
        (D("35"), datetime.date(2022, 7, 2), status.ON_TRACK),  # 15 points behind: the margin
        (D("34"), datetime.date(2022, 7, 2), status.AT_RISK),  # 16 behind
        (D("99"), datetime.date(2023, 1, 1), status.LATE),
        (D("100"), datetime.date(2023, 1, 1), status.DONE),
    ],
)
def test_milestone_status(progress, on, expected):
    # On 2 July 2022, 182 of 364 days have passed: 50 % is expected.
    assert _status(progress, on) == expected


def test_an_actual_finish_means_done():
    assert _status(D("10"), datetime.date(2023, 5, 1), datetime.date(2022, 12, 1)) == status.DONE


def test_a_finish_after_the_day_judged_does_not_count_yet():
    # Finished in March 2023, judged on 31 December 2022: it was late then.
    finished = datetime.date(2023, 3, 1)
    assert _status(D("80"), datetime.date(2022, 12, 31), finished) == status.AT_RISK
    assert _status(D("90"), datetime.date(2023, 1, 2), finished) == status.LATE
    assert _status(D("90"), datetime.date(2023, 3, 1), finished) == status.DONE


def test_program_status_is_its_worst_milestone():
    assert status.program_status([status.DONE, status.ON_TRACK]) == status.ON_TRACK
    assert status.program_status([status.AT_RISK, status.LATE]) == status.LATE
    assert status.program_status([status.DONE, status.DONE]) == status.DONE
    assert status.program_status([]) == status.NOT_STARTED


def test_working_days_skip_weekends():
    # 31 March 2022 was a Thursday: +5 working days is Thursday 7 April.
    assert status.add_working_days(datetime.date(2022, 3, 31), 5) == datetime.date(2022, 4, 7)
    assert status.add_working_days(datetime.date(2022, 12, 30), 1) == datetime.date(2023, 1, 2)
    assert status.quarter_end(2022, 1) == datetime.date(2022, 3, 31)
    assert status.quarter_end(2022, 4) == datetime.date(2022, 12, 31)
