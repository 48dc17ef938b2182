"""The signing form: the searchable signatory list, "tick all", and the scan kept across errors."""

import datetime
import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from commitments import pending_scans
from commitments.models import PendingScan, SigningEvent
from tests.commitments.conftest import PDF, upload
from tracker.models import Official

pytestmark = pytest.mark.django_db

OUTSTANDING = ["BAG-PBJ", "DISPORAPAR", "KEC-PULOMERAK"]


def _url(commitment):
    return reverse("commitment-signing-event", args=[commitment.pk])


def _post(client, commitment, units, *, date="2019-10-14", scan=None, **extra):
    data = {"signed_date": date, "signed_time": "10:00", "place": "Aula Bappeda", "method": "wet"}
    if scan is not None:
        data["scan"] = scan
    data["signers"] = [unit.pk for unit in units]
    for unit in units:
        head = Official.objects.in_office(datetime.date(2019, 10, 14)).get(unit=unit, is_head=True)
        data[f"official_{unit.pk}"] = head.pk
    data.update(extra)
    return client.post(_url(commitment), data)


def test_the_signatories_are_a_searchable_list_of_those_outstanding(login, smart_city, unit):
    page = login("bappeda").get(_url(smart_city))
    form = page.context["form"]
    assert sorted(value for value, _label in form.fields["signers"].choices) == sorted(
        unit(code).pk for code in OUTSTANDING
    )
    html = page.content.decode()
    assert 'name="signers"' in html and "data-searchable" in html
    assert 'value="tick-all"' in html  # works without JavaScript too


def test_a_scan_chosen_before_an_error_is_kept_and_attached_when_the_form_saves(
    login, smart_city, unit
):
    client = login("bappeda")
    pbj = unit("BAG-PBJ")
    events = SigningEvent.objects.count()
    response = _post(client, smart_city, [pbj], date="", scan=upload("lembar-ttd.pdf"))
    assert response.status_code == 200
    assert "signed_date" in response.context["form"].errors
    assert SigningEvent.objects.count() == events
    html = response.content.decode()
    assert 'id="kept-scan"' in html and "lembar-ttd.pdf" in html
    assert 'value="remove-scan"' in html
    # The next attempt sends no file: the kept one is used.
    response = _post(client, smart_city, [pbj])
    assert response.status_code == 302
    event = SigningEvent.objects.latest("recorded_at")
    assert event.scan_sha256 == hashlib.sha256(PDF).hexdigest()
    assert event.signatures.get().unit == pbj
    assert not PendingScan.objects.exists()


def test_the_remove_button_forgets_the_scan_and_keeps_what_was_typed(login, smart_city, unit):
    client = login("bappeda")
    pbj = unit("BAG-PBJ")
    _post(client, smart_city, [pbj], date="", scan=upload())
    kept = PendingScan.objects.get()
    response = _post(
        client, smart_city, [pbj], date="", action="remove-scan", kept_scan=str(kept.pk)
    )
    assert response.status_code == 200
    assert not PendingScan.objects.exists()
    form = response.context["form"]
    assert not form.is_bound  # no error shown for what is not finished yet
    assert form["place"].value() == "Aula Bappeda"
    assert form["signers"].value() == [str(pbj.pk)]
    assert 'id="kept-scan"' not in response.content.decode()
    # Without a scan the form now asks for one.
    response = _post(client, smart_city, [pbj])
    assert "scan" in response.context["form"].errors


def test_tick_all_without_javascript_chooses_every_outstanding_signatory(login, smart_city, unit):
    client = login("bappeda")
    events = SigningEvent.objects.count()
    response = _post(client, smart_city, [], scan=upload(), action="tick-all")
    assert response.status_code == 200
    form = response.context["form"]
    assert sorted(form["signers"].value()) == sorted(unit(code).pk for code in OUTSTANDING)
    # The heads in office are offered for each; the scan chosen meanwhile is kept.
    for code in OUTSTANDING:
        head = Official.objects.in_office(datetime.date(2019, 10, 14)).get(
            unit=unit(code), is_head=True
        )
        assert form[f"official_{unit(code).pk}"].value() == head.pk
    assert SigningEvent.objects.count() == events
    assert PendingScan.objects.get().commitment == smart_city


def test_another_clerk_neither_sees_nor_removes_the_kept_scan(login, smart_city, unit):
    bappeda = get_user_model().objects.get(username="bappeda")
    kept = pending_scans.keep_scan(smart_city, actor=bappeda, upload=upload("rahasia.pdf"))
    client = login("admin")
    page = client.get(_url(smart_city))
    assert "rahasia.pdf" not in page.content.decode()
    assert page.context["form"].kept_scan is None
    response = _post(
        client, smart_city, [unit("BAG-PBJ")], action="remove-scan", kept_scan=str(kept.pk)
    )
    assert response.status_code == 200
    assert PendingScan.objects.filter(pk=kept.pk).exists()
    # Saving without a file of their own does not take it either.
    response = _post(client, smart_city, [unit("BAG-PBJ")])
    assert "scan" in response.context["form"].errors
    assert PendingScan.objects.filter(pk=kept.pk).exists()


def test_a_bad_new_file_is_refused_and_the_kept_scan_stays(login, smart_city, unit):
    client = login("bappeda")
    pbj = unit("BAG-PBJ")
    _post(client, smart_city, [pbj], date="", scan=upload("ttd.pdf"))
    kept = PendingScan.objects.get()
    response = _post(client, smart_city, [pbj], scan=upload("ttd.png", PDF))
    assert response.status_code == 200
    assert "scan" in response.context["form"].errors
    assert PendingScan.objects.get() == kept


@pytest.mark.parametrize("username", ["serang", "dkiss"])
def test_others_cannot_keep_a_scan_through_the_form(login, smart_city, unit, username):
    response = _post(login(username), smart_city, [unit("BAG-PBJ")], date="", scan=upload())
    assert response.status_code in (403, 404)
    assert not PendingScan.objects.exists()


def test_the_commitment_forms_signatories_are_searchable(login):
    html = login("bappeda").get(reverse("commitment-create")).content.decode()
    assert 'name="signatory_units"' in html
    assert html.count("data-searchable") == 1


def test_the_program_forms_units_and_indicators_are_searchable(login):
    html = login("bappeda").get(reverse("program-create")).content.decode()
    for name in ("supporting_units", "indicators"):
        tag = html[html.index(f'name="{name}"') - 200 : html.index(f'name="{name}"') + 300]
        assert "data-searchable" in tag and "multiple" in tag, name
