"""The quarterly report workflow through the API, as a unit's system and Bappeda use it.

A unit's token starts, saves, documents and submits its report; Bappeda finds
it in the verification queue page and verifies or returns it. History names
the token's user, as for the pages.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programs import reporting
from programs.models import MilestoneProgress, ProgressEvidence, ProgressReport
from tests.programs import conftest as _programs

# The programs tests' fixtures: a DKISS program running through 2022, its quarters.
bappeda_user = _programs.bappeda_user
dkiss_user = _programs.dkiss_user
make_program = _programs.make_program
period_2022 = _programs.period_2022
PDF = b"%PDF-1.4 bukti kegiatan"


def api(name, *args):
    return reverse(f"api:{name}", args=args)


def token_client(user):
    """A client that authenticates with a real personal API token of ``user`` only."""
    from api import token_services

    _token, plaintext = token_services.create_token(
        user, "Sistem OPD", timezone.now() + datetime.timedelta(days=30)
    )
    return Client(headers={"authorization": f"Bearer {plaintext}"})


def full_rows(program, kak="40"):
    milestones = list(program.milestones.order_by("planned_start"))
    rows = [{"kind": "milestone", "id": milestones[0].pk, "value": kak}]
    rows += [{"kind": "milestone", "id": m.pk, "value": 0} for m in milestones[1:]]
    rows += [
        {"kind": "indicator", "id": i.pk, "value": "3.4", "note": "Sesuai data"}
        for i in program.indicators.all()
    ]
    rows += [
        {"kind": "adoption", "id": a.pk, "value": 80} for a in program.adoption_indicators.all()
    ]
    return rows


def put_json(client, url, body, method="put"):
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.fixture
def submitted(make_program, period_2022, dkiss_user):
    """A DKISS report for 2022 Q1, submitted (through the services)."""
    program = make_program()
    report = reporting.start_report(program, period_2022(1), actor=dkiss_user)
    return reporting.submit_report(report, actor=dkiss_user)


def test_a_units_token_writes_and_submits_and_bappeda_finds_it_in_the_queue(
    make_program, period_2022, dkiss_user, login
):
    program = make_program()
    period = period_2022(1)
    dkiss = token_client(dkiss_user)

    started = dkiss.post(api("report-start", program.pk), {"period": period.pk})
    assert started.status_code == 201, started.json()
    report_id, version = started.json()["id"], started.json()["version"]
    kinds = [row["kind"] for row in started.json()["rows"]]
    assert kinds == ["milestone"] * 3 + ["indicator", "adoption"]
    # Starting again gives the same report (200), not a second one.
    again = dkiss.post(api("report-start", program.pk), {"period": period.pk})
    assert (again.status_code, again.json()["id"]) == (200, report_id)

    body = {
        "version": version,
        "rows": full_rows(program),
        "budget_realisation": "25000000",
        "supporting_factors": "Dukungan pimpinan",
    }
    saved = put_json(dkiss, api("report-content", report_id), body)
    assert saved.status_code == 200, saved.json()
    assert saved.json()["version"] == version + 1
    kak = next(r for r in saved.json()["rows"] if r["kind"] == "milestone")
    assert D(kak["value"]) == D("40")

    upload = dkiss.post(
        api("report-evidence-upload", report_id),
        {"version": version + 1, "file": SimpleUploadedFile("rapat.pdf", PDF)},
    )
    assert upload.status_code == 201, upload.json()
    [evidence] = upload.json()["evidence"]  # the storage may add a suffix to a taken name
    assert evidence["name"].startswith("rapat") and evidence["name"].endswith(".pdf")

    sent = dkiss.post(api("report-submit", report_id), {"version": upload.json()["version"]})
    assert sent.status_code == 200, sent.json()
    assert sent.json()["state"] == "submitted"

    queue = login("bappeda").get(reverse("verification-queue") + f"?periode={period.pk}")
    assert report_id in [r.pk for r in queue.context["page_obj"].object_list]

    report = ProgressReport.objects.get(pk=report_id)
    assert report.budget_realisation == D("25000000")
    assert {row.history_user for row in report.history.all()} == {dkiss_user}
    milestone_rows = MilestoneProgress.history.filter(report_id=report_id)
    assert {row.history_user for row in milestone_rows} == {dkiss_user}
    assert milestone_rows.filter(percent=D("40")).exists()
    evidence = ProgressEvidence.history.get(report_id=report_id)
    assert evidence.history_user == dkiss_user


def test_bappeda_verifies_a_submitted_report(submitted, login, bappeda_user):
    response = login("bappeda").post(
        api("report-verify", submitted.pk), {"version": submitted.version}
    )
    assert response.status_code == 200, response.json()
    submitted.refresh_from_db()
    assert (submitted.state, submitted.verified_by) == ("verified", bappeda_user)
    assert submitted.history.first().history_user == bappeda_user


def test_a_return_needs_a_reason_and_the_unit_can_fix_and_resubmit(submitted, login):
    bappeda = login("bappeda")
    url = api("report-return", submitted.pk)
    refused = bappeda.post(url, {"version": submitted.version})
    assert refused.status_code == 400
    assert list(refused.json()) == ["reason"]
    blank = bappeda.post(url, {"version": submitted.version, "reason": "  "})
    assert blank.json() == refused.json()
    submitted.refresh_from_db()
    assert submitted.state == "submitted"

    returned = bappeda.post(url, {"version": submitted.version, "reason": "Bukti belum ada"})
    assert returned.status_code == 200
    assert returned.json()["return_reason"] == "Bukti belum ada"

    dkiss = login("dkiss")
    fixed = put_json(
        dkiss,
        api("report-content", submitted.pk),
        {"version": returned.json()["version"], "obstacles": "Sinyal"},
        method="patch",
    )
    assert fixed.status_code == 200, fixed.json()
    again = dkiss.post(api("report-submit", submitted.pk), {"version": fixed.json()["version"]})
    assert again.json()["state"] == "submitted"


def test_a_decision_on_an_old_version_is_a_409_that_says_what_changed(submitted, login):
    seen = submitted.version
    login("bappeda").post(api("report-return", submitted.pk), {"version": seen, "reason": "Ulang"})
    submitted.refresh_from_db()
    before = submitted.history.count()
    response = login("bappeda").post(api("report-verify", submitted.pk), {"version": seen})
    assert response.status_code == 409
    body = response.json()
    assert body["current"]["state"] == "returned"
    assert body["current"]["version"] == submitted.version
    assert len(body["changes"]) == 1 and "Ulang" not in body["detail"]
    submitted.refresh_from_db()
    assert submitted.state == "returned"
    assert submitted.history.count() == before


def test_a_stale_save_is_a_409_and_saves_nothing(make_program, period_2022, dkiss_user, login):
    program = make_program()
    report = reporting.start_report(program, period_2022(1), actor=dkiss_user)
    client = login("dkiss")
    url = api("report-content", report.pk)
    first = put_json(client, url, {"version": report.version, "rows": full_rows(program, "30")})
    assert first.status_code == 200
    rows_before = MilestoneProgress.history.filter(report_id=report.pk).count()
    stale = put_json(client, url, {"version": report.version, "rows": full_rows(program, "55")})
    assert stale.status_code == 409
    assert stale.json()["changes"]  # "edited by ... at ..."
    kak = next(r for r in stale.json()["current"]["rows"] if r["kind"] == "milestone")
    assert D(kak["value"]) == D("30")
    assert MilestoneProgress.history.filter(report_id=report.pk).count() == rows_before


def test_submitting_an_old_version_is_a_409(make_program, period_2022, dkiss_user, login):
    program = make_program()
    report = reporting.start_report(program, period_2022(1), actor=dkiss_user)
    client = login("dkiss")
    put_json(client, api("report-content", report.pk), {"version": 1, "obstacles": "x"}, "patch")
    response = client.post(api("report-submit", report.pk), {"version": 1})
    assert response.status_code == 409
    report.refresh_from_db()
    assert report.state == "draft"


def test_bappeda_may_not_verify_its_own_units_report_and_is_told_why(
    make_program, period_2022, login
):
    from tracker.models import Profile

    own_unit = Profile.objects.get(user__username="bappeda").unit.code
    report = reporting.start_report(make_program(owner=own_unit), period_2022(1), actor=None)
    report = reporting.submit_report(report, actor=None)
    response = login("bappeda").post(api("report-verify", report.pk), {"version": report.version})
    assert response.status_code == 403
    assert response.json()["detail"] == _refusal("bappeda", report)
    report.refresh_from_db()
    assert report.state == "submitted"


def _refusal(username, report):
    from django.contrib.auth import get_user_model

    from tracker import policy

    return policy.review_refusal(get_user_model().objects.get(username=username), report)
