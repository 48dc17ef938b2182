"""The monitoring dashboard: its quarter, links, late milestones, Excel export, the
page a unit member gets instead, and the indicator page that agrees with it."""

import datetime
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from programs import charts, monitoring, selectors, status
from programs.models import Indicator, Program, ReportingPeriod
from tracker import services as tracker_services


@pytest.fixture
def tw3_2021(cilegon):
    return ReportingPeriod.objects.get(government=cilegon, year=2021, quarter=3)


def _dashboard(client, period, **params):
    query = "&".join(f"{k}={v}" for k, v in {"periode": period.pk, **params}.items())
    return client.get(f"{reverse('dashboard')}?{query}")


def _text(response):
    return response.content.decode()


def _section(html, element_id, tag_class=None):
    """The markup of the element with ``element_id`` (or the first with the class
    ``tag_class``), up to its closing tag."""
    attribute = f'class="[^"]*{tag_class}[^"]*"' if tag_class else f'id="{element_id}"'
    match = re.search(rf"<(\w+)[^>]*{attribute}.*?</\1>", html, re.S)
    assert match, element_id or tag_class
    return match.group(0)


# --- Which quarter, and the date the statuses are judged on ---------------------------


def test_dashboard_names_its_quarter_and_the_status_date(login, tw3_2021):
    html = _text(_dashboard(login("bappeda"), tw3_2021))
    assert "Triwulan III 2021" in _section(html, "dashboard-quarter")
    assert "30 September 2021" in _section(html, "status-date")


# --- Late milestones: counted, linked, and the same as the program page ---------------


def test_a_late_milestone_of_a_program_that_ended_earlier_is_listed_as_its_page_shows_it(
    login, cilegon, tw3_2021
):
    """The bug: a program that ended in 2020 with milestones never finished shows them
    late on its page for TW III 2021, and the dashboard left them out."""
    client = login("bappeda")
    program = Program.objects.get(
        commitment__government=cilegon, title="Sistem Informasi Harga Pasar"
    )
    assert program.end_date < datetime.date(2021, 7, 1)  # ended before the quarter
    page = client.get(reverse("program-detail", args=[program.pk]) + f"?periode={tw3_2021.pk}")
    late_on_page = {m.pk for m, _p, state, _label in page.context["milestones"] if state == "late"}
    assert late_on_page  # its page shows late milestones

    dashboard = _dashboard(client, tw3_2021)
    listed = {
        m.pk for m, _p, _program in monitoring.late_milestones(page.wsgi_request.user, tw3_2021)
    }
    assert late_on_page <= listed
    # ... and the late-milestones page lists them (all pages together).
    rows = _late_page_rows(client, tw3_2021)
    assert late_on_page <= {m.pk for m, _p, _program in rows}
    assert len(rows) == dashboard.context["overdue_count"]


def test_late_list_agrees_with_every_program_page(login, cilegon, tw3_2021, bappeda_user):
    """For every program not stopped, the milestones its page calls late are exactly
    the ones the dashboard's list holds for it (the page's own selector, one program
    at a time)."""
    listed = {}
    for milestone, _p, program in monitoring.late_milestones(bappeda_user, tw3_2021):
        listed.setdefault(program.pk, set()).add(milestone.pk)
    programs = selectors.programs_visible_to(bappeda_user).filter(
        start_date__lte=datetime.date(2021, 9, 30), state=Program.State.ACTIVE
    )
    assert programs.count() > 10
    for program in programs:
        _state, rows = selectors.program_statuses([program], tw3_2021)[program.pk]
        late = {m.pk for m, _p, s in rows if s == status.LATE}
        assert listed.get(program.pk, set()) == late, program.title


def _late_page_rows(client, period):
    rows, page = [], 1
    while True:
        response = client.get(reverse("late-milestones"), {"periode": period.pk, "page": page})
        assert response.status_code == 200
        rows += list(response.context["page_obj"].object_list)
        if not response.context["page_obj"].has_next():
            return rows
        page += 1


def test_dashboard_says_how_many_milestones_are_late_and_links_to_all(login, tw3_2021):
    client = login("bappeda")
    response = _dashboard(client, tw3_2021)
    count = response.context["overdue_count"]
    assert count > 15  # the demo has more than the dashboard shows
    html = _text(response)
    assert f"({count})" in _section(html, "overdue-heading")
    assert html.count("<tr>", html.index('id="overdue"')) >= 15
    link = _section(html, "all-late")
    assert f"{reverse('late-milestones')}?periode={tw3_2021.pk}" in link
    assert str(count) in link

    first = client.get(reverse("late-milestones"), {"periode": tw3_2021.pk})
    assert first.context["count"] == count
    assert len(first.context["page_obj"].object_list) == 25
    assert "Triwulan III 2021" in _section(_text(first), "late-quarter")
    assert len(_late_page_rows(client, tw3_2021)) == count


