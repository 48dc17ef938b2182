"""Edits made through the admin land in the history with the user, old -> new values and reason."""

from django.urls import reverse

from tracker.models import Unit


def _admin_post_unit(client, unit, **changes):
    data = {
        "government": unit.government_id,
        "kind": unit.kind,
        "opd_type": unit.opd_type,
        "code": unit.code,
        "name": unit.name,
        "abbreviation": unit.abbreviation,
        "coordinator": unit.coordinator_id or "",
        "parent": unit.parent_id or "",
        "is_active": "on" if unit.is_active else "",
        "change_reason": "",
    }
    data.update(changes)
    return client.post(reverse("admin:tracker_unit_change", args=[unit.pk]), data)


def test_admin_edit_records_user_old_new_and_reason(login, unit):
    client = login("admin")
    dkpp = unit("DKPP")
    old_name = dkpp.name
    response = _admin_post_unit(
        client, dkpp, name="Dinas Pangan dan Pertanian", change_reason="Perda SOTK 2021"
    )
    assert response.status_code == 302
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


def test_admin_shows_history_changes_of_foreign_keys_by_name(login, unit):
    client = login("admin")
    dkpp = unit("DKPP")
    _admin_post_unit(client, dkpp, coordinator=unit("ASDA1").pk, change_reason="Reorganisasi")
    page = client.get(reverse("history", args=["tracker", "unit", dkpp.pk]))
    assert "Asda II" in page.content.decode() and "Asda I" in page.content.decode()


def test_admin_refuses_a_coordinator_that_is_not_an_asda_and_saves_nothing(login, unit):
    client = login("admin")
    dkpp = unit("DKPP")
    history_before = Unit.history.filter(id=dkpp.pk).count()
    response = _admin_post_unit(client, dkpp, coordinator=unit("DKISS").pk)
    assert response.status_code == 200
    assert "Asda" in response.content.decode()
    dkpp.refresh_from_db()
    assert dkpp.coordinator.code == "ASDA2"
    assert Unit.history.filter(id=dkpp.pk).count() == history_before


def test_admin_refuses_an_invalid_nip_and_saves_nothing(login, unit):
    from tracker.models import Official

    client = login("admin")
    before = Official.objects.count()
    response = client.post(
        reverse("admin:tracker_official_add"),
        {
            "unit": unit("DKPP").pk,
            "name": "Contoh",
            "nip": "19860926 201505 5 001",
            "position": "Kabid",
            "start_date": "2020-01-02",
        },
    )
    assert response.status_code == 200
    assert "NIP" in response.content.decode()
    assert Official.objects.count() == before


def test_seeded_rows_are_history_with_the_seed_as_reason(unit):
    record = Unit.history.filter(id=unit("DKISS").pk).earliest("history_date")
    assert record.history_type == "+"
    assert record.history_change_reason == "seed_demo"
    assert record.history_user is None
