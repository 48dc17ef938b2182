"""A program's milestones on one page: add, edit, reorder and remove them in one save.

Weights add up to 100 %, planned dates lie within the program, a milestone with
reported progress stays, one with verified progress changes only with a
reason; any error saves nothing.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from programs import reporting, services
from programs.models import Milestone, Program
from programs.program_forms import EXTRA_MILESTONE_ROWS, milestone_rows
from tests.programs.test_program_setup import formset_data


def _p01():
    return Program.objects.get(title="Layanan Panggilan Darurat 112")


def _post(client, program, rows, reason="", extra=0):
    data = {**formset_data("milestone", rows[: len(rows) - extra], extra=extra), "reason": reason}
    for index, row in enumerate(rows[len(rows) - extra :], start=len(rows) - extra):
        for name, value in row.items():
            data[f"milestone-{index}-{name}"] = "" if value is None else str(value)
    return client.post(reverse("program-milestones", args=[program.pk]), data)


def _snapshot(program):
    return list(
        Milestone.objects.filter(program=program)
        .order_by("pk")
        .values_list("pk", "title", "planned_start", "planned_finish", "weight", "order")
    )


@pytest.fixture
def bappeda(login):
    """Bappeda's client, in English (the source strings, whatever is compiled)."""
    client = login("bappeda")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize(
    "weight, message",
    [
        ("30", "The milestone weights add up to 90 %; 10 % short of 100 %."),
        ("45", "The milestone weights add up to 105 %; 5 % over 100 %."),
    ],
)
def test_weights_must_add_up_to_100(bappeda, make_program, weight, message):
    program = make_program()
    before = _snapshot(program)
    rows = milestone_rows(program)
    rows[2]["weight"] = weight  # Peluncuran: 40 -> 30 or 45
    response = _post(bappeda, program, rows)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _snapshot(program) == before


def test_planned_dates_are_checked_on_the_right_row(bappeda, make_program):
    program = make_program()
    before = _snapshot(program)
    rows = milestone_rows(program)
    rows[0]["planned_start"] = datetime.date(2021, 12, 1)  # before the program starts
    rows[2]["planned_finish"] = datetime.date(2022, 9, 1)  # before its own start
    rows[1]["title"] = "Pengembangan aplikasi"  # a valid change, not saved either
    response = _post(bappeda, program, rows)
    forms = response.context["formset"].forms
    assert forms[0].errors["planned_start"] == [
        "It lies outside the program's dates (1 Januari 2022 – 31 Desember 2022)."
    ]
    assert forms[2].errors["planned_finish"] == ["It finishes before it starts."]
    assert not forms[1].errors
    assert _snapshot(program) == before


def test_a_milestone_with_reported_progress_cannot_be_removed(bappeda):
    program = _p01()
    before = _snapshot(program)
    rows = milestone_rows(program)
    rows[1]["weight"] = rows[0]["weight"] + rows[1]["weight"]  # keep 100 % without row 0
    rows[0]["DELETE"] = "on"
    response = _post(bappeda, program, rows, reason="Tidak perlu")
    assert (
        f"Milestone “{rows[0]['title']}” already has reported progress; it cannot be removed."
        in response.content.decode()
    )
    assert _snapshot(program) == before


def test_a_milestone_without_progress_is_removed_with_history(bappeda, make_program, bappeda_user):
    program = make_program()
    rows = milestone_rows(program)
    gone = rows[1]["pk"]
    rows[2]["weight"] = "70"
    rows[1]["DELETE"] = "on"
    response = _post(bappeda, program, rows, reason="Digabung dengan peluncuran")
    assert response.status_code == 302
    assert [m.title for m in program.milestones.all()] == ["KAK", "Peluncuran"]
    deleted = Milestone.history.get(id=gone, history_type="-")
    assert (deleted.history_user, deleted.history_change_reason) == (
        bappeda_user,
        "Digabung dengan peluncuran",
    )


