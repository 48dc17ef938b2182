"""seed_demo is idempotent and atomic, and names the broken row; its figures follow the
rules a unit's report must pass."""

import shutil
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from commitments.models import Commitment
from demo.seeding import CILEGON_DATA
from programs import indicator_values
from programs.models import (
    Indicator,
    IndicatorRealisation,
    IndicatorTarget,
    Program,
    ProgressReport,
)
from tracker.models import Government, Official, Unit


def _counts():
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in {"tracker", "programs", "auth"}:
            counts[model._meta.label] = model._default_manager.count()
    return counts


def test_running_twice_changes_nothing(db):
    before = _counts()
    call_command("seed_demo", "--allow-demo-accounts", verbosity=0)
    assert _counts() == before


def test_the_demo_has_what_the_issue_lists(cilegon):
    units = Unit.objects.filter(government=cilegon)
    assert units.filter(kind="asda").count() == 3
    assert units.filter(kind="kecamatan").count() == 8
    assert units.filter(kind="setda").count() == 1
    for code in [
        "BAPPEDA",
        "DKISS",
        "BKPP",
        "INSPEKTORAT",
        "DISDUKCAPIL",
        "BPBD",
        "DPUPR",
        "DINKES",
        "DISKOP",
        "DKPP",
        "BAG-PEM",
        "BAG-KESRA",
        "BAG-HUKUM",
    ]:
        assert units.filter(code=code).exists(), code
    # every OPD and Kecamatan has an Asda and a head
    for unit in units.filter(kind__in=["opd", "kecamatan"]):
        assert unit.coordinator.kind == "asda", unit
        assert Official.objects.filter(unit=unit, is_head=True).exists(), unit


def test_verified_figures_respect_their_indicators(cilegon):
    rows = IndicatorRealisation.objects.filter(
        report__program__commitment__government=cilegon, report__state="verified"
    ).select_related("indicator")
    assert rows.exclude(value=None).count() > 100
    counts = 0
    for row in rows.exclude(value=None):
        indicator = row.indicator
        places = indicator.decimal_places
        label = (indicator.code, row.report_id, row.value)
        assert row.value == row.value.quantize(Decimal(1).scaleb(-places)), label
        if places == 0:
            counts += 1
        if indicator.is_percentage and row.value > 100:
            assert row.note.strip(), label
        assert indicator_values.indicator_value_errors(indicator, row.value, row.note) == {}, label
    assert counts > 10  # the counts are there, whole
    # now and then a unit explains a figure
    assert rows.exclude(note="").exists()


def test_a_summed_count_stays_near_its_target_however_many_programs_report_it(cilegon):
    """IKP-2.16.03 is reported by two programs: together they make the year's target,
    not twice it."""
    indicator = Indicator.objects.get(plan__government=cilegon, code="IKP-2.16.03")
    assert indicator.combination == Indicator.Combination.SUM
    assert indicator.programs.count() == 2
    target = IndicatorTarget.objects.get(indicator=indicator, year=2020).target
    rows = IndicatorRealisation.objects.filter(indicator=indicator, report__period__year=2020)
    total = sum(row.value for row in rows if row.value is not None)
    assert target * Decimal("0.7") <= total <= target * Decimal("1.1")


def test_every_program_has_a_code_and_every_report_a_renja_follow_up(cilegon):
    programs = Program.objects.filter(commitment__government=cilegon)
    assert programs.exists()
    assert not programs.filter(code="").exists()
    assert not programs.exclude(code__regex=r"^\d\.\d{2}\.\d{2}\.2\.\d{2}$").exists()
    reports = [r for p in programs for r in p.reports.all()]
    assert all(r.follow_up_next_plan for r in reports)


def test_indicators_say_how_they_are_written_and_combined(cilegon):
    indicators = Indicator.objects.filter(plan__government=cilegon)
    for indicator in indicators:
        if indicator.is_cumulative:
            assert indicator.decimal_places == 0, indicator.code
            assert indicator.combination == Indicator.Combination.SUM, indicator.code
        else:
            assert indicator.decimal_places == 2, indicator.code
    assert indicators.get(code="IKU-1.1").combination == Indicator.Combination.LATEST


@pytest.fixture
def data_copy(tmp_path, db):
    """The Cilegon files as another government (region 99.99), so a partial write would show
    next to the session's demo data without flushing it."""
    target = tmp_path / "cilegon"
    shutil.copytree(CILEGON_DATA, target)
    government = target / "government.csv"
    government.write_text(
        government.read_text(encoding="utf-8").replace("36.72", "99.99"), encoding="utf-8"
    )
    return target


def _nothing_written():
    assert not Government.objects.filter(region_code="99.99").exists()
    assert not Unit.objects.filter(government__region_code="99.99").exists()


