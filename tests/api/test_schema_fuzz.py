"""Schemathesis against the API's own schema, as a unit member (dkiss) and as Bappeda.

Every operation of the schema (the report workflow's writes too) is called
through the WSGI application with a Bearer token, with a few derandomized
examples each. Checks: no server error, every answer as the schema says, and
no object outside the token user's ``policy.visible`` scope in any answer.
The requests run inside the test's transaction (``db``): nothing is left behind.
"""

import json
import re

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from commitments.models import Commitment, Signature
from programs.models import (
    Indicator,
    Milestone,
    Plan,
    Program,
    ProgressEvidence,
    ProgressReport,
    ReportingPeriod,
)
from tests.api.conftest import make_token
from tracker import policy
from tracker.models import Official, Unit

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 8

# The model of the objects each path family answers with (the first path segment).
FAMILIES = {
    "units": Unit,
    "officials": Official,
    "plans": Plan,
    "indicators": Indicator,
    "periods": ReportingPeriod,
    "commitments": Commitment,
    "programs": Program,
    "reports": ProgressReport,
}
# Nested lists whose objects carry an id of another model.
NESTED = {
    "signatures": Signature,
    "milestones": Milestone,
    "evidence": ProgressEvidence,
}


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, called in the test's own database transaction.

    Django's test client keeps a request from closing the connection; a plain WSGI
    call would close it (and lose the transaction) at the end of each request.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _objects(body, family):
    """(model, id) of every object in an answer: the family's own and the nested ones."""
    found = []
    if family == "plans" and isinstance(body, dict) and "up_to_quarter" in body:
        # A plan's achievements: its indicators' figures.
        found += [(Plan, body["plan"])]
        found += [(Indicator, row["indicator"]) for row in body.get("indicators", [])]
        return found
    rows = body.get("results", [body]) if isinstance(body, dict) else []
    model = FAMILIES.get(family)
    for row in rows:
        if not isinstance(row, dict):
            continue
        if model is not None and "id" in row:
            found.append((model, row["id"]))
        for key, nested_model in NESTED.items():
            for item in row.get(key) or []:
                if isinstance(item, dict) and "id" in item:
                    found.append((nested_model, item["id"]))
        if family == "plans":
            found += [(Indicator, pk) for pk in _tree_indicators(row)]
    return found


def _tree_indicators(level):
    for indicator in level.get("indicators", []) or []:
        if isinstance(indicator, dict):
            yield indicator["id"]
    for key in ("missions", "goals", "objectives", "plan_programs"):
        for child in level.get(key, []) or []:
            yield from _tree_indicators(child)


def in_scope_check(user):
    def objects_in_scope(ctx, response, case):
        if not response.headers.get("content-type", [""])[0].startswith("application/json"):
            return None
        if response.status_code >= 300 or not response.content:
            return None
        family = case.path.removeprefix("/api/v1/").split("/")[0]
        found = _objects(json.loads(response.content), family)
        by_model = {}
        for model, pk in found:
            by_model.setdefault(model, set()).add(pk)
        for model, ids in by_model.items():
            visible = set(
                policy.visible(user, model.objects.filter(pk__in=ids)).values_list("pk", flat=True)
            )
            assert ids <= visible, f"{model.__name__} {sorted(ids - visible)} outside the scope"
        return True

    return objects_in_scope


@pytest.mark.parametrize("username", ["dkiss", "bappeda"])
def test_api_conforms_and_stays_in_scope(username, wsgi_app):
    token, plaintext = make_token(username)
    headers = {"Authorization": f"Bearer {plaintext}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", wsgi_app, headers=headers
    )
    checks = [not_a_server_error, response_schema_conformance, in_scope_check(token.user)]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 17
    called = 0
    for operation in operations:

        @settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            nonlocal called
            response = case.call(headers=headers)
            called += 1
            case.validate_response(response, checks=checks, headers=headers)

        run()
    assert called >= len(operations)


# -- Odd input the probe of issue 23 sent: explicit calls to every operation ------------

HUGE_ID = "9" * 20
ODD_VALUES = [HUGE_ID, "-" + HUGE_ID, "9223372036854775808", "1e400", "NaN", "abc", "\x00", "²"]
ODD_RAW_QUERIES = ["%00", "a%00b", "%FF", "%C3%28"]
ODD_CURSORS = [
    "abc",
    "NaN",
    "1e400",
    "cD1hYmM=",
    "cD1OYU4=",
    "cD0xZTQwMA==",
    "cD05OTk5OTk5OTk5OTk5OTk5OTk5OQ==",
]


def _operations(client):
    """(method, path, query parameter names, has a body) of every operation of the schema."""
    schema = client.get("/api/v1/schema/?format=json").json()
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            found.append((method, path, names, "requestBody" in operation))
    return found


def _with_ids(path, pk="1"):
    return re.sub(r"\{[^}]+\}", pk, path)


@pytest.mark.parametrize("username", ["dkiss", "bappeda"])
def test_odd_query_values_to_every_operation_are_no_server_error(api, username):
    client = api(username)
    operations = _operations(client)
    assert len(operations) >= 17
    for method, path, names, _body in operations:
        if method != "get":
            continue
        url = _with_ids(path)
        for name in names:
            for value in ODD_VALUES:
                response = client.get(url, {name: value})
                assert response.status_code < 500, (url, name, value, response.status_code)
            for raw in ODD_RAW_QUERIES:
                response = client.get(f"{url}?{name}={raw}")
                assert response.status_code == 400, (url, name, raw, response.status_code)
        # Ids no column holds, in the path: a 404, never a database error.
        if "{" in path:
            response = client.get(_with_ids(path, HUGE_ID))
            assert response.status_code == 404, (path, response.status_code)


@pytest.mark.parametrize("cursor", ODD_CURSORS)
def test_a_foreign_cursor_to_every_cursor_list_is_a_400(api, cursor):
    client = api("bappeda")
    for method, path, names, _body in _operations(client):
        if method == "get" and "cursor" in names:
            response = client.get(path, {"cursor": cursor})
            assert response.status_code == 400, (path, cursor, response.status_code)
            assert "cursor" in response.json()["detail"]


def test_deeply_nested_json_to_every_write_is_no_server_error(api):
    client = api("dkiss")
    nested = "[" * 10_000 + "]" * 10_000
    for method, path, _names, has_body in _operations(client):
        if method == "get" or not has_body:
            continue
        for pk in ("1", HUGE_ID):
            response = getattr(client, method)(
                _with_ids(path, pk), nested, content_type="application/json"
            )
            assert response.status_code in (400, 403, 404), (method, path, response.status_code)
