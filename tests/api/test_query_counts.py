"""The big lists cost the same number of queries for 5 rows as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _queries(client, url, size, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": size, **params})
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize(
    "url, params",
    [
        ("/api/v1/programs/", {"state": "all"}),
        ("/api/v1/reports/", {}),
        ("/api/v1/officials/", {}),
    ],
)
def test_list_queries_do_not_grow_with_rows(api, url, params):
    client = api("bappeda")
    client.get(url, params)  # warm the cached reads (actor, statuses, last use)
    small, small_rows = _queries(client, url, 5, params)
    large, large_rows = _queries(client, url, 50, params)
    assert small_rows == 5 and large_rows > 2 * small_rows
    assert small == large, (small, large)
    assert large <= 15
