import datetime
from decimal import Decimal as D

import pytest

from commitments.models import Commitment
from programs import services
from programs.models import Category, Indicator


@pytest.fixture
def bappeda_user(django_user_model):
    return django_user_model.objects.get(username="bappeda")


@pytest.fixture
def dkiss_user(django_user_model):
    return django_user_model.objects.get(username="dkiss")


@pytest.fixture
def make_program(cilegon, unit, bappeda_user):
    """A DKISS program running through 2022 with three milestones (30/30/40)."""

    def _make(owner="DKISS", title="Aplikasi Uji", indicators=("IKU-1.1",), supporting=(), code=""):
        commitment = Commitment.objects.get(government=cilegon, date=datetime.date(2019, 10, 11))
        program = services.create_program(
            actor=bappeda_user,
            commitment=commitment,
            owner_unit=unit(owner),
            code=code,
            title=title,
            horizon="short",
            start_date=datetime.date(2022, 1, 1),
            end_date=datetime.date(2022, 12, 31),
            categories=[Category.objects.get(code="governance")],
            indicators=[
                Indicator.objects.get(plan__government=cilegon, code=c) for c in indicators
            ],
            supporting_units=[unit(code) for code in supporting],
            budgets={2022: D("100000000")},
            adoption_indicators=[
                {"name": "Pengguna", "unit_of_measure": "orang", "quarterly_target": D("100")}
            ],
        )
        services.add_milestones(
            program,
            actor=bappeda_user,
            milestones=[
                {
                    "title": "KAK",
                    "planned_start": datetime.date(2022, 1, 1),
                    "planned_finish": datetime.date(2022, 3, 31),
                    "weight": D("30"),
                },
                {
                    "title": "Pengembangan",
                    "planned_start": datetime.date(2022, 4, 1),
                    "planned_finish": datetime.date(2022, 9, 30),
                    "weight": D("30"),
                },
                {
                    "title": "Peluncuran",
                    "planned_start": datetime.date(2022, 10, 1),
                    "planned_finish": datetime.date(2022, 12, 31),
                    "weight": D("40"),
                },
            ],
        )
        return program

    return _make


@pytest.fixture
def period_2022(cilegon, bappeda_user):
    def _open(quarter):
        return services.open_period(
            actor=bappeda_user, government=cilegon, year=2022, quarter=quarter
        )

    return _open