def test_late_page_queries_do_not_grow_with_programs(login, make_program, period_2022, dkiss_user):
    period = period_2022(2)  # each program's first milestone (Jan-Mar 2022) is late
    client = login("bappeda")
    url = reverse("late-milestones") + f"?periode={period.pk}"
    counts = []
    for count, offset in ((5, 0), (30, 5)):
        for index in range(count):
            make_program(title=f"Program terlambat {offset + index}")
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert response.context["count"] >= 35


# --- Links to the lists behind the figures --------------------------------------------


def test_tiles_and_unit_rows_link_to_the_filtered_program_list(login, tw3_2021, unit):
    client = login("bappeda")
    html = _text(_dashboard(client, tw3_2021))
    program_list = reverse("program-list")
    base = f"{program_list}?periode={tw3_2021.pk}&amp;running=on&amp;state=all"
    assert f'href="{base}"' in _section(html, "tile-programs")
    statuses = _section(html, "status-totals")
    for key in ("on_track", "at_risk", "late", "done"):
        assert f"{base}&amp;status={key}" in statuses
    dkiss = unit("DKISS")
    by_unit = _section(html, "by-unit")
    assert f"{base}&amp;unit={dkiss.pk}" in by_unit
    assert f"{base}&amp;asda={dkiss.coordinator_id}" in _section(html, "by-asda")

    # Following the unit link lists that unit's programs the dashboard counts.
    dashboard_programs = {
        p.pk for p in _dashboard(client, tw3_2021).context["programs"] if p.owner_unit == dkiss
    }
    listed = client.get(
        program_list,
        {"periode": tw3_2021.pk, "unit": dkiss.pk, "running": "on", "state": "all"},
    )
    assert dashboard_programs == {p.pk for p in listed.context["object_list"]}
    assert all(p.owner_unit_id == dkiss.pk for p in listed.context["object_list"])


def test_compliance_links_go_to_the_queue_for_reviewers_only(login, tw3_2021):
    queue = reverse("verification-queue")
    assert queue in _section(_text(_dashboard(login("bappeda"), tw3_2021)), "compliance-totals")
    assert queue not in _section(
        _text(_dashboard(login("walikota"), tw3_2021)), "compliance-totals"
    )


# --- Excel -----------------------------------------------------------------------------


