"""Accounts: inviting a person, their name, email, role and unit.

Users are not records of the permission policy (``tracker/policy.py``): who
manages an account follows from its profile's government. A superuser manages
every account; a government's Administrator those of that government, never a
superuser's; nobody else any (:func:`manages_accounts`).

Nobody types another person's password. An invited account starts with an
unusable password, and its owner sets one through an emailed link: Django's
password-reset link (``default_token_generator``, the
``password_reset_confirm`` page), valid for ``PASSWORD_RESET_TIMEOUT``
(seven days unless the settings say otherwise). When it has expired, the
Administrator sends the invitation again, or the person asks for a new link
with "Lupa kata sandi?" on the login page.

Users and groups keep no history of their own: each change of an account is a
history row on its profile, with the actor and the reason.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker import policy, services
from tracker.history import save_tracked
from tracker.models import Profile
from tracker.policy import ADMINISTRATOR_GROUP, BAPPEDA_GROUP, PIMPINAN_GROUP, ROLE_GROUPS

logger = logging.getLogger(__name__)

# A unit member (head or operator): no role group; what they see follows their unit.
UNIT_MEMBER = "unit"
ROLE_CHOICES = [
    (ADMINISTRATOR_GROUP, gettext_lazy("Administrator")),
    (BAPPEDA_GROUP, gettext_lazy("Bappeda")),
    (PIMPINAN_GROUP, gettext_lazy("Leadership (Pimpinan)")),
    (UNIT_MEMBER, gettext_lazy("Unit member (head or operator)")),
]
ROLES = dict(ROLE_CHOICES)
# The user model keeps the full name as first and last name, 150 characters each.
NAME_MAX = 150


@dataclass(frozen=True)
class Invitation:
    """An invited account, the link to set its password, and whether the email went out."""

    user: object
    link: str
    sent: bool


def manages_accounts(user, government=None):
    """Whether ``user`` manages accounts (of ``government``, if given)."""
    actor = policy.actor_for(user)
    if actor.role == policy.Role.SUPERUSER:
        return True
    if actor.role != policy.Role.ADMINISTRATOR:
        return False
    return government is None or actor.government_id == government.pk


def check_manages(actor, government, user=None):
    """Refuse (``PermissionDenied``) unless ``actor`` manages the accounts of ``government``
    (and ``user``'s: a superuser's account is for superusers only).

    ``actor=None`` is the system itself (a management command run by a superuser).
    """
    if actor is None:
        return
    if user is not None and user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser manages a superuser's account."))
    if not manages_accounts(actor, government):
        raise PermissionDenied(
            _("Only the Administrator of %(government)s manages its accounts.")
            % {"government": government}
        )


def account_role(user):
    """The role an account is given on the forms: its first role group, else unit member.

    Reads ``user.groups.all()``, so a list prefetches the groups once.
    """
    names = {group.name for group in user.groups.all()}
    return next((name for name in ROLE_GROUPS if name in names), UNIT_MEMBER)


def set_password_link(user, base_url):
    """The absolute address at which ``user`` sets a new password (Django's reset link)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


def base_url_of(request_or_site_url):
    """``https://host`` of a request, or the site address given as text (commands)."""
    if isinstance(request_or_site_url, str):
        return request_or_site_url.rstrip("/")
    request = request_or_site_url
    return f"{request.scheme}://{request.get_host()}"


def _full_name(user):
    return user.get_full_name() or user.username


def _send_invitation(user, link):
    """Email ``link`` to ``user``; ``False`` (and a log entry) if the mail server refused.

    Written in the site's language: the person has chosen none yet.
    """
    profile = Profile.objects.select_related("government", "unit").get(user=user)
    context = {
        "user": user,
        "full_name": _full_name(user),
        "government": profile.government,
        "unit": profile.unit,
        "link": link,
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("registration/invitation_subject.txt", context)
        body = render_to_string("registration/invitation_email.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [user.email])
    except OSError:  # smtplib's errors are OSErrors
        logger.exception("The invitation to %s could not be sent", user.username)
        return False
    return True


def _account_errors(
    *, government, full_name, email, role, unit, is_unit_head, user=None, current_unit_id=None
):
    """What is wrong with these account details (a dict for ``ValidationError``).

    ``user`` is the account being changed (``None`` for a new one), and
    ``current_unit_id`` its unit now: it may stay in a deactivated unit.
    """
    errors = {}
    if not full_name:
        errors["full_name"] = _("Write the person's full name.")
    elif len(full_name) > NAME_MAX:
        errors["full_name"] = _("Keep the name to %(limit)d characters.") % {"limit": NAME_MAX}
    if not email:
        errors["email"] = _("An email address is needed: the invitation goes there.")
    else:
        try:
            validate_email(email)
        except ValidationError as error:
            errors["email"] = error.messages
        else:
            others = get_user_model().objects.filter(email__iexact=email)
            if user is not None:
                others = others.exclude(pk=user.pk)
            if others.exists():
                errors["email"] = _(
                    "Another account already uses this email address; each person needs their own."
                )
    if role not in ROLES:
        errors["role"] = _("Choose one of the roles offered.")
    if unit is not None and unit.government_id != government.pk:
        errors["unit"] = _("Choose a unit of %(government)s.") % {"government": government}
    elif unit is not None and not unit.is_active and unit.pk != current_unit_id:
        errors["unit"] = _("%(unit)s is deactivated; choose an active unit.") % {"unit": unit}
    elif unit is None and (role == UNIT_MEMBER or is_unit_head):
        errors["unit"] = _("A unit member, and a unit head, needs a unit.")
    return errors


def _groups_for(role):
    return [] if role == UNIT_MEMBER else [role]


def _reason(what, reason):
    return f"{what} — {reason}" if reason else what


@transaction.atomic
def invite_user(
    *,
    actor,
    government,
    username,
    full_name,
    email,
    unit,
    role,
    is_unit_head,
    reason,
    request_or_site_url,
):
    """Create an account of ``government`` and email its owner a link to set their password.

    ``role`` is a role group (Administrator, Bappeda, Pimpinan) or
    :data:`UNIT_MEMBER`; a unit member, and a unit head, needs a ``unit``,
    which must be an active unit of ``government``. Nobody is made a superuser
    or staff member here. The account gets no usable password: the link
    (built on ``request_or_site_url``, a request or the site's address) is the
    only way in. The profile's history records ``actor`` and ``reason``.
    If the mail server refuses, the account stays and :class:`Invitation`
    says ``sent=False``: send it again later.
    """
    check_manages(actor, government)
    email = get_user_model().objects.normalize_email((email or "").strip())
    full_name = " ".join((full_name or "").split())
    errors = _account_errors(
        government=government,
        full_name=full_name,
        email=email,
        role=role,
        unit=unit,
        is_unit_head=is_unit_head,
    )
    if errors:
        raise ValidationError(errors)
    user = services.create_user(
        actor=actor,
        username=(username or "").strip(),
        password=None,
        government=government,
        unit=unit,
        is_unit_head=bool(unit and is_unit_head),
        groups=_groups_for(role),
        full_name=full_name,
        email=email,
        reason=_reason(
            _("Account created; invitation sent to %(email)s") % {"email": email}, reason
        ),
    )
    link = set_password_link(user, base_url_of(request_or_site_url))
    return Invitation(user=user, link=link, sent=_send_invitation(user, link))


@transaction.atomic
def resend_invitation(user, *, actor, request_or_site_url):
    """Email ``user`` a fresh link to set their password, while they have not set one.

    Recorded in the profile's history with ``actor``.
    """
    profile = _profile_of(user)
    check_manages(actor, profile.government, user)
    if user.has_usable_password():
        raise ValidationError(
            _(
                "%(user)s has set a password already. Who forgot it asks for a new one "
                "with “Forgot password?” on the login page."
            )
            % {"user": user.username}
        )
    if not user.is_active:
        raise ValidationError(_("The account is deactivated; reactivate it first."))
    if not user.email:
        raise ValidationError(_("The account has no email address; add one first."))
    link = set_password_link(user, base_url_of(request_or_site_url))
    save_tracked(
        profile,
        actor=actor,
        reason=_("Invitation sent again to %(email)s") % {"email": user.email},
    )
    return Invitation(user=user, link=link, sent=_send_invitation(user, link))


def _profile_of(user):
    profile = Profile.objects.select_related("government").filter(user=user).first()
    if profile is None:
        raise ValidationError(
            _("%(user)s has no profile; give them a government first.") % {"user": user}
        )
    return profile


@transaction.atomic
def update_account(user, *, actor, full_name, email, role, unit, is_unit_head, reason):
    """Change a person's name, email, role or unit (within their government).

    The role and the unit change through :func:`tracker.services.set_user_roles`
    and :func:`tracker.services.move_user`, so access follows at the next
    request; nobody removes their own Administrator role. Each kind of change
    is a history row on the profile with ``actor`` and ``reason`` (required).
    Returns whether anything changed; on bad input nothing does.
    """
    profile = _profile_of(user)
    check_manages(actor, profile.government, user)
    services.require_reason(reason)
    email = get_user_model().objects.normalize_email((email or "").strip())
    full_name = " ".join((full_name or "").split())
    errors = _account_errors(
        government=profile.government,
        full_name=full_name,
        email=email,
        role=role,
        unit=unit,
        is_unit_head=is_unit_head,
        user=user,
        current_unit_id=profile.unit_id,
    )
    if errors:
        raise ValidationError(errors)
    is_unit_head = bool(unit and is_unit_head)
    changed = False
    groups = _groups_for(role)
    current = set(user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True))
    if set(groups) != current:
        services.set_user_roles(user, actor=actor, groups=groups, reason=reason)
        changed = True
    if unit != profile.unit or is_unit_head != profile.is_unit_head:
        services.move_user(user, actor=actor, unit=unit, is_unit_head=is_unit_head, reason=reason)
        changed = True
    if full_name != user.get_full_name() or email != user.email:
        _set_name_and_email(user, actor=actor, full_name=full_name, email=email, reason=reason)
        changed = True
    return changed


def _set_name_and_email(user, *, actor, full_name, email, reason):
    """Save the name and email and record old -> new on the profile, if there is one."""
    what = []
    if full_name != user.get_full_name():
        what.append(
            _("Name: %(old)s → %(new)s") % {"old": user.get_full_name() or "—", "new": full_name}
        )
    if email != user.email:
        what.append(_("Email: %(old)s → %(new)s") % {"old": user.email or "—", "new": email})
    user.first_name, _space, user.last_name = full_name.partition(" ")
    user.email = email
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "email"])
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        save_tracked(profile, actor=actor, reason=_reason("; ".join(what), reason))


