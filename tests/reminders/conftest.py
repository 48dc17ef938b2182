"""Fixtures of the reminder tests: a quiet demo, one program running in 2023 and
2023 TW I opened for Kota Cilegon.

2023 TW I ends on Friday 31 March 2023; Good Friday (7 April) is a public
holiday, so the units' deadline (5 working days) is Monday 10 April 2023 and
Bappeda's (10 working days) Monday 17 April 2023.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model

from commitments.models import Commitment
from programs import services
from programs.models import Category, Indicator, ReportingPeriod

EMAILS = {
    "dkiss": "kepala@dkiss.example",
    "dinkes": "kepala@dinkes.example",
    "camat.cibeber": "camat@cibeber.example",
    "bappeda": "monev@bappeda.example",
    "pengelola": "admin@cilegon.example",
    "serang": "monev@serang.example",
}


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def with_emails(db):
    """Give the demo accounts an email address (the demo has none)."""
    for username, email in EMAILS.items():
        account = user(username)
        account.email = email
        account.save()


@pytest.fixture
def quiet_demo(db):
    """Lock the demo's open quarters (2021 TW III and IV), whose deadlines are long
    past: they would otherwise send "overdue" reminders in every test. A plain save,
    as test set-up: the service refuses to lock while reports wait."""
    for period in ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN):
        period.state = ReportingPeriod.State.LOCKED
        period.save()


@pytest.fixture
def bappeda_user(db):
    return user("bappeda")


@pytest.fixture
def make_program(cilegon, unit, bappeda_user):
    """A program of ``owner`` running through 2023 with one milestone."""

    def _make(owner="DKISS", title="Aplikasi Pengingat"):
        commitment = Commitment.objects.get(government=cilegon, date=datetime.date(2019, 10, 11))
        program = services.create_program(
            actor=bappeda_user,
            commitment=commitment,
            owner_unit=unit(owner),
            code="",
            title=title,
            horizon="short",
            start_date=datetime.date(2023, 1, 1),
            end_date=datetime.date(2023, 12, 31),
            categories=[Category.objects.get(code="governance")],
            indicators=[Indicator.objects.get(plan__government=cilegon, code="IKU-1.1")],
            supporting_units=[],
            budgets={2023: D("100000000")},
            adoption_indicators=[],
        )
        services.add_milestones(
            program,
            actor=bappeda_user,
            milestones=[
                {
                    "title": "Seluruh pekerjaan",
                    "planned_start": datetime.date(2023, 1, 1),
                    "planned_finish": datetime.date(2023, 12, 31),
                    "weight": D("100"),
                }
            ],
        )
        return program

    return _make


@pytest.fixture
def period_2023(cilegon, bappeda_user, quiet_demo, with_emails):
    """Cilegon's 2023 TW I, opened through the service."""
    return services.open_period(actor=bappeda_user, government=cilegon, year=2023, quarter=1)
