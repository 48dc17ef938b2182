"""The per-government data version (tracker/data_version.py): cached reads are never stale.

The test's own transaction never commits, so :func:`committed` plays the
commit: it runs the on-commit callbacks of the writes inside it (the version
bumps) and drops them, as a real commit does. Reads after it go through the
cache (no write is pending), so each "the next read reflects the write" below
is a cache lookup under the new version, not a bypass.
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.models import registered_models

from programs import monitoring, reporting, selectors
from programs.models import Program, ReportingPeriod
from tests.factories import smart_city_scheme
from tracker import data_version, policy
from tracker import services as tracker_services
from tracker.models import DataVersion, Official, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@contextmanager
def committed():
    """Run the writes inside as if their transaction committed (see the module docstring)."""
    start = len(connection.run_on_commit)
    yield
    callbacks = connection.run_on_commit[start:]
    del connection.run_on_commit[start:]
    for _savepoints, callback, _robust in callbacks:
        callback()


def user(username):
    return get_user_model().objects.get(username=username)


def _fill(report, actor, percents=(D("50"), D("0"), D("0"))):
    milestones = list(report.program.milestones.order_by("planned_start"))
    indicator = report.program.indicators.first()
    return reporting.save_report(
        report,
        actor=actor,
        expected_version=report.version,
        milestone_percents={m.pk: p for m, p in zip(milestones, percents, strict=True)},
        indicator_values={indicator.pk: D("3.1")} if indicator else {},
        supporting_factors="Dukungan pimpinan",
    )


def _head(unit, on=datetime.date(2019, 10, 14)):
    return Official.objects.in_office(on).get(unit=unit, is_head=True)


# --- Every history-tracked model reaches a government ----------------------------------


def _tracked_models():
    """The models with a simple-history history (their m2m link snapshots excepted:
    those rows are written with the record's own history row, which bumps)."""
    return sorted(
        {
            model
            for model in registered_models.values()
            if getattr(model._meta, "simple_history_manager_attribute", None)
        },
        key=lambda model: model._meta.label,
    )


def test_every_history_tracked_model_maps_to_a_government_or_is_listed_as_global():
    models = _tracked_models()
    assert len(models) >= 20  # the registry was read, not an empty list
    escaped = []
    for model in models:
        key = (model._meta.app_label, model._meta.model_name)
        if key in data_version.GLOBAL_MODELS or key in data_version.GOVERNMENT_PATHS:
            continue
        try:
            policy.scope_of(model)
        except LookupError:
            escaped.append(model._meta.label)
    assert escaped == [], "register them with the policy, or list them in data_version"


@pytest.mark.parametrize("model", _tracked_models(), ids=lambda m: m._meta.label)
def test_the_government_of_a_record_is_the_one_its_orm_path_names(model, cilegon):
    """``government_of`` (an attribute walk) agrees with the database for a stored row."""
    key = (model._meta.app_label, model._meta.model_name)
    if key in data_version.GLOBAL_MODELS:
        pytest.skip("a global model")
    path = data_version.GOVERNMENT_PATHS.get(key) or policy.scope_of(model).government
    rows = list(model._default_manager.order_by("pk")[:3])
    if not rows:
        pytest.skip(f"no {model._meta.label} in the demo data")
    # A shared model (national classification schemes) has rows of no government: a
    # write to one makes every government's cached reads stale (bump_all).
    shared = key not in data_version.GOVERNMENT_PATHS and policy.scope_of(model).shared
    for row in rows:
        expected = model._default_manager.filter(pk=row.pk).values_list(path, flat=True).get()
        assert data_version.government_of(row) == expected
        assert expected is not None or shared


# --- The version: bumped on commit, per government, never reused ------------------------


def test_a_rolled_back_write_bumps_nothing(cilegon):
    bappeda_user = user("bappeda")
    before = data_version.current(cilegon.pk)
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        tracker_services.update_unit(
            Unit.objects.get(government=cilegon, code="DKISS"),
            actor=bappeda_user,
            reason="uji",
            name="Nama Yang Dibatalkan",
        )
        raise RuntimeError("rollback")
    assert data_version.current(cilegon.pk) == before


def test_a_write_in_one_government_leaves_the_others_entries_valid(cilegon, serang):
    serang_user = user("serang")
    computed = []

    def read():
        computed.append(1)
        return len(computed)

    parts = (data_version.scope_key(serang_user), "test")
    assert data_version.cached(serang.pk, parts, read) == 1
    serang_version = data_version.current(serang.pk)
    cilegon_version = data_version.current(cilegon.pk)
    with committed():
        tracker_services.update_unit(
            Unit.objects.get(government=cilegon, code="DKISS"),
            actor=user("pengelola"),
            reason="uji",
            name="Dinas Kominfo Baru",
        )
    assert data_version.current(cilegon.pk) != cilegon_version
    assert data_version.current(serang.pk) == serang_version
    assert data_version.cached(serang.pk, parts, read) == 1  # a hit: not recomputed
    assert computed == [1]


def test_one_bump_per_government_per_transaction(cilegon):
    bappeda_user = user("bappeda")
    with committed(), transaction.atomic():
        for code in ("DKISS", "DINKES"):
            tracker_services.update_unit(
                Unit.objects.get(government=cilegon, code=code),
                actor=bappeda_user,
                reason="uji",
                abbreviation=code[:3],
            )
        pending = [
            entry
            for entry in connection.run_on_commit
            if getattr(entry[1], "data_version_scope", None) is not None
        ]
    assert len(pending) == 1


def test_the_version_lives_in_the_database_not_the_cache(cilegon):
    """A cache emptied or restarted keeps the version; a bump is a row update."""
    before = data_version.current(cilegon.pk)
    cache.clear()
    assert data_version.current(cilegon.pk) == before
    with committed():
        data_version.bump(cilegon.pk)
    row = DataVersion.objects.get(scope=cilegon.pk)
    assert data_version.current(cilegon.pk) == f"{before.split(':')[0]}:{row.version}"


def test_a_restored_database_never_meets_entries_of_its_lost_future(cilegon):
    """After a restore (older versions), the first bump lands above every version the
    lost timeline reached, and each migrate starts a new epoch."""
    with committed():
        data_version.bump(cilegon.pk)
    restored = DataVersion.objects.get(scope=cilegon.pk).version
    for _ in range(3):  # the timeline the restore will lose
        with committed():
            data_version.bump(cilegon.pk)
    reached = DataVersion.objects.get(scope=cilegon.pk).version
    DataVersion.objects.filter(scope=cilegon.pk).update(version=restored)  # the restore
    with committed():
        data_version.bump(cilegon.pk)
    assert DataVersion.objects.get(scope=cilegon.pk).version > reached

    before = data_version.current(cilegon.pk)
    data_version.new_epoch()  # post_migrate, as after a restore or a deployment
    assert data_version.current(cilegon.pk).split(":")[0] != before.split(":")[0]


def test_a_request_reads_each_version_once_and_sees_its_own_bump(cilegon):
    data_version.start_request()
    try:
        with CaptureQueriesContext(connection) as queries:
            first = data_version.current(cilegon.pk)
            assert data_version.current(cilegon.pk) == first
        assert len(queries.captured_queries) == 1
        with committed():
            data_version.bump(cilegon.pk)
        assert data_version.current(cilegon.pk) != first
    finally:
        data_version.end_request()


def test_bump_all_turns_every_government_over(cilegon, serang):
    before = (data_version.current(cilegon.pk), data_version.current(serang.pk))
    with committed():
        data_version.bump_all()
    after = (data_version.current(cilegon.pk), data_version.current(serang.pk))
    assert before[0] != after[0] and before[1] != after[1]


def test_inside_a_writing_transaction_reads_bypass_the_cache(cilegon):
    bappeda_user = user("bappeda")
    """A transaction sees its own writes, which no cached entry holds yet."""
    calls = []
    parts = ("bypass",)
    data_version.cached(cilegon.pk, parts, lambda: calls.append(1))
    with transaction.atomic():
        tracker_services.update_unit(
            Unit.objects.get(government=cilegon, code="DKISS"),
            actor=bappeda_user,
            reason="uji",
            abbreviation="KOM",
        )
        data_version.cached(cilegon.pk, parts, lambda: calls.append(1))
        transaction.set_rollback(True)
    assert len(calls) == 2


# --- Scopes: shared by equals, never across ---------------------------------------------


def test_users_of_the_same_scope_share_an_entry_other_scopes_do_not(
    client, cilegon, django_user_model, monkeypatch, tw3_2021
):
    bappeda = user("bappeda")
    other = django_user_model.objects.create_user("bappeda2", password="x")
    with committed():
        profile = bappeda.profile
        profile.pk = None
        profile.user = other
        profile.save()
        other.groups.set(bappeda.groups.all())
    calls = []
    real = monitoring.dashboard

    def counting(reader, period):
        calls.append(reader.username)
        return real(reader, period)

    monkeypatch.setattr(monitoring, "dashboard", counting)
    url = f"{reverse('dashboard')}?periode={tw3_2021.pk}"
    pages = {}
    for username in ("bappeda", "bappeda2", "walikota", "asda1"):
        client.force_login(user(username))
        pages[username] = client.get(url)
        assert pages[username].status_code == 200
    # Bappeda's entry served the second Bappeda member; the others got their own.
    assert calls == ["bappeda", "walikota", "asda1"]
    assert pages["bappeda2"].context["body"] == pages["bappeda"].context["body"]
    assert "csrfmiddlewaretoken" not in pages["bappeda"].context["body"]
    assert data_version.scope_key(user("dkiss")) != data_version.scope_key(bappeda)
    assert data_version.scope_key(user("asda1")) != data_version.scope_key(user("dkiss"))


@pytest.fixture
def tw3_2021(cilegon):
    return ReportingPeriod.objects.get(government=cilegon, year=2021, quarter=3)


def test_a_unit_member_never_gets_bappedas_cached_pages(client, cilegon, tw3_2021):
    """Bappeda fills the cache first; the unit member's pages still show only their unit."""
    dkiss = user("dkiss")
    dkiss_unit = dkiss.profile.unit
    client.force_login(user("bappeda"))
    list_url = f"{reverse('program-list')}?periode={tw3_2021.pk}&state=all"
    for url in (list_url, reverse("home"), f"{reverse('dashboard')}?periode={tw3_2021.pk}"):
        assert client.get(url).status_code == 200
    foreign = Program.objects.filter(commitment__government=cilegon).exclude(owner_unit=dkiss_unit)
    foreign = foreign.exclude(supporting_units=dkiss_unit).first()
    client.force_login(dkiss)
    listed = client.get(list_url)
    titles = {p.title for p in listed.context["object_list"]}
    assert foreign.title not in titles
    assert foreign.title not in listed.content.decode()
    # The filter form (cached per scope) offers only what the unit member sees.
    form = listed.context["filter_form"]
    assert f">{foreign.owner_unit}</option>" not in form
    assert f">{dkiss_unit}</option>" in form
    assert client.get(f"{reverse('dashboard')}?periode={tw3_2021.pk}").status_code == 403
    detail = client.get(reverse("program-detail", args=[foreign.pk]))
    assert detail.status_code == 404
    visible = selectors.programs_visible_to(dkiss)
    summary = monitoring.dashboard(user("bappeda"), tw3_2021)
    assert len(summary["programs"]) > visible.count()


def test_a_user_moved_to_another_unit_sees_the_new_units_cached_pages(client, cilegon, unit):
    dkiss = user("dkiss")
    client.force_login(dkiss)
    url = f"{reverse('program-list')}?state=all"
    before = {p.pk for p in client.get(url).context["object_list"]}
    with committed():
        tracker_services.move_user(dkiss, actor=user("pengelola"), unit=unit("DINKES"), reason="x")
    after = {p.pk for p in client.get(url).context["object_list"]}
    dinkes_programs = set(
        selectors.programs_visible_to(user("dinkes")).values_list("pk", flat=True)
    )
    assert before != after
    assert after <= dinkes_programs


def test_a_guardian_grant_widens_the_scope_at_once(client, cilegon, unit):
    """A grant writes no history (no bump); the scope key changes instead."""
    dkiss = user("dkiss")
    before = data_version.scope_key(dkiss)
    tracker_services.grant_unit_access(
        unit("DINKES"), actor=user("pengelola"), to=dkiss, reason="Bantuan"
    )
    assert data_version.scope_key(user("dkiss")) != before


# --- Bulk history writes send no signal: they bump too ---------------------------------


def test_a_bulk_history_write_bumps_its_government(cilegon, serang, unit):
    """commitments.services.set_signatories adds signatories with bulk_create_with_history."""
    from commitments import services as commitment_services

    bappeda = user("bappeda")
    with committed():
        draft = commitment_services.create_commitment(
            actor=bappeda,
            government=cilegon,
            theme="Smart City",
            scheme=smart_city_scheme(),
            title="Komitmen Uji Cache",
            date=datetime.date(2024, 5, 2),
            place="Aula Bappeda",
            legal_basis="Perwal",
            points=["Satu"],
        )
    before = (data_version.current(cilegon.pk), data_version.current(serang.pk))
    with committed():
        commitment_services.set_signatories(draft, actor=bappeda, units=[unit("DKISS")])
    assert draft.signatories.count() == 1
    assert data_version.current(cilegon.pk) != before[0]
    assert data_version.current(serang.pk) == before[1]
