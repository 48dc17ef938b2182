"""One report per submitted form (issue 22): a double click issues once.

The form carries a one-time token made when it is shown; the job stores it, and
the same form sent again by the same person finds that job.
"""

import re
import uuid

import pytest
from django.urls import reverse

from jobs.models import Job
from programs.models import ReportingPeriod
from reports.models import GeneratedReport


@pytest.fixture
def period(cilegon):
    return ReportingPeriod.objects.get(government=cilegon, year=2020, quarter=3)


def _token(client):
    """The token of the form as the page shows it."""
    page = client.get(reverse("report-list")).content.decode()
    return re.search(r'name="token" value="([0-9a-f-]{36})"', page).group(1)


def test_the_page_gives_each_form_its_own_token(login):
    client = login("bappeda")
    first, second = _token(client), _token(client)
    assert uuid.UUID(first) and first != second


def test_the_same_form_posted_twice_issues_one_report(login, period):
    client = login("bappeda")
    form = {"period": period.pk, "token": _token(client)}
    first = client.post(reverse("report-list"), form)
    second = client.post(reverse("report-list"), form)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    job = Job.objects.get()
    assert first["Location"] == reverse("job-detail", args=[job.pk])
    assert GeneratedReport.objects.count() == 1
    assert job.report == GeneratedReport.objects.get()


def test_a_new_form_issues_a_new_report(login, period):
    client = login("bappeda")
    client.post(reverse("report-list"), {"period": period.pk, "token": _token(client)})
    client.post(reverse("report-list"), {"period": period.pk, "token": _token(client)})
    assert Job.objects.count() == 2 and GeneratedReport.objects.count() == 2


def test_the_token_is_per_person_and_per_kind(login, period, unit):
    token = str(uuid.uuid4())
    client = login("bappeda")
    client.post(reverse("report-list"), {"period": period.pk, "token": token})
    # The Excel button of the same form is another request.
    client.post(reverse("report-list"), {"period": period.pk, "token": token, "export": "excel"})
    # Someone else's form that happens to carry the same token is theirs.
    client = login("dkiss")
    client.post(
        reverse("report-list"), {"period": period.pk, "token": token, "unit": unit("DKISS").pk}
    )
    assert Job.objects.count() == 3
    assert GeneratedReport.objects.count() == 2


def test_the_same_form_changed_and_sent_again_is_refused_with_a_fresh_form(login, period):
    client = login("bappeda")
    token = _token(client)
    client.post(reverse("report-list"), {"period": period.pk, "token": token})
    other = ReportingPeriod.objects.get(government=period.government, year=2020, quarter=2)
    response = client.post(reverse("report-list"), {"period": other.pk, "token": token})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    fresh = re.search(r'name="token" value="([0-9a-f-]{36})"', response.content.decode()).group(1)
    assert fresh != token
    assert Job.objects.count() == 1
    # Sent again with the fresh token, it is a new request.
    assert (
        client.post(reverse("report-list"), {"period": other.pk, "token": fresh}).status_code == 302
    )
    assert Job.objects.count() == 2


def test_without_a_token_every_post_is_its_own_request(login, period):
    client = login("bappeda")
    client.post(reverse("report-list"), {"period": period.pk})
    client.post(reverse("report-list"), {"period": period.pk, "token": "not-a-uuid"})
    assert Job.objects.count() == 2
