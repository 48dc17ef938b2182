"""Notices: recorded in the app and emailed with a direct link, or kept for the daily digest.

``notify`` is the one way the apps tell people about an event (a report
submitted, verified or returned). Each recipient gets an in-app notice; one who
chose the daily digest gets it in the next digest (``send_digests``, run daily
by ``manage.py send_notice_digest`` or the Celery task), everyone else an email
at once, sent after the transaction commits (a rolled-back event sends nothing).
Every email carries the absolute link ``settings.SITE_URL`` + the notice's link.
"""

import logging
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notices.models import Notice, NoticePreference

logger = logging.getLogger(__name__)

# Emails are written in the language of the people notified (as the reminders).
EMAIL_LANGUAGE = "id"


def absolute(link):
    """``link`` (a path inside the site) as an absolute address for an email."""
    if not link or link.startswith(("http://", "https://")):
        return link
    return f"{settings.SITE_URL}{link}"


def _digest_user_ids(users):
    return set(
        NoticePreference.objects.filter(
            user__in=[u.pk for u in users], daily_digest=True
        ).values_list("user_id", flat=True)
    )


@transaction.atomic
def notify(users, *, subject, body, link="", actor=None):
    """Tell ``users`` (active users; duplicates and inactive ones are dropped) about an
    event: an in-app notice each, and an email now or in their daily digest.

    ``link`` is a path inside the site (``reverse(...)``). ``actor``, the person
    whose action caused it, is not notified of their own action. Returns the
    notices created. Two queries plus one insert, whatever the number of users.
    """
    seen, recipients = set(), []
    for user in users:
        if user.pk in seen or not user.is_active or (actor is not None and user.pk == actor.pk):
            continue
        seen.add(user.pk)
        recipients.append(user)
    if not recipients:
        return []
    digest = _digest_user_ids(recipients)
    now = timezone.now()
    notices = Notice.objects.bulk_create(
        [
            Notice(
                user=user,
                subject=subject[:300],
                body=body,
                link=link,
                emailed_at=now if (user.email and user.pk not in digest) else None,
            )
            for user in recipients
        ]
    )
    at_once = [n for n in notices if n.emailed_at is not None]
    if at_once:
        messages = [_single_email(n) for n in at_once]
        transaction.on_commit(lambda: _send(messages))
    return notices


def _single_email(notice):
    with translation.override(EMAIL_LANGUAGE):
        body = render_to_string(
            "notices/notice_email.txt",
            {
                "name": notice.user.get_full_name() or notice.user.username,
                "items": [(notice, absolute(notice.link))],
                "settings_link": absolute(_settings_path()),
            },
        )
    return EmailMessage(notice.subject, body, None, [notice.user.email])


def _settings_path():
    return reverse("notice-settings")


def _send(messages):
    """Send ``messages`` over one connection; a refused one is logged, the others go."""
    failed = 0
    with get_connection() as connection:
        for message in messages:
            try:
                connection.send_messages([message])
            except OSError:  # smtplib's errors are OSErrors
                logger.exception("A notice email to %s could not be sent", message.to)
                failed += 1
    return len(messages) - failed, failed


def mark_read(notice, *, actor):
    """Mark ``actor``'s own ``notice`` read (someone else's is not touched)."""
    if notice.user_id != actor.pk or notice.read_at is not None:
        return notice
    notice.read_at = timezone.now()
    notice.save(update_fields=["read_at"])
    return notice


def mark_all_read(*, actor):
    """Mark every unread notice of ``actor`` read; returns how many. (Notices keep no
    history, so one UPDATE is right here.)"""
    return Notice.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())


def mark_older_read(*, actor, keep_unread):
    """Mark ``actor``'s unread notices read but the ``keep_unread`` newest; returns how
    many. The demo's nine quarters of past events would otherwise greet its accounts
    with hundreds of unread notices."""
    unread = Notice.objects.filter(user=actor, read_at__isnull=True)
    kept = list(unread.order_by("-created_at", "-pk").values_list("pk", flat=True)[:keep_unread])
    return unread.exclude(pk__in=kept).update(read_at=timezone.now())


def set_daily_digest(user, *, actor, daily_digest):
    """Choose between one email per notice (``False``) and one a day (``True``).

    Only the person themselves chooses. Notices waiting for a digest when the
    person goes back to single emails still go out in the next digest run.
    """
    if actor.pk != user.pk:
        raise PermissionDenied
    preference, _created = NoticePreference.objects.get_or_create(user=user)
    if preference.daily_digest != daily_digest:
        preference.daily_digest = daily_digest
        preference.save(update_fields=["daily_digest", "updated_at"])
    return preference


def send_digests(*, now=None):
    """Send each person who waits for a digest one email with all their notices not
    yet emailed; returns ``(emails sent, emails refused)``.

    The notices are marked emailed (claimed) before the emails go out, in one
    transaction that locks them, so two runs at once never send a notice twice;
    an email the server refuses is logged and not retried (as the reminders).
    """
    now = now or timezone.now()
    with transaction.atomic():
        waiting = list(
            Notice.objects.select_for_update(of=("self",))
            .filter(emailed_at__isnull=True, created_at__lte=now)
            .exclude(user__email="")
            # Those who chose the digest (or chose it once: what waited then still goes
            # out); a notice made while someone had no address is not mailed later.
            .filter(user__is_active=True, user__notice_preference__isnull=False)
            .select_related("user")
            .order_by("user_id", "created_at", "pk")
        )
        if not waiting:
            return 0, 0
        Notice.objects.filter(pk__in=[n.pk for n in waiting]).update(emailed_at=now)
    by_user = defaultdict(list)
    for notice in waiting:
        by_user[notice.user].append(notice)
    messages = [_digest_email(user, notices) for user, notices in by_user.items()]
    return _send(messages)


def _digest_email(user, notices):
    with translation.override(EMAIL_LANGUAGE):
        subject = ngettext("%(count)s new notice", "%(count)s new notices", len(notices)) % {
            "count": len(notices)
        }
        body = render_to_string(
            "notices/notice_email.txt",
            {
                "name": user.get_full_name() or user.username,
                "items": [(n, absolute(n.link)) for n in notices],
                "settings_link": absolute(_settings_path()),
                "digest": True,
                "list_link": absolute(_list_path()),
            },
        )
        subject = _("Daily digest: %(subject)s") % {"subject": subject}
    return EmailMessage(subject, body, None, [user.email])


def _list_path():
    return reverse("notice-list")
