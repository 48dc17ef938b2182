"""Refuse a query string or form field holding NUL or bytes that are not UTF-8 (400).

Django decodes such bytes to "\ufffd" (the replacement character) and a form
would store that instead of what the user meant; PostgreSQL refuses a NUL in
any query, a server error for a search like ``/cari/?q=%00``. No page or API
endpoint takes either, so this middleware answers 400 before any view runs:
the site's error page (``400.html``), or ``{"detail": ...}`` under /api/.

It runs before the session and the user are loaded, so the page it renders
needs neither (nor the database); the language is the one the menu's switch
chose (its cookie): ``tracker.middleware.chosen_language``.
"""

import logging
from urllib.parse import unquote_to_bytes

from django.http import HttpResponseBadRequest, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

from tracker.middleware import chosen_language

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
REPLACEMENT = "\ufffd"


def _readable(encoded, charset="utf-8"):
    """Whether a URL-encoded query or form body decodes to text without NUL."""
    if isinstance(encoded, str):
        try:
            encoded = encoded.encode("latin-1")  # WSGI hands over the raw bytes as latin-1
        except UnicodeEncodeError:
            encoded = encoded.encode("utf-8")
    raw = unquote_to_bytes(encoded.replace(b"+", b" "))
    try:
        text = raw.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return False
    return "\x00" not in text


def _clean_values(querydict):
    """Whether no key or value of a parsed form holds NUL or the replacement character."""
    for key, values in querydict.lists():
        for text in (key, *values):
            if isinstance(text, str) and ("\x00" in text or REPLACEMENT in text):
                return False
    return True


def unreadable_input(request):
    """Whether the request's query string or form fields hold NUL or undecodable bytes."""
    if not _readable(request.META.get("QUERY_STRING", "")):  # keys and values alike
        return True
    if request.method != "POST":
        return False
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        charset = request.content_params.get("charset") or request.encoding or "utf-8"
        return not _readable(request.body, charset)
    if content_type == "multipart/form-data":
        # Django has decoded the fields, each bad byte as the replacement character.
        return not _clean_values(request.POST)
    return False


def refusal(request):
    """The 400 answer: JSON under /api/, else the site's error page."""
    message = _(
        "The address or the form holds characters that cannot be read: a NUL byte "
        "or bytes that are not UTF-8 text. Check what was typed or pasted, and try again."
    )
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponseBadRequest(loader.render_to_string("400.html", {"message": message}))


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if unreadable_input(request):
            logger.warning("Refused unreadable input: %s %s", request.method, request.path)
            language = chosen_language(request)
            with translation.override(language):
                response = refusal(request)
            response.headers.setdefault("Content-Language", language)
            return response
        return self.get_response(request)
