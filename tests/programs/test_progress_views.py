"""Progress pages as their users use them, and query counts that do not grow with programs."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs import reporting, selectors, services
from programs.models import Program, ProgressReport


def _form_data(report_or_none, program, version=1, kak="40", send=False, **extra):
    milestones = list(program.milestones.order_by("planned_start"))
    data = {
        "version": version,
        f"milestone_{milestones[0].pk}": kak,
        f"milestone_{milestones[1].pk}": "0",
        f"milestone_{milestones[2].pk}": "0",
        "supporting_factors": "Dukungan pimpinan",
        "obstacles": "",
        "follow_up": "",
        "budget_realisation": "25000000",
    }
    for indicator in program.indicators.all():
        data[f"indicator_{indicator.pk}"] = "3.4"
    for item in program.adoption_indicators.all():
        data[f"adoption_{item.pk}"] = "80"
    if send:
        data["send"] = "1"
    data.update(extra)
    return data


def test_unit_writes_and_sends_its_report(login, make_program, period_2022):
    program = make_program()
    period = period_2022(1)
    client = login("dkiss")
    url = reverse("report-edit", args=[program.pk, period.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _form_data(None, program, send=True))
    assert response.status_code == 302
    report = ProgressReport.objects.get(program=program, period=period)
    assert report.state == "submitted"
    assert report.budget_realisation == D("25000000")
    assert report.milestone_rows.get(milestone__title="KAK").percent == D("40")


@pytest.mark.parametrize(
    "field, value",
    [
        ("milestone", "120"),
        ("milestone", "-5"),
        ("indicator", "tiga"),
        ("budget_realisation", "-1"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(login, make_program, period_2022, field, value):
    program = make_program()
    period = period_2022(1)
    client = login("dkiss")
    data = _form_data(None, program)
    key = next(k for k in data if k.startswith(field))
    data[key] = value
    response = client.post(reverse("report-edit", args=[program.pk, period.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["form"]["supporting_factors"].value() == "Dukungan pimpinan"
    assert not ProgressReport.objects.filter(program=program, period=period).exists()


def test_a_stale_form_shows_the_conflict_and_keeps_what_was_typed(
    login, make_program, period_2022, dkiss_user
):
    program = make_program()
    period = period_2022(1)
    client = login("dkiss")
    url = reverse("report-edit", args=[program.pk, period.pk])
    client.post(url, _form_data(None, program, kak="30"))  # a colleague saved: version 2
    response = client.post(url, _form_data(None, program, version=1, kak="55"))
    assert response.status_code == 200
    conflict = response.context["conflict"]
    assert ("KAK", D("30.00"), D("55")) in conflict["rows"]
    assert response.context["form"][f"milestone_{program.milestones.first().pk}"].value() == "55"
    report = ProgressReport.objects.get(program=program, period=period)
    assert report.milestone_rows.get(milestone__title="KAK").percent == D("30")
    # saving again, now knowingly, keeps the new value
    response = client.post(url, _form_data(None, program, version=report.version, kak="55"))
    assert response.status_code == 302


def test_another_units_report_is_a_404_and_changes_nothing(login, make_program, period_2022):
    program = make_program()
    period = period_2022(1)
    response = login("dinkes").post(
        reverse("report-edit", args=[program.pk, period.pk]), _form_data(None, program)
    )
    assert response.status_code == 404
    assert not ProgressReport.objects.filter(program=program).exists()


def test_bappeda_returns_with_a_reason_the_unit_sees(login, make_program, period_2022, dkiss_user):
    program = make_program()
    period = period_2022(1)
    login("dkiss").post(
        reverse("report-edit", args=[program.pk, period.pk]), _form_data(None, program, send=True)
    )
    report = ProgressReport.objects.get(program=program, period=period)
    bappeda = login("bappeda")
    response = bappeda.post(
        reverse("report-return", args=[report.pk]), {"reason": "", "version": report.version}
    )
    report.refresh_from_db()
    assert report.state == "submitted"  # no reason, no return
    bappeda.post(
        reverse("report-return", args=[report.pk]),
        {"reason": "Bukti belum ada", "version": report.version},
    )
    report.refresh_from_db()
    assert report.state == "returned"
    tasks = login("dkiss").get(reverse("my-tasks") + f"?periode={period.pk}")
    assert "Bukti belum ada" in tasks.content.decode()
    assert response.status_code == 302


def test_bulk_verify_from_the_queue(login, make_program, period_2022, dkiss_user):
    period = period_2022(1)
    ids, data = [], {}
    for title in ("A", "B"):
        program = make_program(title=title)
        report = reporting.start_report(program, period, actor=dkiss_user)
        report = reporting.submit_report(report, actor=dkiss_user)
        ids.append(report.pk)
        data[f"version_{report.pk}"] = report.version  # as the queue page posts it
    client = login("bappeda")
    response = client.post(
        reverse("verification-queue") + f"?periode={period.pk}", {"report": ids, **data}
    )
    assert response.status_code == 302
    assert set(ProgressReport.objects.filter(pk__in=ids).values_list("state", flat=True)) == {
        "verified"
    }


def test_dashboard_counts_compliance_and_status(login, cilegon):
    from programs.models import ReportingPeriod

    period = ReportingPeriod.objects.get(government=cilegon, year=2021, quarter=3)
    response = login("bappeda").get(reverse("dashboard") + f"?periode={period.pk}")
    totals = response.context["totals"]
    # Only the programs running in the quarter count (not those that ended before it).
    reports = ProgressReport.objects.filter(period=period).filter(
        selectors.active_in_quarter(period, prefix="program__")
    )
    sent = reports.exclude(state="draft")
    assert totals["on_time"] == sent.filter(is_late=False).count()
    assert totals["sent_late"] == sent.filter(is_late=True).count()
    assert totals["programs"] == totals["on_time"] + totals["sent_late"] + totals["missing"]
    assert (
        sum(totals[s] for s in ("not_started", "on_track", "at_risk", "late", "done"))
        == (totals["programs"])
    )
    assert "<svg" in response.content.decode()
    # Each linked indicator is listed once, in RPJMD code order.
    codes = [indicator.code for indicator, _a in response.context["indicators"]]
    assert codes == sorted(set(codes))
    linked = (
        Program.indicators.through.objects.filter(program__commitment__government=cilegon)
        .filter(selectors.active_in_quarter(period, prefix="program__"))
        .values_list("indicator__code", flat=True)
    )
    assert set(codes) == set(linked)


def _grow(make_program, period, dkiss_user, count, offset):
    for index in range(count):
        program = make_program(title=f"Program beban {offset + index}")
        report = reporting.start_report(program, period, actor=dkiss_user)
        reporting.submit_report(report, actor=dkiss_user)


def _queries(client, url):
    # Warm up first: process-wide caches (content types) fill on the first
    # request and would otherwise count against whichever size runs first.
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_hot_pages_do_not_grow_with_programs(login, make_program, period_2022, dkiss_user):
    period = period_2022(1)
    pages = {
        "bappeda": [
            reverse("program-list") + f"?periode={period.pk}",
            reverse("dashboard") + f"?periode={period.pk}",
            reverse("verification-queue") + f"?periode={period.pk}&state=all",
        ],
        "dkiss": [
            reverse("my-tasks") + f"?periode={period.pk}",
            reverse("program-list") + f"?periode={period.pk}",
        ],
    }
    counts = []
    for count, offset in ((10, 0), (90, 10)):
        _grow(make_program, period, dkiss_user, count, offset)
        counts.append(
            {url: _queries(login(user), url) for user, urls in pages.items() for url in urls}
        )
    assert counts[0] == counts[1]
    assert datetime.date.today()  # the pages above were judged on today's date


def test_report_history_page_shows_each_transition_with_actor_and_reason(
    login, make_program, period_2022, dkiss_user, bappeda_user
):
    program = make_program()
    report = reporting.start_report(program, period_2022(1), actor=dkiss_user)
    report = reporting.submit_report(report, actor=dkiss_user)
    report = reporting.return_report(report, actor=bappeda_user, reason="Angka belum sesuai SP2D")
    report = reporting.submit_report(report, actor=dkiss_user)
    reporting.verify_report(report, actor=bappeda_user)
    page = login("bappeda").get(reverse("history", args=["programs", "progressreport", report.pk]))
    text = page.content.decode()
    assert "Angka belum sesuai SP2D" in text
    assert "Staf Monev Bappeda" in text and "Kepala DKISS" in text
    assert text.count("Terverifikasi") >= 1 and text.count("Dikembalikan") >= 1


def test_a_unit_members_home_points_to_their_tasks(login):
    page = login("dkiss").get(reverse("home"))
    summary = page.context["tasks"]
    assert summary["period"].year == 2021 and summary["period"].quarter == 4
    assert reverse("my-tasks") in page.content.decode()


@pytest.mark.parametrize("how", ["assign_owner", "admin save"])
def test_the_old_owner_can_no_longer_save_a_draft_after_the_program_moves(
    how, login, make_program, period_2022, unit, bappeda_user
):
    """Issue 11: after the admin changed a program's owner, the old unit still saved drafts."""
    program = make_program()
    period = period_2022(1)
    url = reverse("report-edit", args=[program.pk, period.pk])
    client = login("dkiss")
    assert client.get(url).status_code == 200
    if how == "assign_owner":
        services.assign_owner(program, actor=bappeda_user, unit=unit("DINKES"), reason="Alih tugas")
    else:
        program.owner_unit = unit("DINKES")
        program.save()
    response = client.post(url, _form_data(None, program))
    assert response.status_code == 404  # DKISS neither owns nor supports it any more
    assert not ProgressReport.objects.filter(program=program).exists()
    assert login("dinkes").get(url).status_code == 200


