"""Database routing: every query goes to the primary unless a replica is configured.

(Placeholder; the read-replica routing lands with DATABASE_REPLICA_URL.)
"""


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return None

    def db_for_write(self, model, **hints):
        return None


class ReplicaMiddleware:
    """(Placeholder) marks read-only requests for the router."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
