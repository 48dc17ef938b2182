"""Access follows the current facts (issue 11, point 1).

A unit member's access is derived from their profile and from the records'
units whenever a request builds its queries, so a change made by any path
(a service, or a plain save as the Django admin does) counts from the next
request. Each change made through a service is a history row with its actor
and reason. These tests failed while program access was copied onto each
member as per-user guardian grants.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from guardian.shortcuts import assign_perm

from programs.models import Program, ProgressEvidence, ProgressReport
from tracker import policy
from tracker import services as org_services
from tracker.models import Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.get(username="admin")


def _program(title):
    return Program.objects.get(commitment__government__region_code="36.72", title=title)


def _dkiss_urls():
    """A DKISS program, one of its reports and a piece of its evidence."""
    program = _program("Layanan Panggilan Darurat 112")
    report = ProgressReport.objects.filter(program=program).first()
    item = ProgressEvidence(report=report, sha256="0" * 64)
    item.file.save("bukti.pdf", ContentFile(b"%PDF-1.4 bukti"), save=True)
    return [
        reverse("program-detail", args=[program.pk]),
        reverse("report-detail", args=[report.pk]),
        reverse("report-evidence", args=[report.pk, item.pk]),
    ]


def _dinkes_url():
    return reverse(
        "program-detail", args=[_program("Gempita Beras Merah di UPT Puskesmas Citangkil").pk]
    )


def _statuses(client, urls):
    return [client.get(url).status_code for url in urls]


@pytest.mark.parametrize("how", ["service", "admin save"])
def test_a_moved_user_loses_the_old_units_records_on_the_next_request(
    how, login, unit, django_user_model, admin_user
):
    old_unit_urls, new_unit_url = _dkiss_urls(), _dinkes_url()
    client = login("dkiss")
    assert _statuses(client, old_unit_urls) == [200, 200, 200]
    assert client.get(new_unit_url).status_code == 404

    dkiss = django_user_model.objects.get(username="dkiss")
    if how == "service":
        org_services.move_user(dkiss, actor=admin_user, unit=unit("DINKES"), reason="Mutasi")
        last = Profile.objects.get(user=dkiss).history.order_by("-history_id").first()
        assert (last.history_user, last.history_change_reason) == (admin_user, "Mutasi")
    else:
        profile = Profile.objects.get(user=dkiss)
        profile.unit = unit("DINKES")
        profile.save()

    assert _statuses(client, old_unit_urls) == [404, 404, 404]
    assert client.get(new_unit_url).status_code == 200
    listed = client.get(reverse("program-list")).content.decode()
    assert "Gempita Beras Merah" in listed and "Layanan Panggilan Darurat 112" not in listed


@pytest.mark.parametrize("how", ["service", "admin save"])
def test_a_deactivated_unit_gives_its_members_nothing(how, login, unit, admin_user):
    urls = [*_dkiss_urls(), reverse("unit-detail", args=[unit("DKISS").pk])]
    client = login("dkiss")
    assert _statuses(client, urls) == [200, 200, 200, 200]
    dkiss_unit = unit("DKISS")
    if how == "service":
        org_services.set_unit_active(dkiss_unit, actor=admin_user, active=False, reason="Dilebur")
        last = dkiss_unit.history.order_by("-history_id").first()
        assert (last.history_user, last.history_change_reason) == (admin_user, "Dilebur")
    else:
        dkiss_unit.is_active = False
        dkiss_unit.save()
    assert _statuses(client, urls) == [404, 404, 404, 404]
    assert (
        "Layanan Panggilan Darurat 112" not in client.get(reverse("program-list")).content.decode()
    )
    # Bappeda, a role, still sees the unit's records.
    assert _statuses(login("bappeda"), urls) == [200, 200, 200, 200]


def test_role_and_active_flag_changes_count_on_the_next_request_and_are_history(
    login, django_user_model, admin_user
):
    dinkes_url = _dinkes_url()
    client = login("dkiss")
    assert client.get(dinkes_url).status_code == 404
    dkiss = django_user_model.objects.get(username="dkiss")
    org_services.set_user_roles(dkiss, actor=admin_user, groups=["Pimpinan"], reason="SK 12/2022")
    assert client.get(dinkes_url).status_code == 200  # Pimpinan sees the whole government
    org_services.set_user_roles(dkiss, actor=admin_user, groups=[], reason="SK 13/2022")
    assert client.get(dinkes_url).status_code == 404
    org_services.deactivate_user(dkiss, actor=admin_user, reason="Pensiun")
    assert client.get(_dkiss_urls()[0]).status_code == 302  # signed out: to the login page
    rows = Profile.objects.get(user=dkiss).history.order_by("history_id")
    reasons = [(r.history_user, r.history_change_reason) for r in rows][-3:]
    assert [user for user, _reason in reasons] == [admin_user] * 3
    assert "Pimpinan" in reasons[0][1] and "SK 12/2022" in reasons[0][1]
    assert "SK 13/2022" in reasons[1][1]
    assert "Pensiun" in reasons[2][1]


def test_a_unit_grant_is_given_and_withdrawn_through_the_service_with_history(
    login, unit, django_user_model, admin_user
):
    dinkes_url = _dinkes_url()
    dkiss = django_user_model.objects.get(username="dkiss")
    client = login("dkiss")
    org_services.grant_unit_access(unit("DINKES"), actor=admin_user, to=dkiss, reason="Audit")
    assert client.get(dinkes_url).status_code == 200
    org_services.revoke_unit_access(unit("DINKES"), actor=admin_user, to=dkiss, reason="Selesai")
    assert client.get(dinkes_url).status_code == 404
    reasons = [
        (r.history_user, r.history_change_reason)
        for r in unit("DINKES").history.order_by("-history_id")[:2]
    ]
    assert [user for user, _reason in reasons] == [admin_user, admin_user]
    assert "Selesai" in reasons[0][1] and "Audit" in reasons[1][1]


def test_stored_per_user_program_grants_open_nothing(login, django_user_model):
    """Rows left by the old per-member grants must not keep anyone in."""
    program = _program("Layanan Panggilan Darurat 112")
    dinkes = django_user_model.objects.get(username="dinkes")
    assign_perm("programs.view_program", dinkes, program)
    assign_perm("programs.change_program", dinkes, program)
    assert login("dinkes").get(reverse("program-detail", args=[program.pk])).status_code == 404
    assert not policy.can_change(dinkes, ProgressReport(program=program))
    assert program.pk not in policy.changeable_ids(dinkes, [program])