# --- Numbers as people write them, and several evidence files at once (issue 13) -------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_a_returned_reports_form_shows_numbers_as_people_write_them(
    login, make_program, period_2022, bappeda_user
):
    program = make_program()
    period = period_2022(1)
    client = login("dkiss")
    url = reverse("report-edit", args=[program.pk, period.pk])
    indicator = program.indicators.get()
    data = _form_data(None, program, kak="50", send=True, budget_realisation="170.625.000")
    data[f"indicator_{indicator.pk}"] = "3,47"
    assert client.post(url, data).status_code == 302
    report = ProgressReport.objects.get(program=program, period=period)
    assert report.budget_realisation == D("170625000")
    assert report.indicator_rows.get().value == D("3.47")
    reporting.return_report(
        report, actor=bappeda_user, reason="Lengkapi bukti", expected_version=report.version
    )
    html = client.get(url).content.decode()
    assert 'value="170.625.000"' in html
    assert 'value="3,47"' in html
    assert 'value="50"' in html  # the milestone's percent, not "50.00"
    assert "170625000.00" not in html and 'value="50.00"' not in html
    assert 'inputmode="decimal"' in html


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1.000.000,5", D("1000000.5")), ("1000000.5", D("1000000.5")), ("2500000", D("2500000"))],
)
def test_both_ways_of_writing_a_number_are_read(login, make_program, period_2022, typed, stored):
    program = make_program()
    period = period_2022(1)
    url = reverse("report-edit", args=[program.pk, period.pk])
    login("dkiss").post(url, _form_data(None, program, budget_realisation=typed))
    report = ProgressReport.objects.get(program=program, period=period)
    assert report.budget_realisation == stored


