"""The Django admin is no back door (issue 11, point 4).

Even a superuser only reads domain records there: a change, a delete, a bulk
delete or a "revert" of a history version is refused and the database is
unchanged. Users are deactivated (through a service), never deleted.
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from commitments.models import Commitment, CommitmentPoint
from reports.models import GeneratedReport
from tracker.models import Profile, Unit

User = get_user_model()


@pytest.fixture
def superuser(login):
    return login("admin")


@pytest.fixture
def smart_city(cilegon):
    """The seeded 11 October 2019 commitment: open and signed by most units."""
    commitment = Commitment.objects.get(government=cilegon, date=datetime.date(2019, 10, 11))
    assert commitment.state == Commitment.State.OPEN
    assert commitment.signatures.exists()
    return commitment


@pytest.fixture
def issued(cilegon):
    report = GeneratedReport(
        government=cilegon,
        year=2020,
        quarter=3,
        title="Laporan",
        sha256="0" * 64,
        size=14,
        source=GeneratedReport.Source.WEB,
        generated_at=timezone.now(),
    )
    report.file.save("laporan.pdf", ContentFile(b"%PDF-1.4 uji"), save=True)
    return report


def _commitment_change_data(commitment, **changes):
    """A complete, valid change form of the commitment and its points (as the old admin took)."""
    points = list(commitment.points.order_by("number"))
    data = {
        "government": commitment.government_id,
        "title": commitment.title,
        "theme": commitment.theme,
        "scheme": commitment.scheme_id,
        "document_number": commitment.document_number,
        "date": commitment.date.isoformat(),
        "place": commitment.place,
        "legal_basis": commitment.legal_basis,
        "witnesses": commitment.witnesses,
        "change_reason": "",
        "points-TOTAL_FORMS": len(points),
        "points-INITIAL_FORMS": len(points),
        "points-MIN_NUM_FORMS": 0,
        "points-MAX_NUM_FORMS": 1000,
    }
    for index, point in enumerate(points):
        data[f"points-{index}-id"] = point.pk
        data[f"points-{index}-commitment"] = commitment.pk
        data[f"points-{index}-number"] = point.number
        data[f"points-{index}-text"] = point.text
    data.update(changes)
    return data


def _admin_models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", _admin_models(), ids=lambda model: model._meta.label)
def test_every_changelist_still_opens(superuser, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert superuser.get(url).status_code == 200


# The project's own models, the users, the role groups and the two-factor devices (these
# change through tracker.accounts); django-axes' lockouts are the superuser's to clear.
DOMAIN_APPS = {"tracker", "commitments", "programs", "reports"}


def _read_only_models():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return [
        m
        for m in _admin_models()
        if m._meta.app_label in DOMAIN_APPS or m in (Group, User, TOTPDevice)
    ]


@pytest.mark.parametrize(
    "model",
    _read_only_models(),
    ids=lambda model: model._meta.label,
)
def test_every_domain_admin_is_view_only(rf, django_user_model, model):
    request = rf.get("/")
    request.user = django_user_model.objects.get(username="admin")
    model_admin = admin.site._registry[model]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)
    for inline in model_admin.get_inline_instances(request):
        assert not inline.has_change_permission(request)
        assert not inline.has_delete_permission(request)


def test_a_signed_open_commitment_s_title_cannot_be_changed(superuser, smart_city):
    title = smart_city.title
    history = smart_city.history.count()
    url = reverse("admin:commitments_commitment_change", args=[smart_city.pk])
    assert superuser.get(url).status_code == 200  # still readable
    response = superuser.post(url, _commitment_change_data(smart_city, title="Diubah lewat admin"))
    assert response.status_code == 403
    smart_city.refresh_from_db()
    assert smart_city.title == title
    assert smart_city.history.count() == history


def test_a_point_cannot_be_deleted_nor_added(superuser, smart_city):
    point = smart_city.points.order_by("number").first()
    count = smart_city.points.count()
    url = reverse("admin:commitments_commitmentpoint_delete", args=[point.pk])
    assert superuser.post(url, {"post": "yes"}).status_code == 403
    response = superuser.post(
        reverse("admin:commitments_commitmentpoint_changelist"),
        {"action": "delete_selected", "_selected_action": [point.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    add = superuser.post(
        reverse("admin:commitments_commitmentpoint_add"),
        {"commitment": smart_city.pk, "number": 99, "text": "Butir tambahan"},
    )
    assert add.status_code == 403
    assert CommitmentPoint.objects.filter(pk=point.pk).exists()
    assert smart_city.points.count() == count


def test_a_point_cannot_be_deleted_through_its_commitment_s_inline(superuser, smart_city):
    point = smart_city.points.order_by("number").first()
    data = _commitment_change_data(smart_city, **{"points-0-DELETE": "on"})
    url = reverse("admin:commitments_commitment_change", args=[smart_city.pk])
    assert superuser.post(url, data).status_code == 403
    assert CommitmentPoint.objects.filter(pk=point.pk).exists()


def test_an_issued_report_cannot_be_deleted(superuser, client, issued):
    url = reverse("admin:reports_generatedreport_delete", args=[issued.pk])
    assert superuser.get(url).status_code == 403
    assert superuser.post(url, {"post": "yes"}).status_code == 403
    response = superuser.post(
        reverse("admin:reports_generatedreport_changelist"),
        {"action": "delete_selected", "_selected_action": [issued.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert GeneratedReport.objects.filter(pk=issued.pk).exists()
    client.logout()
    public = client.get(reverse("report-verify-public", args=[issued.code]))
    assert public.status_code == 200


def test_a_history_version_cannot_be_reverted(superuser, unit):
    dkiss = unit("DKISS")
    record = dkiss.history.earliest("history_date")
    url = reverse("admin:tracker_unit_simple_history", args=[dkiss.pk, record.history_id])
    assert superuser.get(url).status_code == 200  # an old version may be read
    name = dkiss.name
    response = superuser.post(
        url,
        {
            "government": dkiss.government_id,
            "kind": dkiss.kind,
            "opd_type": dkiss.opd_type,
            "code": dkiss.code,
            "name": "Dikembalikan lewat admin",
            "abbreviation": dkiss.abbreviation,
            "coordinator": dkiss.coordinator_id or "",
            "parent": dkiss.parent_id or "",
            "is_active": "on",
        },
    )
    assert response.status_code == 403
    assert Unit.objects.get(pk=dkiss.pk).name == name


def test_a_user_cannot_be_deleted(superuser):
    dkiss = User.objects.get(username="dkiss")
    url = reverse("admin:auth_user_delete", args=[dkiss.pk])
    assert superuser.post(url, {"post": "yes"}).status_code == 403
    response = superuser.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [dkiss.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    dkiss.refresh_from_db()
    assert dkiss.is_active


def test_a_role_group_cannot_be_deleted(superuser):
    group = Group.objects.get(name="Bappeda")
    url = reverse("admin:auth_group_delete", args=[group.pk])
    assert superuser.post(url, {"post": "yes"}).status_code == 403
    assert Group.objects.filter(pk=group.pk).exists()


def test_a_user_is_deactivated_by_the_action_and_keeps_their_history(superuser):
    dkiss = User.objects.get(username="dkiss")
    response = superuser.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [dkiss.pk]},
    )
    assert response.status_code == 302
    dkiss.refresh_from_db()
    assert not dkiss.is_active
    # through the service: the profile's history says who did it
    record = Profile.history.filter(user_id=dkiss.pk).latest("history_date", "history_id")
    assert record.history_user.username == "admin"
    assert record.history_change_reason

    superuser.post(
        reverse("admin:auth_user_changelist"),
        {"action": "activate", "_selected_action": [dkiss.pk]},
    )
    dkiss.refresh_from_db()
    assert dkiss.is_active


def test_deactivating_a_user_without_a_profile_is_answered_not_a_crash(superuser):
    nobody = User.objects.get(username="nobody")
    response = superuser.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [nobody.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert list(response.context["messages"])


def test_the_superuser_cannot_deactivate_themselves(superuser):
    me = User.objects.get(username="admin")
    superuser.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [me.pk]},
    )
    me.refresh_from_db()
    assert me.is_active


def test_the_user_form_does_not_set_the_active_flag(superuser):
    dkiss = User.objects.get(username="dkiss")
    page = superuser.get(reverse("admin:auth_user_change", args=[dkiss.pk]))
    assert page.status_code == 200
    assert "is_active" not in page.context["adminform"].form.fields


# --- Names (issue 13): every model is named, in the reader's language -------------------------

PROJECT_APPS = {"tracker", "programs", "commitments", "reports"}


def _project_models():
    return [m for m in admin.site._registry if m._meta.app_label in PROJECT_APPS]


def test_every_project_model_sets_translatable_names():
    from django.apps import apps
    from django.utils.functional import Promise

    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label in PROJECT_APPS and not m.__name__.startswith("Historical")
    ]
    assert len(models) > 20
    for model in models:
        for option in ("verbose_name", "verbose_name_plural"):
            value = model._meta.original_attrs.get(option)
            assert isinstance(value, Promise), f"{model.__name__}.{option} is not translatable"


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_admin_index_lists_every_model_by_its_name(superuser, settings, language):
    from django.utils import translation
    from django.utils.text import capfirst

    superuser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    text = superuser.get(reverse("admin:index")).content.decode()
    assert "progresss" not in text.lower()
    with translation.override(language):
        names = [str(capfirst(m._meta.verbose_name_plural)) for m in _project_models()]
    for name in names:
        assert f">{name}<" in text, name
    if language == "en":
        assert ">Milestone progress<" in text


# --- Users and groups are read only too (issue 23): roles change on the account pages -------


def test_a_user_s_groups_and_flags_cannot_be_changed_in_the_admin(superuser):
    """The finding: Bappeda's group removed here left its token and sessions as Bappeda."""
    bappeda = User.objects.get(username="bappeda")
    url = reverse("admin:auth_user_change", args=[bappeda.pk])
    assert superuser.get(url).status_code == 200  # still readable
    response = superuser.post(
        url,
        {
            "username": "bappeda",
            "first_name": "x",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [],
            "user_permissions": [],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2020-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 403
    bappeda.refresh_from_db()
    assert not bappeda.is_superuser and not bappeda.is_staff
    assert list(bappeda.groups.values_list("name", flat=True)) == ["Bappeda"]
    password = superuser.post(
        reverse("admin:auth_user_password_change", args=[bappeda.pk]),
        {"password1": "BaruSekali-123", "password2": "BaruSekali-123"},
    )
    assert password.status_code == 403
    add = superuser.post(
        reverse("admin:auth_user_add"),
        {"username": "baru", "password1": "BaruSekali-123", "password2": "BaruSekali-123"},
    )
    assert add.status_code == 403
    assert not User.objects.filter(username="baru").exists()


def test_a_role_group_cannot_be_changed(superuser):
    group = Group.objects.get(name="Bappeda")
    url = reverse("admin:auth_group_change", args=[group.pk])
    assert superuser.post(url, {"name": "Admin lain", "permissions": []}).status_code == 403
    group.refresh_from_db()
    assert group.name == "Bappeda"


def test_a_two_factor_device_is_read_only_and_keeps_its_secret(superuser):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(
        user=User.objects.get(username="pengelola"), name="HP", confirmed=True
    )
    url = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    page = superuser.get(url)
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert (
        superuser.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk])).status_code
        == 403
    )
    delete = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert superuser.post(delete, {"post": "yes"}).status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_two_factor_is_reset_by_the_users_action_through_the_service(superuser):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    pengelola = User.objects.get(username="pengelola")
    TOTPDevice.objects.create(user=pengelola, name="HP", confirmed=True)
    response = superuser.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [pengelola.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=pengelola).exists()
    record = Profile.history.filter(user_id=pengelola.pk).latest("history_date", "history_id")
    assert record.history_user.username == "admin"
    assert "Two-factor" in record.history_change_reason or "dua" in record.history_change_reason
