"""Database routing: read-only pages may read from a replica; everything else uses the primary.

With ``DATABASE_REPLICA_URL`` set (settings, "Scaling out"), the ``replica``
alias is a streaming copy of the primary (``default``). :class:`ReplicaMiddleware`
marks a request as *may read from the replica* when it is a GET or HEAD of a
page listed in :data:`READ_ONLY_PAGES`: pages whose GET never writes. For
such a request, :class:`ReplicaRouter` sends reads to the replica until the
request writes anything; from then on its reads go to the primary too, so a
request always reads its own writes.

Why only some pages
    A replica lags the primary by a moment. A page that shows a form whose
    answer depends on the current data (a report being edited, the
    verification queue, a job's progress) reads from the primary, as does
    every POST. Lists, details, the dashboard and search tolerate a second of
    lag.

Why a short "primary" pin after a write
    After a POST that wrote, the browser is usually redirected to a page that
    shows the result. The replica may not have it yet, so the response sets a
    short-lived cookie (:data:`PIN_COOKIE`, :data:`PIN_SECONDS`) and this
    browser's next requests read from the primary until it expires.

Why cached reads compute on the primary
    ``tracker.data_version.cached`` stores a result under the data version
    that the last commit bumped. Computed from a lagging replica, it could
    store the previous data under the new version. :func:`read_from_primary`
    turns the replica off for a block (the cache computation).

Outside a request (management commands, Celery jobs, the shell) there is no
mark, so everything reads from the primary.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# URL names whose GET (and HEAD) only reads. Checked against their views: no
# service call, no save, no get_or_create on GET. Forms on these pages POST to
# other URLs (or to the same URL, which as a POST reads from the primary).
READ_ONLY_PAGES = frozenset(
    {
        "home",
        "search",
        # Monitoring.
        "dashboard",
        "late-milestones",
        "my-tasks",
        "period-list",
        # Programs and the RPJMD.
        "program-list",
        "program-detail",
        "plan-list",
        "plan-detail",
        "indicator-detail",
        "report-detail",
        # Commitments.
        "commitment-list",
        "commitment-detail",
        "commitment-history",
        # Issued quarterly reports (asking for one is a POST).
        "report-list",
        # Organisation.
        "unit-list",
        "unit-detail",
        "official-list",
        "official-detail",
        # Change history of any record.
        "history",
    }
)
SAFE_METHODS = frozenset({"GET", "HEAD"})

# After a request that wrote, this browser reads from the primary for a while.
PIN_COOKIE = "monev_primary"
PIN_SECONDS = 10


class _RequestState:
    """What the router needs to know about the request being answered."""

    __slots__ = ("may_use_replica", "wrote")

    def __init__(self):
        self.may_use_replica = False
        self.wrote = False


_request_state = ContextVar("replica_request_state", default=None)


def replica_enabled():
    """Whether a replica is configured (``DATABASE_REPLICA_URL``) and known to Django.

    The test settings always define a ``replica`` alias (a test mirror of the
    default database); routing to it still needs ``DATABASE_REPLICA_URL``,
    which only the replica tests set.
    """
    return bool(getattr(settings, "DATABASE_REPLICA_URL", "")) and REPLICA in settings.DATABASES


@contextmanager
def read_from_primary():
    """Within the block, this request reads from the primary (e.g. to fill a cache)."""
    state = _request_state.get()
    if state is None:
        yield
        return
    before = state.may_use_replica
    state.may_use_replica = False
    try:
        yield
    finally:
        state.may_use_replica = before


def _in_transaction():
    """Whether code opened a transaction on the primary (a read there must see its data).

    The transaction a test case wraps each test in does not count, as in
    Django's own check for durable blocks.
    """
    blocks = connections[DEFAULT_DB_ALIAS].atomic_blocks
    return bool(blocks) and not blocks[-1]._from_testcase


class ReplicaRouter:
    """Reads of read-only pages go to the replica, if any; every write to the primary."""

    def db_for_read(self, model, **hints):
        state = _request_state.get()
        if (
            state is None
            or not state.may_use_replica
            or state.wrote
            or not replica_enabled()
            or _in_transaction()
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        state = _request_state.get()
        if state is not None:
            state.wrote = True  # read-your-writes: later reads go to the primary
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True  # the same data
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is a copy: it receives the primary's schema, never migrations.
        if db == REPLICA:
            return False
        return None


class ReplicaMiddleware:
    """Marks GET/HEAD requests of :data:`READ_ONLY_PAGES` as free to read from the replica.

    The mark is set in ``process_view`` (the URL is resolved by then), so what
    runs before the view (session, user, two-factor checks) reads from the
    primary; it lasts until the response is complete and is reset even when
    the view raises.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = _RequestState()
        token = _request_state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _request_state.reset(token)
        if state.wrote and replica_enabled():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _request_state.get()
        match = request.resolver_match
        if (
            state is not None
            and request.method in SAFE_METHODS
            and match is not None
            and match.view_name in READ_ONLY_PAGES
            and PIN_COOKIE not in request.COOKIES
        ):
            state.may_use_replica = True
        return None
