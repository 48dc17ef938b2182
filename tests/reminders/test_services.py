"""reminders/services.py: who is reminded of what, when, and only once."""

import datetime

import pytest

from programs import reporting
from programs.models import ReportingPeriod
from reminders import services as reminders
from reminders.models import ReminderSent
from tests.reminders.conftest import EMAILS, user

D = datetime.date
Step = ReminderSent.Step
# 2023 TW I (tests/reminders/conftest.py): the units' deadline is Monday 10 April
# 2023; 3 working days before is Tuesday 4 April, since Good Friday (7 April)
# does not count. Bappeda's deadline is Monday 17 April; 3 working days before,
# Wednesday 12 April.
SUBMISSION_TRIGGER = D(2023, 4, 4)
SUBMISSION_DEADLINE = D(2023, 4, 10)
VERIFICATION_TRIGGER = D(2023, 4, 12)
VERIFICATION_DEADLINE = D(2023, 4, 17)


def recipients(outbox):
    return sorted(address for message in outbox for address in message.to)


@pytest.fixture
def dkiss_program(make_program, period_2023):
    return make_program("DKISS")


def test_the_deadlines_count_good_friday(period_2023):
    assert period_2023.submission_deadline == SUBMISSION_DEADLINE
    assert period_2023.verification_deadline == VERIFICATION_DEADLINE


def test_before_the_deadline_on_the_right_working_day_not_earlier(dkiss_program, mailoutbox):
    summary = reminders.send_reminders(today=SUBMISSION_TRIGGER - datetime.timedelta(days=1))
    assert summary.total == 0 and mailoutbox == []

    summary = reminders.send_reminders(today=SUBMISSION_TRIGGER)
    assert summary.sent == {Step.SUBMISSION_BEFORE: 1}
    assert recipients(mailoutbox) == [EMAILS["dkiss"]]
    message = mailoutbox[0]
    assert "Aplikasi Pengingat" in message.body
    assert "10 April 2023" in message.subject + message.body
    assert "Pemerintah Kota Cilegon" in message.subject
    assert "http://testserver" not in message.body  # the configured SITE_URL, not a request
    assert ReminderSent.objects.filter(user=user("dkiss"), step=Step.SUBMISSION_BEFORE).count() == 1


def test_the_link_leads_to_my_tasks_of_the_period(dkiss_program, period_2023, mailoutbox, settings):
    settings.SITE_URL = "https://monev.example.go.id"
    reminders.send_reminders(today=SUBMISSION_TRIGGER)
    assert f"https://monev.example.go.id/tugas-saya/?periode={period_2023.pk}" in (
        mailoutbox[0].body
    )


def test_a_missed_run_still_sends_the_before_reminder(dkiss_program, mailoutbox):
    summary = reminders.send_reminders(today=D(2023, 4, 6))
    assert summary.sent == {Step.SUBMISSION_BEFORE: 1}


def test_on_the_day_and_overdue_each_once(dkiss_program, mailoutbox):
    assert reminders.send_reminders(today=SUBMISSION_DEADLINE).sent == {Step.SUBMISSION_DAY: 1}
    assert reminders.send_reminders(today=D(2023, 4, 11)).sent == {Step.SUBMISSION_OVERDUE: 1}
    assert reminders.send_reminders(today=D(2023, 4, 12)).total == 0
    assert reminders.send_reminders(today=D(2023, 5, 30)).total == 0
    assert len(mailoutbox) == 2
    assert mailoutbox[0].subject != mailoutbox[1].subject


def test_running_twice_sends_nothing_new(dkiss_program, mailoutbox):
    reminders.send_reminders(today=SUBMISSION_TRIGGER)
    again = reminders.send_reminders(today=SUBMISSION_TRIGGER)
    later = reminders.send_reminders(today=D(2023, 4, 5))
    assert again.total == later.total == 0
    assert len(mailoutbox) == 1


def test_a_unit_that_submitted_everything_gets_nothing(dkiss_program, period_2023, mailoutbox):
    report = reporting.start_report(dkiss_program, period_2023, actor=user("dkiss"))
    reporting.submit_report(report, actor=user("dkiss"))
    mailoutbox.clear()  # the "submitted" notice to Bappeda
    for day in (SUBMISSION_TRIGGER, SUBMISSION_DEADLINE, D(2023, 4, 11)):
        summary = reminders.send_reminders(today=day)
        assert not any(step.startswith("submission") for step in summary.sent)
    assert EMAILS["dkiss"] not in recipients(mailoutbox)


def test_a_draft_or_returned_report_is_still_due(dkiss_program, period_2023, mailoutbox):
    report = reporting.start_report(dkiss_program, period_2023, actor=user("dkiss"))
    report = reporting.submit_report(report, actor=user("dkiss"))
    reporting.return_report(report, actor=user("pengelola"), reason="Lengkapi bukti")
    mailoutbox.clear()
    reminders.send_reminders(today=SUBMISSION_TRIGGER)
    assert recipients(mailoutbox) == [EMAILS["dkiss"]]
    assert "Aplikasi Pengingat (Dikembalikan)" in mailoutbox[0].body


def test_each_unit_hears_about_its_own_programs(make_program, period_2023, mailoutbox):
    make_program("DKISS", title="Program DKISS")
    make_program("DINKES", title="Program Dinkes")
    reminders.send_reminders(today=SUBMISSION_TRIGGER)
    bodies = {message.to[0]: message.body for message in mailoutbox}
    assert set(bodies) == {EMAILS["dkiss"], EMAILS["dinkes"]}
    assert "Program DKISS" in bodies[EMAILS["dkiss"]]
    assert "Program Dinkes" not in bodies[EMAILS["dkiss"]]
    assert "Program Dinkes" in bodies[EMAILS["dinkes"]]


