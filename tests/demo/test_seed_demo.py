"""seed_demo is idempotent and atomic, and names the broken row."""

import shutil

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from demo.seeding import CILEGON_DATA
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


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "cilegon"
    shutil.copytree(CILEGON_DATA, target)
    return target


@pytest.fixture
def empty_db(transactional_db):
    """A database without the session's seed (so a partial write would show)."""
    from django.core.management import call_command as run

    run("flush", "--noinput", verbosity=0)


def _break(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_broken_nip_names_file_row_and_field_and_writes_nothing(empty_db, data_copy):
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
    assert Government.objects.count() == 0
    assert Unit.objects.count() == 0


def test_a_non_numeric_target_is_refused(empty_db, data_copy):
    _break(data_copy / "targets.csv", "IKU-1.1,2018,2.95", "IKU-1.1,2018,dua")
    with pytest.raises(CommandError) as error:
        call_command("seed_demo", "--data", str(data_copy), verbosity=0)
    assert "targets.csv" in str(error.value) and "target" in str(error.value)
    assert Government.objects.count() == 0


def test_a_target_year_outside_the_plan_is_refused(empty_db, data_copy):
    _break(data_copy / "targets.csv", "IKU-1.1,2016,", "IKU-1.1,2030,")
    with pytest.raises(CommandError) as error:
        call_command("seed_demo", "--data", str(data_copy), verbosity=0)
    assert "targets.csv" in str(error.value) and "year" in str(error.value)
    assert Government.objects.count() == 0


def test_an_unknown_coordinator_is_refused(empty_db, data_copy):
    _break(data_copy / "units.csv", "Dinas Kesehatan,Dinkes,ASDA1", "Dinas Kesehatan,Dinkes,ASDA9")
    with pytest.raises(CommandError) as error:
        call_command("seed_demo", "--data", str(data_copy), verbosity=0)
    assert "units.csv" in str(error.value) and "coordinator_code" in str(error.value)
    assert Unit.objects.count() == 0


def test_demo_accounts_need_debug_or_the_flag(empty_db, settings):
    from django.contrib.auth import get_user_model

    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)
    assert not get_user_model().objects.filter(username="admin").exists()
    assert Unit.objects.exists()
    call_command("seed_demo", "--allow-demo-accounts", verbosity=0)
    assert get_user_model().objects.filter(username="admin", is_superuser=True).exists()
