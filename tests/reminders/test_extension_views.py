"""The deadline-extension page of a period, and opening a quarter whose deadline has
already passed (the periods page warns and proposes new deadlines)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import ReportingPeriod
from reminders import deadline_services
from reminders.models import DeadlineExtension
from tracker.formatting import format_date_id

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def period(cilegon):
    return ReportingPeriod.objects.filter(government=cilegon).order_by("-year", "-quarter").first()


def _unlocked(period):
    # Test set-up: the demo's latest quarter may be locked; reopen it by a plain save.
    period.state = ReportingPeriod.State.OPEN
    period.save()
    return period


def test_bappeda_extends_a_units_deadline_from_the_page(login, period, unit):
    period = _unlocked(period)
    url = reverse("deadline-extension-list", args=[period.pk])
    client = login("bappeda")
    assert url in client.get(reverse("period-list")).content.decode()
    new = period.submission_deadline + datetime.timedelta(days=14)
    response = client.post(
        url,
        {"unit": unit("DKISS").pk, "submission_deadline": new.isoformat(), "reason": "Surat DKISS"},
    )
    assert response.status_code == 302
    extension = DeadlineExtension.objects.get(period=period)
    assert extension.unit == unit("DKISS") and extension.submission_deadline == new
    page = client.get(url).content.decode()
    assert "Surat DKISS" in page and unit("DKISS").name in page


def test_without_a_reason_nothing_is_saved_and_the_dates_stay(login, period, unit):
    period = _unlocked(period)
    new = period.submission_deadline + datetime.timedelta(days=14)
    response = login("bappeda").post(
        reverse("deadline-extension-list", args=[period.pk]),
        {"unit": unit("DKISS").pk, "submission_deadline": new.isoformat(), "reason": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "is-invalid" in page and new.isoformat() in page
    assert not DeadlineExtension.objects.exists()


def test_a_unit_member_reads_the_extensions_without_the_form(login, period, unit):
    period = _unlocked(period)
    deadline_services.extend_deadline(
        period,
        actor=None,
        unit=None,
        submission_deadline=period.submission_deadline + datetime.timedelta(days=7),
        reason="Periode dibuka terlambat",
    )
    page = login("dkiss").get(reverse("deadline-extension-list", args=[period.pk]))
    text = page.content.decode()
    assert "Periode dibuka terlambat" in text and 'id="extension-form"' not in text


def test_the_list_is_paginated(login, period, cilegon):
    from tracker.models import Unit

    period = _unlocked(period)
    units = list(Unit.objects.filter(government=cilegon, is_active=True).exclude(kind="asda"))
    assert len(units) > 25
    for unit in units:
        deadline_services.extend_deadline(
            period,
            actor=None,
            unit=unit,
            submission_deadline=period.submission_deadline + datetime.timedelta(days=3),
            reason=f"Alasan {unit.code}",
        )
    client = login("bappeda")
    url = reverse("deadline-extension-list", args=[period.pk])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert first.count("Alasan ") == 25
    assert second.count("Alasan ") == len(units) - 25


def test_opening_a_quarter_past_its_deadline_warns_and_proposes_new_deadlines(login, cilegon):
    client = login("bappeda")
    response = client.post(reverse("period-list"), {"year": 2024, "quarter": 2})
    page = response.content.decode()
    assert 'id="late-opening"' in page
    proposed, proposed_bappeda = deadline_services.proposed_deadlines(cilegon)
    assert f'value="{proposed.isoformat()}"' in page
    assert f'value="{proposed_bappeda.isoformat()}"' in page
    # The person edits the proposal and opens the quarter.
    chosen = proposed + datetime.timedelta(days=7)
    response = client.post(
        reverse("period-list"),
        {
            "year": 2024,
            "quarter": 2,
            "confirm": "1",
            "new-submission_deadline": chosen.isoformat(),
            "new-verification_deadline": (chosen + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(government=cilegon, year=2024, quarter=2)
    extension = DeadlineExtension.objects.get(period=period, unit=None)
    assert extension.submission_deadline == chosen
    # The periods page shows the new deadline beside the old one.
    assert format_date_id(chosen) in client.get(reverse("period-list")).content.decode()


def test_a_refused_proposal_opens_nothing(login, cilegon):
    response = login("bappeda").post(
        reverse("period-list"),
        {
            "year": 2024,
            "quarter": 2,
            "confirm": "1",
            "new-submission_deadline": "2024-07-01",  # before the quarter's own deadline
            "new-verification_deadline": "",
        },
    )
    assert response.status_code == 200
    assert 'id="late-opening"' in response.content.decode()
    assert not ReportingPeriod.objects.filter(government=cilegon, year=2024, quarter=2).exists()


def test_a_quarter_not_yet_due_opens_without_a_warning(login, cilegon):
    next_year = timezone.localdate().year + 1
    response = login("bappeda").post(reverse("period-list"), {"year": next_year, "quarter": 4})
    assert 'id="late-opening"' not in response.content.decode()
    assert "open-preview" in response.content.decode()


def test_the_units_pages_show_its_extended_deadline_and_another_unit_keeps_the_old(login, period):
    from programs.models import Program
    from programs.selectors import is_active_in

    period = _unlocked(period)
    program = next(
        p
        for p in Program.objects.filter(owner_unit__members__user__username="dkiss")
        if is_active_in(p, period)
    )
    # Test set-up: its report back to a draft by a plain save, so that its form opens.
    for report in program.reports.filter(period=period):
        report.state = report.State.DRAFT
        report.save()
    new = period.submission_deadline + datetime.timedelta(days=21)
    deadline_services.extend_deadline(
        period,
        actor=_user("bappeda"),
        unit=program.owner_unit,
        submission_deadline=new,
        reason="Surat permohonan",
    )
    writer = "dkiss"
    form = login(writer).get(reverse("report-edit", args=[program.pk, period.pk]))
    assert format_date_id(new) in form.content.decode()
    tasks = reverse("my-tasks") + f"?periode={period.pk}"
    assert format_date_id(new) in login(writer).get(tasks).content.decode()
    other = login("dinkes").get(tasks).content.decode()
    assert format_date_id(period.submission_deadline) in other
    assert format_date_id(new) not in other


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
