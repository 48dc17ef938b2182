"""Creating, checking and revoking personal API tokens (see ``api.models``)."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from api.models import MAX_LIFETIME, ApiToken

TOKEN_START = "monev_"
# How stale ``last_used_at`` may get: one write a minute at most per token,
# instead of one per request.
LAST_USED_RESOLUTION = 60


def hash_token(plaintext):
    """The stored form of a token: SHA-256 of the whole string, in hex."""
    return hashlib.sha256(plaintext.encode()).hexdigest()


def _new_plaintext():
    prefix = secrets.token_hex(4)  # 8 characters, shown on the token page
    secret = secrets.token_urlsafe(32)
    return prefix, f"{TOKEN_START}{prefix}_{secret}"


def create_token(user, name, expires_at):
    """Create a token for ``user`` valid until ``expires_at``; return ``(token, plaintext)``.

    The plaintext exists only in the return value: show it once. ``expires_at``
    must lie in the future and at most a year ahead (``MAX_LIFETIME``).
    An inactive user gets none, and nobody more than ``API_MAX_TOKENS_PER_USER``
    active tokens at once: revoke one first.
    """
    now = timezone.now()
    if not user.is_active:
        raise PermissionDenied
    if expires_at <= now:
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    if expires_at > now + MAX_LIFETIME:
        raise ValidationError({"expires_at": _("A token is valid for one year at most.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    with transaction.atomic():
        # The user's row locked: two requests at once cannot both take the last place.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        limit = settings.API_MAX_TOKENS_PER_USER
        if ApiToken.objects.filter(user=user).usable(now).count() >= limit:
            raise ValidationError(
                ngettext(
                    "You have %(limit)d active token, the most one person may hold; "
                    "revoke it before creating another.",
                    "You have %(limit)d active tokens, the most one person may hold; "
                    "revoke one before creating another.",
                    limit,
                )
                % {"limit": limit},
                code="too_many_tokens",
            )
        while True:
            prefix, plaintext = _new_plaintext()
            if not ApiToken.objects.filter(prefix=prefix).exists():
                break
        token = ApiToken(
            user=user,
            name=name,
            prefix=prefix,
            key_hash=hash_token(plaintext),
            expires_at=expires_at,
        )
        token.full_clean()
        token.save()
    return token, plaintext


def revoke_token(token, actor):
    """Revoke ``token`` at once (its owner only). Revoking twice keeps the first time."""
    if actor is None or actor.pk != token.user_id:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def revoke_tokens_of(user):
    """Revoke every token of ``user`` that still works; return how many.

    Called by the services that change what a user may do (``tracker.services``:
    a new role, another unit): a token made for the old rights must not go on
    with the new ones unasked. Those services record the revocation, with its
    actor and reason, in the history of the user's profile (tokens have no
    history of their own, see ``api.models``).
    """
    return ApiToken.objects.filter(user=user).usable().update(revoked_at=timezone.now())


def revoke_after_access_change(user):
    """Revoke ``user``'s working tokens after a role or unit change; the words for the
    history of the user's profile, or ``None`` if there was none (registered with
    ``tracker.services.on_access_change`` in ``api/apps.py``)."""
    count = revoke_tokens_of(user)
    if not count:
        return None
    return ngettext(
        "%(count)d API token revoked: the role or unit changed",
        "%(count)d API tokens revoked: the role or unit changed",
        count,
    ) % {"count": count}


def token_for(plaintext):
    """The token row of ``plaintext`` (any status) with its user, or ``None``."""
    if not plaintext or not plaintext.startswith(TOKEN_START):
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=hash_token(plaintext)).first()


def note_use(token, now=None):
    """Record that ``token`` was used: at most one write a minute, without a read first."""
    now = now or timezone.now()
    last = token.last_used_at
    if last is not None and (now - last).total_seconds() < LAST_USED_RESOLUTION:
        return
    # A conditional update: two requests at once write once. ApiToken is not
    # history-tracked, so .update() loses nothing.
    stale = now - datetime.timedelta(seconds=LAST_USED_RESOLUTION)
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale), pk=token.pk
    ).update(last_used_at=now)
    token.last_used_at = now


def tokens_of(user):
    """The user's own tokens, newest first: nobody sees another user's tokens."""
    return ApiToken.objects.filter(user=user)