def test_an_ambiguous_number_is_asked_about_and_what_was_typed_stays(
    login, make_program, period_2022
):
    # An adoption value may be a rate, so "1.234" is asked about; a budget realisation
    # is whole Rupiah, so there "1.234" can only be Rp1.234 (issue 22).
    program = make_program()
    period = period_2022(1)
    url = reverse("report-edit", args=[program.pk, period.pk])
    item = program.adoption_indicators.get()
    data = _form_data(None, program, budget_realisation="1.234", **{f"adoption_{item.pk}": "1.234"})
    response = login("dkiss").post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    message = form.errors[f"adoption_{item.pk}"][0]
    assert "1234" in message and "1,234" in message
    assert "budget_realisation" not in form.errors
    assert 'value="1.234"' in response.content.decode()
    assert not ProgressReport.objects.filter(program=program, period=period).exists()


def test_several_evidence_files_in_one_upload(login, make_program, period_2022):
    program = make_program()
    period = period_2022(1)
    client = login("dkiss")
    url = reverse("report-edit", args=[program.pk, period.pk])
    assert "multiple" in client.get(url).content.decode().split('name="evidence"')[1][:200]
    data = _form_data(None, program)
    data["evidence"] = [_upload("notulen.pdf", PDF), _upload("foto.png", PNG)]
    assert client.post(url, data).status_code == 302
    report = ProgressReport.objects.get(program=program, period=period)
    assert sorted(str(e) for e in report.evidence.all()) == ["foto.png", "notulen.pdf"]


def test_one_bad_evidence_file_saves_none_and_is_named(login, make_program, period_2022):
    program = make_program()
    period = period_2022(1)
    client = login("dkiss")
    url = reverse("report-edit", args=[program.pk, period.pk])
    data = _form_data(None, program, supporting_factors="Tetap ada")
    data["evidence"] = [_upload("notulen.pdf", PDF), _upload("catatan.png", b"bukan gambar")]
    response = client.post(url, data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["evidence"])
    assert "catatan.png" in errors and "notulen.pdf" not in errors
    assert response.context["form"]["supporting_factors"].value() == "Tetap ada"
    assert not ProgressReport.objects.filter(program=program, period=period).exists()