@transaction.atomic
def change_own_email(user, *, email):
    """Set ``user``'s own email address (the form has checked their current password).

    Refuses an address another account uses: a reset link must reach one person.
    """
    email = get_user_model().objects.normalize_email((email or "").strip())
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from None
    if get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError(
            {
                "email": _(
                    "Another account already uses this email address; each person needs their own."
                )
            }
        )
    if email != user.email:
        _set_name_and_email(
            user,
            actor=user,
            full_name=user.get_full_name(),
            email=email,
            reason=_("Changed by the account's owner."),
        )
    return user


@transaction.atomic
def reset_two_factor(user, *, actor, reason):
    """Remove ``user``'s two-factor devices (a lost phone); they set up a new one at next login.

    For a superuser (the admin's action) or the Administrator who manages the
    account; ``actor=None`` is the server's command line. Their API tokens stop
    working while their role requires two-factor sign-in and they have none
    (``api.authentication``). Recorded in the profile's history with ``actor``
    and ``reason`` (required); an account without a profile (a superuser made
    on the server) is recorded in the log. Returns how many devices were removed.
    """
    from django_otp import devices_for_user

    services.require_reason(reason)
    profile = Profile.objects.select_related("government").filter(user=user).first()
    if profile is not None:
        check_manages(actor, profile.government, user)
    elif actor is not None and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser manages a superuser's account."))
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    what = _("Two-factor sign-in reset: %(count)d device(s) removed") % {"count": len(devices)}
    if profile is not None:
        save_tracked(profile, actor=actor, reason=_reason(what, reason))
    else:
        logger.warning("%s for %s by %s — %s", what, user, actor or "the command line", reason)
    return len(devices)


