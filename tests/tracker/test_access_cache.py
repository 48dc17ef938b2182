"""Who a user is (their actor) is cached under the data version, and whether they use a
code device is read with it: one query a request, and a change shows at the next request,
also when another process made it (no signal of it reached this one)."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from programs.models import Program
from tracker import policy
from tracker import services as org_services
from tracker.models import DataVersion, Profile


def test_a_repeat_request_reads_access_in_one_query(login):
    """The government, its data version and the code device: one query; the profile's
    unit and the roles come from the cache (the actor, under that version)."""
    client = login("dkiss")
    client.get(reverse("my-tasks"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("my-tasks"))
    access = [q["sql"] for q in queries.captured_queries if "tracker_dataversion" in q["sql"]]
    assert len(access) == 1
    assert "tracker_profile" in access[0] and "otp_totp_totpdevice" in access[0]
    others = " ".join(q["sql"] for q in queries.captured_queries if q["sql"] != access[0])
    assert "tracker_profile" not in others and "auth_user_groups" not in others
    assert "otp_totp_totpdevice" not in others


def _as_if_another_process_committed(government_id):
    """What another process's commit leaves behind: its rows and its version bump, and no
    signal, no cache deletion in this process."""
    DataVersion.objects.filter(scope=government_id).update(version=F("version") + 1)


def test_a_move_by_another_process_shows_at_the_next_request(login, unit, cilegon):
    client = login("dkiss")
    dkiss_program = Program.objects.filter(owner_unit=unit("DKISS")).first()
    detail = reverse("program-detail", args=[dkiss_program.pk])
    assert client.get(detail).status_code == 200  # the actor is cached now
    Profile.objects.filter(user__username="dkiss").update(unit=unit("DINKES"))
    _as_if_another_process_committed(cilegon.pk)
    assert client.get(detail).status_code == 404


def test_a_device_added_by_another_process_asks_for_a_code_at_the_next_request(login):
    client = login("dinkes")
    assert client.get(reverse("my-tasks")).status_code == 200
    # bulk_create: no post_save signal, as when another process adds the device.
    TOTPDevice.objects.bulk_create(
        [
            TOTPDevice(
                user=get_user_model().objects.get(username="dinkes"), name="hp", confirmed=True
            )
        ]
    )
    response = client.get(reverse("my-tasks"))
    assert response.status_code == 302 and reverse("two-factor-verify") in response["Location"]


def test_a_move_shows_at_the_next_request(login, unit, django_capture_on_commit_callbacks):
    client = login("dkiss")
    dkiss_program = Program.objects.filter(owner_unit=unit("DKISS")).first()
    dinkes_program = Program.objects.filter(owner_unit=unit("DINKES")).first()
    detail = reverse("program-detail", args=[dkiss_program.pk])
    assert client.get(detail).status_code == 200  # the actor is cached now
    admin = get_user_model().objects.get(username="admin")
    with django_capture_on_commit_callbacks(execute=True):  # the move commits
        org_services.move_user(
            get_user_model().objects.get(username="dkiss"),
            actor=admin,
            unit=unit("DINKES"),
            reason="mutasi",
        )
    assert client.get(detail).status_code == 404
    assert client.get(reverse("program-detail", args=[dinkes_program.pk])).status_code == 200


def test_a_role_change_shows_at_the_next_request(login, django_capture_on_commit_callbacks):
    client = login("walikota")
    assert client.get(reverse("verification-queue")).status_code == 403
    admin = get_user_model().objects.get(username="admin")
    with django_capture_on_commit_callbacks(execute=True):
        org_services.set_user_roles(
            get_user_model().objects.get(username="walikota"),
            actor=admin,
            groups=["Bappeda"],
            reason="penugasan",
        )
    assert client.get(reverse("verification-queue")).status_code == 200


def test_the_government_of_a_user_is_read_again_at_the_next_request(cilegon, serang):
    user = get_user_model().objects.get(username="dkiss")
    assert policy.government_of(user) == cilegon.pk
    # (no service moves a user between governments; no signal either)
    Profile.objects.filter(user=user).update(government=serang)
    assert policy.government_of(user) == cilegon.pk  # read once per request (user object)
    assert policy.government_of(get_user_model().objects.get(pk=user.pk)) == serang.pk


def test_turning_on_a_device_asks_for_a_code_at_the_next_request(login):
    client = login("dinkes")
    assert client.get(reverse("my-tasks")).status_code == 200  # "no device" is cached now
    TOTPDevice.objects.create(
        user=get_user_model().objects.get(username="dinkes"), name="hp", confirmed=True
    )
    response = client.get(reverse("my-tasks"))
    assert response.status_code == 302 and reverse("two-factor-verify") in response["Location"]
