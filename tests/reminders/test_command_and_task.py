"""``manage.py send_reminders`` and the Celery task."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reminders import tasks
from reminders.models import ReminderSent
from tests.reminders.conftest import EMAILS

TRIGGER = "2023-04-04"  # 3 working days before Monday 10 April 2023 (Good Friday skipped)


@pytest.fixture
def dkiss_program(make_program, period_2023):
    return make_program("DKISS")


def _run(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_who_and_sends_and_records_nothing(dkiss_program, mailoutbox):
    output = _run("--date", TRIGGER, "--dry-run")
    assert "submission_before" in output and "dkiss" in output and EMAILS["dkiss"] in output
    assert "Would send: 1" in output
    assert mailoutbox == []
    assert not ReminderSent.objects.exists()


def test_the_command_sends_and_prints_the_summary(dkiss_program, mailoutbox):
    output = _run("--date", TRIGGER)
    assert "submission_before" in output and "Sent: 1" in output
    assert [m.to for m in mailoutbox] == [[EMAILS["dkiss"]]]
    assert "Sent: 0" in _run("--date", TRIGGER)


def test_a_bad_date_is_refused(db):
    with pytest.raises(CommandError):
        _run("--date", "04-04-2023")


def test_the_celery_task_runs_eagerly_and_sends(dkiss_program, mailoutbox, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2023, 4, 4))
    result = tasks.send_reminders.delay()
    assert result.get() == {"sent": {"submission_before": 1}, "no_email": 0, "failed": 0}
    assert [m.to for m in mailoutbox] == [[EMAILS["dkiss"]]]
    assert tasks.send_reminders.name == "reminders.tasks.send_reminders"
