"""reminders/deadline_services.py and reminders/deadlines.py: deadlines that bend.

2023 TW I (tests/reminders/conftest.py): the units' deadline is Monday 10 April
2023, Bappeda's Monday 17 April. Reports below are sent on Friday 14 April:
late against the period's deadline, on time against an extension to 20 April.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from programs import monitoring, reporting
from reminders import deadline_services, deadlines
from reminders import services as reminders
from reminders.models import DeadlineExtension, ReminderSent
from tests.reminders.conftest import EMAILS, user

D = datetime.date
SENT_ON = timezone.make_aware(datetime.datetime(2023, 4, 14, 9, 0))
EXTENDED = D(2023, 4, 20)


@pytest.fixture
def programs(make_program, period_2023):
    return make_program("DKISS", "Aplikasi Pengingat"), make_program("DINKES", "Posyandu Digital")


def _send(program, period, username, at=SENT_ON):
    report = reporting.start_report(program, period, actor=user(username))
    return reporting.submit_report(report, actor=user(username), at=at)


def test_extending_one_unit_makes_only_its_report_on_time(programs, period_2023, unit):
    dkiss_program, dinkes_program = programs
    extension = deadline_services.extend_deadline(
        period_2023,
        actor=user("bappeda"),
        unit=unit("DKISS"),
        submission_deadline=EXTENDED,
        reason="Surat Kepala DKISS: server rusak",
    )
    assert deadlines.submission_deadline(unit("DKISS"), period_2023) == EXTENDED
    assert deadlines.submission_deadline(unit("DINKES"), period_2023) == D(2023, 4, 10)

    assert not _send(dkiss_program, period_2023, "dkiss").is_late
    assert _send(dinkes_program, period_2023, "dinkes").is_late
    # The dashboard judges the same.
    compliance = monitoring.compliance_by_program(
        [dkiss_program.pk, dinkes_program.pk], period_2023
    )
    assert compliance == {dkiss_program.pk: "on_time", dinkes_program.pk: "sent_late"}
    # Who and why are in the extension's history.
    record = extension.history.latest()
    assert record.history_user == user("bappeda")
    assert record.history_change_reason == "Surat Kepala DKISS: server rusak"


def test_extending_every_unit_makes_every_report_on_time(programs, period_2023):
    deadline_services.extend_deadline(
        period_2023,
        actor=user("bappeda"),
        unit=None,
        submission_deadline=EXTENDED,
        reason="Periode dibuka terlambat",
    )
    assert not _send(programs[0], period_2023, "dkiss").is_late
    assert not _send(programs[1], period_2023, "dinkes").is_late


def test_an_extension_after_the_report_was_sent_clears_its_late_flag(programs, period_2023, unit):
    report = _send(programs[0], period_2023, "dkiss")
    other = _send(programs[1], period_2023, "dinkes")
    assert report.is_late and other.is_late
    deadline_services.extend_deadline(
        period_2023,
        actor=user("bappeda"),
        unit=unit("DKISS"),
        submission_deadline=EXTENDED,
        reason="Disetujui Kepala Bappeda",
    )
    report.refresh_from_db()
    other.refresh_from_db()
    assert not report.is_late and other.is_late
    assert report.history.latest().history_change_reason == "Disetujui Kepala Bappeda"


def test_extending_again_changes_the_same_row_and_keeps_the_old_date(period_2023, unit):
    for day, reason in ((D(2023, 4, 14), "Pertama"), (EXTENDED, "Kedua")):
        deadline_services.extend_deadline(
            period_2023,
            actor=user("bappeda"),
            unit=unit("DKISS"),
            submission_deadline=day,
            reason=reason,
        )
    extension = DeadlineExtension.objects.get(period=period_2023)
    assert extension.submission_deadline == EXTENDED
    assert [h.submission_deadline for h in extension.history.order_by("history_date")] == [
        D(2023, 4, 14),
        EXTENDED,
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"submission_deadline": D(2023, 4, 10)}, "submission_deadline"),
        ({"submission_deadline": None}, "submission_deadline"),
        ({"verification_deadline": D(2023, 4, 25)}, "verification_deadline"),
    ],
)
def test_refused_with_a_clear_message_and_nothing_saved(period_2023, unit, changes, field):
    arguments = {
        "actor": user("bappeda"),
        "unit": unit("DKISS"),
        "submission_deadline": EXTENDED,
        "reason": "Alasan",
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        deadline_services.extend_deadline(period_2023, **arguments)
    assert field in error.value.message_dict
    assert not DeadlineExtension.objects.exists()


def test_bappeda_deadline_moves_only_with_every_unit(period_2023):
    deadline_services.extend_deadline(
        period_2023,
        actor=user("bappeda"),
        unit=None,
        submission_deadline=EXTENDED,
        verification_deadline=D(2023, 4, 27),
        reason="Periode dibuka terlambat",
    )
    assert deadlines.deadlines_of(period_2023).verification == D(2023, 4, 27)
    with pytest.raises(ValidationError):
        deadline_services.extend_deadline(
            period_2023,
            actor=user("bappeda"),
            unit=None,
            submission_deadline=D(2023, 4, 28),
            verification_deadline=D(2023, 4, 27),
            reason="Bappeda sebelum unit",
        )


@pytest.mark.parametrize("username", ["dkiss", "walikota", "asda1", "serang"])
def test_only_bappeda_and_the_administrator_extend(period_2023, unit, username):
    with pytest.raises(PermissionDenied):
        deadline_services.extend_deadline(
            period_2023,
            actor=user(username),
            unit=unit("DKISS"),
            submission_deadline=EXTENDED,
            reason="Alasan",
        )
    deadline_services.extend_deadline(
        period_2023,
        actor=user("pengelola"),
        unit=unit("DKISS"),
        submission_deadline=EXTENDED,
        reason="Administrator",
    )


def test_a_unit_of_another_government_is_refused(period_2023, serang):
    from tracker.models import Unit

    with pytest.raises(ValidationError) as error:
        deadline_services.extend_deadline(
            period_2023,
            actor=user("bappeda"),
            unit=Unit.objects.filter(government=serang).first(),
            submission_deadline=EXTENDED,
            reason="Alasan",
        )
    assert "unit" in error.value.message_dict


def test_reminders_follow_the_unit_deadline(programs, period_2023, unit, mailoutbox):
    deadline_services.extend_deadline(
        period_2023,
        actor=user("bappeda"),
        unit=unit("DKISS"),
        submission_deadline=D(2023, 4, 13),
        reason="Alasan",
    )
    # 10 April: the deadline day for Dinkes, three working days before DKISS's.
    summary = reminders.send_reminders(today=D(2023, 4, 10))
    assert summary.sent == {
        ReminderSent.Step.SUBMISSION_DAY: 1,
        ReminderSent.Step.SUBMISSION_BEFORE: 1,
    }
    by_address = {m.to[0]: m for m in mailoutbox}
    assert "13 April 2023" in by_address[EMAILS["dkiss"]].body
    assert "10 April 2023" in by_address[EMAILS["dinkes"]].body
    # 11 April: overdue for Dinkes only.
    summary = reminders.send_reminders(today=D(2023, 4, 11))
    assert summary.sent == {ReminderSent.Step.SUBMISSION_OVERDUE: 1}


def test_proposed_deadlines_count_working_days_from_today(cilegon):
    # Thursday 6 April 2023: Good Friday and the weekend do not count.
    assert deadline_services.proposed_deadlines(cilegon, D(2023, 4, 6)) == (
        D(2023, 4, 14),
        D(2023, 4, 21),
    )


def test_pages_show_a_units_own_deadline_with_the_template_filter(period_2023, unit):
    from django.template import Context, Template

    deadline_services.extend_deadline(
        period_2023,
        actor=user("bappeda"),
        unit=unit("DKISS"),
        submission_deadline=EXTENDED,
        reason="Alasan",
    )
    template = Template(
        "{% load deadlines %}{{ period|unit_deadline:dkiss|date:'Y-m-d' }} "
        "{{ period|unit_deadline:dinkes|date:'Y-m-d' }}"
    )
    text = template.render(
        Context({"period": period_2023, "dkiss": unit("DKISS"), "dinkes": unit("DINKES").pk})
    )
    assert text == "2023-04-20 2023-04-10"
