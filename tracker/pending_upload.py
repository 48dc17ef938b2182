"""The uploaded workbook waiting between its preview and its confirmation.

The uploaded bytes wait in the default storage under a random name only the
server knows; the session holds the token with the facts it was made for
(user, government, period, plan), and the confirmation sends only the token
(:class:`PendingUpload`).
"""

import hmac
import re
import secrets
from datetime import timedelta

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _


def upload_name(upload, default):
    """The uploaded file's own name (no folders), as the history's reason shows it."""
    name = re.split(r"[\\/]", upload.name or "")[-1].strip()
    return name[:100] or default


# --- The upload waiting for its confirmation -------------------------------------------------

_TOKEN = re.compile(r"^[0-9a-f]{32}$")
# Files of previews nobody confirmed are removed after this long.
UPLOAD_MAX_AGE = timedelta(days=1)


class PendingUpload:
    """One waiting upload per session and ``key`` (e.g. "setup_import"), kept in ``folder``."""

    def __init__(self, key, folder):
        self.key, self.folder = key, folder

    def _path(self, token):
        return f"{self.folder}/{token}.xlsx"

    def _sweep(self):
        try:
            _dirs, files = default_storage.listdir(self.folder)
        except (FileNotFoundError, NotImplementedError):
            return
        cutoff = timezone.now() - UPLOAD_MAX_AGE
        for name in files:
            path = f"{self.folder}/{name}"
            try:
                if default_storage.get_modified_time(path) < cutoff:
                    default_storage.delete(path)
            except (FileNotFoundError, NotImplementedError):
                continue

    def keep(self, request, content, name, **facts):
        """Store ``content`` and remember it in the session; returns the token."""
        self.forget(request)
        self._sweep()
        token = secrets.token_hex(16)
        default_storage.save(self._path(token), ContentFile(content))
        request.session[self.key] = {
            "token": token,
            "user": request.user.pk,
            "name": name,
            **facts,
        }
        return token

    def read_upload(self, request, upload, default_name, make_preview, *, when=None, **facts):
        """Read ``upload`` (a form's file) into ``make_preview(content, name)`` and keep it
        in place of the session's earlier upload when the preview can be applied
        (``is_valid``, and ``when(preview)`` if given). Returns ``(preview, token)``; the
        token is ``None`` when nothing was kept."""
        content = upload.read()
        name = upload_name(upload, default_name)
        preview = make_preview(content, name)
        self.forget(request)
        if not preview.is_valid or (when is not None and not when(preview)):
            return preview, None
        token = self.keep(request, content, name, fingerprint=preview.fingerprint, **facts)
        return preview, token

    def forget(self, request):
        pending = request.session.pop(self.key, None)
        if pending and _TOKEN.match(pending.get("token", "")):
            default_storage.delete(self._path(pending["token"]))

    def take(self, request, back_to, *, cancelled_to=None, **facts):
        """The confirmed upload as ``(content, pending, None)``; or, when there is none to
        apply, ``(None, None, answer)``: back to ``back_to`` with a message saying the
        preview expired, or (to ``cancelled_to`` if given) that the user cancelled it
        (its file is then removed)."""
        loaded = self.load(request, **facts)
        if loaded is None:
            messages.error(request, _("This preview has expired; upload the file again."))
            return None, None, redirect(back_to)
        if request.POST.get("action") == "cancel":
            self.forget(request)
            messages.info(request, _("The import was cancelled; nothing was changed."))
            return None, None, redirect(cancelled_to or back_to)
        return *loaded, None

    def apply(self, request, back_to, apply, **facts):
        """Apply the confirmed upload with ``apply(content, name, fingerprint)`` and forget
        it, whether that succeeds or raises: ``(result, pending, None)``; or, when there
        is none to apply, ``(None, None, answer)`` as :meth:`take` says."""
        content, pending, answer = self.take(request, back_to, **facts)
        if answer is not None:
            return None, None, answer
        try:
            return apply(content, pending["name"], pending["fingerprint"]), pending, None
        finally:
            self.forget(request)

    def load(self, request, **facts):
        """``(content, pending)`` of the session's upload whose token the form sent and
        whose facts match, else ``None``."""
        pending = request.session.get(self.key)
        sent = request.POST.get("token", "")
        if (
            not pending
            or pending.get("user") != request.user.pk
            or any(pending.get(k) != v for k, v in facts.items())
            or not _TOKEN.match(pending.get("token", ""))
            or not hmac.compare_digest(pending["token"], sent)
        ):
            return None
        try:
            with default_storage.open(self._path(pending["token"]), "rb") as handle:
                return handle.read(), pending
        except FileNotFoundError:
            request.session.pop(self.key, None)
            return None
