"""Edits land in the history with the user, old -> new values and reason.

The Django admin only reads (tests/tracker/test_admin.py); edits go through
``save_tracked`` and the services, which record who acted and why.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from tracker import services
from tracker.history import save_tracked
from tracker.models import Official, Unit


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.get(username="admin")


def test_an_edit_records_user_old_new_and_reason(login, unit, admin_user):
    client = login("admin")
    dkpp = unit("DKPP")
    old_name = dkpp.name
    dkpp.name = "Dinas Pangan dan Pertanian"
    save_tracked(dkpp, actor=admin_user, reason="Perda SOTK 2021")
    record = Unit.history.filter(id=dkpp.pk).order_by("-history_date", "-history_id").first()
    assert record.history_user.username == "admin"
    assert record.history_change_reason == "Perda SOTK 2021"
    delta = record.diff_against(record.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("name", old_name, "Dinas Pangan dan Pertanian")
    ]

    page = client.get(reverse("history", args=["tracker", "unit", dkpp.pk]))
    text = page.content.decode()
    assert "Perda SOTK 2021" in text
    assert old_name in text and "Dinas Pangan dan Pertanian" in text
    assert "Administrator Sistem" in text  # the admin account's full name


def test_the_history_shows_changes_of_foreign_keys_by_name(login, unit, admin_user):
    client = login("admin")
    dkpp = unit("DKPP")
    dkpp.coordinator = unit("ASDA1")
    save_tracked(dkpp, actor=admin_user, reason="Reorganisasi")
    page = client.get(reverse("history", args=["tracker", "unit", dkpp.pk]))
    assert "Asda II" in page.content.decode() and "Asda I" in page.content.decode()


def test_a_coordinator_that_is_not_an_asda_is_refused_and_nothing_saved(unit, admin_user):
    dkpp = unit("DKPP")
    history_before = Unit.history.filter(id=dkpp.pk).count()
    dkpp.coordinator = unit("DKISS")
    with pytest.raises(ValidationError, match="Asda"):
        save_tracked(dkpp, actor=admin_user, reason="Salah")
    dkpp.refresh_from_db()
    assert dkpp.coordinator.code == "ASDA2"
    assert Unit.history.filter(id=dkpp.pk).count() == history_before


def test_an_invalid_nip_is_refused_and_nothing_saved(unit, admin_user):
    before = Official.objects.count()
    with pytest.raises(ValidationError, match="NIP"):
        services.appoint_official(
            actor=admin_user,
            unit=unit("DKPP"),
            name="Contoh",
            nip="19860926 201505 5 001",
            position="Kabid",
            start_date="2020-01-02",
        )
    assert Official.objects.count() == before


def test_seeded_rows_are_history_with_the_seed_as_reason(unit):
    record = Unit.history.filter(id=unit("DKISS").pk).earliest("history_date")
    assert record.history_type == "+"
    assert record.history_change_reason == "seed_demo"
    assert record.history_user is None


def test_a_user_cannot_be_deleted_by_any_path(django_user_model):
    from django.db import transaction
    from django.db.models import ProtectedError

    user = django_user_model.objects.get(username="dinkes")
    with pytest.raises(ProtectedError), transaction.atomic():
        user.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        django_user_model.objects.filter(pk=user.pk).delete()
    assert django_user_model.objects.filter(pk=user.pk).exists()
