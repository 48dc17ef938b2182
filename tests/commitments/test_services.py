"""Commitment and signature services: the rules, and bad input that changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from commitments import services
from commitments.models import Commitment, Signatory, Signature, SigningEvent
from tests.commitments.conftest import JPEG, PDF, PNG, upload, wib
from tests.factories import smart_city_scheme
from tracker.models import Official, Unit


def _head(unit, on=datetime.date(2019, 10, 14)):
    return Official.objects.in_office(on).get(unit=unit, is_head=True)


def _state(commitment):
    """Everything a failed write must leave unchanged."""
    return (
        Signature.objects.filter(commitment=commitment).count(),
        Signature.history.filter(commitment_id=commitment.pk).count(),
        SigningEvent.objects.filter(commitment=commitment).count(),
        Commitment.objects.get(pk=commitment.pk).state,
    )


def test_signing_event_records_every_ticked_signature_with_copied_identity(
    smart_city, unit, bappeda_user
):
    absent = [unit("BAG-PBJ"), unit("DISPORAPAR"), unit("KEC-PULOMERAK")]
    signers = [(u, _head(u)) for u in absent]
    event, signatures = services.record_signing_event(
        smart_city,
        actor=bappeda_user,
        signed_at=wib(2019, 10, 14),
        place="Aula Bappeda",
        scan=upload(),
        signers=signers,
        reason="Susulan",
    )
    assert len(signatures) == 3
    for signature, (u, official) in zip(signatures, signers, strict=True):
        signature.refresh_from_db()
        assert signature.unit == u
        assert signature.official_name == official.name
        assert signature.official_nip == official.nip
        assert signature.official_position == official.position
        assert signature.evidence.name == event.scan.name
        assert signature.evidence_sha256 == event.scan_sha256 and len(event.scan_sha256) == 64
        assert signature.recorded_by == bappeda_user
        record = signature.history.get()
        assert record.history_user == bappeda_user and record.history_change_reason == "Susulan"


def test_copied_identity_survives_the_official_leaving_office(smart_city, unit, bappeda_user):
    dkiss_signature = Signature.objects.get(commitment=smart_city, unit=unit("DKISS"))
    official = dkiss_signature.official
    official.position = "Staf Ahli Walikota"
    official.save()
    dkiss_signature.refresh_from_db()
    assert dkiss_signature.official_position.startswith("Kepala Dinas Komunikasi")


def test_a_second_live_signature_for_a_unit_is_refused(smart_city, unit, bappeda_user):
    before = _state(smart_city)
    dkiss = unit("DKISS")
    with pytest.raises(ValidationError) as error:
        services.record_signature(
            smart_city,
            actor=bappeda_user,
            unit=dkiss,
            official=_head(dkiss),
            signed_at=wib(2019, 10, 14),
            method="wet",
            evidence=upload(),
        )
    assert "DKISS" in error.value.messages[0]
    assert _state(smart_city) == before


def test_one_bad_signer_refuses_the_whole_event(smart_city, unit, bappeda_user):
    before = _state(smart_city)
    signers = [
        (unit("BAG-PBJ"), _head(unit("BAG-PBJ"))),
        (unit("DKISS"), _head(unit("DKISS"))),  # already signed
    ]
    with pytest.raises(ValidationError):
        services.record_signing_event(
            smart_city,
            actor=bappeda_user,
            signed_at=wib(2019, 10, 14),
            place="Aula",
            scan=upload(),
            signers=signers,
        )
    assert _state(smart_city) == before


@pytest.mark.parametrize("state", ["draft", "closed"])
def test_no_signature_on_a_draft_or_closed_commitment(smart_city, unit, bappeda_user, state):
    Commitment.objects.filter(pk=smart_city.pk).update(state=state)  # test set-up only
    before = _state(smart_city)
    pbj = unit("BAG-PBJ")
    with pytest.raises(ValidationError) as error:
        services.record_signature(
            smart_city,
            actor=bappeda_user,
            unit=pbj,
            official=_head(pbj),
            signed_at=wib(2019, 10, 14),
            method="wet",
            evidence=upload(),
        )
    assert "open for signing" in error.value.messages[0] or "dibuka" in error.value.messages[0]
    assert _state(smart_city) == before


def test_an_official_not_in_office_that_day_is_refused(smart_city, unit, bappeda_user):
    dinkes = unit("DINKES")
    former = Official.objects.get(unit=dinkes, end_date=datetime.date(2017, 12, 31))
    Signature.objects.filter(commitment=smart_city, unit=dinkes).update(
        revoked_at=wib(2019, 10, 12), revocation_reason="set-up"
    )
    before = _state(smart_city)
    with pytest.raises(ValidationError) as error:
        services.record_signature(
            smart_city,
            actor=bappeda_user,
            unit=dinkes,
            official=former,
            signed_at=wib(2019, 10, 14),
            method="wet",
            evidence=upload(),
        )
    assert former.name in error.value.messages[0]
    assert _state(smart_city) == before


def test_an_official_of_another_unit_is_refused(smart_city, unit, bappeda_user):
    with pytest.raises(ValidationError):
        services.record_signature(
            smart_city,
            actor=bappeda_user,
            unit=unit("BAG-PBJ"),
            official=_head(unit("DKISS")),
            signed_at=wib(2019, 10, 14),
            method="wet",
            evidence=upload(),
        )


@pytest.mark.parametrize(
    "signed_at",
    [wib(2019, 10, 10), wib(2099, 1, 1)],
    ids=["before the commitment", "in the future"],
)
def test_signing_dates_outside_the_allowed_range_are_refused(
    smart_city, unit, bappeda_user, signed_at
):
    before = _state(smart_city)
    pbj = unit("BAG-PBJ")
    with pytest.raises(ValidationError) as error:
        services.record_signature(
            smart_city,
            actor=bappeda_user,
            unit=pbj,
            official=_head(pbj),
            signed_at=signed_at,
            method="wet",
            evidence=upload(),
        )
    assert "signed_at" in error.value.message_dict
    assert _state(smart_city) == before


@pytest.mark.parametrize(
    "name, content",
    [
        ("scan.pdf", b""),
        ("scan.txt", b"just some text"),
        ("scan.png", PDF),  # a PDF renamed to .png
        ("scan.pdf", PNG),  # and the reverse
        ("scan.pdf", JPEG),
        ("scan", PDF),
    ],
)
def test_bad_evidence_files_are_refused(smart_city, unit, bappeda_user, name, content):
    before = _state(smart_city)
    pbj = unit("BAG-PBJ")
    with pytest.raises(ValidationError):
        services.record_signature(
            smart_city,
            actor=bappeda_user,
            unit=pbj,
            official=_head(pbj),
            signed_at=wib(2019, 10, 14),
            method="wet",
            evidence=upload(name, content),
        )
    assert _state(smart_city) == before


@pytest.mark.parametrize("name, content", [("a.jpg", JPEG), ("a.jpeg", JPEG), ("a.PNG", PNG)])
def test_images_are_accepted_by_content(smart_city, unit, bappeda_user, name, content):
    pbj = unit("BAG-PBJ")
    signature = services.record_signature(
        smart_city,
        actor=bappeda_user,
        unit=pbj,
        official=_head(pbj),
        signed_at=wib(2019, 10, 14),
        method="electronic",
        evidence=upload(name, content),
    )
    assert signature.evidence.read() == content


@override_settings(EVIDENCE_MAX_BYTES=1000)
def test_evidence_over_the_size_limit_is_refused(smart_city, unit, bappeda_user):
    before = _state(smart_city)
    pbj = unit("BAG-PBJ")
    with pytest.raises(ValidationError) as error:
        services.record_signature(
            smart_city,
            actor=bappeda_user,
            unit=pbj,
            official=_head(pbj),
            signed_at=wib(2019, 10, 14),
            method="wet",
            evidence=upload(content=PDF + b"0" * 2000),
        )
    assert error.value.code == "too_large"
    assert _state(smart_city) == before


def test_revocation_needs_a_reason_then_allows_a_new_signature(smart_city, unit, bappeda_user):
    dkiss = unit("DKISS")
    signature = Signature.objects.get(commitment=smart_city, unit=dkiss)
    with pytest.raises(ValidationError):
        services.revoke_signature(signature, actor=bappeda_user, reason="  ")
    signature.refresh_from_db()
    assert signature.revoked_at is None

    services.revoke_signature(signature, actor=bappeda_user, reason="Salah pejabat")
    signature.refresh_from_db()
    assert signature.revoked_by == bappeda_user
    assert signature.revocation_reason == "Salah pejabat"
    latest = signature.history.order_by("-history_id").first()
    assert latest.history_change_reason == "Salah pejabat"

    again = services.record_signature(
        smart_city,
        actor=bappeda_user,
        unit=dkiss,
        official=_head(dkiss),
        signed_at=wib(2019, 10, 14),
        method="wet",
        evidence=upload(),
    )
    assert Signature.objects.filter(commitment=smart_city, unit=dkiss).count() == 2
    assert again.is_live


def test_transitions_follow_the_table(cilegon, unit, bappeda_user):
    commitment = services.create_commitment(
        actor=bappeda_user,
        government=cilegon,
        theme="Smart City",
        scheme=smart_city_scheme(),
        title="Komitmen Uji",
        date=datetime.date(2020, 1, 6),
        place="Aula",
        legal_basis="Perwal",
        points=["Satu", "Dua"],
        signatories=[unit("DKISS")],
    )
    assert commitment.state == "draft"
    with pytest.raises(ValidationError):
        services.close_commitment(commitment, actor=bappeda_user)
    with pytest.raises(ValidationError):
        services.reopen_commitment(commitment, actor=bappeda_user, reason="x")
    services.open_for_signing(commitment, actor=bappeda_user)
    with pytest.raises(ValidationError):  # points are frozen once open
        services.set_points(commitment, actor=bappeda_user, texts=["Tiga"])
    with pytest.raises(ValidationError):
        services.set_signatories(commitment, actor=bappeda_user, units=[unit("DINKES")])
    services.close_commitment(commitment, actor=bappeda_user)
    with pytest.raises(ValidationError):
        services.reopen_commitment(commitment, actor=bappeda_user, reason="")
    services.reopen_commitment(commitment, actor=bappeda_user, reason="Ada penanda tangan susulan")
    commitment.refresh_from_db()
    assert commitment.state == "open"
    record = commitment.history.order_by("-history_id").first()
    assert record.history_change_reason == "Ada penanda tangan susulan"
    assert record.history_user == bappeda_user


def test_opening_needs_points_and_signatories(cilegon, bappeda_user):
    commitment = services.create_commitment(
        actor=bappeda_user,
        government=cilegon,
        theme="Smart City",
        scheme=smart_city_scheme(),
        title="Kosong",
        date=datetime.date(2020, 1, 6),
        place="Aula",
        legal_basis="-",
    )
    with pytest.raises(ValidationError):
        services.open_for_signing(commitment, actor=bappeda_user)
    commitment.refresh_from_db()
    assert commitment.state == "draft"


def test_signatories_by_kind_and_editing_points_in_a_draft(cilegon, unit, bappeda_user):
    kecamatan = services.units_of_kinds(cilegon, [Unit.Kind.KECAMATAN])
    commitment = services.create_commitment(
        actor=bappeda_user,
        government=cilegon,
        theme="Smart City",
        scheme=smart_city_scheme(),
        title="Camat",
        date=datetime.date(2020, 1, 6),
        place="Aula",
        legal_basis="-",
        points=["A", "B", "C"],
        signatories=list(kecamatan),
    )
    assert Signatory.objects.filter(commitment=commitment).count() == 8
    services.update_commitment(
        commitment, actor=bappeda_user, points=["A", "B diperbaiki"], title="Camat 2020"
    )
    assert [p.text for p in commitment.points.order_by("number")] == ["A", "B diperbaiki"]
    commitment.refresh_from_db()
    assert commitment.title == "Camat 2020"


def test_a_unit_of_another_government_cannot_be_a_signatory(cilegon, serang, bappeda_user):
    other = Unit.objects.get(government=serang, code="BAPPEDA")
    with pytest.raises(ValidationError):
        services.create_commitment(
            actor=bappeda_user,
            government=cilegon,
            theme="Smart City",
            scheme=smart_city_scheme(),
            title="X",
            date=datetime.date(2020, 1, 6),
            place="Aula",
            legal_basis="-",
            points=["A"],
            signatories=[other],
        )


def _draft_with_dkiss(cilegon, unit, bappeda_user):
    return services.create_commitment(
        actor=bappeda_user,
        government=cilegon,
        theme="Smart City",
        scheme=smart_city_scheme(),
        title="Draf Komitmen Data",
        date=datetime.date(2020, 2, 3),
        place="Aula",
        legal_basis="-",
        points=["Satu data"],
        signatories=[unit("DKISS"), unit("ASDA1")],
    )


@pytest.mark.parametrize(
    "username, sees",
    [
        ("bappeda", True),
        ("admin", True),
        ("pengelola", False),  # the Administrator does not change commitments
        ("walikota", False),
        ("asda1", False),
        ("dkiss", False),  # a signatory of the draft
    ],
)
def test_a_draft_stays_with_those_who_change_commitments(
    cilegon, unit, bappeda_user, django_user_model, username, sees
):
    from commitments.selectors import commitments_visible_to

    draft = _draft_with_dkiss(cilegon, unit, bappeda_user)
    user = django_user_model.objects.get(username=username)
    assert commitments_visible_to(user).filter(pk=draft.pk).exists() is sees


def test_an_opened_draft_becomes_visible_to_its_signatories(
    cilegon, unit, bappeda_user, django_user_model
):
    from commitments.selectors import commitments_visible_to

    draft = _draft_with_dkiss(cilegon, unit, bappeda_user)
    services.open_for_signing(draft, actor=bappeda_user)
    dkiss = django_user_model.objects.get(username="dkiss")
    assert commitments_visible_to(dkiss).filter(pk=draft.pk).exists()
