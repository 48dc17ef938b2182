"""Bad input on the organisation is refused with a clear message, and nothing is saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tracker import services
from tracker.models import Official, Unit


def test_unit_coordinated_by_a_non_asda_unit_is_refused(cilegon, unit):
    before = Unit.objects.count()
    with pytest.raises(ValidationError) as error:
        services.create_unit(
            actor=None,
            government=cilegon,
            kind=Unit.Kind.OPD,
            code="DISNAKER",
            name="Dinas Tenaga Kerja",
            coordinator=unit("DKISS"),
        )
    assert "coordinator" in error.value.message_dict
    assert "Asda" in error.value.message_dict["coordinator"][0]
    assert Unit.objects.count() == before


def test_an_asda_of_another_government_cannot_coordinate(cilegon, serang):
    serang_asda = services.create_unit(
        actor=None, government=serang, kind=Unit.Kind.ASDA, code="ASDA1", name="Asda I Serang"
    )
    with pytest.raises(ValidationError) as error:
        services.create_unit(
            actor=None,
            government=cilegon,
            kind=Unit.Kind.OPD,
            code="X",
            name="X",
            coordinator=serang_asda,
        )
    assert "coordinator" in error.value.message_dict


def test_only_opd_and_kecamatan_are_coordinated(cilegon, unit):
    with pytest.raises(ValidationError) as error:
        services.create_unit(
            actor=None,
            government=cilegon,
            kind=Unit.Kind.ASDA,
            code="ASDA4",
            name="Asda IV",
            coordinator=unit("ASDA1"),
        )
    assert "coordinator" in error.value.message_dict


def test_unit_codes_are_unique_per_government_only(cilegon, serang):
    services.create_unit(actor=None, government=serang, kind="opd", code="DKISS", name="DKISS")
    with pytest.raises(ValidationError):
        services.create_unit(actor=None, government=cilegon, kind="opd", code="DKISS", name="D")


def test_official_whose_office_ends_before_it_starts_is_refused(unit):
    before = Official.objects.count()
    with pytest.raises(ValidationError) as error:
        services.appoint_official(
            actor=None,
            unit=unit("DKPP"),
            name="Drs. Contoh",
            position="Sekretaris",
            start_date=datetime.date(2020, 5, 1),
            end_date=datetime.date(2020, 4, 30),
        )
    assert "end_date" in error.value.message_dict
    assert Official.objects.count() == before


def test_database_also_refuses_a_term_ending_before_it_starts(unit):
    official = Official.objects.filter(unit=unit("DKPP")).first()
    official.end_date = official.start_date - datetime.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        official.save()


def test_official_with_an_invalid_nip_is_refused_with_the_reason(unit):
    with pytest.raises(ValidationError) as error:
        services.appoint_official(
            actor=None,
            unit=unit("DKPP"),
            name="Contoh",
            position="Kabid",
            nip="19860231 201505 1 001",
            start_date=datetime.date(2020, 1, 2),
        )
    # Messages are in the user's language, Indonesian by default.
    assert "tanggal lahir" in error.value.message_dict["nip"][0]
    assert "19860231" in error.value.message_dict["nip"][0]


def test_nip_is_stored_as_digits(unit):
    official = services.appoint_official(
        actor=None,
        unit=unit("DKPP"),
        name="Contoh",
        position="Kabid",
        nip="19860926 201505 1 001",
        start_date=datetime.date(2020, 1, 2),
    )
    official.refresh_from_db()
    assert official.nip == "198609262015051001"


def test_two_heads_of_one_unit_at_the_same_time_are_refused(unit):
    with pytest.raises(ValidationError) as error:
        services.appoint_official(
            actor=None,
            unit=unit("DKISS"),
            name="Kepala Kedua",
            position="Kepala",
            is_head=True,
            start_date=datetime.date(2020, 1, 2),
        )
    assert "sudah menjabat" in error.value.messages[0] or "already" in error.value.messages[0]


def test_who_headed_a_unit_on_a_date(unit):
    dinkes = unit("DINKES")
    on_2017 = Official.objects.in_office(datetime.date(2017, 6, 1)).get(unit=dinkes, is_head=True)
    on_2019 = Official.objects.in_office(datetime.date(2019, 10, 11)).get(unit=dinkes, is_head=True)
    assert on_2017 != on_2019
    assert on_2017.end_date == datetime.date(2017, 12, 31)


def test_walikota_on_the_commitment_day_is_edi_ariadi(unit):
    head = Official.objects.in_office(datetime.date(2019, 10, 11)).get(
        unit=unit("KDH"), is_head=True
    )
    assert "Edi Ariadi" in head.name


def test_ending_a_term_keeps_the_reason_in_history(unit, django_user_model):
    admin = django_user_model.objects.get(username="admin")
    official = Official.objects.get(unit=unit("DKPP"), is_head=True)
    services.end_term(official, actor=admin, end_date=datetime.date(2021, 3, 1), reason="Mutasi")
    official.refresh_from_db()
    assert official.end_date == datetime.date(2021, 3, 1)
    record = official.history.latest("history_date")
    assert record.history_user == admin and record.history_change_reason == "Mutasi"
