"""Smoke tests for the synthetic data and the benchmark, so neither rots.

The real runs (100 governments on PostgreSQL) are ``make bench``; here two
governments and a handful of requests on the test database.
"""

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation

from demo import scale
from demo.management.commands import seed_scale
from programs.models import IndicatorRealisation, Milestone, Program, ProgressReport


def test_seed_scale_refuses_a_non_positive_count():
    with pytest.raises(CommandError, match="1"):
        call_command("seed_scale", "--governments", "0")


@pytest.mark.django_db
def test_seed_scale_refuses_a_database_with_real_governments():
    # The test database holds Cilegon and Serang.
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_scale", "--governments", "1")
    assert not scale.synthetic_governments().exists()


def _fingerprint(government):
    programs = Program.objects.filter(commitment__government=government).order_by("title")
    return [
        (
            p.title,
            p.owner_unit.code,
            p.start_date,
            sorted(p.reports.values_list("period__year", "period__quarter", "state")),
        )
        for p in programs.select_related("owner_unit")
    ]


@pytest.mark.django_db
def test_a_synthetic_government_is_shaped_like_cilegon_and_deterministic():
    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            first = _fingerprint(scale.GovernmentBuilder(5, seed=7).build())
            raise Rollback
    except Rollback:
        pass
    government = scale.GovernmentBuilder(5, seed=7).build()
    assert _fingerprint(government) == first

    programs = Program.objects.filter(commitment__government=government)
    assert government.units.count() == 45
    assert programs.count() == 150
    assert Milestone.objects.filter(program__in=programs).count() == 900
    states = set(
        ProgressReport.objects.filter(program__in=programs).values_list("state", flat=True)
    )
    assert states == {"draft", "submitted", "verified", "returned"}
    assert ProgressReport.history.filter(program_id__in=programs.values("pk")).exists()
    assert not programs.filter(code="").exists()
    # Figures follow their indicators: whole counts, percentages at most 100.
    rows = IndicatorRealisation.objects.filter(report__program__in=programs).select_related(
        "indicator"
    )
    for row in rows:
        places = row.indicator.decimal_places
        assert row.value == row.value.quantize(Decimal(1).scaleb(-places)), row.value
        assert not (row.indicator.is_percentage and row.value > 100), row.value
    assert {r.indicator.decimal_places for r in rows} == {0, 2}


@pytest.mark.django_db
def test_the_benchmark_runs_at_a_tiny_size(tmp_path, capsys):
    output = tmp_path / "bench.json"
    call_command(
        "bench",
        *("--small", "1", "--large", "2", "--requests", "2", "--load-seconds", "0"),
        *("--force", "--report-in-process", "--output", str(output)),
    )
    result = json.loads(output.read_text())
    small, large = result["sizes"]
    assert (small["data"]["governments"], large["data"]["governments"]) == (1, 2)
    # The query count of every page is the same with one or two governments.
    assert [p["queries"] for p in small["pages"]] == [p["queries"] for p in large["pages"]]
    assert all(p["queries"] > 0 and p["p95_ms"] > 0 for p in small["pages"])
    assert small["report"]["pdf"]["bytes"] > 10_000
    assert small["write"]["verify"]["requests"] == 2
    printed = capsys.readouterr().out
    assert "dashboard (bappeda): queries" in printed
    assert f"{result['machine']['cores']} cores" in printed
    # Every row's S figure starts where the header's "S=1" does, two spaces or more
    # after the longest label: no label runs into its figures.
    table = printed[printed.index("measure") :].splitlines()
    column = table[0].index("S=1")
    rows = [line for line in table[2:] if ": " in line]
    assert len(rows) > 30
    for line in rows:
        assert line[column - 2 : column] == "  " and line[column] != " ", line


@pytest.mark.django_db
def test_seeding_prints_the_cost_per_government_at_the_start_and_the_end():
    lines = []
    with translation.override("en"):
        created = seed_scale.seed(2, 3, jobs=1, log=lines.append)
    assert created == 2
    assert [line.split(" (")[0] for line in lines[:2]] == [
        "Government 99.001 ready",
        "Government 99.002 ready",
    ]
    assert lines[0].split("this one ")[1].endswith(" s)")
    assert lines[-1].startswith("Governments seeded: 2 in ")
    assert "over the first 2, " in lines[-1] and "over the last 2." in lines[-1]


def test_statistics_are_refreshed_each_time_the_governments_double(monkeypatch):
    analyzed_at = []
    progress = seed_scale._Progress(existing=1, total=6, log=lambda message: None)

    def analyze():
        analyzed_at.append(progress.existing + len(progress.seconds))

    monkeypatch.setattr(seed_scale, "_analyze", analyze)
    for index in range(2, 8):
        progress.built(index, 1.0)
    # 2, 3, ..., 7 governments in the database: powers of two are 2 and 4; the run
    # ends at 7, where seed() analyzes once more on its own.
    assert analyzed_at == [2, 4]
