"""``manage.py time_report``: issues the whole-government report and prints each phase."""

import io
import json

import pytest
from django.core.management import call_command

from reports.models import GeneratedReport

pytestmark = pytest.mark.django_db

PHASES = ("reading", "layout", "sealing", "storing")


def test_it_issues_the_report_and_prints_each_phase_with_its_cpu_time():
    before = GeneratedReport.objects.count()
    out = io.StringIO()
    call_command("time_report", "--government", "36.72", "--repeat", "2", "--json", stdout=out)
    runs = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [run["run"] for run in runs] == [1, 2]
    for run in runs:
        for phase in PHASES:
            assert run[phase] >= 0 and run[f"{phase}_cpu"] >= 0
        # The phases add up to the whole, give or take the rounding.
        assert sum(run[phase] for phase in PHASES) == pytest.approx(run["total"], abs=0.01)
        assert run["peak_rss_mb"] > 0 and run["bytes"] > 10_000
    # Each run stores its report, as issuing from the command line does.
    assert GeneratedReport.objects.count() == before + 2
    latest = GeneratedReport.objects.order_by("-pk").first()
    # Without a year and quarter: the latest locked quarter of the government.
    locked = latest.government.periods.filter(state="locked").order_by("-year", "-quarter")[0]
    assert (latest.year, latest.quarter) == (locked.year, locked.quarter)