def test_dashboard_tables_download_as_excel(login, tw3_2021, unit, bappeda_user):
    # A unit name that a spreadsheet would take for a formula stays text.
    tracker_services.update_unit(
        unit("DKISS"), actor=bappeda_user, reason="uji ekspor", abbreviation="=DKISS Cilegon"
    )
    client = login("bappeda")
    page = _dashboard(client, tw3_2021).context
    response = _dashboard(client, tw3_2021, format="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="dasbor-2021-tw3.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    by_unit, late = workbook.worksheets
    rows = list(by_unit.iter_rows(min_row=4, values_only=True))
    assert len(rows) == len(page["by_unit"])
    for (unit_obj, tally), row in zip(page["by_unit"], rows, strict=True):
        assert row[0] == str(unit_obj)
        assert row[1:5] == (
            tally["programs"],
            tally["on_time"],
            tally["sent_late"],
            tally["missing"],
        )
        assert all(isinstance(value, int) for value in row[1:])
    dkiss_row = next(r for r in by_unit.iter_rows(min_row=4) if r[0].value == "=DKISS Cilegon")
    assert dkiss_row[0].data_type == "s"
    late_rows = list(late.iter_rows(min_row=4, values_only=True))
    assert len(late_rows) == page["overdue_count"]
    first, _percent, program = monitoring.late_milestones(bappeda_user, tw3_2021)[0]
    assert late_rows[0][:3] == (first.title, program.title, str(program.owner_unit))
    assert late_rows[0][3].date() == first.planned_finish
    assert "Triwulan III 2021" in by_unit["A1"].value


# --- A unit member -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dashboard", "late-milestones"])
def test_a_unit_member_is_told_what_to_open_instead(login, unit, name):
    response = login("dkiss").get(reverse(name))
    assert response.status_code == 403
    assert "programs/dashboard_forbidden.html" in [t.name for t in response.templates]
    html = _text(response)
    assert 'class="navbar' in html  # in the site's layout
    box = _section(html, "dashboard-forbidden")
    assert "Bappeda" in box
    assert f'href="{reverse("my-tasks")}"' in html
    assert f'href="{reverse("program-list")}?unit={unit("DKISS").pk}"' in html


# --- Charts --------------------------------------------------------------------------------


def test_web_charts_are_drawn_phone_wide_with_readable_labels(login, tw3_2021):
    html = _text(_dashboard(login("bappeda"), tw3_2021))
    chart = _section(html, None, "status-chart")
    assert 'viewBox="0 0 340 ' in chart
    sizes = {float(s) for s in re.findall(r"font-size:\s*([\d.]+)", chart)}
    assert sizes and min(sizes) >= 11
    assert 'href="/static/css/dashboard.css"' in html


def test_pdf_charts_keep_their_size():
    drawing = charts.status_by_category("Skema", [])
    assert drawing.width == 460


def test_a_long_category_name_is_cut_with_an_ellipsis_a_short_one_is_whole():
    from reportlab.graphics.charts.barcharts import HorizontalBarChart

    counts = dict.fromkeys(charts.STATUS_COLOURS, 1)
    long_name = "Aksi 4 Peraturan Bupati/Wali Kota tentang Peran Desa"
    drawing = charts.status_by_category("Skema", [(long_name, counts), ("Aksi 1", counts)])
    chart = next(c for c in drawing.contents if isinstance(c, HorizontalBarChart))
    # 24 characters on a PDF-wide chart: 23 of the name and the ellipsis.
    assert chart.categoryAxis.categoryNames == ["Aksi 4 Peraturan Bupati…", "Aksi 1"]


# --- The indicator page shows what the dashboard counts ---------------------------------


def _two_places(value):
    """``value`` as the pages print it: two decimals rounded half-up ("71,105" -> "71,11"),
    where ``f"{value:.2f}"`` would round half to even."""
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)).replace(".", ",")


def test_indicator_page_shows_the_verified_realisation_the_dashboard_counts(
    login, cilegon, bappeda_user
):
    period = ReportingPeriod.objects.get(government=cilegon, year=2021, quarter=4)
    client = login("bappeda")
    on_dashboard = dict(_dashboard(client, period).context["indicators"])
    visible = list(selectors.programs_visible_to(bappeda_user))
    for indicator, shown in on_dashboard.items():
        figure = selectors.indicator_achievements([indicator], 2021, programs=visible)
        assert shown == figure[indicator.pk], indicator.code

    # IKU-1.1 (latest): 3,77, the verified TW III of both programs still reporting it.
    # IKS-1.1.1 (average) is reported by nine programs, some of which ended in June
    # 2021: TW II, the last verified quarter of 2021, averages six of them (76,42; 66,70;
    # 76,42; 72,35; 61,12; 73,62) to 71,105, i.e. 71,11 rounded half-up.
    for code, expected in (("IKU-1.1", "3,77"), ("IKS-1.1.1", "71,11")):
        indicator = Indicator.objects.get(plan__government=cilegon, code=code)
        figure = on_dashboard[indicator]
        html = _text(client.get(reverse("indicator-detail", args=[indicator.pk])))
        row = _section(html, "year-2021")
        assert expected in _section(row, "", tag_class="reported-realisation")
        assert f"{_two_places(figure['achievement'])} %" in row
        for value in figure["quarters"].values():  # the verified quarters of 2021
            assert _two_places(value) in row
    # The published (LKjIP) figure of a past year stays.
    spbe = Indicator.objects.get(plan__government=cilegon, code="IKU-1.1")
    html = _text(client.get(reverse("indicator-detail", args=[spbe.pk])))
    assert "3,27" in _section(html, "year-2018")


def test_the_dashboard_tile_and_the_list_behind_it_count_the_same_programs(login):
    """The tile counts the programs running in the quarter; its link lists exactly those."""
    client = login("bappeda")
    page = client.get(reverse("dashboard")).content.decode()
    tile = re.search(r'<a href="([^"]+)" id="tile-programs">(\d+)</a>', page)
    url, count = tile.group(1).replace("&amp;", "&"), int(tile.group(2))
    assert "running=on" in url
    listed = client.get(url)
    assert listed.context["paginator"].count == count
