"""The setup workbook: units, officials and accounts of a government from one .xlsx.

A good file creates exactly its rows through the services (with history and
invitations); a file with one bad row saves nothing and names every bad cell.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.tracker.setup_rows import ACCOUNTS_ROWS, OFFICIALS_ROWS, UNITS_ROWS, setup_workbook
from tracker import services
from tracker.models import Government, Official, Profile, Unit
from tracker.setup_apply import SetupRefused, apply_setup
from tracker.setup_workbook import preview_setup, template_workbook

User = get_user_model()


@pytest.fixture
def contoh(db):
    """A new government with its Administrator (and nothing else)."""
    government = services.create_government(
        actor=None,
        name="Pemerintah Kabupaten Contoh",
        kind="kabupaten",
        region_code="36.99",
        place_name="Contoh",
    )
    services.create_user(
        actor=None,
        username="pengelola.contoh",
        password="x-Sandi-2026!",
        government=government,
        groups=["Administrator"],
        email="pengelola@contohkab.go.id",
    )
    return government


@pytest.fixture
def admin_contoh(contoh):
    return User.objects.get(username="pengelola.contoh")


def _counts(government):
    return (
        Unit.objects.filter(government=government).count(),
        Official.objects.filter(unit__government=government).count(),
        Profile.objects.filter(government=government).count(),
        User.objects.count(),
    )


def _replace(rows, index, column, value):
    rows = [list(row) for row in rows]
    rows[index][column] = value
    return rows


def test_a_good_workbook_creates_exactly_its_rows(contoh, admin_contoh):
    before = _counts(contoh)
    preview = apply_setup(
        contoh,
        setup_workbook(),
        "penyiapan.xlsx",
        actor=admin_contoh,
        request_or_site_url="https://monev.example",
    )
    units, officials, profiles, users = _counts(contoh)
    assert (units, officials, profiles, users) == (
        before[0] + 8,
        before[1] + 8,
        before[2] + 7,
        before[3] + 7,
    )
    dinkes = Unit.objects.get(government=contoh, code="DINKES")
    assert dinkes.coordinator.code == "ASDA1"
    assert dinkes.opd_type == "dinas"
    head = Official.objects.get(unit=dinkes)
    assert head.nip == "197808082002122003" and head.is_head
    # The account took the name, unit and "heads the unit" from the official (by NIP).
    rina = User.objects.get(username="dinkes.contoh")
    assert rina.get_full_name() == "dr. Rina Sehat, M.Kes."
    assert rina.profile.unit == dinkes and rina.profile.is_unit_head
    assert not rina.has_usable_password()
    sekda = User.objects.get(username="sekda.contoh")
    assert sekda.groups.filter(name="Pimpinan").exists()
    assert sekda.profile.unit.code == "SETDA"
    assert len(mail.outbox) == 7
    # History: the service wrote it, with the actor and the file in the reason.
    record = dinkes.history.get()
    assert record.history_user == admin_contoh
    assert "penyiapan.xlsx" in record.history_change_reason
    assert len(preview.items) == 23


BAD_CASES = {
    "duplicate code": (
        {"units": _replace(UNITS_ROWS, 5, 0, "DISKOMINFO")},
        ("Unit", 7, "Kode Unit"),
    ),
    "unknown unit": (
        {"officials": _replace(OFFICIALS_ROWS, 3, 2, "TIDAK-ADA")},
        ("Pejabat", 5, "Kode Unit"),
    ),
    "bad NIP": (
        {"officials": _replace(OFFICIALS_ROWS, 4, 0, "19801310 200501 1 002")},
        ("Pejabat", 6, "NIP"),
    ),
    "account by unknown NIP": (
        {"accounts": _replace(ACCOUNTS_ROWS, 2, 1, "199001012015011001")},
        ("Akun", 4, "NIP Pejabat"),
    ),
    "bad date": (
        {"officials": _replace(OFFICIALS_ROWS, 1, 6, "kemarin")},
        ("Pejabat", 3, "Mulai Menjabat"),
    ),
    "bad kind": (
        {"units": _replace(UNITS_ROWS, 3, 3, "dinasti")},
        ("Unit", 5, "Jenis"),
    ),
    "two heads in one unit": (
        {"officials": [*OFFICIALS_ROWS, _replace(OFFICIALS_ROWS, 5, 0, None)[5]]},
        ("Pejabat", 10, "Kepala Unit"),
    ),
    "email twice": (
        {"accounts": _replace(ACCOUNTS_ROWS, 3, 3, "budi@contohkab.go.id")},
        ("Akun", 5, "Email"),
    ),
    "asda that is no asda": (
        {"units": _replace(UNITS_ROWS, 5, 5, "SETDA")},
        ("Unit", 7, "Kode Asda Koordinator"),
    ),
}


@pytest.mark.parametrize("case", BAD_CASES)
def test_a_bad_row_saves_nothing_and_names_the_cell(contoh, admin_contoh, case):
    rows, (sheet, row, column) = BAD_CASES[case]
    content = setup_workbook(**rows)
    before = _counts(contoh)
    preview = preview_setup(contoh, content, "x.xlsx")
    assert not preview.is_valid
    assert any((p.sheet, p.row, p.column) == (sheet, row, column) for p in preview.problems), [
        str(p) for p in preview.problems
    ]
    with pytest.raises(SetupRefused):
        apply_setup(contoh, content, "x.xlsx", actor=admin_contoh, request_or_site_url="http://x")
    assert _counts(contoh) == before
    assert mail.outbox == []


def test_another_governments_unit_and_official_are_unknown(contoh, admin_contoh, serang):
    services.create_unit(
        actor=None, government=serang, kind="opd", code="DISPAR-SRG", name="Dinas Pariwisata"
    )
    officials = _replace(OFFICIALS_ROWS, 2, 2, "DISPAR-SRG")
    # Serang's Bappeda head: an official of another government, not found by NIP here.
    accounts = _replace(ACCOUNTS_ROWS, 2, 1, "197001012000031002")
    before = _counts(contoh)
    preview = preview_setup(contoh, setup_workbook(officials=officials, accounts=accounts))
    where = {(p.sheet, p.row, p.column) for p in preview.problems}
    assert ("Pejabat", 4, "Kode Unit") in where
    assert ("Akun", 4, "NIP Pejabat") in where
    assert _counts(contoh) == before


def test_a_code_the_government_already_has_is_refused(cilegon):
    rows = [["DKISS", "Dinas Lain", None, "opd", "dinas", None, None]]
    preview = preview_setup(cilegon, setup_workbook(units=rows, officials=[], accounts=[]))
    assert [(p.sheet, p.row, p.column) for p in preview.problems] == [("Unit", 2, "Kode Unit")]
    assert "DKISS" in str(preview.problems[0])


def test_an_account_may_name_an_official_already_stored(cilegon, unit):
    head = Official.objects.filter(unit=unit("DKISS"), is_head=True, end_date=None).first()
    accounts = [
        ["kepala.dkiss2", head.nip, None, "kepala2@cilegon.go.id", "anggota unit", None, None]
    ]
    preview = preview_setup(cilegon, setup_workbook(units=[], officials=[], accounts=accounts))
    assert preview.is_valid, [str(p) for p in preview.problems]
    values = preview.items[0].values
    assert values["full_name"] == head.name and values["unit"] == "DKISS"


def test_not_a_workbook_is_refused(contoh):
    preview = preview_setup(contoh, b"hello", "x.xlsx")
    assert not preview.is_valid and "xlsx" in str(preview.problems[0])


def test_the_template_lists_the_governments_units(cilegon):
    book = load_workbook(io.BytesIO(template_workbook(cilegon)))
    assert book.sheetnames == ["Petunjuk", "Unit", "Pejabat", "Akun", "Unit yang Ada"]
    codes = [row[0].value for row in book["Unit yang Ada"].iter_rows(min_row=2)]
    assert "DKISS" in codes
    assert [c.value for c in book["Akun"][1]][:2] == ["Nama Pengguna", "NIP Pejabat"]


# --- The pages ---------------------------------------------------------------------------------


def _upload(content):
    return SimpleUploadedFile("penyiapan.xlsx", content, content_type="application/octet-stream")


def test_upload_preview_confirm_through_the_pages(client, contoh, admin_contoh):
    client.force_login(admin_contoh)
    page = client.get(reverse("setup-import"))
    assert page.status_code == 200
    response = client.post(reverse("setup-import"), {"file": _upload(setup_workbook())})
    text = response.content.decode()
    assert response.status_code == 200 and 'name="token"' in text
    assert Unit.objects.filter(government=contoh).count() == 0  # the preview saves nothing
    token = response.context["token"]
    done = client.post(
        reverse("setup-import-apply"), {"token": token, "action": "apply"}, follow=True
    )
    assert done.redirect_chain[-1][0] == reverse("unit-list")
    assert Unit.objects.filter(government=contoh).count() == 8
    assert User.objects.filter(profile__government=contoh).count() == 8  # 7 + the admin
    # The same token again: nothing more.
    again = client.post(reverse("setup-import-apply"), {"token": token, "action": "apply"})
    assert again.status_code == 302
    assert Unit.objects.filter(government=contoh).count() == 8


def test_a_bad_file_shows_the_problems_and_no_confirm_button(client, contoh, admin_contoh):
    client.force_login(admin_contoh)
    content = setup_workbook(units=_replace(UNITS_ROWS, 5, 0, "DISKOMINFO"))
    response = client.post(reverse("setup-import"), {"file": _upload(content)})
    text = response.content.decode()
    assert 'id="import-problems"' in text and 'name="token"' not in text
    assert Unit.objects.filter(government=contoh).count() == 0


def test_a_forged_token_saves_nothing(client, contoh, admin_contoh):
    client.force_login(admin_contoh)
    client.post(reverse("setup-import"), {"file": _upload(setup_workbook())})
    response = client.post(reverse("setup-import-apply"), {"token": "0" * 32, "action": "apply"})
    assert response.status_code == 302
    assert Unit.objects.filter(government=contoh).count() == 0


@pytest.mark.parametrize("username", ["bappeda", "dkiss", "walikota"])
def test_only_the_administrator_sets_up(login, username):
    client = login(username)
    assert client.get(reverse("setup-import")).status_code == 403
    assert client.get(reverse("setup-template")).status_code == 403
    assert client.post(reverse("setup-import-apply")).status_code == 403


def test_government_parameter_of_another_government_is_404(login, serang):
    client = login("pengelola")
    url = f"{reverse('setup-import')}?government={serang.pk}"
    assert client.get(url).status_code == 404
    assert Government.objects.count() >= 2


# --- "Make an account for this official": the name is typed once on screens too ---------


def test_the_account_form_starts_from_the_official(login, unit):
    head = Official.objects.filter(unit=unit("DKISS"), is_head=True).first()
    client = login("pengelola")
    detail = client.get(reverse("official-detail", args=[head.pk])).content.decode()
    assert f"official={head.pk}" in detail
    url = f"{reverse('user-create')}?official={head.pk}"
    form = client.get(url).context["form"]
    assert form.initial["full_name"] == head.name
    assert form.initial["unit"] == head.unit_id
    assert form.initial["is_unit_head"] is True and form.initial["role"] == "unit"


def test_another_governments_official_is_not_offered(login, serang):
    official = Official.objects.get(unit__government=serang)
    client = login("pengelola")
    assert client.get(f"{reverse('user-create')}?official={official.pk}").status_code == 404
    # a Pimpinan sees the official but gets no such link
    detail = login("walikota").get(reverse("official-list")).content.decode()
    assert "account-from-official" not in detail


def test_the_user_list_leads_the_administrator_to_the_workbook(client, contoh, admin_contoh):
    client.force_login(admin_contoh)
    page = client.get(reverse("user-list")).content.decode()
    assert reverse("setup-import") in page
