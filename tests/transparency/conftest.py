"""Fixtures of the transparency tests: a published Cilegon page, an issued report, and a
2021 TW IV program whose report can be written, sent and verified through the services."""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from commitments.models import Commitment
from programs import reporting, services
from programs.models import Category, Goal, Plan, ReportingPeriod
from reports.models import GeneratedReport
from tests.test_cache_versioning import _empty_cache, committed
from transparency import services as transparency_services

__all__ = ["_empty_cache"]

# A figure no demo record holds: found on the page only if it is counted.
PROGRESS = D("43.21")
VALUE = D("7.77")


def user(username):
    return get_user_model().objects.get(username=username)


def publish(government):
    with committed():
        return transparency_services.publish_page(
            actor=user("pengelola"), government=government, reason="Keterbukaan informasi"
        )


@pytest.fixture
def published(cilegon):
    publish(cilegon)
    return cilegon


def issue(government, unit=None, title="Laporan Triwulan III 2020"):
    """An issued report record with a small stand-in file (the PDF itself is reports')."""
    report = GeneratedReport(
        government=government,
        year=2020,
        quarter=3,
        unit=unit,
        title=title,
        sha256="0" * 64,
        size=14,
        source="web",
        generated_at=timezone.now(),
    )
    report.file.save("laporan.pdf", ContentFile(b"%PDF-1.4 uji"), save=True)
    return report


@pytest.fixture
def issued(cilegon):
    with committed():
        return issue(cilegon)


def _new_indicator(government, bappeda, code):
    """A new indicator of the Cilegon plan (two decimals) with a 2021 target of 10."""
    plan = Plan.objects.get(government=government)
    indicator = services.add_indicator(
        actor=bappeda,
        plan=plan,
        level=Goal.objects.filter(mission__plan=plan).order_by("code").first(),
        code=code,
        name="Indeks Keterbukaan Uji",
        unit_of_measure="indeks",
        decimal_places=2,
    )
    services.set_indicator_target(actor=bappeda, indicator=indicator, year=2021, target=D("10"))
    return indicator


class Subject:
    """A DKISS program running in 2021 TW IV (the public page's quarter), reporting one
    quiet indicator, with its report written and sent but not verified."""

    def __init__(self, government, title="Program Transparansi Uji", code="PUB"):
        bappeda, dkiss = user("bappeda"), user("dkiss")
        self.indicator = _new_indicator(government, bappeda, code=f"{code}-IKU")
        commitment = Commitment.objects.get(government=government, date="2019-10-11")
        self.program = services.create_program(
            actor=bappeda,
            commitment=commitment,
            owner_unit=government.units.get(code="DKISS"),
            code=f"{code}-1",
            title=title,
            horizon="short",
            start_date=datetime.date(2021, 10, 1),
            end_date=datetime.date(2021, 12, 31),
            categories=[Category.objects.get(code="governance")],
            indicators=[self.indicator],
        )
        services.add_milestones(
            self.program,
            actor=bappeda,
            milestones=[
                {
                    "title": "Satu-satunya tahap",
                    "planned_start": datetime.date(2021, 10, 1),
                    "planned_finish": datetime.date(2021, 12, 31),
                    "weight": D("100"),
                }
            ],
        )
        period = ReportingPeriod.objects.get(government=government, year=2021, quarter=4)
        report = reporting.start_report(self.program, period, actor=dkiss)
        milestone = self.program.milestones.get()
        report = reporting.save_report(
            report,
            actor=dkiss,
            expected_version=report.version,
            milestone_percents={milestone.pk: PROGRESS},
            indicator_values={self.indicator.pk: VALUE},
            supporting_factors="Dukungan pimpinan",
        )
        self.report = reporting.submit_report(report, actor=dkiss)

    def verify(self):
        self.report.refresh_from_db()
        reporting.verify_report(
            self.report, actor=user("bappeda"), expected_version=self.report.version
        )


@pytest.fixture
def subject(cilegon):
    with committed():
        return Subject(cilegon)
