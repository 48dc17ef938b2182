"""A unit's quarterly progress from one pre-filled workbook: every changed program's
report saved as a draft through the report service, or nothing at all when one
cell is wrong (issue 25, "Bulk")."""

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from programs import reporting
from programs.models import ProgressReport
from programs.progress_workbook import (
    ProgressRefused,
    apply_progress,
    preview_progress,
    progress_workbook,
    unit_programs,
)


@pytest.fixture
def setup(make_program, period_2022, unit):
    """Two DKISS programs and one of Dinkes, in TW II 2022 (TW I open too)."""
    q1 = period_2022(1)
    q2 = period_2022(2)
    first = make_program(title="Aplikasi Satu")
    second = make_program(title="Aplikasi Dua")
    other = make_program(owner="DINKES", title="Aplikasi Dinkes")
    return {"q1": q1, "q2": q2, "first": first, "second": second, "other": other, "unit": unit}


def _book(setup):
    unit = setup["unit"]("DKISS")
    content = progress_workbook(unit, setup["q2"], unit_programs(unit.pk, setup["q2"]))
    return load_workbook(io.BytesIO(content))


def _set(book, sheet, program, value, column, row_id=None, nth=0):
    """Put ``value`` in ``column`` of the ``nth`` row of ``program`` (or of row ``row_id``)."""
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    rows = [r for r in ws.iter_rows(min_row=2) if r[0].value == program.pk]
    if row_id is not None:
        rows = [r for r in rows if r[1].value == row_id]
    rows[nth][header.index(column)].value = value
    return rows[nth][0].row


