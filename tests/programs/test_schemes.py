"""Classification schemes: the migrated smart-city dimensions, a program's categories from
its commitment's scheme, the required flag, and the dashboard, filters and pages of a
stunting commitment (issue 26)."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from commitments import services as commitment_services
from commitments.models import Commitment
from programs import charts, monitoring, program_services, scheme_services, services
from programs.models import Category, ClassificationScheme, Program

STUNTING = "Delapan Aksi Konvergensi Percepatan Penurunan Stunting"
SMART_CITY = "Gerakan Menuju 100 Smart City"
SMART_CITY_NAMES = [
    "Smart Governance",
    "Smart Branding",
    "Smart Economy",
    "Smart Living",
    "Smart Society",
    "Smart Environment",
]


def _scheme(name):
    return ClassificationScheme.objects.get(government=None, name=name)


# --- The migration keeps today's dimensions ------------------------------------------------


def test_the_six_dimensions_are_the_smart_city_schemes_categories_in_their_order(db):
    scheme = _scheme(SMART_CITY)
    rows = list(scheme.categories.values_list("code", "name", "order"))
    assert rows == [
        ("governance", "Smart Governance", 1),
        ("branding", "Smart Branding", 2),
        ("economy", "Smart Economy", 3),
        ("living", "Smart Living", 4),
        ("society", "Smart Society", 5),
        ("environment", "Smart Environment", 6),
    ]
    assert scheme.categories_required
    # The rows of migration 0003 (ids 1-6) became the categories: the links survive.
    assert sorted(scheme.categories.values_list("pk", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_the_demo_smart_city_programs_keep_their_dimensions(cilegon):
    commitment = Commitment.objects.get(government=cilegon, date=datetime.date(2019, 10, 11))
    assert commitment.theme == "Smart City"
    assert commitment.scheme.name == SMART_CITY
    programs = list(commitment.programs.prefetch_related("categories"))
    assert len(programs) >= 20
    for program in programs:
        codes = {c.code for c in program.categories.all()}
        assert codes, program
        assert codes <= {"governance", "branding", "economy", "living", "society", "environment"}
    # The 112 line is a Smart Society and Smart Living program in programs.csv.
    line_112 = Program.objects.get(commitment=commitment, title__icontains="112")
    assert {c.code for c in line_112.categories.all()} == {"society", "living"}
    # Its history keeps the links it was created with.
    created = line_112.history.earliest("history_id")
    assert {row.category.code for row in created.categories.all()} == {"society", "living"}


def test_the_stunting_scheme_has_the_eight_convergence_actions(db):
    scheme = _scheme(STUNTING)
    names = list(scheme.categories.values_list("name", flat=True))
    assert len(names) == 8
    assert names[0] == "Aksi 1 Analisis Situasi"
    assert names[2] == "Aksi 3 Rembuk Stunting"
    assert names[7] == "Aksi 8 Reviu Kinerja Tahunan"
    sdgs = ClassificationScheme.objects.get(government=None, name__contains="SDGs")
    assert sdgs.categories.count() == 17 and not sdgs.categories_required


# --- A program's categories come from its commitment's scheme --------------------------------


def _stunting_commitment(government, actor, signatories):
    return commitment_services.create_commitment(
        actor=actor,
        government=government,
        title="Komitmen Bersama Percepatan Penurunan Stunting (uji)",
        theme="Percepatan Penurunan Stunting",
        scheme=_scheme(STUNTING),
        date=datetime.date(2021, 12, 1),
        place="Aula",
        legal_basis="Perpres 72/2021",
        points=["Menurunkan prevalensi stunting"],
        signatories=signatories,
    )


@pytest.fixture
def stunting_commitment(cilegon, bappeda_user, unit):
    commitment = _stunting_commitment(cilegon, bappeda_user, [unit("DINKES"), unit("DKISS")])
    commitment_services.open_for_signing(commitment, actor=bappeda_user)
    return commitment


def _program(commitment, owner, categories, *, actor, title="Rembuk Stunting Kota"):
    return services.create_program(
        actor=actor,
        commitment=commitment,
        owner_unit=owner,
        title=title,
        horizon="short",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2022, 12, 31),
        categories=categories,
    )


def test_a_stunting_program_takes_only_stunting_categories(stunting_commitment, bappeda_user, unit):
    governance = Category.objects.get(scheme__name=SMART_CITY, code="governance")
    with pytest.raises(ValidationError) as refused:
        _program(stunting_commitment, unit("DINKES"), [governance], actor=bappeda_user)
    assert "categories" in refused.value.message_dict
    assert "Smart Governance" in refused.value.message_dict["categories"][0]
    assert not Program.objects.filter(commitment=stunting_commitment).exists()

    rembuk = Category.objects.get(scheme__name=STUNTING, code="aksi-3")
    program = _program(stunting_commitment, unit("DINKES"), [rembuk], actor=bappeda_user)
    assert list(program.categories.all()) == [rembuk]
    with pytest.raises(ValidationError) as refused:
        program_services.update_program(
            program, actor=bappeda_user, categories=[rembuk, governance]
        )
    assert "categories" in refused.value.message_dict
    assert list(program.categories.all()) == [rembuk]


def test_the_required_flag_is_honoured_with_a_neutral_message(
    stunting_commitment, bappeda_user, unit, cilegon
):
    with pytest.raises(ValidationError) as refused:
        _program(stunting_commitment, unit("DINKES"), [], actor=bappeda_user)
    message = refused.value.message_dict["categories"][0]
    assert STUNTING in message and "smart" not in message.lower()

    # The SDGs scheme does not require categories: a program may carry none.
    sdgs = ClassificationScheme.objects.get(government=None, name__contains="SDGs")
    commitment = commitment_services.create_commitment(
        actor=bappeda_user,
        government=cilegon,
        title="Komitmen TPB (uji)",
        theme="TPB/SDGs",
        scheme=sdgs,
        date=datetime.date(2021, 12, 1),
        place="Aula",
        legal_basis="Perpres 59/2017",
    )
    program = _program(commitment, unit("DINKES"), [], actor=bappeda_user)
    assert program.categories.count() == 0


def test_the_program_form_offers_only_the_commitments_categories(
    stunting_commitment, bappeda_user, unit, login
):
    rembuk = Category.objects.get(scheme__name=STUNTING, code="aksi-3")
    program = _program(stunting_commitment, unit("DINKES"), [rembuk], actor=bappeda_user)
    html = login("bappeda").get(reverse("program-edit", args=[program.pk])).content.decode()
    assert "Aksi 5 Pembinaan Kader Pembangunan Manusia" in html
    assert "Smart Governance" not in html


def test_the_scheme_changes_only_while_no_program_carries_its_categories(
    cilegon, bappeda_user, unit
):
    stunting_commitment = _stunting_commitment(cilegon, bappeda_user, [unit("DINKES")])
    smart_city = _scheme(SMART_CITY)
    # No program yet: the scheme may change (and back).
    commitment_services.update_commitment(
        stunting_commitment, actor=bappeda_user, scheme=smart_city
    )
    assert Commitment.objects.get(pk=stunting_commitment.pk).scheme == smart_city
    commitment_services.update_commitment(
        stunting_commitment, actor=bappeda_user, scheme=_scheme(STUNTING)
    )
    rembuk = Category.objects.get(scheme__name=STUNTING, code="aksi-3")
    _program(stunting_commitment, unit("DINKES"), [rembuk], actor=bappeda_user)
    with pytest.raises(ValidationError) as refused:
        commitment_services.update_commitment(
            stunting_commitment, actor=bappeda_user, scheme=smart_city
        )
    assert "scheme" in refused.value.message_dict
    assert Commitment.objects.get(pk=stunting_commitment.pk).scheme.name == STUNTING


# --- Dashboard and filters of a stunting commitment ------------------------------------------


@pytest.fixture
def stunting_programs(stunting_commitment, bappeda_user, unit):
    actions = {c.code: c for c in _scheme(STUNTING).categories.all()}
    return [
        _program(
            stunting_commitment,
            unit("DINKES"),
            [actions["aksi-3"]],
            actor=bappeda_user,
            title="Rembuk Stunting Kota",
        ),
        _program(
            stunting_commitment,
            unit("DKISS"),
            [actions["aksi-3"], actions["aksi-6"]],
            actor=bappeda_user,
            title="Dasbor Data Stunting",
        ),
    ]


def test_the_dashboard_of_a_stunting_commitment_shows_its_categories_only(
    stunting_programs, stunting_commitment, period_2022
):
    period = period_2022(1)
    summary = monitoring.monitoring_summary(
        Program.objects.filter(commitment=stunting_commitment), period
    )
    [(scheme, rows)] = summary["by_scheme"]
    assert scheme.name == STUNTING
    # Rembuk is carried by both programs, the data system by one.
    assert [(c.code, t["programs"]) for c, t in rows] == [("aksi-3", 2), ("aksi-6", 1)]

    status_charts, compliance = charts.dashboard_svgs(summary["by_scheme"], summary["by_asda"])
    html = render_to_string(
        "programs/includes/dashboard_body.html",
        {
            **summary,
            "period": period,
            "status_date": datetime.date(2022, 3, 31),
            "overdue_count": 0,
            "status_charts": status_charts,
            "compliance_chart": compliance,
        },
    )
    assert "Aksi 3 Rembuk Stunting" in html and "Aksi 6 Sistem Manajemen Data" in html
    # The table is titled with the scheme's name (in any language).
    assert re.search(rf"<h2[^>]*>[^<]*: {STUNTING}</h2>", html)
    assert "smart" not in html.lower()


def test_the_dashboard_groups_categories_per_scheme(stunting_programs, make_program, period_2022):
    smart = make_program()
    period = period_2022(1)
    ids = [p.pk for p in stunting_programs] + [smart.pk]
    summary = monitoring.monitoring_summary(Program.objects.filter(pk__in=ids), period)
    assert [
        (s.name, [(c.code, t["programs"]) for c, t in rows]) for s, rows in summary["by_scheme"]
    ] == [
        (STUNTING, [("aksi-3", 2), ("aksi-6", 1)]),
        (SMART_CITY, [("governance", 1)]),
    ]


def test_the_program_filter_of_a_stunting_commitment_offers_its_categories(
    stunting_programs, stunting_commitment, login
):
    client = login("bappeda")
    url = reverse("program-list")
    response = client.get(url, {"commitment": stunting_commitment.pk, "state": "all"})
    html = response.content.decode()
    select = re.search(r'<select name="category".*?</select>', html, re.S).group(0)
    assert "Aksi 3 Rembuk Stunting" in select and "Smart" not in select
    # The filter is named after the scheme.
    assert re.search(rf'<label[^>]*for="id_category"[^>]*>\s*{STUNTING}', html)
    assert sorted(p.title for p in response.context["object_list"]) == [
        "Dasbor Data Stunting",
        "Rembuk Stunting Kota",
    ]
    # Without a chosen commitment the list offers every scheme's categories, named with it.
    html = client.get(url, {"state": "all"}).content.decode()
    select = re.search(r'<select name="category".*?</select>', html, re.S).group(0)
    assert f"{SMART_CITY}: Smart Governance" in select
    assert f"{STUNTING}: Aksi 3 Rembuk Stunting" in select
    data = Category.objects.get(scheme__name=STUNTING, code="aksi-6")
    response = client.get(
        url, {"commitment": stunting_commitment.pk, "state": "all", "category": data.pk}
    )
    assert [p.title for p in response.context["object_list"]] == ["Dasbor Data Stunting"]


# --- Scheme services ----------------------------------------------------------------------


def test_a_government_keeps_its_own_scheme_with_history(cilegon, bappeda_user):
    scheme = scheme_services.create_scheme(
        actor=bappeda_user,
        government=cilegon,
        name="Zona Integritas",
        categories_required=True,
        categories=[
            {"code": "zi-1", "name": "Manajemen Perubahan"},
            {"code": "zi-2", "name": "Penataan Tata Laksana"},
        ],
        reason="Pembangunan ZI",
    )
    first, second = scheme.categories.all()
    scheme_services.update_scheme(
        scheme,
        actor=bappeda_user,
        categories=[
            {"pk": second.pk, "code": "zi-2", "name": "Penataan Tatalaksana"},
            {"pk": first.pk, "code": "zi-1", "name": "Manajemen Perubahan"},
            {"code": "zi-3", "name": "Penguatan Akuntabilitas"},
        ],
        reason="Urutan baru",
    )
    assert list(scheme.categories.values_list("code", "order")) == [
        ("zi-2", 1),
        ("zi-1", 2),
        ("zi-3", 3),
    ]
    second.refresh_from_db()
    assert second.history.count() == 2
    assert second.history.first().history_change_reason == "Urutan baru"
    assert second.history.first().history_user == bappeda_user


def test_a_category_carried_by_a_program_is_not_removed(stunting_programs, bappeda_user):
    scheme = _scheme(STUNTING)
    rows = [
        {"pk": c.pk, "code": c.code, "name": c.name}
        for c in scheme.categories.all()
        if c.code != "aksi-6"
    ]
    with pytest.raises(ValidationError):
        scheme_services.update_scheme(scheme, actor=bappeda_user, categories=rows)
    assert scheme.categories.filter(code="aksi-6").exists()


def test_the_scheme_pages_list_and_show_the_history(login, cilegon, bappeda_user, serang):
    own = scheme_services.create_scheme(
        actor=bappeda_user,
        government=cilegon,
        name="Zona Integritas",
        categories=[{"code": "zi-1", "name": "Manajemen Perubahan"}],
    )
    client = login("bappeda")
    html = client.get(reverse("scheme-list")).content.decode()
    assert "Zona Integritas" in html and STUNTING in html
    html = client.get(reverse("scheme-detail", args=[own.pk])).content.decode()
    assert "Manajemen Perubahan" in html and 'id="history"' in html
    # Serang's Bappeda does not see Cilegon's own scheme.
    assert login("serang").get(reverse("scheme-detail", args=[own.pk])).status_code == 404


def test_a_scheme_is_created_through_the_page(login, cilegon):
    response = login("bappeda").post(
        reverse("scheme-create"),
        {
            "name": "Reformasi Birokrasi",
            "description": "",
            "categories_required": "on",
            "category-TOTAL_FORMS": "3",
            "category-INITIAL_FORMS": "0",
            "category-0-code": "rb-1",
            "category-0-name": "Manajemen Perubahan",
            "category-1-code": "rb-2",
            "category-1-name": "Deregulasi Kebijakan",
        },
    )
    assert response.status_code == 302
    scheme = ClassificationScheme.objects.get(government=cilegon, name="Reformasi Birokrasi")
    assert scheme.categories_required
    assert list(scheme.categories.values_list("code", flat=True)) == ["rb-1", "rb-2"]
