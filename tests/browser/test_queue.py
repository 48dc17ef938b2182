"""The verification queue in a browser: tick all, then verify them after confirming the count."""

import datetime
from decimal import Decimal as D

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from commitments.models import Commitment
from programs import reporting, services
from programs.models import Category, ProgressReport, ReportingPeriod


def _submitted_reports(titles):
    """DKISS programs of 2023, each with a report sent for 2023 TW II (through the services)."""
    users = get_user_model().objects
    bappeda, dkiss = users.get(username="bappeda"), users.get(username="dkiss")
    commitment = Commitment.objects.get(government__region_code="36.72", date="2019-10-11")
    government = commitment.government
    period = ReportingPeriod.objects.filter(government=government, year=2023, quarter=2).first()
    period = period or services.open_period(
        actor=bappeda, government=government, year=2023, quarter=2
    )
    reports = []
    for title in titles:
        program = services.create_program(
            actor=bappeda,
            commitment=commitment,
            owner_unit=government.units.get(code="DKISS"),
            title=title,
            horizon="quick_win",
            start_date=datetime.date(2023, 1, 1),
            end_date=datetime.date(2023, 12, 31),
            categories=[Category.objects.get(code="governance")],
        )
        services.add_milestones(
            program,
            actor=bappeda,
            milestones=[
                {
                    "title": "Uji coba",
                    "planned_start": datetime.date(2023, 1, 1),
                    "planned_finish": datetime.date(2023, 12, 31),
                    "weight": D("100"),
                }
            ],
        )
        report = reporting.start_report(program, period, actor=dkiss)
        report = reporting.save_report(
            report,
            actor=dkiss,
            expected_version=report.version,
            milestone_percents={program.milestones.get().pk: D("40")},
        )
        reports.append(reporting.submit_report(report, actor=dkiss))
    return period, reports


def test_bappeda_ticks_all_and_verifies_them_after_confirming(log_in, demo_server):
    period, reports = _submitted_reports(["Antrean Uji Satu", "Antrean Uji Dua"])
    page = log_in("bappeda")
    page.goto(f"{demo_server.url}/antrean-verifikasi/?periode={period.pk}")
    expect(page.locator("#queue tbody tr", has_text="Antrean Uji Satu")).to_be_visible()
    boxes = page.locator('#queue input[name="report"]')
    count = boxes.count()
    assert count >= 2

    page.locator("#select-all").check()
    for index in range(count):
        expect(boxes.nth(index)).to_be_checked()

    # Cancelling the question keeps everything as it was.
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Verifikasi laporan yang dicentang").click()
    assert questions and str(count) in questions[0], questions
    for report in reports:
        report.refresh_from_db()
        assert report.state == ProgressReport.State.SUBMITTED

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Verifikasi laporan yang dicentang").click()
    expect(page.locator(".alert-success")).to_contain_text(f"{count} laporan")
    for report in reports:
        report.refresh_from_db()
        assert report.state == ProgressReport.State.VERIFIED
