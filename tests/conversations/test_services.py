"""Posting to a report's conversation: who may, what is refused, who is told by email,
and the return reason as the conversation's first message."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from conversations import services
from conversations.models import MESSAGE_MAX, Message
from programs import reporting
from programs import services as program_services
from tests.conversations.conftest import fill_and_submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _link(report):
    return f"{settings.SITE_URL}/laporan/{report.pk}/#conversation"


def test_the_unit_writes_and_bappeda_staff_get_an_email_with_a_link(
    report, people, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message = services.post_message(
            report, actor=people["dkiss"], body="  Bukti SK sudah kami unggah ulang.  "
        )
    assert message.side == Message.Side.UNIT
    assert message.author == people["dkiss"]
    assert message.body == "Bukti SK sudah kami unggah ulang."
    created = message.history.get()
    assert created.history_user == people["dkiss"] and created.history_type == "+"
    # Both Bappeda staff, one email each; not the author, not the mayor.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "adpem@bappeda.example",
        "monev@bappeda.example",
    ]
    for email in mail.outbox:
        assert len(email.to) == 1
        assert "Bukti SK sudah kami unggah ulang." in email.body
        assert _link(report) in email.body
        assert "http://testserver" not in email.body  # the configured address, not a request's
        assert str(report.program) in email.subject


def test_bappeda_answers_and_the_units_people_get_the_email(
    report, people, django_user_model, cilegon, unit, django_capture_on_commit_callbacks
):
    from tracker import services as org_services

    operator = org_services.create_user(
        actor=None,
        username="operator.dkiss",
        password="x-Uji-2022-panjang",
        government=cilegon,
        unit=unit("DKISS"),
        email="operator@dkiss.example",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message = services.post_message(
            report, actor=people["bappeda"], body="Mohon lampirkan SK Wali Kota."
        )
    assert message.side == Message.Side.BAPPEDA
    assert sorted(m.to[0] for m in mail.outbox) == ["kepala@dkiss.example", operator.email]
    assert all(_link(report) in m.body for m in mail.outbox)
    assert all("Mohon lampirkan SK Wali Kota." in m.body for m in mail.outbox)


def test_the_administrator_speaks_for_bappeda(report, django_user_model):
    pengelola = django_user_model.objects.get(username="pengelola")
    message = services.post_message(report, actor=pengelola, body="Dicek oleh pengelola.")
    assert message.side == Message.Side.BAPPEDA


@pytest.mark.parametrize(
    "username",
    [
        "walikota",  # sees every report, reads the conversation, does not post
        "asda1",  # coordinates Dinkes, a supporting unit: reads
        "dinkes",  # a supporting unit: reads
        "camat.cibeber",  # another unit
        "serang",  # another government
        "nobody",  # no profile
    ],
)
def test_readers_and_outsiders_may_not_post(report, username, django_capture_on_commit_callbacks):
    user = get_user_model().objects.get(username=username)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.post_message(report, actor=user, body="Boleh saya ikut?")
    assert not Message.objects.filter(report=report, body="Boleh saya ikut?").exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("body", "words"),
    [("", "Write a message"), ("   \n ", "Write a message"), ("x" * (MESSAGE_MAX + 1), "at most")],
)
def test_an_empty_or_overlong_message_is_refused_and_nothing_is_sent(
    report, people, body, words, django_capture_on_commit_callbacks
):
    before = Message.objects.count()
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match=words) as error,
    ):
        services.post_message(report, actor=people["dkiss"], body=body)
    assert "body" in error.value.message_dict
    assert Message.objects.count() == before
    assert mail.outbox == []


def test_a_message_of_exactly_the_limit_is_accepted(report, people):
    message = services.post_message(report, actor=people["dkiss"], body="x" * MESSAGE_MAX)
    assert len(message.body) == MESSAGE_MAX


def test_a_locked_quarters_conversation_is_closed(report, people):
    report = reporting.verify_report(report, actor=people["bappeda"])
    program_services.lock_period(report.period, actor=people["bappeda"])
    with pytest.raises(ValidationError, match="locked"):
        services.post_message(report, actor=people["bappeda"], body="Masih ada catatan.")
    assert not report.messages.exists()


def test_the_return_reason_is_the_first_message_and_the_unit_gets_one_email(
    report, people, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reporting.return_report(
            report,
            actor=people["bappeda"],
            reason=" Lampirkan SK penetapan tim. ",
            expected_version=report.version,
        )
    first = report.messages.get()
    assert (first.side, first.author, first.body) == (
        Message.Side.BAPPEDA,
        people["bappeda"],
        "Lampirkan SK penetapan tim.",
    )
    assert first.history.get().history_user == people["bappeda"]
    # The return's own email carries the reason: the message adds no second one.
    assert [m.to for m in mail.outbox] == [["kepala@dkiss.example"]]

    answer = services.post_message(report, actor=people["dkiss"], body="SK sudah dilampirkan.")
    report.refresh_from_db()
    report = fill_and_submit(report, people["dkiss"], percent=report.milestone_rows.first().percent)
    reporting.return_report(
        report, actor=people["adpem"], reason="Tanda tangan belum ada.", expected_version=None
    )
    bodies = list(report.messages.values_list("body", flat=True))
    assert bodies == [first.body, answer.body, "Tanda tangan belum ada."]


def test_a_refused_return_posts_no_message(report, people):
    with pytest.raises(ValidationError):
        reporting.return_report(report, actor=people["bappeda"], reason="  ")
    assert not report.messages.exists()


def test_the_migration_turns_earlier_returns_into_messages(report, people):
    """Returns made before conversations existed become messages, once."""
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    # The models as the migration sees them (no history signals, as in a real run).
    apps = (
        MigrationLoader(connection)
        .project_state(("conversations", "0002_return_reasons_as_messages"))
        .apps
    )
    migration = importlib.import_module("conversations.migrations.0002_return_reasons_as_messages")
    reporting.return_report(report, actor=people["bappeda"], reason="Belum ada foto kegiatan.")
    returned_at = report.history.filter(state="returned").get().history_date
    # As before this app: the return left no message.
    Message.history.all().delete()
    Message.objects.all().delete()

    migration.returns_to_messages(apps, None)
    migration.returns_to_messages(apps, None)  # run again: nothing twice

    message = report.messages.get()
    assert (message.side, message.author, message.body, message.created_at) == (
        "bappeda",
        people["bappeda"],
        "Belum ada foto kegiatan.",
        returned_at,
    )
    record = message.history.get()
    assert (record.history_user, record.history_type) == (people["bappeda"], "+")
