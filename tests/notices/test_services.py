"""notices/services.py: a notice in the app for each person, emailed at once with a
direct absolute link, or kept for the daily digest; report events go through it."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from notices import services, tasks
from notices.models import Notice
from programs import reporting
from tests.reminders.conftest import EMAILS

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def people(with_emails):
    return user("bappeda"), user("dkiss"), user("dinkes")


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://monev.example.go.id"


def _notify(users, actor=None):
    return services.notify(
        users,
        subject="Laporan dikirim",
        body="DKISS mengirim laporan TW I.",
        link="/laporan/7/",
        actor=actor,
    )


def test_each_person_gets_a_notice_and_an_email_with_the_absolute_link(
    people, site, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notices = _notify([people[0], people[1], people[0]])
    assert len(notices) == 2  # the same person once
    assert sorted(m.to[0] for m in mailoutbox) == sorted([EMAILS["bappeda"], EMAILS["dkiss"]])
    message = mailoutbox[0]
    assert message.subject == "Laporan dikirim"
    assert "https://monev.example.go.id/laporan/7/" in message.body
    assert "DKISS mengirim laporan TW I." in message.body
    assert all(n.emailed_at is not None and n.read_at is None for n in notices)


def test_nothing_is_sent_when_the_event_is_rolled_back(people, mailoutbox):
    # Without the commit (the test's transaction never commits), no email goes out.
    _notify([people[0]])
    assert mailoutbox == []


def test_the_actor_and_inactive_people_are_not_notified(people, mailoutbox):
    bappeda, dkiss, dinkes = people
    dinkes.is_active = False
    dinkes.save()
    notices = _notify([bappeda, dkiss, dinkes], actor=dkiss)
    assert [n.user for n in notices] == [bappeda]


def test_the_daily_digest_collects_the_notices_in_one_email(
    people, site, mailoutbox, django_capture_on_commit_callbacks
):
    bappeda, dkiss, _dinkes = people
    services.set_daily_digest(bappeda, actor=bappeda, daily_digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        _notify([bappeda, dkiss])
        services.notify([bappeda], subject="Laporan kedua", body="", link="/laporan/8/")
    # Only DKISS is emailed at once; Bappeda's two wait for the digest.
    assert [m.to for m in mailoutbox] == [[EMAILS["dkiss"]]]
    mailoutbox.clear()

    assert services.send_digests() == (1, 0)
    (digest,) = mailoutbox
    assert digest.to == [EMAILS["bappeda"]]
    assert "2" in digest.subject
    for text in ("Laporan dikirim", "Laporan kedua", "https://monev.example.go.id/laporan/8/"):
        assert text in digest.body
    # Sent once: a second run finds nothing.
    assert services.send_digests() == (0, 0)
    assert not Notice.objects.filter(user=bappeda, emailed_at__isnull=True).exists()


def test_the_digest_command_and_task(people, mailoutbox):
    bappeda = people[0]
    services.set_daily_digest(bappeda, actor=bappeda, daily_digest=True)
    _notify([bappeda])
    out = io.StringIO()
    call_command("send_notice_digest", stdout=out)
    assert "1 digest(s) sent" in out.getvalue()
    assert [m.to for m in mailoutbox] == [[EMAILS["bappeda"]]]
    _notify([bappeda])
    assert tasks.send_notice_digest() == {"sent": 1, "failed": 0}


def test_only_the_person_chooses_the_digest(people):
    with pytest.raises(PermissionDenied):
        services.set_daily_digest(people[0], actor=people[1], daily_digest=True)


def test_mark_read_touches_only_ones_own_notices(people):
    bappeda, dkiss, _dinkes = people
    services.mark_all_read(actor=bappeda)  # the demo's own report events
    mine, theirs = _notify([bappeda, dkiss])
    services.mark_read(theirs, actor=bappeda)
    theirs.refresh_from_db()
    assert theirs.read_at is None
    services.mark_read(mine, actor=bappeda)
    assert mine.read_at is not None
    _notify([bappeda])
    assert services.mark_all_read(actor=bappeda) == 1


def test_report_events_leave_a_notice_with_a_link_to_the_report(
    make_program,
    period_2022,
    bappeda_user,
    dkiss_user,
    site,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    dkiss_user.email = "kepala@dkiss.example"
    dkiss_user.save()
    report = reporting.start_report(make_program(), period_2022(1), actor=dkiss_user)
    with django_capture_on_commit_callbacks(execute=True):
        report = reporting.submit_report(report, actor=dkiss_user)
    link = f"/laporan/{report.pk}/"
    submitted = Notice.objects.filter(user=bappeda_user).latest("created_at", "pk")
    assert submitted.link == link
    assert str(report) in submitted.subject
    with django_capture_on_commit_callbacks(execute=True):
        reporting.return_report(report, actor=user("pengelola"), reason="Lengkapi bukti")
    returned = Notice.objects.filter(user=dkiss_user).latest("created_at", "pk")
    assert "Lengkapi bukti" in returned.body and returned.link == link
    assert f"https://monev.example.go.id{link}" in mailoutbox[-1].body


def test_the_demo_accounts_start_with_their_three_newest_notices_unread():
    """seed_demo settles nine quarters of past events: only the newest three stay unread."""
    bappeda = user("bappeda")
    notices = Notice.objects.filter(user=bappeda)
    assert notices.count() > 3
    unread = notices.filter(read_at__isnull=True)
    newest = list(notices.order_by("-created_at", "-pk").values_list("pk", flat=True)[:3])
    assert sorted(unread.values_list("pk", flat=True)) == sorted(newest)


def test_mark_older_read_keeps_the_newest_unread_and_touches_no_one_else(people):
    bappeda, dkiss, _dinkes = people
    Notice.objects.filter(user__in=[bappeda, dkiss]).delete()
    for _ in range(5):
        _notify([bappeda, dkiss])
    assert services.mark_older_read(actor=bappeda, keep_unread=2) == 3
    newest = Notice.objects.filter(user=bappeda).order_by("-created_at", "-pk")[:2]
    assert {n.pk for n in newest} == set(
        Notice.objects.filter(user=bappeda, read_at__isnull=True).values_list("pk", flat=True)
    )
    assert Notice.objects.filter(user=dkiss, read_at__isnull=True).count() == 5
