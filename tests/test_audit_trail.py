"""Issue 13: every change to a report's, a program's and a commitment's rows is in its history.

Each test changes one kind of row through the services and reads the change
back from the history PAGE a person opens: old -> new as people write them,
the actor's name and the reason.
"""

import datetime
import html
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from commitments import services as commitment_services
from programs import program_services, reporting, services
from programs.models import (
    AdoptionRealisation,
    Indicator,
    IndicatorRealisation,
    MilestoneProgress,
    ProgramBudget,
    ProgressEvidence,
)
from tests.factories import smart_city_scheme
from tests.programs import conftest as program_fixtures
from tracker.history import Entry

pytestmark = pytest.mark.django_db

# The programs' fixtures (a DKISS program with three milestones, the 2022 quarters).
bappeda_user = program_fixtures.bappeda_user
dkiss_user = program_fixtures.dkiss_user
make_program = program_fixtures.make_program
period_2022 = program_fixtures.period_2022

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _page(client, app, model, pk, page=None):
    url = reverse("history", args=[app, model, pk])
    response = client.get(url, {"page": page} if page else {})
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _rows(text):
    """The history table's rows, each as its plain text (tags dropped)."""
    import re

    body = text.split('id="history"', 1)[1]
    rows = re.findall(r'<tr class="history-entry">(.*?)</tr>', body, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def _title(model):
    """How a part of a record is named on the page, in the page's language."""
    with translation.override("id"):
        return capfirst(str(model._meta.verbose_name))


def _row_with(text, *needles):
    matches = [row for row in _rows(text) if all(n in row for n in needles)]
    assert matches, f"no history row with {needles!r} in {_rows(text)!r}"
    return matches[0]


@pytest.fixture
def report(make_program, period_2022, dkiss_user):
    program = make_program()
    return reporting.start_report(program, period_2022(1), actor=dkiss_user)


def _save(report, actor, reason, **changes):
    report.refresh_from_db()
    milestones = list(report.program.milestones.order_by("order", "planned_start"))
    values = {
        "milestone_percents": {
            m.pk: row.percent
            for m in milestones
            for row in [report.milestone_rows.get(milestone=m)]
        },
        "budget_realisation": report.budget_realisation,
    }
    values.update(changes)
    return reporting.save_report(
        report, actor=actor, expected_version=report.version, reason=reason, **values
    )


# --- A report's rows ----------------------------------------------------------------------


def test_indicator_realisation_change_is_in_the_report_history(report, dkiss_user, login):
    indicator = Indicator.objects.get(
        plan__government=report.program.commitment.government, code="IKU-1.1"
    )
    _save(report, dkiss_user, "Data BPS awal", indicator_values={indicator.pk: D("3.11")})
    _save(report, dkiss_user, "Angka BPS final", indicator_values={indicator.pk: D("3.5")})
    text = _page(login("dkiss"), "programs", "progressreport", report.pk)
    row = _row_with(text, "3,11 → 3,5")
    assert "IKU-1.1" in row and _title(IndicatorRealisation) in row
    assert "Angka BPS final" in row and dkiss_user.get_full_name() in row


def test_milestone_progress_change_is_in_the_report_history(report, dkiss_user, login):
    first = report.program.milestones.order_by("order", "planned_start").first()
    percents = {row.milestone_id: row.percent for row in report.milestone_rows.all()}
    _save(
        report,
        dkiss_user,
        "KAK selesai sebagian",
        milestone_percents={**percents, first.pk: D("37.5")},
    )
    row = _row_with(_page(login("dkiss"), "programs", "progressreport", report.pk), "0 → 37,5")
    assert _title(MilestoneProgress) in row and "KAK" in row
    assert "KAK selesai sebagian" in row and dkiss_user.get_full_name() in row


def test_adoption_realisation_change_is_in_the_report_history(report, dkiss_user, login):
    adoption = report.program.adoption_indicators.get()
    _save(report, dkiss_user, "Hitungan server", adoption_values={adoption.pk: D("1250")})
    row = _row_with(_page(login("dkiss"), "programs", "progressreport", report.pk), "— → 1.250")
    assert _title(AdoptionRealisation) in row and "Pengguna" in row
    assert "Hitungan server" in row and dkiss_user.get_full_name() in row


def test_budget_realisation_change_is_in_the_report_history(report, dkiss_user, login):
    _save(report, dkiss_user, "SP2D pertama", budget_realisation=D("170625000"))
    _save(report, dkiss_user, "SP2D kedua", budget_realisation=D("180000000.50"))
    text = _page(login("dkiss"), "programs", "progressreport", report.pk)
    row = _row_with(text, "170.625.000 → 180.000.000,5")
    assert "SP2D kedua" in row and dkiss_user.get_full_name() in row
    assert "— → 170.625.000" in _row_with(text, "SP2D pertama")


def test_evidence_added_and_removed_are_in_the_report_history(report, dkiss_user, login):
    _save(
        report,
        dkiss_user,
        "Foto kegiatan",
        evidence=[SimpleUploadedFile("audit-kegiatan.png", PNG, content_type="image/png")],
    )
    item = ProgressEvidence.objects.get(report=report)
    name, pk, sha256 = str(item), item.pk, item.sha256
    reporting.remove_evidence(item, actor=dkiss_user, reason="Salah foto")
    assert not ProgressEvidence.objects.filter(report=report).exists()
    last = ProgressEvidence.history.filter(id=pk).latest("history_id")
    assert (last.history_type, last.history_user, last.history_change_reason) == (
        "-",
        dkiss_user,
        "Salah foto",
    )
    with translation.override("id"):
        text = _page(login("dkiss"), "programs", "progressreport", report.pk)
        evidence = capfirst(ProgressEvidence._meta.verbose_name)  # "Bukti"
        was_added = gettext("%(name)s added: %(label)s") % {"name": evidence, "label": name}
        was_removed = gettext("%(name)s removed: %(label)s") % {"name": evidence, "label": name}
    added = _row_with(text, was_added)
    assert sha256 in added and "Foto kegiatan" in added
    removed = _row_with(text, was_removed)
    assert "Salah foto" in removed and dkiss_user.get_full_name() in removed


def test_the_unit_removes_evidence_from_the_report_page(report, dkiss_user, login):
    """The report form lists the attached files, each with a remove button (its own
    POST); Dinkes, who does not see the report, gets a 404 and removes nothing."""
    _save(report, dkiss_user, "", evidence=[SimpleUploadedFile("audit-halaman.png", PNG)])
    item = ProgressEvidence.objects.get(report=report)
    remove = reverse("report-evidence-remove", args=[report.pk, item.pk])
    client = login("dkiss")
    form = client.get(reverse("report-edit", args=[report.program_id, report.period_id]))
    assert remove in form.content.decode()
    assert login("dinkes").post(remove).status_code == 404
    assert ProgressEvidence.objects.filter(pk=item.pk).exists()
    response = login("dkiss").post(remove, {"reason": "Salah berkas"})
    assert response.status_code == 302
    assert not ProgressEvidence.objects.filter(pk=item.pk).exists()
    last = ProgressEvidence.history.filter(id=item.pk).latest("history_id")
    assert (last.history_type, last.history_user) == ("-", dkiss_user)


def test_evidence_cannot_be_removed_from_a_submitted_report(report, dkiss_user):
    from django.core.exceptions import ValidationError

    _save(report, dkiss_user, "", evidence=[SimpleUploadedFile("audit-terkirim.png", PNG)])
    report.refresh_from_db()
    reporting.submit_report(report, actor=dkiss_user)
    item = ProgressEvidence.objects.get(report=report)
    with pytest.raises(ValidationError):
        reporting.remove_evidence(item, actor=dkiss_user, reason="x")
    assert ProgressEvidence.objects.filter(pk=item.pk).exists()


# --- A program's rows and links -----------------------------------------------------------


def test_milestone_change_is_in_the_program_history(make_program, bappeda_user, login):
    program = make_program()
    rows = [
        {
            "pk": m.pk,
            "title": m.title,
            "deliverable": m.deliverable,
            "planned_start": m.planned_start,
            "planned_finish": m.planned_finish,
            "weight": m.weight,
        }
        for m in program.milestones.order_by("order", "planned_start")
    ]
    rows[0]["weight"], rows[1]["weight"] = D("25"), D("35")
    rows[2]["title"] = "Peluncuran publik"
    services.set_milestones(program, actor=bappeda_user, rows=rows, reason="Revisi jadwal")
    text = _page(login("bappeda"), "programs", "program", program.pk)
    row = _row_with(text, "30 → 25")
    assert "KAK" in row and "Revisi jadwal" in row and bappeda_user.get_full_name() in row
    assert "Peluncuran → Peluncuran publik" in _row_with(text, "Peluncuran publik")


def test_budget_change_is_in_the_program_history(make_program, bappeda_user, login):
    program = make_program()
    program_services.set_budgets(
        program, actor=bappeda_user, budgets={2022: D("170625000")}, reason="APBD-P 2022"
    )
    text = _page(login("bappeda"), "programs", "program", program.pk)
    row = _row_with(text, "100.000.000 → 170.625.000")
    assert f"{_title(ProgramBudget)} 2022" in row
    assert "APBD-P 2022" in row and bappeda_user.get_full_name() in row


def test_linked_indicator_added_and_removed_are_in_the_program_history(
    make_program,
    bappeda_user,
    login,
    cilegon,
):
    program = make_program()
    first = program.indicators.get()
    other = Indicator.objects.filter(plan__government=cilegon).exclude(pk=first.pk).first()
    program_services.update_program(
        program, actor=bappeda_user, indicators=[first, other], reason="Tambah IKU"
    )
    program_services.update_program(
        program, actor=bappeda_user, indicators=[other], reason="Lepas IKU lama"
    )
    text = _page(login("bappeda"), "programs", "program", program.pk)
    added = _row_with(text, "Tambah IKU")
    assert f"{first} → " in added and str(other) in added
    assert bappeda_user.get_full_name() in added
    removed = _row_with(text, "Lepas IKU lama")
    assert f"→ {other}" in removed


def test_supporting_unit_added_is_in_the_program_history(make_program, bappeda_user, login, unit):
    program = make_program()
    program_services.update_program(
        program, actor=bappeda_user, supporting_units=[unit("DINKES")], reason="Dinkes membantu"
    )
    row = _row_with(_page(login("bappeda"), "programs", "program", program.pk), "Dinkes membantu")
    assert f"— → {unit('DINKES')}" in row and bappeda_user.get_full_name() in row


# --- A commitment's points and signatories -------------------------------------------------


@pytest.fixture
def draft(cilegon, unit, bappeda_user):
    return commitment_services.create_commitment(
        actor=bappeda_user,
        government=cilegon,
        theme="Smart City",
        scheme=smart_city_scheme(),
        title="Komitmen Bersama Uji Riwayat",
        date=datetime.date(2020, 1, 6),
        place="Aula Bappeda",
        legal_basis="Perwal",
        points=["Satu", "Dua"],
        signatories=[unit("DKISS")],
        reason="Rancangan",
    )


def _commitment_page(client, commitment):
    response = client.get(reverse("commitment-history", args=[commitment.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_commitment_point_change_is_in_its_history(draft, bappeda_user, login):
    commitment_services.set_points(
        draft, actor=bappeda_user, texts=["Satu", "Dua diperbaiki"], reason="Redaksi"
    )
    row = _row_with(_commitment_page(login("bappeda"), draft), "Dua → Dua diperbaiki")
    assert "Redaksi" in row and bappeda_user.get_full_name() in row


def test_signatory_added_and_removed_are_in_its_history(draft, bappeda_user, login, unit):
    commitment_services.set_signatories(
        draft, actor=bappeda_user, units=[unit("DKISS"), unit("DINKES")], reason="Tambah Dinkes"
    )
    commitment_services.set_signatories(
        draft, actor=bappeda_user, units=[unit("DINKES")], reason="DKISS keluar"
    )
    text = _commitment_page(login("bappeda"), draft)
    added = _row_with(text, "Tambah Dinkes")
    assert str(unit("DINKES")) in added and bappeda_user.get_full_name() in added
    removed = _row_with(text, "DKISS keluar")
    assert str(unit("DKISS")) in removed and bappeda_user.get_full_name() in removed


def test_a_commitment_row_does_not_repeat_the_model_name(draft, login):
    with translation.override("id"):
        text = _commitment_page(login("bappeda"), draft)
    rows = " | ".join(_rows(text))
    assert "Komitmen Bersama Uji Riwayat" in rows
    assert "Komitmen Komitmen" not in rows


def test_entry_title_names_the_model_only_when_the_name_does_not_say_it(draft):
    record = draft.history.first()
    assert Entry(record, [], model_name="komitmen").title == "Komitmen Bersama Uji Riwayat"
    assert Entry(record, [], model_name="poin", label="1").title == "poin 1"


# --- Pages of 25, in a bounded number of queries ---------------------------------------------


def test_the_history_is_paginated_by_25(report, dkiss_user, login):
    for n in range(30):
        _save(report, dkiss_user, f"Simpan ke-{n}", supporting_factors=f"Dukungan {n}")
    client = login("dkiss")
    first = _page(client, "programs", "progressreport", report.pk)
    assert len(_rows(first)) == 25
    assert "Simpan ke-29" in _rows(first)[0]
    assert not any(row.endswith("Simpan ke-0") for row in _rows(first))
    second = _page(client, "programs", "progressreport", report.pk, page=2)
    assert 0 < len(_rows(second)) <= 25
    assert any(row.endswith("Simpan ke-0") for row in _rows(second))


def test_the_report_history_runs_a_bounded_number_of_queries(
    report, dkiss_user, login, django_assert_max_num_queries
):
    client = login("dkiss")
    indicator = report.indicator_rows.get().indicator
    adoption = report.program.adoption_indicators.get()

    def change(times):
        for n in range(times):
            _save(
                report,
                dkiss_user,
                f"Putaran {n}",
                indicator_values={indicator.pk: D(n % 4 + 1)},
                adoption_values={adoption.pk: D(n + 10)},
                budget_realisation=D(1000 * (n + 1)),
                evidence=[SimpleUploadedFile(f"audit-putaran-{n}.png", PNG)],
            )

    change(2)
    with django_assert_max_num_queries(30) as few:
        _page(client, "programs", "progressreport", report.pk)
    change(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        _page(client, "programs", "progressreport", report.pk)


def test_the_program_history_runs_a_bounded_number_of_queries(
    make_program,
    bappeda_user,
    login,
    unit,
    django_assert_max_num_queries,
):
    program = make_program()
    client = login("bappeda")

    def change(codes):
        for n, code in enumerate(codes):
            program_services.update_program(
                program, actor=bappeda_user, supporting_units=[unit(code)], reason=f"Ganti {n}"
            )
            program_services.set_budgets(
                program, actor=bappeda_user, budgets={2022: D(1000 + n)}, reason=f"Pagu {n}"
            )

    change(["DINKES"])
    with django_assert_max_num_queries(30) as few:
        _page(client, "programs", "program", program.pk)
    change(["BAPPEDA", "DKPP", "BPBD", "DINKES", "DKPP"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        _page(client, "programs", "program", program.pk)


def test_history_of_another_governments_program_is_not_found(make_program, login):
    program = make_program()
    response = login("serang").get(reverse("history", args=["programs", "program", program.pk]))
    assert response.status_code == 404


def test_links_made_before_they_were_tracked_do_not_show_as_new(
    make_program, bappeda_user, login, unit, monkeypatch
):
    """Migration 0007 snapshots the links of each program's latest history row."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "programs.migrations.0007_program_link_history_and_verbose_names"
    )
    # Run on today's schema: the dimensions link became the categories link (0009).
    links = (("supporting_units", "unit"), ("categories", "category"), ("indicators", "indicator"))
    monkeypatch.setattr(migration, "LINKS", links)
    program = make_program(supporting=["DINKES"])
    latest = program.history.latest("history_id")
    for field in ("supporting_units", "categories", "indicators"):
        apps.get_model("programs", f"HistoricalProgram_{field}").objects.filter(
            history_id=latest.history_id
        ).delete()  # as before the migration: rows without a snapshot
    migration.snapshot_current_links(apps, None)
    program_services.update_program(
        program, actor=bappeda_user, title="Aplikasi Uji Baru", reason="Nama baru"
    )
    row = _row_with(_page(login("bappeda"), "programs", "program", program.pk), "Nama baru")
    assert "Aplikasi Uji → Aplikasi Uji Baru" in row
    assert str(unit("DINKES")) not in row and str(program.indicators.get()) not in row
