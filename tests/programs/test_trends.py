"""Trends (programs/trends.py and the charts on the program and indicator pages).

The expected series are computed by hand from the reports each test writes:
a plan of 2022-2026 with two indicators (a summed count and a rate taking the
latest figure), two programs reporting both, verified and unverified quarters.
"""

import datetime
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from programs import reporting, trends
from programs.models import Indicator
from tests.factories import IndicatorFactory, IndicatorTargetFactory, PlanFactory


def _at(month, day, hour=10):
    return timezone.make_aware(datetime.datetime(2022, month, day, hour))


@pytest.fixture
def trend_plan(cilegon):
    """A Cilegon plan 2022-2026: a summed, cumulative count and a rate (latest counts)."""
    plan = PlanFactory(government=cilegon, start_year=2022, end_year=2026)
    count = IndicatorFactory(
        objective__goal__mission__plan=plan,
        code="TREN-1",
        name="Jumlah aplikasi terintegrasi",
        unit_of_measure="aplikasi",
        decimal_places=0,
        is_cumulative=True,
        combination=Indicator.Combination.SUM,
    )
    rate = IndicatorFactory(
        objective__goal__mission__plan=plan,
        code="TREN-2",
        name="Persentase layanan daring",
        unit_of_measure="persen",
        decimal_places=2,
        is_cumulative=False,
        combination=Indicator.Combination.LATEST,
    )
    for indicator, targets in ((count, ("10", "12")), (rate, ("70", "75"))):
        for year, target in zip((2022, 2023), targets, strict=True):
            IndicatorTargetFactory(indicator=indicator, year=year, target=target)
    return count, rate


def _report(program, period, writer, reviewer, *, percents, values, verified_at=None):
    """A report written and submitted by ``writer``; verified by ``reviewer`` at
    ``verified_at`` (else left submitted). ``percents`` maps a milestone title to %."""
    report = reporting.start_report(program, period, actor=writer)
    milestones = {m.title: m.pk for m in program.milestones.all()}
    report = reporting.save_report(
        report,
        actor=writer,
        expected_version=report.version,
        milestone_percents={milestones[t]: D(p) for t, p in percents.items()},
        indicator_values={i.pk: D(v) for i, v in values.items()},
    )
    report = reporting.submit_report(report, actor=writer)
    if verified_at is not None:
        report = reporting.verify_report(report, actor=reviewer, at=verified_at)
    return report


@pytest.fixture
def trend_data(trend_plan, make_program, period_2022, dkiss_user, bappeda_user, django_user_model):
    """DKISS's program: TW I and II verified, TW III only submitted. Dinkes's program:
    TW I verified after DKISS's (so its rate is "the latest" of TW I)."""
    count, rate = trend_plan
    dinkes_user = django_user_model.objects.get(username="dinkes")
    ours = make_program(owner="DKISS", title="Integrasi Layanan", indicators=("TREN-1", "TREN-2"))
    theirs = make_program(owner="DINKES", title="Layanan Sehat", indicators=("TREN-1", "TREN-2"))
    q1, q2, q3 = period_2022(1), period_2022(2), period_2022(3)
    _report(
        ours,
        q1,
        dkiss_user,
        bappeda_user,
        percents={"KAK": "100"},
        values={count: "3", rate: "60.50"},
        verified_at=_at(4, 10),
    )
    _report(
        theirs,
        q1,
        dinkes_user,
        bappeda_user,
        percents={"KAK": "80"},
        values={count: "2", rate: "65"},
        verified_at=_at(4, 11),
    )
    _report(
        ours,
        q2,
        dkiss_user,
        bappeda_user,
        percents={"KAK": "100", "Pengembangan": "50"},
        values={count: "4", rate: "71.90"},
        verified_at=_at(7, 8),
    )
    # Submitted, not verified: counts nowhere.
    _report(
        ours,
        q3,
        dkiss_user,
        bappeda_user,
        percents={"KAK": "100", "Pengembangan": "90"},
        values={count: "50", rate: "99"},
    )
    return {"count": count, "rate": rate, "ours": ours, "theirs": theirs}


def _series(trend, year=2022):
    return {q.quarter: (q.value, q.to_date, q.target) for q in trend.quarters if q.year == year}


def test_indicator_trend_sums_a_summed_count_and_takes_the_latest_rate(trend_data):
    count, rate, programs = (
        trend_data["count"],
        trend_data["rate"],
        [
            trend_data["ours"],
            trend_data["theirs"],
        ],
    )
    summed = trends.indicator_trend(count, programs=programs)
    # TW I: 3 (DKISS) + 2 (Dinkes) = 5; TW II: 4 (DKISS alone); TW III was not verified.
    # Cumulative: the year so far is 5, then 5 + 4 = 9, against the year's target 10.
    assert _series(summed) == {
        1: (D(5), D(5), D(10)),
        2: (D(4), D(9), D(10)),
        3: (None, None, D(10)),
        4: (None, None, D(10)),
    }
    assert [q.year for q in summed.quarters] == [2022] * 4  # only the years with data
    year = summed.years[0]
    assert (year.year, year.realisation, year.achievement) == (2022, D(9), D("90.00"))
    assert [y.year for y in summed.years] == [2022, 2023, 2024, 2025, 2026]
    assert summed.years[1].target_value == D(12) and summed.years[1].realisation is None

    latest = trends.indicator_trend(rate, programs=programs)
    # TW I: Dinkes's 65 was verified after DKISS's 60.50, so "latest" takes 65.
    assert _series(latest) == {
        1: (D(65), D(65), D(70)),
        2: (D("71.90"), D("71.90"), D(70)),
        3: (None, None, D(70)),
        4: (None, None, D(70)),
    }
    # 71.90 / 70 x 100 = 102.714... -> 102.71 %
    assert latest.years[0].achievement == D("102.71")