def _break(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_broken_nip_names_file_row_and_field_and_writes_nothing(data_copy):
    _break(data_copy / "officials.csv", "197603232006021002", "197613232006021002")
    with pytest.raises(CommandError) as error:
        call_command("seed_demo", "--data", str(data_copy), verbosity=0)
    message = str(error.value)
    assert "officials.csv" in message and "nip" in message
    line = next(
        i
        for i, text in enumerate((data_copy / "officials.csv").read_text().splitlines(), 1)
        if "197613232006021002" in text
    )
    assert f" {line}," in message or f" {line}:" in message or f"{line}" in message
    _nothing_written()


def test_a_non_numeric_target_is_refused(data_copy):
    _break(data_copy / "targets.csv", "IKU-1.1,2018,2.95", "IKU-1.1,2018,dua")
    with pytest.raises(CommandError) as error:
        call_command("seed_demo", "--data", str(data_copy), verbosity=0)
    assert "targets.csv" in str(error.value) and "target" in str(error.value)
    _nothing_written()


def test_a_target_year_outside_the_plan_is_refused(data_copy):
    _break(data_copy / "targets.csv", "IKU-1.1,2016,", "IKU-1.1,2030,")
    with pytest.raises(CommandError) as error:
        call_command("seed_demo", "--data", str(data_copy), verbosity=0)
    assert "targets.csv" in str(error.value) and "year" in str(error.value)
    _nothing_written()


def test_an_unknown_coordinator_is_refused(data_copy):
    _break(data_copy / "units.csv", "Dinas Kesehatan,Dinkes,ASDA1", "Dinas Kesehatan,Dinkes,ASDA9")
    with pytest.raises(CommandError) as error:
        call_command("seed_demo", "--data", str(data_copy), verbosity=0)
    assert "units.csv" in str(error.value) and "coordinator_code" in str(error.value)
    _nothing_written()


def test_an_unknown_combining_rule_is_refused(data_copy):
    _break(data_copy / "indicators.csv", "DKISS,2,latest", "DKISS,2,median")
    with pytest.raises(CommandError) as error:
        call_command("seed_demo", "--data", str(data_copy), verbosity=0)
    assert "indicators.csv" in str(error.value) and "combination" in str(error.value)
    _nothing_written()


def test_demo_accounts_need_debug_or_the_flag(data_copy, settings):
    from django.contrib.auth import get_user_model

    (data_copy / "programs.csv").unlink()  # optional, and slow to seed twice
    accounts = data_copy / "accounts.csv"
    accounts.write_text(
        accounts.read_text(encoding="utf-8").replace("bappeda,", "bappeda2,", 1), encoding="utf-8"
    )
    settings.DEBUG = False
    call_command("seed_demo", "--data", str(data_copy), verbosity=0)
    assert not get_user_model().objects.filter(username="bappeda2").exists()
    assert Unit.objects.filter(government__region_code="99.99").exists()
    call_command("seed_demo", "--data", str(data_copy), "--allow-demo-accounts", verbosity=0)
    assert get_user_model().objects.filter(username="bappeda2").exists()


def test_the_demo_has_an_invented_stunting_commitment_with_its_programs(cilegon):
    commitment = Commitment.objects.get(
        government=cilegon, title="Komitmen Bersama Percepatan Penurunan Stunting Kota Cilegon"
    )
    assert "fiktif" in commitment.document_number  # marked as invented
    assert commitment.theme == "Percepatan Penurunan Stunting"
    assert commitment.scheme.name == "Delapan Aksi Konvergensi Percepatan Penurunan Stunting"
    assert commitment.state == "open"
    programs = {p.code: p for p in commitment.programs.prefetch_related("categories")}
    # programs_stunting.csv: four programs, their owners and convergence actions.
    assert {code: (p.owner_unit.code, sorted(c.code for c in p.categories.all())) for code, p in
            programs.items()} == {
        "5.01.02.2.07": ("BAPPEDA", ["aksi-1", "aksi-3", "aksi-8"]),
        "1.02.02.2.11": ("DINKES", ["aksi-6", "aksi-7"]),
        "4.01.01.2.05": ("BAG-HUKUM", ["aksi-4"]),
        "7.01.04.2.03": ("KEC-CIBEBER", ["aksi-5"]),
    }  # fmt: skip
    # They report in the demo's quarters while they run (2020 TW IV to 2021 TW IV; the
    # regulation only to 2021 TW II), some reports missing as for any program.
    quarters = {
        (r.period.year, r.period.quarter)
        for p in programs.values()
        for r in p.reports.select_related("period")
    }
    assert quarters <= {(2020, 4), (2021, 1), (2021, 2), (2021, 3), (2021, 4)}
    assert len(quarters) >= 4
    assert (
        ProgressReport.objects.filter(program__commitment=commitment, state="verified").count() >= 8
    )
