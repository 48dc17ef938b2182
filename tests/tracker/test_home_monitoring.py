"""Bappeda's home page: the current quarter's reports waiting for verification, not
sent, sent late (against each unit's deadline, extended or not) and its overdue
milestones, each linking to its list; in a number of queries that does not grow."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments.models import Commitment
from programs import monitoring, reporting, selectors, services
from programs.models import Category, ProgressReport
from reminders import deadline_services
from tests.test_cache_versioning import committed

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


def _number(page, element_id):
    match = re.search(rf'id="{element_id}">(\d+)<', page)
    return int(match.group(1)) if match else None


def test_bappeda_sees_the_dashboard_numbers_each_linking_to_its_list(login):
    bappeda = user("bappeda")
    period = selectors.current_period(bappeda)
    page = login("bappeda").get(reverse("home")).content.decode()
    summary = monitoring.dashboard(bappeda, period)
    waiting = ProgressReport.objects.filter(period=period, state="submitted").count()
    assert _number(page, "home-waiting") == waiting
    assert _number(page, "home-missing") == summary["totals"]["missing"]
    assert _number(page, "home-late") == summary["totals"]["sent_late"]
    assert _number(page, "home-overdue") == len(summary["overdue"])
    for link in (
        f"{reverse('verification-queue')}?periode={period.pk}",
        f"{reverse('dashboard')}?periode={period.pk}#by-unit",
        f"{reverse('late-milestones')}?periode={period.pk}",
    ):
        assert f'href="{link}"' in page


def test_an_extension_moves_a_report_from_late_to_on_time(login):
    bappeda = user("bappeda")
    period = selectors.current_period(bappeda)
    late = (
        ProgressReport.objects.filter(period=period, is_late=True, submitted_at__isnull=False)
        .select_related("program__owner_unit")
        .first()
    )
    if late is None:
        pytest.skip("the demo's current quarter has no late report")
    before = _number(login("bappeda").get(reverse("home")).content.decode(), "home-late")
    unit = late.program.owner_unit
    period.state = "open"  # test set-up: the quarter may be locked in the demo
    period.save()
    sent = late.submitted_at.date()
    with committed():  # so the cached home page sees it
        deadline_services.extend_deadline(
            period,
            actor=bappeda,
            unit=unit,
            submission_deadline=max(sent, period.submission_deadline) + datetime.timedelta(days=1),
            reason="Perpanjangan",
        )
    unit_late = ProgressReport.objects.filter(
        period=period, is_late=True, program__owner_unit=unit
    ).count()
    assert unit_late == 0
    after = _number(login("bappeda").get(reverse("home")).content.decode(), "home-late")
    assert after < before


def test_leadership_sees_the_numbers_without_the_queue_link(login):
    page = login("walikota").get(reverse("home")).content.decode()
    assert 'id="home-monitoring"' in page
    assert reverse("verification-queue") not in page


def test_a_unit_member_sees_no_monitoring(login):
    assert 'id="home-monitoring"' not in login("dkiss").get(reverse("home")).content.decode()


def _add_programs(count):
    """``count`` more Cilegon programs running in the current quarter, each with a
    submitted report: more rows for every number on the page."""
    bappeda = user("bappeda")
    period = selectors.current_period(bappeda)
    commitment = Commitment.objects.get(government=period.government, date="2019-10-11")
    dkiss = get_user_model().objects.get(username="dkiss")
    for i in range(count):
        program = services.create_program(
            actor=bappeda,
            commitment=commitment,
            owner_unit=dkiss.profile.unit,
            code="",
            title=f"Program tambahan {i}",
            horizon="short",
            start_date=datetime.date(period.year, 1, 1),
            end_date=datetime.date(period.year, 12, 31),
            categories=[Category.objects.get(code="governance")],
            indicators=[],
            supporting_units=[],
            budgets={period.year: D("1000000")},
            adoption_indicators=[],
        )
        if i % 2:
            report = reporting.start_report(program, period, actor=dkiss)
            reporting.submit_report(report, actor=dkiss)


def _home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_home_page_costs_the_same_queries_with_more_programs(login):
    client = login("bappeda")
    client.get(reverse("home"))  # the session and the user's first-request work
    with committed():
        _add_programs(2)
    cache.clear()
    cold = _home_queries(client)
    warm = _home_queries(client)
    assert warm < cold  # the numbers are cached until the next write
    assert cold <= 20
    with committed():  # more programs, reports and late ones
        _add_programs(20)
    cache.clear()
    assert _home_queries(client) <= cold
