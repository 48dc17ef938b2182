"""A report's date never precedes the last verification it counts (issue 22).

The demo's verification times are its own story (and change with it), so each
test first sets them: every report up to 2020 TW III verified by 12 October
2020, then one report of Bappeda's own program submitted and verified on
18 October 2020, after Bappeda's deadline of 14 October.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.utils import timezone, translation

from programs.models import ProgressReport, ReportingPeriod
from reports import services


def OCT(day):
    return datetime.date(2020, 10, day)


def wib(day, hour, month=10):
    return timezone.make_aware(datetime.datetime(2020, month, day, hour, 0))


def _resolve(**extra):
    return services.resolve_request(year=2020, quarter=3, government_code="36.72", **extra)


@pytest.fixture
def late_verification(cilegon):
    """The verified report of 2020 TW III verified last: 18 October, 10.00 WIB."""
    up_to_tw3 = ProgressReport.objects.filter(period__government=cilegon).filter(
        Q(period__year__lt=2020) | Q(period__year=2020, period__quarter__lte=3)
    )
    up_to_tw3.filter(state=ProgressReport.State.VERIFIED).update(
        submitted_at=wib(5, 10), verified_at=wib(12, 10)
    )
    late = (
        up_to_tw3.filter(
            period__year=2020,
            period__quarter=3,
            state=ProgressReport.State.VERIFIED,
            program__owner_unit__code="BAPPEDA",
        )
        .order_by("pk")
        .first()
    )
    assert late is not None, "the demo has no verified Bappeda report in 2020 TW III"
    ProgressReport.objects.filter(pk=late.pk).update(
        submitted_at=wib(18, 8), verified_at=wib(18, 10)
    )
    return late


def test_the_default_date_is_the_last_verification_when_it_is_later(cilegon, late_verification):
    period = ReportingPeriod.objects.get(government=cilegon, year=2020, quarter=3)
    assert period.verification_deadline == OCT(14)
    request = _resolve()
    assert services.last_verification_date(request) == OCT(18)
    assert request.report_date == OCT(18)


def test_a_unit_report_looks_only_at_what_it_counts(late_verification):
    # DKISS's report does not count Bappeda's program: nothing after 12 October.
    request = _resolve(unit_code="DKISS")
    assert services.last_verification_date(request) == OCT(12)
    assert request.report_date == OCT(15)  # the day after the deadline, as before
    assert _resolve(unit_code="DKISS", report_date=OCT(13)).report_date == OCT(13)


def test_a_date_before_the_last_verification_is_refused_with_that_date(late_verification):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _resolve(report_date=OCT(15))
    assert caught.value.messages == [
        "The report counts a verification of 18 October 2020; date it on or after that day."
    ]
    # That day itself, and later, are fine.
    assert _resolve(report_date=OCT(18)).report_date == OCT(18)
    assert _resolve(report_date=OCT(20)).report_date == OCT(20)


def test_a_later_quarter_does_not_count(cilegon, late_verification):
    later = ProgressReport.objects.filter(
        period__government=cilegon,
        period__year=2020,
        period__quarter=4,
        state=ProgressReport.State.VERIFIED,
    ).first()
    ProgressReport.objects.filter(pk=later.pk).update(verified_at=wib(20, 10, month=12))
    assert services.last_verification_date(_resolve()) == OCT(18)


def test_the_verification_day_is_the_day_in_wib(late_verification):
    # 23.30 UTC on 20 October is 06.30 WIB on the 21st.
    late = datetime.datetime(2020, 10, 20, 23, 30, tzinfo=datetime.UTC)
    ProgressReport.objects.filter(pk=late_verification.pk).update(
        submitted_at=late, verified_at=late
    )
    assert services.last_verification_date(_resolve()) == OCT(21)
    with pytest.raises(ValidationError):
        _resolve(report_date=OCT(20))


def test_a_verification_is_never_earlier_than_its_submission(late_verification):
    """A row verified "before" it was submitted (imported data) counts from the submission."""
    ProgressReport.objects.filter(pk=late_verification.pk).update(
        submitted_at=wib(19, 9), verified_at=wib(13, 10)
    )
    assert services.last_verification_date(_resolve()) == OCT(19)


def test_the_default_is_never_after_today(cilegon, monkeypatch):
    period = ReportingPeriod.objects.get(government=cilegon, year=2020, quarter=3)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: OCT(16))
    assert services.default_report_date(period, last_verified=OCT(18)) == OCT(16)
    assert services.default_report_date(period, last_verified=OCT(10)) == OCT(15)
    assert services.default_report_date(period) == OCT(15)


def test_the_last_verification_is_one_query(late_verification, django_assert_num_queries):
    request = _resolve()
    with django_assert_num_queries(1):
        services.last_verification_date(request)


def test_the_command_refuses_too_early_a_date(late_verification, tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match="18 October 2020"):
        call_command(
            "quarterly_report",
            *("--government", "36.72", "--year", "2020", "--quarter", "3"),
            *("--date", "2020-10-15", "--output", str(tmp_path / "x.pdf")),
        )
