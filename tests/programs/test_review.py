"""Verification and return: separation of duties, and the version the reviewer saw.

Each test here failed before issue 11: Bappeda verified a report of its own
unit's program, the submitter could verify what they sent, and a decision
taken on an old page went through after the report had changed.
"""

from decimal import Decimal as D

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from programs import reporting, services
from programs.models import ProgressReport
from tracker import policy
from tracker import services as org_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English (the msgids), whatever the default language."""
    with translation.override("en"):
        yield


def _submitted(program, period, writer):
    report = reporting.start_report(program, period, actor=writer)
    milestone = program.milestones.order_by("planned_start").first()
    report = reporting.save_report(
        report,
        actor=writer,
        expected_version=report.version,
        milestone_percents={milestone.pk: D("30")},
    )
    return reporting.submit_report(report, actor=writer)


def _member(username, cilegon, unit, *, groups=()):
    return org_services.create_user(
        actor=None,
        username=username,
        password="x-Uji-2022-panjang",
        government=cilegon,
        unit=unit,
        groups=groups,
        full_name=username.replace(".", " ").title(),
    )


@pytest.fixture
def bappeda_program_report(make_program, period_2022, cilegon, unit):
    """A submitted report of a program owned by the Bappeda unit, written by its operator."""
    writer = _member("operator.bappeda", cilegon, unit("BAPPEDA"))
    program = make_program(owner="BAPPEDA", title="Monev Daring")
    return _submitted(program, period_2022(1), writer)


def test_bappeda_staff_cannot_verify_or_return_their_own_units_report(
    bappeda_program_report, bappeda_user
):
    report = bappeda_program_report
    assert not policy.can_review(bappeda_user, report)
    assert "own unit" in policy.review_refusal(bappeda_user, report)
    with pytest.raises(reporting.ReviewRefused, match="own unit"):
        reporting.verify_report(report, actor=bappeda_user, expected_version=report.version)
    with pytest.raises(reporting.ReviewRefused):
        reporting.return_report(
            report, actor=bappeda_user, reason="Kurang bukti", expected_version=report.version
        )
    with pytest.raises(Exception, match="own unit"):
        reporting.bulk_verify([report], actor=bappeda_user)
    report.refresh_from_db()
    assert report.state == "submitted"


def test_own_unit_report_in_the_queue_is_not_yours_to_verify(
    bappeda_program_report, login, make_program, period_2022, dkiss_user
):
    report = bappeda_program_report
    other = _submitted(make_program(title="Aplikasi DKISS"), report.period, dkiss_user)
    client = login("bappeda")
    page = client.get(reverse("verification-queue") + f"?periode={report.period_id}")
    html = page.content.decode()
    assert f'name="report" value="{report.pk}"' not in html
    assert f'name="report" value="{other.pk}"' in html
    assert f'name="version_{other.pk}" value="{other.version}"' in html
    assert html.count('class="small text-muted not-yours"') == 1  # the reason, instead

    detail = client.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert 'id="not-yours"' in detail
    assert reverse("report-verify", args=[report.pk]) not in detail

    # A forged post is refused and changes nothing.
    response = client.post(reverse("report-verify", args=[report.pk]), {"version": report.version})
    assert response.status_code == 403
    client.post(
        reverse("verification-queue") + f"?periode={report.period_id}",
        {"report": [report.pk], f"version_{report.pk}": report.version},
    )
    report.refresh_from_db()
    assert report.state == "submitted"


def test_another_bappeda_member_outside_the_unit_or_the_administrator_may(
    bappeda_program_report, cilegon, unit
):
    report = bappeda_program_report
    setda = _member("bappeda.setda", cilegon, unit("SETDA"), groups=["Bappeda"])
    administrator = _member("administrator", cilegon, None, groups=["Administrator"])
    assert policy.can_review(setda, report)
    assert policy.can_review(administrator, report)
    report = reporting.verify_report(report, actor=setda, expected_version=report.version)
    assert report.state == "verified" and report.verified_by == setda


def test_the_user_who_submitted_a_report_cannot_verify_it_even_after_joining_bappeda(
    make_program, period_2022, dkiss_user, cilegon, unit, bappeda_user
):
    report = _submitted(make_program(), period_2022(1), dkiss_user)
    # The writer is moved to Bappeda's monitoring team: still not theirs to verify.
    org_services.move_user(dkiss_user, actor=bappeda_user, unit=unit("SETDA"), reason="Mutasi")
    org_services.set_user_roles(
        dkiss_user, actor=bappeda_user, groups=["Bappeda"], reason="Tim monev"
    )
    assert policy.is_reviewer(dkiss_user)
    assert "wrote or submitted" in policy.review_refusal(dkiss_user, report)
    with pytest.raises(reporting.ReviewRefused):
        reporting.verify_report(report, actor=dkiss_user, expected_version=report.version)
    # Returning it is a review too; another Bappeda member may.
    assert policy.can_review(bappeda_user, report)


def test_a_superuser_who_wrote_the_report_cannot_verify_it(
    make_program, period_2022, django_user_model
):
    admin = django_user_model.objects.get(username="admin")
    report = _submitted(make_program(), period_2022(1), admin)
    with pytest.raises(reporting.ReviewRefused, match="wrote or submitted"):
        reporting.verify_report(report, actor=admin, expected_version=report.version)


def test_a_reviewer_who_returned_a_report_may_verify_it_once_fixed(
    make_program, period_2022, dkiss_user, bappeda_user
):
    report = _submitted(make_program(), period_2022(1), dkiss_user)
    report = reporting.return_report(
        report, actor=bappeda_user, reason="Bukti kurang", expected_version=report.version
    )
    report = reporting.submit_report(report, actor=dkiss_user)
    assert reporting.report_authors([report]) == {report.pk: {dkiss_user.pk}}
    report = reporting.verify_report(report, actor=bappeda_user, expected_version=report.version)
    assert report.state == "verified"


# --- The version the reviewer saw ------------------------------------------------------


@pytest.fixture
def changed_since_seen(make_program, period_2022, dkiss_user, cilegon, unit):
    """A report Bappeda saw as submitted (version ``seen``), since returned by another
    Bappeda member and resubmitted by DKISS."""
    report = _submitted(make_program(), period_2022(1), dkiss_user)
    seen = report.version
    colleague = _member("bappeda.kedua", cilegon, unit("SETDA"), groups=["Bappeda"])
    report = reporting.return_report(
        report, actor=colleague, reason="Angka belum sesuai", expected_version=seen
    )
    report = reporting.submit_report(report, actor=dkiss_user)
    return report, seen


def test_verifying_a_report_changed_since_the_page_was_drawn_is_refused(
    changed_since_seen, bappeda_user
):
    report, seen = changed_since_seen
    with pytest.raises(reporting.StaleReportError) as caught:
        reporting.verify_report(report, actor=bappeda_user, expected_version=seen)
    message = caught.value.messages[0]
    assert "Bappeda Kedua" in message  # who returned it
    assert "Kepala DKISS" in message  # who sent it again
    assert "after being returned" in message
    with pytest.raises(reporting.StaleReportError):
        reporting.return_report(report, actor=bappeda_user, reason="x", expected_version=seen)
    report.refresh_from_db()
    assert report.state == "submitted"
    # With the current version, it goes through.
    reporting.verify_report(report, actor=bappeda_user, expected_version=report.version)


def test_the_detail_page_posts_the_version_and_an_old_page_is_refused(changed_since_seen, login):
    report, seen = changed_since_seen
    client = login("bappeda")
    detail = client.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert f'name="version" value="{report.version}"' in detail
    response = client.post(
        reverse("report-verify", args=[report.pk]), {"version": seen}, follow=True
    )
    assert "Kepala DKISS" in response.content.decode()
    response = client.post(
        reverse("report-return", args=[report.pk]), {"version": seen, "reason": "Lagi"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted"
    # A post without any version is refused too (an old page of before this rule).
    client.post(reverse("report-verify", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == "submitted"
    client.post(reverse("report-verify", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    assert report.state == "verified"


def test_bulk_verify_refuses_every_report_if_one_changed_since_the_page(
    changed_since_seen, make_program, dkiss_user, bappeda_user, login
):
    report, seen = changed_since_seen
    fresh = _submitted(make_program(title="Lain"), report.period, dkiss_user)
    with pytest.raises(services.ValidationError, match="Kepala DKISS"):
        reporting.bulk_verify(
            [fresh, report],
            actor=bappeda_user,
            expected_versions={fresh.pk: fresh.version, report.pk: seen},
        )
    client = login("bappeda")
    response = client.post(
        reverse("verification-queue") + f"?periode={report.period_id}",
        {
            "report": [fresh.pk, report.pk],
            f"version_{fresh.pk}": fresh.version,
            f"version_{report.pk}": seen,
        },
        follow=True,
    )
    assert "Kepala DKISS" in response.content.decode()
    states = set(
        ProgressReport.objects.filter(pk__in=[fresh.pk, report.pk]).values_list("state", flat=True)
    )
    assert states == {"submitted"}
    # A ticked report without its version is refused as well.
    client.post(
        reverse("verification-queue") + f"?periode={report.period_id}", {"report": [fresh.pk]}
    )
    fresh.refresh_from_db()
    assert fresh.state == "submitted"


# --- From one verified report to the next one waiting in the queue (issue 13) ----------------


def test_verifying_from_the_queue_goes_on_to_the_next_report_then_back_to_the_queue(
    login, make_program, period_2022, dkiss_user, unit, django_user_model
):
    period = period_2022(1)
    first = _submitted(make_program(title="Aplikasi Satu"), period, dkiss_user)
    second = _submitted(make_program(title="Aplikasi Dua"), period, dkiss_user)
    # Another unit's report waits too, but the queue is filtered on DKISS.
    dinkes = django_user_model.objects.get(username="dinkes")
    _submitted(
        make_program(owner=dinkes.profile.unit.code, title="Aplikasi Dinkes"), period, dinkes
    )
    client = login("bappeda")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the source wording
    queue = f"periode={period.pk}&unit={unit('DKISS').pk}&state=submitted"
    page = client.get(reverse("verification-queue") + "?" + queue).content.decode()
    assert "Aplikasi Dinkes" not in page
    link = reverse("report-detail", args=[first.pk]) + "?queue="
    assert link in page  # each report opens with the queue's filters

    detail = client.get(reverse("report-detail", args=[first.pk]), {"queue": queue})
    html = detail.content.decode()
    assert 'name="queue"' in html and 'data-confirm="Verify this report?' in html

    response = client.post(
        reverse("report-verify", args=[first.pk]), {"version": first.version, "queue": queue}
    )
    first.refresh_from_db()
    assert first.state == "verified"
    assert response.status_code == 302
    assert response.url.startswith(reverse("report-detail", args=[second.pk]) + "?queue=")
    page = client.get(response.url)
    assert "Next in the queue: Aplikasi Dua" in page.content.decode()

    response = client.post(
        reverse("report-verify", args=[second.pk]), {"version": second.version, "queue": queue}
    )
    assert response.status_code == 302
    assert response.url == reverse("verification-queue") + "?" + queue
    page = client.get(response.url).content.decode()
    assert "No report is left waiting in this queue." in page


def test_verifying_outside_the_queue_stays_on_the_report(
    login, make_program, period_2022, dkiss_user
):
    period = period_2022(1)
    report = _submitted(make_program(title="Aplikasi Satu"), period, dkiss_user)
    _submitted(make_program(title="Aplikasi Dua"), period, dkiss_user)
    response = login("bappeda").post(
        reverse("report-verify", args=[report.pk]), {"version": report.version}
    )
    assert response.url == reverse("report-detail", args=[report.pk])
