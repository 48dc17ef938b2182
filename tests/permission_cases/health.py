"""Permission-matrix cases: the health endpoints, open to everyone (load balancers, monitors)."""

from tests.permission_roles import everyone

CASES = {
    "healthz": ("healthz", lambda: [], "get", everyone(200, anonymous=200)),
    # The test settings have a database, a local cache and no broker: all ready.
    "readyz": ("readyz", lambda: [], "get", everyone(200, anonymous=200)),
}