def test_renaming_a_verified_milestone_needs_a_reason_kept_in_its_history(bappeda, bappeda_user):
    program = _p01()
    before = _snapshot(program)
    rows = milestone_rows(program)
    old_title = rows[0]["title"]
    rows[0]["title"] = "Penyusunan KAK dan SOP 112"
    response = _post(bappeda, program, rows)
    errors = response.context["page"].errors["reason"]
    assert errors == [
        f"“{old_title}” already has verified progress: say why it changes "
        "(the reason is kept in its history)."
    ]
    assert _snapshot(program) == before

    response = _post(bappeda, program, rows, reason="Judul disesuaikan dengan dokumen KAK")
    assert response.status_code == 302
    milestone = Milestone.objects.get(pk=rows[0]["pk"])
    assert milestone.title == "Penyusunan KAK dan SOP 112"
    last = milestone.history.order_by("-history_id").first()
    assert (last.history_user, last.history_change_reason, last.title) == (
        bappeda_user,
        "Judul disesuaikan dengan dokumen KAK",
        "Penyusunan KAK dan SOP 112",
    )


def test_reordering_is_saved_and_shown(bappeda, make_program):
    program = make_program()
    rows = milestone_rows(program)
    for row, order in zip(rows, (3, 1, 2), strict=True):
        row["order"] = order
    assert _post(bappeda, program, rows).status_code == 302
    assert [(m.title, m.order) for m in program.milestones.all()] == [
        ("Pengembangan", 1),
        ("Peluncuran", 2),
        ("KAK", 3),
    ]
    page = bappeda.get(reverse("program-detail", args=[program.pk])).content.decode()
    assert page.index("Pengembangan") < page.index("Peluncuran") < page.index("KAK")


def test_the_page_offers_empty_rows_without_javascript_and_adds_a_milestone(bappeda, make_program):
    program = make_program()
    page = bappeda.get(reverse("program-milestones", args=[program.pk]))
    assert page.context["formset"].total_form_count() == 3 + EXTRA_MILESTONE_ROWS
    assert 'src="/static/js/formset.js"' in page.content.decode()
    rows = milestone_rows(program)
    rows[2]["weight"] = "20"
    rows.append(
        {
            "title": "Sosialisasi",
            "deliverable": "Warga terlatih",
            "planned_start": "2022-11-01",
            "planned_finish": "2022-12-15",
            "weight": "20",
            "order": "",
        }
    )
    response = _post(bappeda, program, rows, extra=1)
    assert response.status_code == 302
    added = program.milestones.get(title="Sosialisasi")
    assert (added.order, added.weight, added.deliverable) == (4, D("20"), "Warga terlatih")


def test_set_milestones_saves_nothing_on_any_error(make_program, bappeda_user):
    program = make_program()
    before = _snapshot(program)
    rows = [dict(row) for row in milestone_rows(program)]
    rows[0]["title"] = "KAK baru"
    rows[1]["pk"] = 999999  # not a milestone of this program
    with pytest.raises(ValidationError) as error:
        services.set_milestones(program, actor=bappeda_user, rows=rows, reason="Uji")
    assert "1:__all__" in error.value.message_dict
    assert _snapshot(program) == before
    with pytest.raises(ValidationError):
        services.add_milestones(program, actor=bappeda_user, milestones=rows[:1])


def test_a_new_milestone_joins_the_open_draft_report(
    make_program, period_2022, dkiss_user, bappeda_user
):
    program = make_program()
    report = reporting.start_report(program, period_2022(1), actor=dkiss_user)
    rows = milestone_rows(program)
    rows[2]["weight"] = D("20")
    rows.append(
        {
            "pk": None,
            "title": "Evaluasi",
            "deliverable": "",
            "planned_start": datetime.date(2022, 12, 1),
            "planned_finish": datetime.date(2022, 12, 31),
            "weight": D("20"),
        }
    )
    services.set_milestones(program, actor=bappeda_user, rows=rows, reason="Tahap evaluasi")
    new = program.milestones.get(title="Evaluasi")
    report = reporting.save_report(
        report,
        actor=dkiss_user,
        expected_version=report.version,
        milestone_percents={new.pk: D("10")},
    )
    assert report.milestone_rows.get(milestone=new).percent == D("10")
