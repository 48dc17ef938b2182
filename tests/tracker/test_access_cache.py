"""Who a user is (their actor) and whether they use a code device are cached per request
chain, and a change through the services shows at the next request, as before."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from programs.models import Program
from tracker import policy
from tracker import services as org_services


def test_a_repeat_request_reads_no_profile_or_roles(login):
    client = login("dkiss")
    client.get(reverse("my-tasks"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("my-tasks"))
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "tracker_profile" not in sql and "auth_user_groups" not in sql
    assert "otp_totp_totpdevice" not in sql


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


def test_the_government_of_a_user_is_read_again_when_the_profile_changes(cilegon, serang):
    user = get_user_model().objects.get(username="dkiss")
    assert policy.government_of(user) == cilegon.pk
    profile = user.profile
    profile.government = serang  # (no service moves a user between governments)
    profile.save()
    assert policy.government_of(user) == serang.pk


def test_turning_on_a_device_asks_for_a_code_at_the_next_request(login):
    client = login("dinkes")
    assert client.get(reverse("my-tasks")).status_code == 200  # "no device" is cached now
    TOTPDevice.objects.create(
        user=get_user_model().objects.get(username="dinkes"), name="hp", confirmed=True
    )
    response = client.get(reverse("my-tasks"))
    assert response.status_code == 302 and reverse("two-factor-verify") in response["Location"]