def _password_reset_text():
    """The history reason of an emailed reset link, in the site's language (it is counted)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Password reset link emailed to %(email)s")


@transaction.atomic
def claim_password_reset(user, *, email):
    """Whether a "forgot password" email may go to ``user`` at ``email`` now; if so, record it.

    At most ``PASSWORD_RESET_EMAILS_PER_HOUR`` such emails per account and per
    address in the last hour, counted from the history rows this writes on
    the account's profile (in the database, so every worker counts the same),
    which also tell the Administrator when links were asked for. The person
    asking sees the same page either way (``ResetPasswordForm``), so it tells
    nobody whether an address has an account. An account without a profile
    (a superuser made on the server) gets no email: it sets a new password on
    the server (``manage.py changepassword``).
    """
    profile = Profile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        logger.warning("No password reset email for %s: the account has no profile", user)
        return False
    email = email.strip().lower()
    text = _password_reset_text()
    start = text.split("%(email)s")[0]
    since = timezone.now() - datetime.timedelta(hours=1)
    sent = Profile.history.filter(history_date__gte=since, history_change_reason__startswith=start)
    limit = settings.PASSWORD_RESET_EMAILS_PER_HOUR
    if (
        sent.filter(user_id=user.pk).count() >= limit
        or sent.filter(history_change_reason=text % {"email": email}).count() >= limit
    ):
        logger.warning("Password reset email to %s withheld: too many in the last hour", user)
        return False
    save_tracked(profile, actor=None, reason=text % {"email": email})
    return True


@transaction.atomic
def set_account_active(user, *, actor, active, reason):
    """Deactivate or reactivate an account the actor manages; a reason is required.

    Nobody deactivates their own account (:func:`tracker.services.set_user_active`).
    """
    profile = _profile_of(user)
    check_manages(actor, profile.government, user)
    services.require_reason(reason)
    return services.set_user_active(user, actor=actor, active=active, reason=reason)
