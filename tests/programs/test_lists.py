"""The program list, the verification queue and the commitment list: their filter forms,
Excel exports, select-all and the confirmations of irreversible actions (issue 13)."""

from decimal import Decimal as D
from io import BytesIO

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from programs import reporting
from programs.models import Program

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _form(html, marker="filter-form"):
    start = html.index(marker)
    return html[html.rindex("<form", 0, start) : html.index("</form>", start)]


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(BytesIO(response.content)).active


def _submitted(program, period, writer, budget=None):
    report = reporting.start_report(program, period, actor=writer)
    milestone = program.milestones.order_by("planned_start").first()
    report = reporting.save_report(
        report,
        actor=writer,
        expected_version=report.version,
        milestone_percents={milestone.pk: D("30")},
        budget_realisation=budget,
    )
    return reporting.submit_report(report, actor=writer)


def test_program_filters_are_a_crispy_grid_with_styled_selects(
    login, django_assert_max_num_queries
):
    client = login("bappeda")
    with django_assert_max_num_queries(40):
        html = client.get(reverse("program-list")).content.decode()
    form = _form(html)
    for name in (
        "unit",
        "asda",
        "category",
        "horizon",
        "commitment",
        "status",
        "state",
        "periode",
    ):
        assert f'<select name="{name}" class="select form-select"' in form, name
    # Every field sits in its own grid column: nothing overlaps.
    assert form.count('class="col-') >= 9
    assert "csrfmiddlewaretoken" not in form  # a GET form: no token in the URL


def test_a_unit_member_gets_no_empty_asda_select(login):
    form = _form(login("dkiss").get(reverse("program-list")).content.decode())
    assert 'name="asda"' not in form
    assert 'name="unit"' in form


def test_program_list_filters_still_filter(login, unit):
    dkiss = unit("DKISS")
    response = login("bappeda").get(reverse("program-list"), {"unit": dkiss.pk})
    programs = list(response.context["object_list"])
    assert programs and {p.owner_unit_id for p in programs} == {dkiss.pk}
    assert f'<option value="{dkiss.pk}" selected>' in response.content.decode()


def test_program_list_exports_the_filtered_programs_to_excel(login, unit, cilegon):
    dkiss = unit("DKISS")
    client = login("bappeda")
    page = client.get(reverse("program-list"), {"unit": dkiss.pk}).content.decode()
    assert f"unit={dkiss.pk}&amp;format=xlsx" in page  # the link keeps the filters
    sheet = _sheet(client.get(reverse("program-list"), {"unit": dkiss.pk, "format": "xlsx"}))
    expected = Program.objects.filter(owner_unit=dkiss, state=Program.State.ACTIVE).values_list(
        "title", flat=True
    )
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert sorted(r[1] for r in rows) == sorted(expected)
    assert {r[2] for r in rows} == {str(dkiss)}
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))  # numbers stay numbers


def test_program_export_writes_formula_like_titles_as_text(login, make_program):
    program = make_program(title='=HYPERLINK("http://x")')
    sheet = _sheet(login("bappeda").get(reverse("program-list"), {"format": "xlsx", "q": "HYPER"}))
    cell = sheet.cell(row=4, column=2)
    assert cell.value == program.title and cell.data_type == "s"


def test_program_export_is_for_signed_in_users_only(client):
    response = client.get(reverse("program-list"), {"format": "xlsx"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_queue_keeps_its_filters_when_the_quarter_changes(
    login, make_program, period_2022, unit
):
    period_2022(1)
    second = period_2022(2)
    dkiss = unit("DKISS")
    client = login("bappeda")
    html = client.get(
        reverse("verification-queue"), {"periode": second.pk, "unit": dkiss.pk}
    ).content.decode()
    form = _form(html)
    # The quarter is part of the filter form (and submits it when changed): the unit goes along.
    assert 'name="periode" data-autosubmit' in form
    assert f'<option value="{dkiss.pk}" selected>' in form
    assert f'<option value="{second.pk}" selected>' in form
    assert 'id="period-picker"' not in html


def test_the_queue_has_select_all_and_asks_before_a_bulk_verification(
    login, make_program, period_2022, dkiss_user
):
    period = period_2022(1)
    _submitted(make_program(title="A"), period, dkiss_user)
    html = _in_english(login("bappeda")).get(reverse("verification-queue"), {"periode": period.pk})
    html = html.content.decode()
    assert 'id="select-all"' in html
    assert "js/queue.js" in html and "<script>" not in html
    assert 'id="queue-form" data-confirm="Verify the ticked reports?' in html
    assert 'data-confirm-many="Verify {count} ticked reports?' in html


def test_the_queue_exports_the_filtered_reports_to_excel(
    login, make_program, period_2022, dkiss_user, unit, django_user_model
):
    period = period_2022(1)
    _submitted(make_program(title="Aplikasi Satu"), period, dkiss_user, budget=D("170625000"))
    dinkes = django_user_model.objects.get(username="dinkes")
    _submitted(
        make_program(owner=dinkes.profile.unit.code, title="Aplikasi Dinkes"), period, dinkes
    )
    client = login("bappeda")
    query = {"periode": period.pk, "unit": unit("DKISS").pk}
    page = client.get(reverse("verification-queue"), query).content.decode()
    assert "format=xlsx" in page and "csrf" not in page.split('id="export-xlsx"')[1][:200]
    sheet = _sheet(client.get(reverse("verification-queue"), {**query, "format": "xlsx"}))
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [r[1] for r in rows] == ["Aplikasi Satu"]
    assert rows[0][6] == 170625000  # the budget realisation is a number
    assert sheet.cell(row=4, column=7).data_type == "n"


def test_the_queue_export_is_for_reviewers_only(login, period_2022):
    period = period_2022(1)
    response = login("dkiss").get(
        reverse("verification-queue"), {"periode": period.pk, "format": "xlsx"}
    )
    assert response.status_code == 403


def test_locking_a_quarter_asks_first_and_says_what_happens(login, period_2022):
    period = period_2022(1)
    html = _in_english(login("bappeda")).get(reverse("period-list")).content.decode()
    assert (
        f'data-confirm="Lock {period}? Once it is locked, no report in it can be changed."' in html
    )
    assert f">Lock {period}</button>" in html


def test_commitment_filters_are_a_crispy_grid(login):
    html = login("bappeda").get(reverse("commitment-list")).content.decode()
    form = _form(html)
    assert '<select name="state" class="select form-select"' in form
    assert 'name="year"' in form
    # One government: nothing to choose there.
    assert 'name="government"' not in form


def test_exports_do_not_grow_with_rows(login, make_program, period_2022, dkiss_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    period = period_2022(1)
    client = login("bappeda")
    urls = [
        (reverse("program-list"), {"format": "xlsx", "state": "all"}),
        (reverse("verification-queue"), {"periode": period.pk, "format": "xlsx"}),
    ]

    def counts():
        result = []
        for url, query in urls:
            client.get(url, query)  # the same cache state for every count: a repeat visit
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, query).status_code == 200
            result.append(len(queries))
        return result

    _submitted(make_program(title="Satu"), period, dkiss_user)
    before = counts()
    for index in range(5):
        _submitted(make_program(title=f"Tambahan {index}"), period, dkiss_user)
    assert counts() == before


def _in_english(client):
    """The client with English chosen, so the test reads the source wording."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
