"""A database that cannot be reached is a 503 with Retry-After, never a 500 page.

When PostgreSQL is down, restarting or refusing connections, every page that
reads anything fails with ``OperationalError`` (or ``InterfaceError`` on a
connection that broke). That is not a bug to report but a wait: the answer is
a short page in the user's language saying so, status 503 and a
``Retry-After`` header (load balancers and crawlers honour both), rendered
without the database (no context processors, no session, no user).

Two ways an error reaches here, both handled by :class:`DatabaseOutageMiddleware`
(placed before the session middleware, STYLE.md "Operations the boring way"):

* raised by a view (or a template it renders): ``process_exception``;
* raised by a middleware after this one (the session or the user is read from
  the database, the session is saved): Django turns that into its 500 response
  before this middleware sees it, so the ``got_request_exception`` signal marks
  the request and the 500 is replaced by the 503 on its way out.

The health endpoints (``/healthz``, ``/readyz``: ``tracker/health.py``) are
answered here too, before sessions, hosts or logins are looked at.
"""

import json
import logging
import sys
import threading
import time

from django.conf import settings
from django.core.signals import got_request_exception
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

from tracker.middleware import chosen_language

logger = logging.getLogger("tracker.outage")

DATABASE_ERRORS = (OperationalError, InterfaceError)
WARN_EVERY_SECONDS = 60.0

_MARK = "_database_unreachable"
_last_warning = [0.0]
_warning_lock = threading.Lock()


def is_database_outage(error):
    """Whether ``error`` says the database cannot be reached (or stopped answering)."""
    return isinstance(error, DATABASE_ERRORS)


def _warn(error):
    # One line a minute per process, not a traceback per request.
    now = time.monotonic()
    with _warning_lock:
        if now - _last_warning[0] < WARN_EVERY_SECONDS:
            return
        _last_warning[0] = now
    logger.error("Database unreachable, answering 503: %s", str(error).strip()[:300])


def _wants_json(request):
    return request.path_info.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def outage_response(request):
    """The 503 answer: the page (or JSON for the API), Retry-After, never cached."""
    retry_after = settings.OUTAGE_RETRY_AFTER
    with translation.override(chosen_language(request)):
        if _wants_json(request):
            body = json.dumps(
                {
                    "detail": _(
                        "The database cannot be reached right now. Try again in a few minutes."
                    )
                }
            )
            response = HttpResponse(body, status=503, content_type="application/json")
        else:
            # No request: context processors would read the database.
            body = loader.get_template("503.html").render({"retry_after": retry_after})
            response = HttpResponse(body, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def _note_exception(sender, request=None, **kwargs):
    """got_request_exception: mark the request if the error was the database's."""
    error = sys.exc_info()[1]
    if request is not None and is_database_outage(error):
        setattr(request, _MARK, True)
        _warn(error)


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        from tracker import health

        self.get_response = get_response
        self.health_views = {"/healthz": health.healthz, "/readyz": health.readyz}
        got_request_exception.connect(_note_exception, dispatch_uid="tracker.outage")

    def __call__(self, request):
        health_view = self.health_views.get(request.path_info.rstrip("/") or "/")
        if health_view is not None:
            return health_view(request)
        try:
            response = self.get_response(request)
        except DATABASE_ERRORS as error:  # only if a handler let it through
            _warn(error)
            return outage_response(request)
        if response.status_code == 500 and getattr(request, _MARK, False):
            return outage_response(request)
        return response

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            _warn(exception)
            return outage_response(request)
        return None
