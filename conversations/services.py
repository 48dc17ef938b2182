"""Posting to a report's conversation, and telling the other side by email.

Who may post: the report's unit writers (``policy.can_change`` on the report)
and the reviewers of its government (``policy.is_reviewer``: Bappeda, the
Administrator, a superuser) who see it. Everyone who sees the report reads
its conversation; nobody else learns it exists. A locked quarter's
conversation is closed, like the rest of its reports.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from conversations.models import MESSAGE_MAX, Message
from programs.models import ProgressReport
from tracker import policy
from tracker.history import save_tracked

# Emails go out in the interface's default language, whoever triggered them
# (as the deadline reminders do): the recipient did not choose the sender's.
EMAIL_LANGUAGE = "id"


def side_of(user, report):
    """The side ``user`` speaks for in ``report``'s conversation, or ``None`` if they
    may only read it (or not even see it).

    A reviewer who sees the report speaks for Bappeda, even on a report of their
    own unit (they may not verify it, but may discuss it); a member of the
    report's owning unit who writes it speaks for the unit.
    """
    if policy.is_reviewer(user) and policy.can_view(user, report):
        return Message.Side.BAPPEDA
    if policy.can_change(user, report):
        return Message.Side.UNIT
    return None


def _check_body(body):
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message before sending it.")}, code="required")
    if len(body) > MESSAGE_MAX:
        raise ValidationError(
            {
                "body": _(
                    "A message can be at most %(limit)s characters; this one has %(count)s. "
                    "Shorten it, or send it in two messages."
                )
                % {"limit": MESSAGE_MAX, "count": len(body)}
            },
            code="max_length",
        )
    return body


@transaction.atomic
def post_message(report, *, actor, body):
    """Post ``body`` to ``report``'s conversation as ``actor`` and email the other side.

    The report's unit writers and its government's reviewers may post (see
    :func:`side_of`); anyone else gets ``PermissionDenied``. An empty or
    over-long body, or a report of a locked quarter, raises ``ValidationError``
    (keyed ``body``) and nothing is saved. A message from the unit goes to the
    Bappeda staff of the report's government; one from Bappeda to the active
    users of the report's unit; never to the author. Each email carries the
    message and a direct link to the report's page. Returns the message.
    """
    side = side_of(actor, report)
    if side is None:
        raise PermissionDenied
    report = ProgressReport.objects.select_related(
        "period", "program", "program__owner_unit", "program__commitment__government"
    ).get(pk=report.pk)
    if report.period.is_locked:
        raise ValidationError(
            {"body": _("The period is locked; its conversations are closed.")}, code="locked"
        )
    message = Message(report=report, author=actor, side=side, body=_check_body(body))
    save_tracked(message, actor=actor)
    _email_other_side(message)
    return message


def record_return_reason(report, *, actor, reason):
    """Make a return's reason the conversation's next message, from Bappeda.

    Called by ``programs.reporting.return_report``, inside its transaction,
    after it has checked the reviewer and the reason: so it checks nothing
    again, and sends no email (the return's own email carries the reason).
    ``actor`` is ``None`` for the system (seeding).
    """
    message = Message(report=report, author=actor, side=Message.Side.BAPPEDA, body=reason.strip())
    return save_tracked(message, actor=actor, reason=reason.strip())


def recipients(message):
    """The active users the message is emailed to: the other side, never its author."""
    report = message.report
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if message.side == Message.Side.UNIT:
        users = users.filter(
            groups__name=policy.BAPPEDA_GROUP,
            profile__government_id=report.program.commitment.government_id,
        )
    else:
        users = users.filter(profile__unit_id=report.program.owner_unit_id)
    if message.author_id is not None:
        users = users.exclude(pk=message.author_id)
    return list(users.distinct().order_by("pk"))


def report_link(report):
    """The absolute address of the report's page, at its conversation."""
    return f"{settings.SITE_URL}{reverse('report-detail', args=[report.pk])}#conversation"


def author_name(message):
    """Who wrote ``message``: their full name, or user name; "the system" for none."""
    if message.author is None:
        return _("the system")
    return message.author.get_full_name() or message.author.get_username()


def _email_other_side(message):
    people = recipients(message)
    if not people:
        return
    report = message.report
    with translation.override(EMAIL_LANGUAGE):
        if message.side == Message.Side.UNIT:
            sender = report.program.owner_unit.name
        else:
            sender = _("Bappeda")
        subject = _("[%(government)s] New message on the report %(report)s") % {
            "government": report.program.commitment.government.name,
            "report": report,
        }
        emails = [
            EmailMessage(
                subject,
                render_to_string(
                    "conversations/message_email.txt",
                    {
                        "name": person.get_full_name() or person.get_username(),
                        "sender": sender,
                        "author": author_name(message),
                        "report": report,
                        "message": message,
                        "link": report_link(report),
                    },
                ),
                None,
                [person.email],
            )
            for person in people
        ]
    # Sent once the message is committed: a rolled-back post tells nobody.
    transaction.on_commit(lambda: get_connection(fail_silently=True).send_messages(emails))