def test_another_governments_users_are_never_reminded(dkiss_program, period_2023, mailoutbox):
    report = reporting.start_report(dkiss_program, period_2023, actor=user("dkiss"))
    reporting.submit_report(report, actor=user("dkiss"))
    days = [SUBMISSION_TRIGGER, SUBMISSION_DEADLINE, VERIFICATION_TRIGGER, VERIFICATION_DEADLINE]
    for day in days:
        reminders.send_reminders(today=day)
    assert EMAILS["serang"] not in recipients(mailoutbox)
    assert not ReminderSent.objects.filter(user=user("serang")).exists()


def test_bappeda_is_reminded_only_while_reports_wait(dkiss_program, period_2023, mailoutbox):
    # Nothing submitted: nothing to verify (DKISS hears it is overdue).
    summary = reminders.send_reminders(today=VERIFICATION_TRIGGER)
    assert summary.sent[Step.VERIFICATION_BEFORE] == 0
    assert EMAILS["bappeda"] not in recipients(mailoutbox)
    ReminderSent.objects.all().delete()  # start again, as if that run had not been
    report = reporting.start_report(dkiss_program, period_2023, actor=user("dkiss"))
    report = reporting.submit_report(report, actor=user("dkiss"))
    mailoutbox.clear()
    # Before the trigger day (Tuesday 11 April): nothing yet.
    assert reminders.send_reminders(today=D(2023, 4, 11)).sent[Step.VERIFICATION_BEFORE] == 0
    summary = reminders.send_reminders(today=VERIFICATION_TRIGGER)
    assert summary.sent == {Step.VERIFICATION_BEFORE: 1}
    assert recipients(mailoutbox) == [EMAILS["bappeda"]]
    assert "Aplikasi Pengingat" in mailoutbox[0].body
    assert "/antrean-verifikasi/" in mailoutbox[0].body
    # Verified before the deadline: no reminder on the day.
    reporting.verify_report(report, actor=user("pengelola"))
    assert reminders.send_reminders(today=VERIFICATION_DEADLINE).total == 0


def test_bappeda_on_the_verification_deadline(dkiss_program, period_2023, mailoutbox):
    report = reporting.start_report(dkiss_program, period_2023, actor=user("dkiss"))
    reporting.submit_report(report, actor=user("dkiss"))
    mailoutbox.clear()
    assert reminders.send_reminders(today=VERIFICATION_DEADLINE).sent == {Step.VERIFICATION_DAY: 1}
    # No verification reminder once the deadline has passed.
    assert reminders.send_reminders(today=D(2023, 4, 18)).total == 0


def test_a_locked_period_sends_nothing(dkiss_program, period_2023, mailoutbox):
    period_2023.state = ReportingPeriod.State.LOCKED
    period_2023.save()
    assert reminders.send_reminders(today=SUBMISSION_DEADLINE).total == 0


def test_a_user_without_email_is_skipped_and_counted(dkiss_program, mailoutbox):
    dkiss = user("dkiss")
    dkiss.email = ""
    dkiss.save()
    summary = reminders.send_reminders(today=SUBMISSION_TRIGGER)
    assert summary.total == 0 and summary.no_email == 1
    assert mailoutbox == []
    assert not ReminderSent.objects.exists()


def test_an_inactive_user_is_not_reminded(dkiss_program, mailoutbox):
    dkiss = user("dkiss")
    dkiss.is_active = False
    dkiss.save()
    summary = reminders.send_reminders(today=SUBMISSION_TRIGGER)
    assert summary.total == 0 and summary.no_email == 0


def test_the_email_is_in_indonesian_whatever_the_sites_language(
    dkiss_program, mailoutbox, settings
):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        reminders.send_reminders(today=SUBMISSION_TRIGGER)
    message = mailoutbox[0]
    # The period's name and the report state come from the existing catalogue.
    assert "Triwulan I 2023" in message.subject
    assert "Belum dimulai" in message.body  # "Not started"
    assert "Quarter" not in message.subject + message.body
    assert "April 2023" in message.body and "10 April 2023" in message.body


def test_a_refused_email_is_counted_and_not_sent_again(dkiss_program, mailoutbox, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    summary = reminders.send_reminders(today=SUBMISSION_TRIGGER)
    assert summary.failed == 1 and summary.total == 0
    monkeypatch.undo()
    # At most once: the claim stays, so a later run does not send it again.
    assert reminders.send_reminders(today=D(2023, 4, 5)).total == 0


def test_dry_run_lists_and_neither_sends_nor_records(dkiss_program, mailoutbox):
    summary = reminders.send_reminders(today=SUBMISSION_TRIGGER, dry_run=True)
    assert [(r.user.username, r.step) for r in summary.planned] == [
        ("dkiss", Step.SUBMISSION_BEFORE)
    ]
    assert mailoutbox == [] and not ReminderSent.objects.exists()


def test_one_connection_for_the_run(make_program, period_2023, mailoutbox, monkeypatch):
    make_program("DKISS", title="Program DKISS")
    make_program("DINKES", title="Program Dinkes")
    opened = []
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.open

    def counting_open(self):
        opened.append(self)
        return original(self)

    monkeypatch.setattr(EmailBackend, "open", counting_open)
    reminders.send_reminders(today=SUBMISSION_TRIGGER)
    assert len(mailoutbox) == 2 and len(opened) == 1
