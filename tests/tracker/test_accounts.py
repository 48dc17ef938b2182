"""Accounts: the Administrator invites people (an email with a link to set their own
password), changes role, unit and email with a reason, deactivates; nobody gets more
than their own government. Everyone's own password and email, and "forgot password"."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import DEMO_PASSWORD
from tracker import accounts, services
from tracker.models import Profile, Unit

User = get_user_model()
ENGLISH = {"django_language": "en"}
LINK = re.compile(r"https?://[^\s/]+(/akun/atur-kata-sandi/[^\s/]+/[^\s/]+/)")
NEW_PASSWORD = "Monev-Cilegon-2024!"


def _invite_data(unit=None, **values):
    data = {
        "username": "rina.dkiss",
        "full_name": "Rina Wati, S.Kom.",
        "email": "rina@cilegonkota.go.id",
        "role": accounts.UNIT_MEMBER,
        "unit": unit.pk if unit else "",
        "reason": "",
    }
    data.update(values)
    return data


def _link_in(message):
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def _set_password(path, password=NEW_PASSWORD):
    """Follow an emailed link as the anonymous person, and set ``password``."""
    person = Client()
    landing = person.get(path)
    assert landing.status_code == 302  # Django swaps the token for a session key
    form_page = person.get(landing["Location"])
    assert form_page.context["validlink"]
    done = person.post(landing["Location"], {"new_password1": password, "new_password2": password})
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    return person


def _log_in(username, password, ip="192.0.2.50"):
    person = Client()
    response = person.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )
    return person, response


def _latest(profile):
    return profile.history.order_by("-history_date", "-history_id").first()


# --- Inviting ------------------------------------------------------------------------------


def test_an_invited_unit_member_sets_a_password_through_the_emailed_link(login, unit, cilegon):
    client = login("pengelola")
    client.cookies.load(ENGLISH)
    response = client.post(reverse("user-create"), _invite_data(unit("DKISS")), follow=True)
    invited = User.objects.get(username="rina.dkiss")
    assert response.redirect_chain[-1][0] == reverse("user-detail", args=[invited.pk])
    page = response.content.decode()
    assert "The invitation to set a password was sent to rina@cilegonkota.go.id" in page
    assert reverse("user-invite-resend", args=[invited.pk]) in page
    assert "Send the invitation again" in page

    assert not invited.has_usable_password()
    assert not invited.is_superuser and not invited.is_staff
    assert invited.get_full_name() == "Rina Wati, S.Kom."
    assert invited.profile.government == cilegon and invited.profile.unit == unit("DKISS")
    assert not invited.groups.exists()
    record = _latest(invited.profile)
    assert record.history_type == "+" and record.history_user.username == "pengelola"
    assert "rina@cilegonkota.go.id" in record.history_change_reason

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rina@cilegonkota.go.id"]
    assert "rina.dkiss" in message.body
    path = _link_in(message)
    assert message.body.count("http://testserver/akun/atur-kata-sandi/") == 1

    _set_password(path)
    invited.refresh_from_db()
    assert invited.has_usable_password()
    person, response = _log_in("rina.dkiss", NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = person.get(reverse("home"))
    assert home.status_code == 200 and home.context["role"] == "unit_operator"
    # The link works once.
    assert not Client().get(path, follow=True).context["validlink"]


def test_the_invitation_is_sent_again_until_a_password_is_set(login, unit):
    client = login("pengelola")
    client.cookies.load(ENGLISH)
    client.post(reverse("user-create"), _invite_data(unit("DKISS")))
    invited = User.objects.get(username="rina.dkiss")
    response = client.post(reverse("user-invite-resend", args=[invited.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert _latest(invited.profile).history_user.username == "pengelola"
    assert "Invitation sent again" in _latest(invited.profile).history_change_reason

    _set_password(_link_in(mail.outbox[1]))
    response = client.post(reverse("user-invite-resend", args=[invited.pk]), follow=True)
    assert "has set a password already" in response.content.decode()
    assert len(mail.outbox) == 2


def test_the_email_is_required_and_belongs_to_one_account(login, unit, django_user_model):
    client = login("pengelola")
    response = client.post(reverse("user-create"), _invite_data(unit("DKISS"), email=""))
    assert response.status_code == 200 and "email" in response.context["form"].errors
    services.create_user(actor=None, username="lama", password=None, email="rina@cilegonkota.go.id")
    response = client.post(reverse("user-create"), _invite_data(unit("DKISS")))
    assert "email" in response.context["form"].errors
    assert not django_user_model.objects.filter(username="rina.dkiss").exists()
    assert mail.outbox == []


def test_a_unit_member_needs_a_unit(login):
    response = login("pengelola").post(reverse("user-create"), _invite_data())
    assert "unit" in response.context["form"].errors
    assert not User.objects.filter(username="rina.dkiss").exists()


def test_the_superuser_invites_the_first_bappeda_member_of_serang(login, serang):
    client = login("admin")
    choose = client.get(reverse("user-create"))
    assert "tracker/choose_government.html" in [t.name for t in choose.templates]
    units = client.get(reverse("user-create"), {"government": serang.pk}).context["form"]
    assert {u.government_id for u in units.fields["unit"].queryset} == {serang.pk}
    response = client.post(
        reverse("user-create"),
        _invite_data(
            Unit.objects.get(government=serang, code="BAPPEDA"),
            username="bappeda.serang",
            email="bappeda@serangkota.go.id",
            role="Bappeda",
            government=serang.pk,
        ),
    )
    assert response.status_code == 302
    invited = User.objects.get(username="bappeda.serang")
    assert invited.profile.government == serang
    assert list(invited.groups.values_list("name", flat=True)) == ["Bappeda"]


# --- Nobody gets more than their own government --------------------------------------------


def test_the_administrator_cannot_make_a_superuser_or_staff_member(login, unit):
    login("pengelola").post(
        reverse("user-create"),
        _invite_data(unit("DKISS"), is_superuser="on", is_staff="on", password="rahasia123"),
    )
    invited = User.objects.get(username="rina.dkiss")
    assert not invited.is_superuser and not invited.is_staff
    assert not invited.has_usable_password()


def test_a_unit_or_government_of_another_government_is_refused(login, serang):
    serang_unit = Unit.objects.get(government=serang, code="BAPPEDA")
    client = login("pengelola")
    response = client.post(reverse("user-create"), _invite_data(serang_unit))
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert client.get(reverse("user-create"), {"government": serang.pk}).status_code == 404
    response = client.post(reverse("user-create"), _invite_data(serang_unit, government=serang.pk))
    assert response.status_code == 404
    assert not User.objects.filter(username="rina.dkiss").exists()
    # The service refuses too, whatever a page would do.
    pengelola = User.objects.get(username="pengelola")
    with pytest.raises(PermissionDenied):
        accounts.invite_user(
            actor=pengelola,
            government=serang,
            username="x",
            full_name="X",
            email="x@example.com",
            unit=None,
            role="Bappeda",
            is_unit_head=False,
            reason="",
            request_or_site_url="http://testserver",
        )
    with pytest.raises(ValidationError):
        accounts.invite_user(
            actor=pengelola,
            government=Profile.objects.get(user=pengelola).government,
            username="x",
            full_name="X",
            email="x@example.com",
            unit=serang_unit,
            role=accounts.UNIT_MEMBER,
            is_unit_head=False,
            reason="",
            request_or_site_url="http://testserver",
        )


def test_serang_and_superuser_accounts_are_out_of_the_administrator_s_reach(login, cilegon):
    # A superuser with a profile in Cilegon is still not the Administrator's to manage.
    services.create_user(
        actor=None, username="root.cilegon", password=None, government=cilegon, is_superuser=True
    )
    client = login("pengelola")
    listed = {u.username for u in client.get(reverse("user-list")).context["object_list"]}
    assert {"pengelola", "bappeda", "dkiss"} <= listed
    assert not listed & {"serang", "admin", "nobody", "root.cilegon"}
    for username in ("serang", "admin", "root.cilegon"):
        pk = User.objects.get(username=username).pk
        for name in ("user-detail", "user-edit", "user-deactivate"):
            assert client.get(reverse(name, args=[pk])).status_code == 404, (name, username)
        assert client.post(reverse("user-invite-resend", args=[pk])).status_code == 404
    serang = User.objects.get(username="serang")
    pengelola = User.objects.get(username="pengelola")
    with pytest.raises(PermissionDenied):
        accounts.set_account_active(serang, actor=pengelola, active=False, reason="Uji")
    serang.refresh_from_db()
    assert serang.is_active


def test_other_roles_manage_no_accounts(login):
    dkiss = User.objects.get(username="dkiss")
    for username in ("bappeda", "walikota", "dkiss", "serang"):
        client = login(username)
        assert client.get(reverse("user-list")).status_code == 403
        assert client.get(reverse("user-create")).status_code == 403
        assert client.get(reverse("user-detail", args=[dkiss.pk])).status_code == 404
        nav = [label for _url, label in client.get(reverse("home")).context["nav_items"]]
        assert reverse("user-list") not in client.get(reverse("home")).content.decode(), nav
    home = login("pengelola").get(reverse("home")).content.decode()
    assert reverse("user-list") in home


def test_the_administrator_neither_deactivates_themselves_nor_drops_their_own_role(login):
    me = User.objects.get(username="pengelola")
    client = login("pengelola")
    client.cookies.load(ENGLISH)
    response = client.post(reverse("user-deactivate", args=[me.pk]), {"reason": "x"}, follow=True)
    assert "ask another Administrator" in response.content.decode()
    me.refresh_from_db()
    assert me.is_active
    with pytest.raises(ValidationError):
        services.set_user_active(me, actor=me, active=False, reason="x")

    response = client.post(
        reverse("user-edit", args=[me.pk]),
        {
            "full_name": me.get_full_name(),
            "email": "pengelola@cilegonkota.go.id",
            "role": "Bappeda",
            "reason": "Pindah tugas",
        },
    )
    assert response.status_code == 200
    assert "ask another Administrator" in " ".join(response.context["form"].non_field_errors())
    me.refresh_from_db()
    assert list(me.groups.values_list("name", flat=True)) == ["Administrator"]
    assert me.email == ""  # nothing of the refused change was saved


def test_role_and_unit_change_with_a_reason_and_count_at_the_next_request(login, unit):
    dinkes_user = User.objects.get(username="dinkes")
    client = login("pengelola")
    response = client.post(
        reverse("user-edit", args=[dinkes_user.pk]),
        {
            "full_name": "dr. Kepala Dinkes",
            "email": "kadinkes@cilegonkota.go.id",
            "role": accounts.UNIT_MEMBER,
            "unit": unit("DKISS").pk,
            "reason": "Mutasi SK 821/45",
        },
    )
    assert response.status_code == 302
    dinkes_user.refresh_from_db()
    profile = dinkes_user.profile
    assert profile.unit == unit("DKISS") and not profile.is_unit_head
    assert dinkes_user.email == "kadinkes@cilegonkota.go.id"
    reasons = [r.history_change_reason for r in profile.history.order_by("-history_id")[:2]]
    assert all("Mutasi SK 821/45" in reason for reason in reasons)
    assert any("kadinkes@cilegonkota.go.id" in reason for reason in reasons)
    moved = login("dinkes")
    assert moved.get(reverse("unit-detail", args=[unit("DINKES").pk])).status_code == 404
    assert moved.get(reverse("unit-detail", args=[unit("DKISS").pk])).status_code == 200

    client = login("pengelola")
    client.post(
        reverse("user-edit", args=[dinkes_user.pk]),
        {
            "full_name": "dr. Kepala Dinkes",
            "email": "kadinkes@cilegonkota.go.id",
            "role": "Bappeda",
            "unit": "",
            "reason": "SK 12/2024",
        },
    )
    assert list(dinkes_user.groups.values_list("name", flat=True)) == ["Bappeda"]
    assert "SK 12/2024" in _latest(Profile.objects.get(user=dinkes_user)).history_change_reason

    # The history page shows it to the Administrator, to nobody else.
    history = reverse("history", args=["tracker", "profile", profile.pk])
    page = login("pengelola").get(history)
    assert page.status_code == 200 and "SK 12/2024" in page.content.decode()
    assert login("bappeda").get(history).status_code == 404


def test_an_account_is_deactivated_and_reactivated_with_a_reason(login):
    dinkes_user = User.objects.get(username="dinkes")
    client = login("pengelola")
    page = client.get(reverse("user-deactivate", args=[dinkes_user.pk])).content.decode()
    assert "data-confirm=" in page
    refused = client.post(reverse("user-deactivate", args=[dinkes_user.pk]), {"reason": " "})
    assert "reason" in refused.context["form"].errors
    client.post(reverse("user-deactivate", args=[dinkes_user.pk]), {"reason": "Pensiun"})
    dinkes_user.refresh_from_db()
    assert not dinkes_user.is_active
    record = _latest(dinkes_user.profile)
    assert record.history_user.username == "pengelola" and "Pensiun" in record.history_change_reason
    assert _log_in("dinkes", DEMO_PASSWORD)[1].status_code == 200  # the form again

    client.post(reverse("user-reactivate", args=[dinkes_user.pk]), {"reason": "Kembali"})
    dinkes_user.refresh_from_db()
    assert dinkes_user.is_active
    assert _log_in("dinkes", DEMO_PASSWORD, ip="192.0.2.51")[1].status_code == 302


# --- The list ------------------------------------------------------------------------------


def _usernames(response):
    return {u.username for u in response.context["object_list"]}


def test_the_list_filters_by_unit_role_and_status(login, unit):
    client = login("pengelola")
    client.post(reverse("user-create"), _invite_data(unit("DKISS")))
    services.set_user_active(
        User.objects.get(username="camat.cibeber"), actor=None, active=False, reason="Uji"
    )
    url = reverse("user-list")
    assert _usernames(client.get(url, {"unit": unit("DKISS").pk})) == {"dkiss", "rina.dkiss"}
    assert _usernames(client.get(url, {"role": "Bappeda"})) == {"bappeda", "monev.adpem"}
    assert _usernames(client.get(url, {"role": "Pimpinan"})) == {"walikota", "asda1"}
    assert _usernames(client.get(url, {"role": accounts.UNIT_MEMBER})) == {
        "dkiss",
        "dinkes",
        "camat.cibeber",
        "rina.dkiss",
    }
    assert _usernames(client.get(url, {"status": "invited"})) == {"rina.dkiss"}
    assert _usernames(client.get(url, {"status": "inactive"})) == {"camat.cibeber"}
    assert "camat.cibeber" not in _usernames(client.get(url, {"status": "active"}))
    assert _usernames(client.get(url, {"q": "rina"})) == {"rina.dkiss"}
    # Another government's unit is no choice: the filter is ignored, with a note.
    serang_unit = Unit.objects.get(government__region_code="36.73", code="BAPPEDA")
    response = client.get(url, {"unit": serang_unit.pk})
    assert response.context["filter"].errors and "serang" not in _usernames(response)


def _add_accounts(government, dkiss, count, start):
    for number in range(start, start + count):
        user = services.create_user(
            actor=None,
            username=f"operator{number}",
            password=None,
            government=government,
            unit=dkiss,
            full_name=f"Operator {number}",
            groups=["Pimpinan"] if number % 2 else [],
        )
        assert user.pk


@pytest.mark.parametrize("username", ["pengelola", "admin"])
def test_the_list_s_queries_do_not_grow_with_accounts(
    login, cilegon, unit, username, django_assert_max_num_queries
):
    client = login(username)
    url = reverse("user-list")
    _add_accounts(cilegon, unit("DKISS"), 10, 0)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _add_accounts(cilegon, unit("DKISS"), 40, 10)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
    assert len(response.context["object_list"]) == 25


# --- One's own account ---------------------------------------------------------------------


def test_everyone_changes_their_own_password(login):
    client = login("dkiss")
    account = client.get(reverse("account")).content.decode()
    assert reverse("password_change") in account and reverse("account-email") in account
    wrong = client.post(
        reverse("password_change"),
        {"old_password": "salah", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200 and "old_password" in wrong.context["form"].errors
    right = client.post(
        reverse("password_change"),
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert right.status_code == 302 and right["Location"] == reverse("account")
    assert client.get(reverse("account")).status_code == 200  # still signed in
    assert _log_in("dkiss", NEW_PASSWORD)[1].status_code == 302
    assert _log_in("dkiss", DEMO_PASSWORD, ip="192.0.2.52")[1].status_code == 200


def test_everyone_changes_their_own_email_with_the_current_password(login):
    client = login("dkiss")
    client.cookies.load(ENGLISH)
    wrong = client.post(
        reverse("account-email"), {"email": "dkiss@cilegonkota.go.id", "current_password": "x"}
    )
    assert "current_password" in wrong.context["form"].errors
    assert 'value="dkiss@cilegonkota.go.id"' in wrong.content.decode()
    user = User.objects.get(username="dkiss")
    assert user.email == ""
    right = client.post(
        reverse("account-email"),
        {"email": "dkiss@cilegonkota.go.id", "current_password": DEMO_PASSWORD},
    )
    assert right.status_code == 302
    user.refresh_from_db()
    assert user.email == "dkiss@cilegonkota.go.id"
    record = _latest(user.profile)
    assert record.history_user == user and "dkiss@cilegonkota.go.id" in record.history_change_reason
    # An address another account uses is refused.
    services.create_user(actor=None, username="lain", password=None, email="lain@example.com")
    taken = client.post(
        reverse("account-email"), {"email": "LAIN@example.com", "current_password": DEMO_PASSWORD}
    )
    assert "email" in taken.context["form"].errors


def test_forgot_password_from_the_login_page_to_a_new_login(client, db):
    dkiss = User.objects.get(username="dkiss")
    accounts.change_own_email(dkiss, email="dkiss@cilegonkota.go.id")
    login_page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in login_page
    assert client.get(reverse("password_reset")).status_code == 200
    response = client.post(reverse("password_reset"), {"email": "DKISS@cilegonkota.go.id"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert client.get(response["Location"]).status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dkiss@cilegonkota.go.id"]
    assert "dkiss" in mail.outbox[0].body

    _set_password(_link_in(mail.outbox[0]))
    assert client.get(reverse("password_reset_complete")).status_code == 200
    assert _log_in("dkiss", NEW_PASSWORD)[1].status_code == 302


def test_forgot_password_reaches_an_invited_account_but_not_an_unknown_or_inactive_one(
    client, login, unit
):
    login("pengelola").post(reverse("user-create"), _invite_data(unit("DKISS")))
    mail.outbox.clear()
    anonymous = Client()
    anonymous.post(reverse("password_reset"), {"email": "rina@cilegonkota.go.id"})
    assert len(mail.outbox) == 1
    _set_password(_link_in(mail.outbox[0]))

    response = anonymous.post(reverse("password_reset"), {"email": "tidak.ada@example.com"})
    assert response.status_code == 302  # the same answer: nobody learns who has an account
    services.set_user_active(
        User.objects.get(username="rina.dkiss"), actor=None, active=False, reason="Uji"
    )
    anonymous.post(reverse("password_reset"), {"email": "rina@cilegonkota.go.id"})
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "url_name, username",
    [("user-list", "pengelola"), ("unit-list", "bappeda"), ("official-list", "bappeda")],
)
def test_the_organisation_lists_use_the_shared_filter_layout(login, url_name, username):
    """Styled selects in one grid row with a Filter button, like every other list."""
    html = login(username).get(reverse(url_name)).content.decode()
    assert 'class="row g-2 align-items-end my-3 no-print filter-form"' in html
    assert "<select" in html and 'class="select form-select"' in html


# --- "Forgot password?" is throttled (issue 23) ----------------------------------------------


@pytest.fixture
def with_emails(db):
    for username in ("dkiss", "bappeda"):
        user = User.objects.get(username=username)
        accounts.change_own_email(user, email=f"{username}@cilegonkota.go.id")


def test_forgot_password_sends_at_most_three_emails_an_hour_per_address(with_emails, settings):
    settings.PASSWORD_RESET_EMAILS_PER_HOUR = 3
    mail.outbox.clear()
    anonymous = Client()
    answers = [
        anonymous.post(reverse("password_reset"), {"email": "dkiss@cilegonkota.go.id"})
        for _ in range(8)
    ]
    assert len(mail.outbox) == 3
    # The same answer every time: the page tells nobody what happened.
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("password_reset_done"))
    }
    # Written in the profile's history, which is what is counted (in the database).
    dkiss = User.objects.get(username="dkiss")
    reasons = Profile.history.filter(user_id=dkiss.pk).values_list(
        "history_change_reason", flat=True
    )
    sent = accounts._password_reset_text() % {"email": "dkiss@cilegonkota.go.id"}
    assert list(reasons).count(sent) == 3
    # Another account is not affected.
    anonymous.post(reverse("password_reset"), {"email": "bappeda@cilegonkota.go.id"})
    assert len(mail.outbox) == 4


def test_forgot_password_counts_per_account_whatever_the_spelling(with_emails, settings):
    settings.PASSWORD_RESET_EMAILS_PER_HOUR = 2
    mail.outbox.clear()
    for email in ["dkiss@cilegonkota.go.id", "DKISS@cilegonkota.go.id", "Dkiss@CilegonKota.go.id"]:
        Client().post(reverse("password_reset"), {"email": email})
    assert len(mail.outbox) == 2


def test_the_count_starts_again_after_an_hour(with_emails, settings):
    import datetime

    from django.utils import timezone

    settings.PASSWORD_RESET_EMAILS_PER_HOUR = 1
    mail.outbox.clear()
    Client().post(reverse("password_reset"), {"email": "dkiss@cilegonkota.go.id"})
    Client().post(reverse("password_reset"), {"email": "dkiss@cilegonkota.go.id"})
    assert len(mail.outbox) == 1
    Profile.history.filter(user__username="dkiss").update(
        history_date=timezone.now() - datetime.timedelta(minutes=61)
    )
    Client().post(reverse("password_reset"), {"email": "dkiss@cilegonkota.go.id"})
    assert len(mail.outbox) == 2


# --- Resetting two-factor sign-in goes through a service with history (issue 23) ------------


def test_two_factor_reset_removes_the_devices_and_is_recorded(db):
    from django.core.management import call_command
    from django_otp.plugins.otp_totp.models import TOTPDevice

    pengelola = User.objects.get(username="pengelola")
    TOTPDevice.objects.create(user=pengelola, name="HP", confirmed=True)
    with pytest.raises(ValidationError):
        accounts.reset_two_factor(pengelola, actor=None, reason="")
    with pytest.raises(PermissionDenied):
        accounts.reset_two_factor(
            pengelola, actor=User.objects.get(username="bappeda"), reason="HP hilang"
        )
    call_command("reset_two_factor", "pengelola", reason="HP hilang")
    assert not TOTPDevice.objects.filter(user=pengelola).exists()
    record = Profile.history.filter(user_id=pengelola.pk).latest("history_date", "history_id")
    assert "HP hilang" in record.history_change_reason
