"""Starting a new government: ``manage.py create_government`` and the superuser's page,
both through ``tracker.services.start_government``."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tracker.models import Government, Profile

User = get_user_model()
LINK = re.compile(r"(https?://\S+)(/akun/atur-kata-sandi/[^\s/]+/[^\s/]+/)")
NEW_PASSWORD = "Tangsel-Monev-2024!"

ARGS = [
    "--code",
    "36.74",
    "--name",
    "Pemerintah Kota Tangerang Selatan",
    "--kind",
    "kota",
    "--place",
    "Tangerang Selatan",
    "--admin-username",
    "pengelola.tangsel",
    "--admin-email",
    "pengelola@tangerangselatankota.go.id",
    "--admin-name",
    "Dewi Lestari, S.T.",
]


def _run(*args):
    out = io.StringIO()
    call_command("create_government", *args, stdout=out)
    return out.getvalue()


def _counts():
    return (Government.objects.count(), User.objects.count(), Profile.objects.count())


def test_the_command_starts_a_government_with_its_first_administrator(db, settings):
    settings.SITE_URL = "https://monev.example.go.id"
    Group.objects.filter(name="Pimpinan").delete()  # made again if missing
    output = _run(*ARGS)

    government = Government.objects.get(region_code="36.74")
    assert government.name == "Pemerintah Kota Tangerang Selatan"
    assert government.kind == "kota" and government.place_name == "Tangerang Selatan"
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Administrator",
        "Bappeda",
        "Pimpinan",
    }
    admin = User.objects.get(username="pengelola.tangsel")
    assert admin.profile.government == government and admin.profile.unit is None
    assert list(admin.groups.values_list("name", flat=True)) == ["Administrator"]
    assert not admin.is_superuser and not admin.is_staff and not admin.has_usable_password()
    assert admin.get_full_name() == "Dewi Lestari, S.T."

    # The link is printed (the console may be the email backend) and emailed.
    printed = LINK.search(output)
    assert printed and printed.group(1) == "https://monev.example.go.id"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pengelola@tangerangselatankota.go.id"]
    assert printed.group(2) in mail.outbox[0].body
    assert "pengelola.tangsel" in output

    # The link works: the Administrator sets a password and signs in.
    person = Client()
    landing = person.get(printed.group(2))
    done = person.post(
        landing["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == reverse("password_reset_complete")
    response = person.post(
        reverse("login"),
        {"username": "pengelola.tangsel", "password": NEW_PASSWORD},
        REMOTE_ADDR="192.0.2.60",
    )
    assert response.status_code == 302
    # An Administrator sets up two-factor sign-in before anything else.
    assert person.get(reverse("home"))["Location"].startswith(reverse("two-factor-setup"))

    history = government.history.get()
    assert history.history_user is None and "create_government" in history.history_change_reason


def test_an_existing_code_is_refused_and_nothing_is_created(db):
    before = _counts()
    args = list(ARGS)
    args[1] = "36.73"  # Kota Serang exists
    with pytest.raises(CommandError) as error:
        _run(*args)
    assert "36.73" in str(error.value) and "Pemerintah Kota Serang" in str(error.value)
    assert _counts() == before
    assert not User.objects.filter(username="pengelola.tangsel").exists()
    assert mail.outbox == []


def test_a_taken_user_name_leaves_no_government_behind(db):
    before = _counts()
    args = list(ARGS)
    args[args.index("pengelola.tangsel")] = "pengelola"  # Cilegon's Administrator
    with pytest.raises(CommandError) as error:
        _run(*args)
    assert "username" in str(error.value)
    assert _counts() == before
    assert not Government.objects.filter(region_code="36.74").exists()
    assert mail.outbox == []


def test_a_malformed_code_is_refused(db):
    args = list(ARGS)
    args[1] = "Kota 36"
    with pytest.raises(CommandError):
        _run(*args)
    assert not Government.objects.filter(name="Pemerintah Kota Tangerang Selatan").exists()


def _form(**changes):
    data = {
        "region_code": "36.74",
        "name": "Pemerintah Kota Tangerang Selatan",
        "kind": "kota",
        "place_name": "Tangerang Selatan",
        "admin_full_name": "Dewi Lestari, S.T.",
        "admin_username": "pengelola.tangsel",
        "admin_email": "pengelola@tangerangselatankota.go.id",
        "reason": "Perjanjian kerja sama 2024",
    }
    data.update(changes)
    return data


def test_the_superuser_starts_a_government_on_its_page(login):
    client = login("admin")
    client.cookies.load({"django_language": "en"})
    assert reverse("government-create") in client.get(reverse("user-list")).content.decode()
    response = client.post(reverse("government-create"), _form(), follow=True)
    admin = User.objects.get(username="pengelola.tangsel")
    assert response.redirect_chain[-1][0] == reverse("user-detail", args=[admin.pk])
    page = response.content.decode()
    assert "Pemerintah Kota Tangerang Selatan was started" in page
    assert "sent to pengelola@tangerangselatankota.go.id" in page
    assert admin.profile.government.region_code == "36.74"
    assert len(mail.outbox) == 1 and LINK.search(mail.outbox[0].body)
    record = admin.profile.history.get()
    assert record.history_user.username == "admin"
    assert "Perjanjian kerja sama 2024" in record.history_change_reason


def test_the_page_refuses_an_existing_code_keeping_what_was_typed(login):
    client = login("admin")
    client.cookies.load({"django_language": "en"})
    before = _counts()
    response = client.post(reverse("government-create"), _form(region_code="36.72"))
    assert response.status_code == 200
    assert "exists already: Pemerintah Kota Cilegon" in " ".join(
        response.context["form"].errors["region_code"]
    )
    assert 'value="pengelola.tangsel"' in response.content.decode()
    assert _counts() == before

    response = client.post(reverse("government-create"), _form(admin_username="serang"))
    assert "admin_username" in response.context["form"].errors
    assert _counts() == before


def test_only_a_superuser_starts_a_government(login):
    for username in ("pengelola", "bappeda"):
        client = login(username)
        assert client.get(reverse("government-create")).status_code == 403
        assert client.post(reverse("government-create"), _form()).status_code == 403
    assert not Government.objects.filter(region_code="36.74").exists()
