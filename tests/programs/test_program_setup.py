"""Bappeda sets programs up in the app: create and edit (with budgets and adoption
indicators), change the owner with a reason, stop, cancel and reactivate.

Messages are read in English (the language cookie), the source language, so
the tests do not depend on the translation being compiled.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments.models import Commitment
from programs import program_services, reporting, services
from programs.models import (
    AdoptionIndicator,
    Category,
    Indicator,
    Program,
    ProgramBudget,
)
from tracker import services as org_services
from tracker.models import Unit


def formset_data(prefix, rows, extra=0):
    """POST data of a formset whose first ``len(rows)`` forms are the initial ones."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": str(len(rows)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = "" if value is None else str(value)
    return data


@pytest.fixture
def english(login):
    """Log in with English chosen, so messages are the source strings."""

    def _login(username):
        client = login(username)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _login


@pytest.fixture
def commitment(cilegon):
    return Commitment.objects.get(government=cilegon, date=datetime.date(2019, 10, 11))


@pytest.fixture
def new_program_data(commitment, unit, cilegon):
    def _data(**changes):
        data = {
            "commitment": commitment.pk,
            "title": "Aplikasi Antrean Puskesmas",
            "code": " 1.02.01.2.09 ",
            "description": "Antrean daring di semua puskesmas.",
            "owner_unit": unit("DINKES").pk,
            "supporting_units": [unit("DKISS").pk],
            "categories": [Category.objects.get(code="living").pk],
            "horizon": "short",
            "start_date": "2022-01-01",
            "end_date": "2023-06-30",
            "indicators": [Indicator.objects.get(plan__government=cilegon, code="IKU-1.2").pk],
            **formset_data(
                "budget",
                [{"year": 2022, "amount": "250000000.50"}, {"year": 2023, "amount": ""}],
            ),
            **formset_data(
                "adoption",
                [],
                extra=1,
            ),
            "adoption-0-name": "Antrean daring",
            "adoption-0-unit_of_measure": "antrean",
            "adoption-0-quarterly_target": "1500",
        }
        data.update(changes)
        return data

    return _data


def test_bappeda_creates_a_program_through_the_page(
    english, new_program_data, commitment, unit, bappeda_user
):
    response = english("bappeda").post(reverse("program-create"), new_program_data())
    program = Program.objects.get(title="Aplikasi Antrean Puskesmas")
    assert response.status_code == 302
    assert response["Location"] == reverse("program-milestones", args=[program.pk])
    assert program.commitment == commitment
    assert program.owner_unit == unit("DINKES")
    assert program.code == "1.02.01.2.09"
    assert program.description == "Antrean daring di semua puskesmas."
    assert (program.start_date, program.end_date) == (
        datetime.date(2022, 1, 1),
        datetime.date(2023, 6, 30),
    )
    assert program.state == Program.State.ACTIVE
    assert list(program.supporting_units.all()) == [unit("DKISS")]
    assert [d.code for d in program.categories.all()] == ["living"]
    assert [i.code for i in program.indicators.all()] == ["IKU-1.2"]
    # One budget row: the year left empty has none; Rupiah stay exact decimals.
    assert list(program.budgets.values_list("year", "amount")) == [(2022, D("250000000.50"))]
    item = program.adoption_indicators.get()
    assert (item.name, item.unit_of_measure, item.quarterly_target) == (
        "Antrean daring",
        "antrean",
        D("1500"),
    )
    created = program.history.get()
    assert (created.history_type, created.history_user) == ("+", bappeda_user)
    assert program.budgets.get().history.get().history_user == bappeda_user


def test_the_new_program_page_preselects_the_commitment_and_offers_one_government(
    english, commitment, serang
):
    page = english("bappeda").get(reverse("program-create") + f"?commitment={commitment.pk}")
    form = page.context["form"]
    assert form["commitment"].value() in (commitment, commitment.pk)
    assert not form.fields["owner_unit"].queryset.exclude(government=commitment.government)
    assert not form.fields["supporting_units"].queryset.filter(is_active=False)
    assert not form.fields["indicators"].queryset.exclude(plan__government=commitment.government)
    assert "Bappeda Kota Serang" not in page.content.decode()
    # The superuser belongs to no government: they choose a commitment first.
    chooser = english("admin").get(reverse("program-create"))
    assert "form" not in chooser.context
    assert f"?commitment={commitment.pk}" in chooser.content.decode()
    page = english("admin").get(reverse("program-create") + f"?commitment={commitment.pk}")
    units = page.context["form"].fields["owner_unit"].queryset
    assert units.exists() and not units.exclude(government=commitment.government)
    assert "Bappeda Kota Serang" not in page.content.decode()


@pytest.mark.parametrize("field", ["owner_unit", "supporting_units", "indicators"])
def test_a_choice_of_another_government_posted_by_hand_is_refused(
    english, new_program_data, serang, field
):
    other = {
        "owner_unit": Unit.objects.get(government=serang, code="BAPPEDA").pk,
        "supporting_units": [Unit.objects.get(government=serang, code="BAPPEDA").pk],
        "indicators": [Indicator.objects.get(plan__government=serang).pk],
    }[field]
    response = english("bappeda").post(
        reverse("program-create"), new_program_data(**{field: other})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Program.objects.filter(title="Aplikasi Antrean Puskesmas").exists()


def test_the_services_refuse_another_governments_unit_and_indicator(
    commitment, serang, bappeda_user, unit
):
    serang_unit = Unit.objects.get(government=serang, code="BAPPEDA")
    fields = {
        "actor": bappeda_user,
        "commitment": commitment,
        "title": "X",
        "horizon": "short",
        "start_date": datetime.date(2022, 1, 1),
        "end_date": datetime.date(2022, 12, 31),
        "categories": [Category.objects.first()],
    }
    with pytest.raises(ValidationError) as error:
        services.create_program(owner_unit=serang_unit, **fields)
    assert "owner_unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.create_program(
            owner_unit=unit("DKISS"),
            indicators=[Indicator.objects.get(plan__government=serang)],
            **fields,
        )
    assert "indicators" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.assign_owner(
            Program.objects.filter(commitment=commitment).first(),
            actor=bappeda_user,
            unit=serang_unit,
            reason="Salah pilih",
        )
    assert not Program.objects.filter(title="X").exists()


def test_a_deactivated_unit_is_not_offered_and_refused(english, new_program_data, unit, admin_user):
    org_services.set_unit_active(unit("DINKES"), actor=admin_user, active=False, reason="Dilebur")
    client = english("bappeda")
    page = client.get(reverse("program-create"))
    assert unit("DINKES") not in page.context["form"].fields["owner_unit"].queryset
    response = client.post(reverse("program-create"), new_program_data())
    assert response.context["form"].errors["owner_unit"]
    assert not Program.objects.filter(title="Aplikasi Antrean Puskesmas").exists()


def test_a_budget_outside_the_programs_years_is_refused(english, new_program_data):
    data = new_program_data(**formset_data("budget", [{"year": 2025, "amount": "1000"}]))
    response = english("bappeda").post(reverse("program-create"), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "The budget for 2025 lies outside the program&#x27;s years (2022–2023)." in text
    assert not Program.objects.filter(title="Aplikasi Antrean Puskesmas").exists()


def _p01():
    return Program.objects.get(title="Layanan Panggilan Darurat 112")


def _edit_data(program, **changes):
    from programs.program_forms import adoption_rows, budget_rows

    data = {
        "title": program.title,
        "code": program.code,
        "description": program.description,
        "supporting_units": list(program.supporting_units.values_list("pk", flat=True)),
        "categories": list(program.categories.values_list("pk", flat=True)),
        "horizon": program.horizon,
        "start_date": program.start_date.isoformat(),
        "end_date": program.end_date.isoformat(),
        "indicators": list(program.indicators.values_list("pk", flat=True)),
        "reason": "",
        **formset_data("budget", budget_rows(program, first_year=None)),
        **formset_data("adoption", adoption_rows(program)),
    }
    data.update(changes)
    return data


def test_editing_a_program_with_reports_needs_a_reason(english, bappeda_user):
    program = _p01()
    client = english("bappeda")
    url = reverse("program-edit", args=[program.pk])
    data = _edit_data(program, description="Layanan 112 terpadu dengan BPBD.")
    response = client.post(url, data)
    assert response.context["form"].errors["reason"] == [
        "This program already has reports: say why it changes."
    ]
    assert _p01().description != "Layanan 112 terpadu dengan BPBD."
    data["reason"] = "Uraian disesuaikan dengan Perwal"
    assert client.post(url, data).status_code == 302
    program = _p01()
    assert program.description == "Layanan 112 terpadu dengan BPBD."
    last = program.history.order_by("-history_id").first()
    assert (last.history_user, last.history_change_reason) == (
        bappeda_user,
        "Uraian disesuaikan dengan Perwal",
    )


def test_the_program_dates_must_keep_its_milestones_and_reported_quarters(english):
    program = _p01()
    response = english("bappeda").post(
        reverse("program-edit", args=[program.pk]),
        _edit_data(program, end_date="2021-03-31", reason="Dipersingkat"),
    )
    errors = " ".join(response.context["form"].errors["end_date"])
    assert "would lie outside the program's new dates" in errors
    assert "already has a report for" in errors
    assert _p01().end_date == datetime.date(2021, 12, 31)


def test_budgets_change_and_are_removed_with_history(english, bappeda_user):
    program = _p01()
    data = _edit_data(program, reason="Perubahan APBD")
    # The 2019 budget goes (amount left empty), 2021's changes.
    for index in range(int(data["budget-TOTAL_FORMS"])):
        year = data[f"budget-{index}-year"]
        if year == "2019":
            data[f"budget-{index}-amount"] = ""
        if year == "2021":
            data[f"budget-{index}-amount"] = "900000000"
    assert (
        english("bappeda").post(reverse("program-edit", args=[program.pk]), data).status_code == 302
    )
    assert dict(program.budgets.values_list("year", "amount")) == {
        2020: D("850000000.00"),
        2021: D("900000000.00"),
    }
    removed = ProgramBudget.history.filter(program_id=program.pk, year=2019).latest("history_id")
    assert (removed.history_type, removed.history_user, removed.history_change_reason) == (
        "-",
        bappeda_user,
        "Perubahan APBD",
    )


def test_an_adoption_indicator_with_realisations_cannot_be_removed(english, make_program):
    program = _p01()
    data = _edit_data(program, reason="Tidak dipakai lagi")
    data["adoption-0-DELETE"] = "on"
    response = english("bappeda").post(reverse("program-edit", args=[program.pk]), data)
    assert "already has realisations in reports; it cannot be removed." in str(
        response.context["form"].non_field_errors()
    )
    assert program.adoption_indicators.count() == 1
    # One without realisations goes, recorded in its history.
    fresh = make_program()
    item = fresh.adoption_indicators.get()
    program_services.set_adoption_indicators(fresh, actor=None, rows=[], reason="Diganti")
    assert not AdoptionIndicator.objects.filter(pk=item.pk).exists()
    assert AdoptionIndicator.history.filter(id=item.pk, history_type="-").exists()


def test_a_new_adoption_indicator_joins_the_open_draft_report(
    make_program, period_2022, dkiss_user, bappeda_user
):
    program = make_program()
    report = reporting.start_report(program, period_2022(1), actor=dkiss_user)
    old = program.adoption_indicators.get()
    program_services.set_adoption_indicators(
        program,
        actor=bappeda_user,
        rows=[
            {"pk": old.pk, "name": old.name, "unit_of_measure": "orang", "quarterly_target": 100},
            {"pk": None, "name": "Unduhan", "unit_of_measure": "kali", "quarterly_target": 50},
        ],
        reason="Indikator baru",
    )
    new = program.adoption_indicators.get(name="Unduhan")
    report = reporting.save_report(
        report,
        actor=dkiss_user,
        expected_version=report.version,
        milestone_percents={},
        adoption_values={new.pk: D("40")},
    )
    assert report.adoption_rows.get(indicator=new).value == D("40")


def test_changing_the_owner_needs_a_reason_and_moves_access(english, login, bappeda_user, unit):
    program = _p01()
    url = reverse("program-owner", args=[program.pk])
    client = english("bappeda")
    response = client.post(url, {"owner_unit": unit("DINKES").pk, "reason": ""})
    assert response.context["form"].errors["reason"]
    assert _p01().owner_unit == unit("DKISS")
    assert login("dkiss").get(reverse("program-detail", args=[program.pk])).status_code == 200

    client = english("bappeda")
    response = client.post(url, {"owner_unit": unit("DINKES").pk, "reason": "Alih tugas ke Dinkes"})
    assert response.status_code == 302
    program = _p01()
    assert program.owner_unit == unit("DINKES")
    last = program.history.order_by("-history_id").first()
    assert (last.history_user, last.history_change_reason) == (bappeda_user, "Alih tugas ke Dinkes")
    # DKISS neither owns nor supports it any more: gone from its pages.
    dkiss = login("dkiss")
    assert dkiss.get(reverse("program-detail", args=[program.pk])).status_code == 404
    assert (
        "Layanan Panggilan Darurat 112" not in dkiss.get(reverse("program-list")).content.decode()
    )


def test_stopping_a_program_needs_a_reason_and_shows_it(english, bappeda_user):
    program = _p01()
    url = reverse("program-state", args=[program.pk])
    client = english("bappeda")
    response = client.post(url, {"state": "stopped", "on": "2021-12-31", "reason": ""})
    assert response.context["form"].errors["reason"]
    response = client.post(
        url, {"state": "stopped", "on": "2021-12-31", "reason": "Digabung ke layanan 112 Banten"}
    )
    assert response.status_code == 302
    program = _p01()
    assert (program.state, program.state_since, program.state_reason) == (
        "stopped",
        datetime.date(2021, 12, 31),
        "Digabung ke layanan 112 Banten",
    )
    last = program.history.order_by("-history_id").first()
    assert (last.history_user, last.history_change_reason) == (
        bappeda_user,
        "Digabung ke layanan 112 Banten",
    )
    detail = client.get(reverse("program-detail", args=[program.pk])).content.decode()
    assert "Digabung ke layanan 112 Banten" in detail and "Stopped since" in detail
    # It leaves the default (active) list; the state filter shows it.
    listed = client.get(reverse("program-list")).content.decode()
    assert "Layanan Panggilan Darurat 112" not in listed
    for state in ("stopped", "all"):
        listed = client.get(reverse("program-list"), {"state": state}).content.decode()
        assert "Layanan Panggilan Darurat 112" in listed
    # It can be made active again, with a reason; never deleted.
    response = client.post(url, {"state": "active", "on": "2022-01-03", "reason": "Dilanjutkan"})
    assert response.status_code == 302
    assert _p01().state == "active"
    assert "Layanan Panggilan Darurat 112" in client.get(reverse("program-list")).content.decode()


def test_a_stop_cannot_come_before_a_quarter_already_reported(english):
    program = _p01()
    response = english("bappeda").post(
        reverse("program-state", args=[program.pk]),
        {"state": "cancelled", "on": "2020-05-01", "reason": "Batal"},
    )
    assert "which starts after that date; choose a later date." in str(
        response.context["form"].errors["on"]
    )
    assert _p01().state == "active"


def test_only_those_who_set_programs_up_see_the_buttons(login):
    program = _p01()
    url = reverse("program-detail", args=[program.pk])
    assert 'id="program-actions"' in login("bappeda").get(url).content.decode()
    for username in ("dkiss", "walikota", "pengelola"):
        assert 'id="program-actions"' not in login(username).get(url).content.decode()
        assert login(username).get(reverse("program-edit", args=[program.pk])).status_code == 403
    assert 'id="new-program"' in login("bappeda").get(reverse("program-list")).content.decode()
    assert 'id="new-program"' not in login("dkiss").get(reverse("program-list")).content.decode()


def _grow(commitment, unit, count, offset):
    for index in range(count):
        services.create_program(
            actor=None,
            commitment=commitment,
            owner_unit=unit("DKISS"),
            title=f"Program beban {offset + index:03d}",
            horizon="short",
            start_date=datetime.date(2021, 1, 1),
            end_date=datetime.date(2021, 12, 31),
            categories=[Category.objects.get(code="governance")],
            supporting_units=[unit("DINKES")],
        )


def _queries(client, url):
    client.get(url)  # warm up process-wide caches first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_program_list_queries_do_not_grow_with_rows(login, commitment, unit):
    urls = [reverse("program-list"), reverse("program-list") + "?state=all&q=beban"]
    counts = []
    for count, offset in ((10, 0), (90, 10)):
        _grow(commitment, unit, count, offset)
        counts.append(
            [_queries(login(user), url) for user in ("bappeda", "dkiss", "dinkes") for url in urls]
        )
    assert counts[0] == counts[1]