def _bytes(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _reports(setup):
    return ProgressReport.objects.filter(period=setup["q2"]).count()


def test_the_workbook_holds_the_units_programs_prefilled(setup):
    book = _book(setup)
    assert book.sheetnames == ["Petunjuk", "Program", "Milestone", "Indikator", "Adopsi"]
    ids = {r[0].value for r in book["Program"].iter_rows(min_row=2)}
    assert {setup["first"].pk, setup["second"].pk} <= ids
    assert setup["other"].pk not in ids  # another unit's program
    assert book["Milestone"].protection.sheet  # read-only but for the input columns
    header = [c.value for c in book["Milestone"][1]]
    assert "Progres Terverifikasi Sebelumnya (%)" in header


def test_a_good_workbook_saves_drafts_through_the_service(setup, dkiss_user):
    first, second = setup["first"], setup["second"]
    book = _book(setup)
    for nth, value in enumerate(["100", "40,5", 0]):
        _set(book, "Milestone", first, value, "Progres (%)", nth=nth)
    _set(book, "Indikator", first, "3,27", "Realisasi")  # the SPBE index, 1-5
    _set(book, "Indikator", first, "Data dari dasbor", "Keterangan")
    _set(book, "Adopsi", first, 1240, "Nilai")
    _set(book, "Program", first, "25.000.000", "Realisasi Anggaran (Rp)")
    _set(book, "Program", first, "Dukungan pimpinan", "Faktor Pendorong")
    unit = setup["unit"]("DKISS")
    programs = unit_programs(unit.pk, setup["q2"])
    checked = preview_progress(setup["q2"], programs, _bytes(book))
    assert checked.is_valid, [str(p) for p in checked.problems]
    preview = apply_progress(setup["q2"], programs, _bytes(book), "p.xlsx", actor=dkiss_user)
    assert [item.context.program for item in preview.items] == [first]  # second: unchanged
    report = ProgressReport.objects.get(program=first, period=setup["q2"])
    assert report.state == ProgressReport.State.DRAFT
    percents = sorted(r.percent for r in report.milestone_rows.all())
    assert percents == [D("0"), D("40.5"), D("100")]
    row = report.indicator_rows.get()
    assert row.value == D("3.27") and row.note == "Data dari dasbor"
    assert report.adoption_rows.get().value == D("1240")
    assert report.budget_realisation == D("25000000")
    assert report.supporting_factors == "Dukungan pimpinan"
    assert not ProgressReport.objects.filter(program=second, period=setup["q2"]).exists()
    assert report.history.first().history_user == dkiss_user
    assert "p.xlsx" in report.history.first().history_change_reason


BAD = {
    "bad number": ("Indikator", "Realisasi", "3,2x"),
    "outside the indicator's bounds": ("Indikator", "Realisasi", "71,90"),
    "progress over 100": ("Milestone", "Progres (%)", "120"),
    "ambiguous number": ("Adopsi", "Nilai", "1.240"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_cell_saves_nothing_and_is_named(setup, dkiss_user, case):
    sheet, column, value = BAD[case]
    book = _book(setup)
    _set(book, "Milestone", setup["second"], "50", "Progres (%)")  # a good change elsewhere
    row = _set(book, sheet, setup["first"], value, column)
    programs = unit_programs(setup["unit"]("DKISS").pk, setup["q2"])
    preview = preview_progress(setup["q2"], programs, _bytes(book))
    assert (sheet, row, column) in {(p.sheet, p.row, p.column) for p in preview.problems}
    with pytest.raises(ProgressRefused):
        apply_progress(setup["q2"], programs, _bytes(book), "p.xlsx", actor=dkiss_user)
    assert _reports(setup) == 0


def test_a_value_for_another_units_program_is_refused(setup, dkiss_user):
    book = _book(setup)
    _set(book, "Milestone", setup["first"], "50", "Progres (%)")
    ws = book["Milestone"]
    other = setup["other"]
    milestone = other.milestones.first()
    ws.append([other.pk, milestone.pk, other.title, milestone.title, None, None, "60"])
    programs = unit_programs(setup["unit"]("DKISS").pk, setup["q2"])
    preview = preview_progress(setup["q2"], programs, _bytes(book))
    assert [(p.sheet, p.row, p.column) for p in preview.problems] == [
        ("Milestone", ws.max_row, "ID Program")
    ]
    with pytest.raises(ProgressRefused):
        apply_progress(setup["q2"], programs, _bytes(book), "p.xlsx", actor=dkiss_user)
    assert _reports(setup) == 0


def test_a_milestone_of_another_program_is_refused(setup):
    book = _book(setup)
    wrong = setup["second"].milestones.first().pk
    row = _set(book, "Milestone", setup["first"], wrong, "ID Milestone")
    programs = unit_programs(setup["unit"]("DKISS").pk, setup["q2"])
    preview = preview_progress(setup["q2"], programs, _bytes(book))
    assert ("Milestone", row, "ID Milestone") in {
        (p.sheet, p.row, p.column) for p in preview.problems
    }


def test_a_far_off_value_is_saved_only_once_confirmed(setup, dkiss_user):
    first = setup["first"]
    q1 = reporting.start_report(first, setup["q1"], actor=dkiss_user)
    adoption = first.adoption_indicators.get()
    reporting.save_report(
        q1,
        actor=dkiss_user,
        expected_version=q1.version,
        milestone_percents={},
        adoption_values={adoption.pk: D("12")},
    )
    book = _book(setup)
    _set(book, "Adopsi", first, "5000", "Nilai")
    programs = unit_programs(setup["unit"]("DKISS").pk, setup["q2"])
    preview = preview_progress(setup["q2"], programs, _bytes(book))
    assert preview.is_valid and preview.warnings
    with pytest.raises(ProgressRefused) as refused:
        apply_progress(setup["q2"], programs, _bytes(book), "p.xlsx", actor=dkiss_user)
    assert refused.value.unconfirmed and _reports(setup) == 0
    apply_progress(setup["q2"], programs, _bytes(book), "p.xlsx", actor=dkiss_user, confirmed=True)
    row = ProgressReport.objects.get(program=first, period=setup["q2"]).adoption_rows.get()
    assert row.value == D("5000")
    assert "confirmed" in row.history.first().history_change_reason or "dikonfirmasi" in (
        row.history.first().history_change_reason
    )


def test_the_pages_upload_preview_and_save(setup, login):
    client = login("dkiss")
    q2 = setup["q2"]
    tasks = client.get(f"{reverse('my-tasks')}?periode={q2.pk}").content.decode()
    assert reverse("progress-workbook", args=[q2.pk]) in tasks
    download = client.get(reverse("progress-workbook-download", args=[q2.pk]))
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(download.content))
    _set(book, "Milestone", setup["first"], "55", "Progres (%)")
    upload = SimpleUploadedFile("p.xlsx", _bytes(book), content_type="application/octet-stream")
    preview = client.post(reverse("progress-workbook", args=[q2.pk]), {"file": upload})
    assert preview.status_code == 200 and 'id="progress-apply"' in preview.content.decode()
    assert _reports(setup) == 0
    token = preview.context["token"]
    done = client.post(
        reverse("progress-workbook-apply", args=[q2.pk]), {"token": token, "action": "apply"}
    )
    assert done.status_code == 302
    report = ProgressReport.objects.get(program=setup["first"], period=q2)
    assert report.state == ProgressReport.State.DRAFT


@pytest.mark.parametrize("username", ["bappeda", "pengelola", "walikota"])
def test_only_a_unit_member_uses_the_workbook(setup, login, username):
    client = login(username)
    q2 = setup["q2"]
    assert client.get(reverse("progress-workbook", args=[q2.pk])).status_code == 403
    assert client.get(reverse("progress-workbook-download", args=[q2.pk])).status_code == 403
    assert client.post(reverse("progress-workbook-apply", args=[q2.pk])).status_code == 403
