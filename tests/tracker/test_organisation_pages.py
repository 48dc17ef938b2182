"""The Administrator's unit and official pages: create, edit, deactivate, end a term,
each through the client and each leaving a history row with the actor and the reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tracker import services
from tracker.models import Official, Unit

ENGLISH = {"django_language": "en"}


def _latest(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def _unit_data(unit=None, **changes):
    """The unit form's fields as posted: ``unit``'s current values, then ``changes``."""
    data = {
        "name": unit.name if unit else "",
        "abbreviation": unit.abbreviation if unit else "",
        "code": unit.code if unit else "",
        "kind": unit.kind if unit else "",
        "opd_type": unit.opd_type if unit else "",
        "coordinator": unit.coordinator_id or "" if unit else "",
        "parent": unit.parent_id or "" if unit else "",
        "reason": "",
    }
    data.update(changes)
    return data


def _english(client):
    client.cookies.load(ENGLISH)
    return client


# --- Units ---------------------------------------------------------------------------------


def test_the_administrator_creates_a_unit(login, cilegon, unit):
    client = login("pengelola")
    response = client.post(
        reverse("unit-create"),
        _unit_data(
            name="Dinas Pariwisata",
            abbreviation="Dispar",
            code="DISPAR",
            kind=Unit.Kind.OPD,
            opd_type=Unit.OpdType.DINAS,
            coordinator=unit("ASDA2").pk,
            reason="Perda 5/2023 tentang SOTK",
        ),
    )
    created = Unit.objects.get(government=cilegon, code="DISPAR")
    assert response.status_code == 302
    assert response["Location"] == reverse("unit-detail", args=[created.pk])
    assert created.coordinator == unit("ASDA2") and created.is_active
    record = _latest(created)
    assert record.history_type == "+"
    assert record.history_user.username == "pengelola"
    assert record.history_change_reason == "Perda 5/2023 tentang SOTK"


def test_the_unit_pages_offer_changes_to_the_administrator_only(login, unit):
    dkiss = unit("DKISS")
    page = login("pengelola").get(reverse("unit-detail", args=[dkiss.pk])).content.decode()
    assert reverse("unit-edit", args=[dkiss.pk]) in page
    assert reverse("unit-deactivate", args=[dkiss.pk]) in page
    page = login("bappeda").get(reverse("unit-detail", args=[dkiss.pk])).content.decode()
    assert reverse("unit-edit", args=[dkiss.pk]) not in page
    assert login("bappeda").get(reverse("unit-edit", args=[dkiss.pk])).status_code == 403
    listing = login("bappeda").get(reverse("unit-list")).content.decode()
    assert reverse("unit-create") not in listing


def test_the_superuser_chooses_the_government_first(login, serang):
    client = login("admin")
    choose = client.get(reverse("unit-create"))
    assert "tracker/choose_government.html" in [t.name for t in choose.templates]
    assert f"?government={serang.pk}" in choose.content.decode()

    form = client.get(reverse("unit-create"), {"government": serang.pk}).context["form"]
    assert {u.government_id for u in form.fields["parent"].queryset} == {serang.pk}

    response = client.post(
        reverse("unit-create"),
        _unit_data(
            name="Dinas Kesehatan Kota Serang",
            code="DINKES",
            kind=Unit.Kind.OPD,
            government=serang.pk,
            reason="",
        ),
    )
    assert response.status_code == 302
    created = Unit.objects.get(government=serang, code="DINKES")
    assert _latest(created).history_user.username == "admin"


def test_the_administrator_cannot_create_in_another_government(login, serang):
    response = login("pengelola").get(reverse("unit-create"), {"government": serang.pk})
    assert response.status_code == 404


def test_editing_a_unit_keeps_who_and_why(login, unit):
    dkiss = unit("DKISS")
    client = _english(login("pengelola"))
    response = client.post(
        reverse("unit-edit", args=[dkiss.pk]),
        _unit_data(
            dkiss,
            name="Dinas Komunikasi dan Informatika",
            abbreviation="Diskominfo",
            coordinator=unit("ASDA1").pk,
            reason="Perwal 12/2022",
        ),
    )
    assert response.status_code == 302
    dkiss.refresh_from_db()
    assert dkiss.name == "Dinas Komunikasi dan Informatika"
    assert dkiss.coordinator == unit("ASDA1")
    record = _latest(dkiss)
    assert record.history_user.username == "pengelola"
    assert record.history_change_reason == "Perwal 12/2022"
    history = client.get(reverse("history", args=["tracker", "unit", dkiss.pk])).content.decode()
    assert "Perwal 12/2022" in history
    assert "Dinas Komunikasi, Informatika, Sandi dan Statistik" in history  # the old name


def test_an_edit_without_a_reason_is_refused_and_keeps_what_was_typed(login, unit):
    dkiss = unit("DKISS")
    response = _english(login("pengelola")).post(
        reverse("unit-edit", args=[dkiss.pk]), _unit_data(dkiss, name="Nama Baru Sekali")
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert 'value="Nama Baru Sekali"' in response.content.decode()
    dkiss.refresh_from_db()
    assert dkiss.name == "Dinas Komunikasi, Informatika, Sandi dan Statistik"


def test_an_asda_of_another_government_is_refused(login, unit, serang):
    asda_serang = services.create_unit(
        actor=None, government=serang, kind=Unit.Kind.ASDA, code="ASDA1", name="Asda I Serang"
    )
    dkiss = unit("DKISS")
    response = login("pengelola").post(
        reverse("unit-edit", args=[dkiss.pk]),
        _unit_data(dkiss, coordinator=asda_serang.pk, reason="Uji"),
    )
    assert response.status_code == 200
    assert "coordinator" in response.context["form"].errors
    dkiss.refresh_from_db()
    assert dkiss.coordinator == unit("ASDA3")


def test_only_an_asda_coordinates(login, unit):
    dkiss = unit("DKISS")
    response = login("pengelola").post(
        reverse("unit-edit", args=[dkiss.pk]),
        _unit_data(dkiss, coordinator=unit("BAPPEDA").pk, reason="Uji"),
    )
    assert "coordinator" in response.context["form"].errors
    # Through the service too: the model's rule names what is wrong.
    with pytest.raises(ValidationError) as error:
        services.update_unit(dkiss, actor=None, reason="Uji", coordinator=unit("BAPPEDA"))
    assert "coordinator" in error.value.message_dict
    dkiss.refresh_from_db()
    assert dkiss.coordinator == unit("ASDA3")


def test_a_unit_code_stays_unique_and_the_message_names_its_holder(login, unit):
    dkiss = unit("DKISS")
    response = _english(login("pengelola")).post(
        reverse("unit-edit", args=[dkiss.pk]), _unit_data(dkiss, code="DINKES", reason="Uji")
    )
    assert response.status_code == 200
    assert "already used by Dinas Kesehatan" in " ".join(response.context["form"].errors["code"])
    dkiss.refresh_from_db()
    assert dkiss.code == "DKISS"


def test_an_asda_that_coordinates_units_keeps_its_kind(unit):
    asda1 = unit("ASDA1")
    with pytest.raises(ValidationError) as error:
        services.update_unit(asda1, actor=None, reason="Uji", kind=Unit.Kind.OPD)
    assert "kind" in error.value.message_dict
    assert asda1.kind == Unit.Kind.ASDA  # the object too, not only the database
    asda1.refresh_from_db()
    assert asda1.kind == Unit.Kind.ASDA


def test_a_unit_cannot_sit_under_a_unit_below_it(unit):
    setda = unit("SETDA")
    assert unit("ASDA1").parent == setda
    with pytest.raises(ValidationError) as error:
        services.update_unit(setda, actor=None, reason="Uji", parent=unit("ASDA1"))
    assert "parent" in error.value.message_dict


def test_update_unit_never_moves_a_unit_to_another_government(unit, serang):
    with pytest.raises(TypeError):
        services.update_unit(unit("DKISS"), actor=None, reason="Uji", government=serang)


def test_deactivating_and_reactivating_a_unit_ask_for_a_reason(login, unit):
    dinkes = unit("DINKES")
    client = login("pengelola")
    page = client.get(reverse("unit-deactivate", args=[dinkes.pk])).content.decode()
    assert "data-confirm=" in page
    refused = client.post(reverse("unit-deactivate", args=[dinkes.pk]), {"reason": ""})
    assert refused.status_code == 200 and "reason" in refused.context["form"].errors
    dinkes.refresh_from_db()
    assert dinkes.is_active

    done = client.post(reverse("unit-deactivate", args=[dinkes.pk]), {"reason": "Digabung"})
    assert done.status_code == 302
    dinkes.refresh_from_db()
    assert not dinkes.is_active
    assert _latest(dinkes).history_change_reason == "Digabung"
    assert _latest(dinkes).history_user.username == "pengelola"
    # Its member sees nothing now.
    assert login("dinkes").get(reverse("unit-detail", args=[dinkes.pk])).status_code == 404

    client = login("pengelola")
    client.post(reverse("unit-reactivate", args=[dinkes.pk]), {"reason": "Dipisah lagi"})
    dinkes.refresh_from_db()
    assert dinkes.is_active
    assert _latest(dinkes).history_change_reason == "Dipisah lagi"


# --- Officials -----------------------------------------------------------------------------


def _official_data(**values):
    data = {
        "unit": "",
        "name": "",
        "nip": "",
        "rank": "",
        "position": "",
        "start_date": "",
        "end_date": "",
        "reason": "",
    }
    data.update(values)
    return data


def test_the_administrator_records_an_official_typing_the_nip_with_spaces(login, unit):
    dkiss = unit("DKISS")
    client = login("pengelola")
    form = client.get(reverse("official-create"), {"unit": dkiss.pk}).context["form"]
    assert form.initial["unit"] == dkiss.pk
    response = client.post(
        reverse("official-create") + f"?unit={dkiss.pk}",
        _official_data(
            unit=dkiss.pk,
            name="Budi Santoso, S.Kom.",
            nip="19860926 201505 1 001",
            rank="Penata (III/c)",
            position="Kepala Bidang Aplikasi Informatika",
            start_date="2022-01-03",
            reason="SK Walikota 821/2022",
        ),
    )
    official = Official.objects.get(name="Budi Santoso, S.Kom.")
    assert response.status_code == 302
    assert official.nip == "198609262015051001"
    assert official.unit == dkiss and not official.is_head
    record = _latest(official)
    assert record.history_user.username == "pengelola"
    assert record.history_change_reason == "SK Walikota 821/2022"


def test_a_wrong_nip_is_refused_with_what_is_wrong_and_nothing_typed_is_lost(login, unit):
    response = _english(login("pengelola")).post(
        reverse("official-create"),
        _official_data(
            unit=unit("DKISS").pk,
            name="Siti Aminah, S.E.",
            nip="19861326 201505 2 001",
            position="Sekretaris",
            start_date="2022-01-03",
        ),
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["nip"])
    assert "real birth date" in errors
    page = response.content.decode()
    assert 'value="Siti Aminah, S.E."' in page and 'value="19861326 201505 2 001"' in page
    assert not Official.objects.filter(name="Siti Aminah, S.E.").exists()


def test_a_new_head_overlapping_the_current_one_is_refused_until_that_term_ends(login, unit):
    dinkes = unit("DINKES")
    current = Official.objects.get(unit=dinkes, is_head=True, end_date__isnull=True)
    client = _english(login("pengelola"))
    new_head = _official_data(
        unit=dinkes.pk,
        name="dr. Ratih Purnamasari, M.K.M.",
        nip="19800512 200604 2 010",
        position="Kepala Dinas Kesehatan",
        is_head="on",
        start_date="2021-01-01",
        reason="SK Walikota 800/2020",
    )
    refused = client.post(reverse("official-create"), new_head)
    assert refused.status_code == 200
    assert current.name in " ".join(refused.context["form"].non_field_errors())
    assert not Official.objects.filter(name="dr. Ratih Purnamasari, M.K.M.").exists()

    # End the old term the day before, then the new head is recorded.
    ended = client.post(
        reverse("official-end", args=[current.pk]),
        {"end_date": "2020-12-31", "reason": "Purna tugas"},
    )
    assert ended.status_code == 302
    current.refresh_from_db()
    assert current.end_date == datetime.date(2020, 12, 31)
    assert _latest(current).history_change_reason == "Purna tugas"
    assert _latest(current).history_user.username == "pengelola"

    assert client.post(reverse("official-create"), new_head).status_code == 302
    successor = Official.objects.get(name="dr. Ratih Purnamasari, M.K.M.")
    assert Official.objects.in_office(datetime.date(2021, 6, 1)).get(unit=dinkes, is_head=True) == (
        successor
    )
    assert Official.objects.in_office(datetime.date(2020, 6, 1)).get(unit=dinkes, is_head=True) == (
        current
    )


def test_ending_a_term_needs_a_reason_and_cannot_precede_its_start(login, unit):
    official = Official.objects.get(unit=unit("DINKES"), is_head=True, end_date__isnull=True)
    client = _english(login("pengelola"))
    response = client.post(reverse("official-end", args=[official.pk]), {"end_date": "2020-12-31"})
    assert "reason" in response.context["form"].errors
    response = client.post(
        reverse("official-end", args=[official.pk]), {"end_date": "2017-01-01", "reason": "Salah"}
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in " ".join(response.context["form"].errors["end_date"])
    official.refresh_from_db()
    assert official.end_date is None


def test_editing_an_official_keeps_the_reason_and_stays_in_the_government(login, unit, serang):
    official = Official.objects.get(unit=unit("DKISS"), name__startswith="Heri", is_head=False)
    data = _official_data(
        unit=official.unit_id,
        name=official.name,
        nip="196903181994081009",
        rank="Pembina Tk. I (IV/b)",
        position=official.position,
        start_date="2018-04-02",
        end_date="2021-09-30",
        reason="Kenaikan pangkat",
    )
    client = login("pengelola")
    assert client.post(reverse("official-edit", args=[official.pk]), data).status_code == 302
    official.refresh_from_db()
    assert official.rank == "Pembina Tk. I (IV/b)"
    assert official.end_date == datetime.date(2021, 9, 30)
    assert _latest(official).history_change_reason == "Kenaikan pangkat"

    # A unit of Serang posted by hand is not one of the choices.
    serang_unit = Unit.objects.get(government=serang, code="BAPPEDA")
    response = client.post(
        reverse("official-edit", args=[official.pk]), {**data, "unit": serang_unit.pk}
    )
    assert "unit" in response.context["form"].errors
    official.refresh_from_db()
    assert official.unit == unit("DKISS")
    # ... and the service refuses it as well.
    with pytest.raises(ValidationError):
        services.update_official(official, actor=None, reason="Uji", unit=serang_unit)
    official.refresh_from_db()
    assert official.unit == unit("DKISS")


def test_serang_cannot_reach_cilegon_s_officials(login, unit):
    official = Official.objects.filter(unit=unit("DKISS")).first()
    client = login("serang")
    assert client.get(reverse("official-edit", args=[official.pk])).status_code == 404
    assert client.post(reverse("official-end", args=[official.pk])).status_code == 404
    assert client.get(reverse("official-create"), {"unit": unit("DKISS").pk}).status_code == 403