def test_indicator_trend_of_one_program_is_its_own_figures(trend_data):
    ours = trends.indicator_trend(trend_data["rate"], programs=[trend_data["ours"]])
    assert _series(ours)[1] == (D("60.50"), D("60.50"), D(70))


def test_program_trend_weights_milestones_against_the_plan(trend_data):
    trend = trends.program_trend(trend_data["ours"])
    hundredth = D("0.01")
    # Weights 30/30/40: KAK Jan-Mar, Pengembangan 1 Apr-30 Sep (182 days), Peluncuran Oct-Dec.
    planned_q2 = (30 * D(100) + 30 * (D(100) * 90 / 182)) / 100  # 30 Jun is 90 days after 1 Apr
    expected = {
        1: (D("30.00"), D("30.00")),  # KAK 100 % of 30; planned: KAK done by 31 Mar
        2: (D("45.00"), planned_q2.quantize(hundredth, rounding=ROUND_HALF_UP)),  # 30 + 15
        3: (None, D("60.00")),  # submitted, not verified: no bar
        4: (None, D("100.00")),
    }
    assert {q.quarter: (q.value, q.target) for q in trend.quarters} == expected
    by_code = {t.indicator.code: t for t in trend.indicators}
    # Its own figures: 3 then 4 (7 so far); a summed count shared by two programs
    # has no target of this program's own.
    assert _series(by_code["TREN-1"])[2] == (D(4), D(7), None)
    assert by_code["TREN-1"].shows_target is False
    assert _series(by_code["TREN-2"])[1] == (D("60.50"), D("60.50"), D(70))
    assert by_code["TREN-2"].shows_target is True


def test_nothing_verified_is_an_empty_trend(trend_plan, make_program):
    program = make_program(title="Belum Dilaporkan", indicators=("TREN-2",))
    trend = trends.program_trend(program)
    assert not trend.has_data
    assert [(q.year, q.quarter) for q in trend.quarters] == [(2022, q) for q in (1, 2, 3, 4)]
    assert not trend.indicators[0].has_data
    assert trend.indicators[0].quarters == []


def test_pages_say_so_when_nothing_is_verified(trend_plan, make_program, login):
    program = make_program(title="Belum Dilaporkan", indicators=("TREN-2",))
    client = login("bappeda")
    text = client.get(reverse("program-detail", args=[program.pk])).content.decode()
    assert "Belum ada kemajuan terverifikasi" in text or "No verified progress yet" in text
    assert 'class="trend-plot"' not in text
    text = client.get(reverse("indicator-detail", args=[trend_plan[1].pk])).content.decode()
    assert 'class="trend-plot"' not in text
    assert "trend-empty" in text


def test_program_page_shows_the_chart_and_its_table(trend_data, login):
    text = login("bappeda").get(reverse("program-detail", args=[trend_data["ours"].pk]))
    text = text.content.decode()
    assert 'id="trend-progress"' in text
    assert text.count('class="trend-bar"') >= 2 + 2 + 2  # progress, then each indicator
    assert "45,00 %" in text and "30,00 %" in text  # Indonesian format
    assert "TW II 2022" in text
    assert 'style="' not in text.split('id="trends-heading"')[1].split('id="budgets"')[0]


def test_indicator_page_shows_the_chart_and_its_table(trend_data, login):
    rate = trend_data["rate"]
    text = login("bappeda").get(reverse("indicator-detail", args=[rate.pk])).content.decode()
    assert 'id="trend-indicator"' in text
    assert text.count('class="trend-bar"') == 2
    chart = text.split('id="trend-indicator"')[1].split("</figure>")[0]
    assert "71,90" in chart and "65,00" in chart and "70,00" in chart
    # The yearly table reads the same figures: 2022's realisation and achievement.
    assert "102,71 %" in text


def _more_quarters(data, period_2022, dkiss_user, bappeda_user):
    """The unverified TW III is verified, and TW IV reported and verified."""
    from programs.models import ProgressReport

    report = ProgressReport.objects.get(program=data["ours"], period__quarter=3)
    reporting.verify_report(report, actor=bappeda_user, at=_at(10, 9))
    _report(
        data["ours"],
        period_2022(4),
        dkiss_user,
        bappeda_user,
        percents={"KAK": "100", "Pengembangan": "100", "Peluncuran": "60"},
        values={data["count"]: "6", data["rate"]: "74"},
        verified_at=_at(12, 30),
    )


def _count(client, url, captured):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    captured.append(len(queries))
    return response


@pytest.mark.parametrize("page", ["program-detail", "indicator-detail"])
def test_queries_do_not_grow_with_quarters(
    page, trend_data, period_2022, dkiss_user, bappeda_user, login, django_assert_max_num_queries
):
    client = login("bappeda")
    pk = trend_data["ours"].pk if page == "program-detail" else trend_data["rate"].pk
    url = reverse(page, args=[pk])
    before = []
    _count(client, url, before)
    _more_quarters(trend_data, period_2022, dkiss_user, bappeda_user)
    cache.clear()
    with django_assert_max_num_queries(before[0]):
        response = client.get(url)
    text = response.content.decode()
    assert text.count('class="trend-bar"') >= 4  # every 2022 quarter now has a bar
    assert "74,00" in text
