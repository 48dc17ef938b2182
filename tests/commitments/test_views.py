"""Commitment pages as each role uses them."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments import services
from commitments.models import Commitment, Signature
from tests.commitments.conftest import PDF, upload, wib
from tests.factories import OfficialFactory, UnitFactory, smart_city_scheme
from tracker.models import Official, Unit


def test_unit_member_sees_the_commitment_and_only_their_signature(login, smart_city):
    client = login("dkiss")
    listing = client.get(reverse("commitment-list"))
    assert [c.pk for c in listing.context["object_list"]] == [smart_city.pk]
    page = client.get(reverse("commitment-detail", args=[smart_city.pk]))
    assert [s.unit.code for s in page.context["signatories"]] == ["DKISS"]
    text = page.content.decode()
    assert "Ahmad Jubaedi" in text
    assert "Kepala Dinas Kesehatan" not in text  # another unit's signer
    assert "Kecamatan Pulomerak" not in text  # another unit's absence


def test_another_government_sees_no_cilegon_commitment(login):
    listing = login("serang").get(reverse("commitment-list"))
    assert list(listing.context["object_list"]) == []


def test_bappeda_sees_progress_by_group_and_the_absentees(login, smart_city):
    page = login("bappeda").get(reverse("commitment-detail", args=[smart_city.pk]))
    progress = page.context["progress"]
    expected = smart_city.signatories.count()
    assert progress.total.expected == expected
    assert progress.total.signed == expected - 3
    groups = dict(progress.ordered_groups())
    assert groups["asda"].signed == groups["asda"].expected == 3
    assert groups["kecamatan"].outstanding == 1
    assert groups["opd"].outstanding == 2
    assert {s.unit.code for s in page.context["outstanding"]} == {
        "BAG-PBJ",
        "DISPORAPAR",
        "KEC-PULOMERAK",
    }
    assert f"{expected - 3} dari {expected}" in page.content.decode()


def test_list_filters_by_state_and_year(login, smart_city):
    client = login("bappeda")
    # The Smart City commitment of 2019 and the demo's invented stunting one of 2020.
    assert client.get(reverse("commitment-list"), {"state": "open"}).context["paginator"].count == 2
    assert (
        client.get(reverse("commitment-list"), {"state": "draft"}).context["paginator"].count == 0
    )
    assert client.get(reverse("commitment-list"), {"year": 2019}).context["paginator"].count == 1
    assert client.get(reverse("commitment-list"), {"year": 2020}).context["paginator"].count == 1
    assert client.get(reverse("commitment-list"), {"year": 2021}).context["paginator"].count == 0


def _event_post(client, commitment, units, *, date="2019-10-14", scan=None, officials=None):
    data = {
        "signed_date": date,
        "signed_time": "10:00",
        "place": "Aula Bappeda",
        "method": "wet",
        "scan": scan or upload(),
    }
    data["signers"] = [unit.pk for unit in units]
    for unit in units:
        official = (officials or {}).get(unit.pk) or Official.objects.in_office(
            datetime.date.fromisoformat(date)
        ).get(unit=unit, is_head=True)
        data[f"official_{unit.pk}"] = official.pk
    return client.post(reverse("commitment-signing-event", args=[commitment.pk]), data)


def test_bappeda_records_the_absentees_in_one_form(login, smart_city, unit):
    client = login("bappeda")
    form_page = client.get(reverse("commitment-signing-event", args=[smart_city.pk]))
    assert len(form_page.context["form"].rows) == 3
    absent = [unit("BAG-PBJ"), unit("DISPORAPAR"), unit("KEC-PULOMERAK")]
    response = _event_post(client, smart_city, absent)
    assert response.status_code == 302
    assert (
        not Signature.objects.filter(commitment=smart_city, revoked_at=None)
        .exclude(unit__in=smart_city.signatories.values("unit"))
        .exists()
    )
    page = client.get(reverse("commitment-detail", args=[smart_city.pk]))
    assert page.context["progress"].total.outstanding == 0


def test_a_bad_event_shows_errors_and_keeps_what_was_typed(login, smart_city, unit):
    client = login("bappeda")
    before = Signature.objects.count()
    pbj = unit("BAG-PBJ")
    response = _event_post(client, smart_city, [pbj], date="2019-10-01")  # before the commitment
    assert response.status_code == 200
    assert Signature.objects.count() == before
    form = response.context["form"]
    assert form.errors
    assert form["place"].value() == "Aula Bappeda"
    assert form["signers"].value() == [str(pbj.pk)]


def test_a_ticked_unit_without_an_official_is_an_error(login, smart_city, unit):
    client = login("bappeda")
    pbj = unit("BAG-PBJ")
    response = client.post(
        reverse("commitment-signing-event", args=[smart_city.pk]),
        {
            "signed_date": "2019-10-14",
            "signed_time": "10:00",
            "place": "Aula",
            "method": "wet",
            "scan": upload(),
            "signers": [pbj.pk],
            f"official_{pbj.pk}": "",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors[f"official_{pbj.pk}"]


def test_a_renamed_pdf_is_refused_by_the_form(login, smart_city, unit):
    client = login("bappeda")
    before = Signature.objects.count()
    response = _event_post(client, smart_city, [unit("BAG-PBJ")], scan=upload("scan.png", PDF))
    assert response.status_code == 200
    assert "scan" in response.context["form"].errors
    assert Signature.objects.count() == before


def test_a_unit_member_cannot_record_a_signature(login, smart_city, unit):
    client = login("dkiss")
    before = Signature.objects.count()
    response = _event_post(client, smart_city, [unit("BAG-PBJ")])
    assert response.status_code == 403
    assert Signature.objects.count() == before


def test_revocation_from_the_page_needs_a_reason_and_shows_in_history(login, smart_city, unit):
    client = login("bappeda")
    signature = Signature.objects.get(commitment=smart_city, unit=unit("DKISS"))
    url = reverse("signature-revoke", args=[smart_city.pk, signature.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    signature.refresh_from_db()
    assert signature.revoked_at is None
    response = client.post(url, {"reason": "Salah unggah berkas"})
    assert response.status_code == 302
    history = client.get(reverse("commitment-history", args=[smart_city.pk])).content.decode()
    assert "Salah unggah berkas" in history
    assert "Staf Monev Bappeda" in history  # who revoked
    assert "seed_demo" in history  # who recorded: the seed, as the system


def test_evidence_download_is_the_stored_file(login, smart_city, unit):
    signature = Signature.objects.get(commitment=smart_city, unit=unit("DKISS"))
    response = login("dkiss").get(reverse("signature-evidence", args=[smart_city.pk, signature.pk]))
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    import hashlib

    assert hashlib.sha256(content).hexdigest() == signature.evidence_sha256


def test_csv_lists_signatories_with_their_signers(login, smart_city):
    response = login("bappeda").get(reverse("commitment-csv", args=[smart_city.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + smart_city.signatories.count()
    dkiss = next(r for r in rows if r[0].startswith("Dinas Komunikasi"))
    assert dkiss[2] == "ya" and dkiss[3] == "Ahmad Jubaedi, S.Sos., M.Si."
    assert sum(1 for r in rows[1:] if r[2] == "tidak") == 3


def test_csv_writes_the_nip_in_its_printed_groups_so_spreadsheets_keep_18_digits(login, smart_city):
    signature = Signature.objects.get(
        commitment=smart_city, unit__code="DKISS", revoked_at__isnull=True
    )
    nip = signature.official_nip
    assert len(nip) == 18 and nip.isdigit()
    response = login("bappeda").get(reverse("commitment-csv", args=[smart_city.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    dkiss = next(r for r in rows if r[0].startswith("Dinas Komunikasi"))
    # "19700101 200003 1 002": with its spaces a spreadsheet reads it as text, not as a
    # number that loses the last three digits; and no formula ("=...") is involved.
    assert dkiss[4] == f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    assert dkiss[4].replace(" ", "") == nip


def test_the_scan_downloads_under_the_commitments_name(login, smart_city):
    from commitments.views import _scan_filename

    assert smart_city.scan  # the demo's placeholder scan
    response = login("bappeda").get(reverse("commitment-scan", args=[smart_city.pk]))
    assert response.status_code == 200
    assert (
        'filename="Komitmen-Bersama-Implementasi-Cilegon-Smart-City-2019-10-11.pdf"'
        in response["Content-Disposition"]
    )
    assert smart_city.scan.name.rsplit("/", 1)[-1] not in response["Content-Disposition"]

    smart_city.scan.name = "commitments/scans/scan_Xy12abc.pdf"
    assert _scan_filename(smart_city) == (
        "Komitmen-Bersama-Implementasi-Cilegon-Smart-City-2019-10-11.pdf"
    )
    smart_city.title = 'Ko/mit"men\\ ?é'
    assert _scan_filename(smart_city) == "Ko-mit-men-e-2019-10-11.pdf"


def test_csv_writes_text_that_looks_like_a_formula_as_text(login, smart_city):
    """Issue 11, point 8: a unit name or signer typed as "=..." gets a leading quote."""
    injected = '=HYPERLINK("http://example.com/x","klik")'
    Unit.objects.filter(government=smart_city.government, code="DKISS").update(name=injected)
    Signature.objects.filter(commitment=smart_city, unit__code="DKISS").update(
        official_name="@" + injected, official_rank="-1+2", official_position="\t+cmd"
    )
    response = login("bappeda").get(reverse("commitment-csv", args=[smart_city.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    dkiss = next(r for r in rows if injected in r[0])
    assert dkiss[0] == "'" + injected
    assert dkiss[3] == "'@" + injected
    assert dkiss[5] == "'-1+2" and dkiss[6] == "'\t+cmd"
    assert dkiss[4].replace(" ", "").isdigit()  # the NIP and other plain fields are untouched
    assert not any(field.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for field in r)


def test_bappeda_creates_a_draft_with_signatories_by_kind(login, cilegon):
    client = login("bappeda")
    response = client.post(
        reverse("commitment-create"),
        {
            "title": "Komitmen Satu Data",
            "theme": "Satu Data",
            "scheme": smart_city_scheme().pk,
            "date": "2021-03-01",
            "place": "Aula Bappeda",
            "legal_basis": "Perpres 39/2019",
            "points": "Menyediakan data\n\nMemperbarui data",
            "signatory_kinds": ["kecamatan", "asda"],
        },
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get(title="Komitmen Satu Data")
    assert commitment.state == "draft"
    assert commitment.government == cilegon
    assert commitment.points.count() == 2
    assert commitment.signatories.count() == 11


def test_a_commitment_without_points_is_refused_and_nothing_saved(login):
    client = login("bappeda")
    before = Commitment.objects.count()
    response = client.post(
        reverse("commitment-create"),
        {
            "title": "Tanpa butir",
            "theme": "Satu Data",
            "scheme": smart_city_scheme().pk,
            "date": "2021-03-01",
            "place": "Aula",
            "legal_basis": "-",
            "points": "  \n ",
        },
    )
    assert response.status_code == 200
    assert "points" in response.context["form"].errors
    assert response.context["form"]["title"].value() == "Tanpa butir"
    assert Commitment.objects.count() == before


def _grow_signatures(commitment, government, asda, count, actor):
    units = []
    for _ in range(count):
        unit = UnitFactory(government=government, coordinator=asda, kind=Unit.Kind.OPD)
        OfficialFactory(unit=unit, is_head=True, start_date=datetime.date(2019, 1, 2))
        units.append(unit)
    Commitment.objects.filter(pk=commitment.pk).update(state="draft")  # set-up: add signatories
    services.set_signatories(
        commitment,
        actor=actor,
        units=list(Unit.objects.filter(signatory_of__commitment=commitment)) + units,
    )
    Commitment.objects.filter(pk=commitment.pk).update(state="open")
    heads = services.heads_for_signing(commitment, datetime.date(2019, 10, 15))
    services.record_signing_event(
        commitment,
        actor=actor,
        signed_at=wib(2019, 10, 15),
        place="Aula",
        scan=upload(),
        signers=[(u, heads[u.pk]) for u in units],
    )


@pytest.mark.parametrize("username", ["bappeda", "asda1", "dkiss"])
def test_detail_page_queries_do_not_grow_with_signatures(
    login, smart_city, cilegon, unit, bappeda_user, username
):
    client = login(username)
    url = reverse("commitment-detail", args=[smart_city.pk])
    _grow_signatures(smart_city, cilegon, unit("ASDA1"), 10, bappeda_user)
    # Warm up: process-wide caches (content types) would otherwise count
    # against whichever size is measured first.
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow_signatures(smart_city, cilegon, unit("ASDA1"), 90, bappeda_user)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)


def test_list_and_event_form_queries_do_not_grow(login, smart_city, cilegon, unit, bappeda_user):
    client = login("bappeda")
    list_url = reverse("commitment-list")
    form_url = reverse("commitment-signing-event", args=[smart_city.pk])
    counts = []
    for n in (10, 90):
        _grow_signatures(smart_city, cilegon, unit("ASDA1"), n, bappeda_user)
        client.get(list_url)  # the same cache state for both counts: a repeat visit
        with CaptureQueriesContext(connection) as on_list:
            client.get(list_url)
        with CaptureQueriesContext(connection) as on_form:
            client.get(form_url)
        counts.append((len(on_list), len(on_form)))
    assert counts[0] == counts[1]


def test_home_shows_open_commitments_within_the_users_scope(login, smart_city, unit, bappeda_user):
    text = login("bappeda").get(reverse("home")).content.decode()
    assert "36 dari 39 telah menandatangani" in text
    assert "catat tanda tangan yang belum masuk" in text

    signature = Signature.objects.get(commitment=smart_city, unit=unit("DKISS"))
    services.revoke_signature(signature, actor=bappeda_user, reason="Berkas tertukar")
    text = login("dkiss").get(reverse("home")).content.decode()
    assert "0 dari 1 telah menandatangani" in text
    assert "unit kerja Anda belum menandatangani" in text


def test_a_draft_is_listed_and_opened_by_bappeda_only(login, cilegon, unit, django_user_model):
    draft = services.create_commitment(
        actor=django_user_model.objects.get(username="bappeda"),
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
    client = login("bappeda")
    assert draft in client.get(reverse("commitment-list")).context["object_list"]
    assert client.get(reverse("commitment-detail", args=[draft.pk])).status_code == 200
    for username in ("walikota", "asda1", "dkiss", "pengelola"):
        client = login(username)
        assert draft not in client.get(reverse("commitment-list")).context["object_list"]
        assert client.get(reverse("commitment-detail", args=[draft.pk])).status_code == 404
        assert client.get(reverse("commitment-csv", args=[draft.pk])).status_code == 404
