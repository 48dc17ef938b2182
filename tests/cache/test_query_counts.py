"""Query counts of the cached pages: a hit costs fewer queries than a miss, and a miss
(the cold path) stays flat in the number of rows."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.test_cache_versioning import committed, user

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _urls(period, program):
    query = f"?periode={period.pk}"
    return {
        "dashboard": ("bappeda", reverse("dashboard") + query),
        "program list": ("bappeda", reverse("program-list") + query + "&state=all"),
        "program detail": ("dkiss", reverse("program-detail", args=[program.pk]) + query),
        "my tasks": ("dkiss", reverse("my-tasks") + query),
        "home": ("dkiss", reverse("home")),
    }


@pytest.mark.parametrize(
    # (not "page": pytest-playwright would take that for a browser page)
    "page_name",
    ["dashboard", "program list", "program detail", "my tasks", "home"],
)
def test_a_hit_is_cheaper_and_a_miss_is_flat_in_the_rows(
    page_name, client, cilegon, make_program, period_2022
):
    with committed():
        program = make_program(title="Program Hitung Kueri")
        period = period_2022(1)
    username, url = _urls(period, program)[page_name]
    client.force_login(user(username))
    client.get(url)  # the session and the user's first-request work
    cache.clear()
    cold = _queries(client, url)
    warm = _queries(client, url)
    assert warm < cold

    with committed():  # more rows of every kind the page reads
        for n in range(3):
            make_program(title=f"Program Tambahan {n}")
    cache.clear()
    assert _queries(client, url) <= cold
