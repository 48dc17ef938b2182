"""What the report API refuses, and that it answers as the report page does.

Invalid numbers get the page form's own messages (compared with the page's
answer to the same input), out-of-scope reports are 404, read-only roles get
the page's 403, locked quarters and bad evidence are 400, and a refusal
writes no history.
"""

from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from programs import reporting, services
from programs.models import MilestoneProgress, ProgressEvidence, ProgressReport
from tests.api.test_report_workflow import PDF, api, full_rows, put_json
from tests.programs import conftest as _programs

bappeda_user = _programs.bappeda_user
dkiss_user = _programs.dkiss_user
make_program = _programs.make_program
period_2022 = _programs.period_2022


@pytest.fixture
def draft(make_program, period_2022, dkiss_user):
    program = make_program()
    return reporting.start_report(program, period_2022(1), actor=dkiss_user)


def _history_count(report):
    return report.history.count() + MilestoneProgress.history.filter(report_id=report.pk).count()


def _page_errors(client, report, field, value):
    """The report page's form errors for ``value`` typed into ``field``'s first row."""
    program = report.program
    milestones = list(program.milestones.order_by("planned_start"))
    data = {"version": report.version, **{f"milestone_{m.pk}": "0" for m in milestones}}
    target = {
        "milestone": f"milestone_{milestones[0].pk}",
        "indicator": f"indicator_{program.indicators.first().pk}",
        "budget_realisation": "budget_realisation",
        "adoption": f"adoption_{program.adoption_indicators.first().pk}",
    }[field]
    data[target] = value
    response = client.post(reverse("report-edit", args=[program.pk, report.period_id]), data)
    return response.context["form"].errors[target]


@pytest.mark.parametrize(
    "field, value",
    [
        ("milestone", "abc"),
        ("milestone", "-5"),
        ("milestone", "120"),
        ("indicator", "tiga"),
        ("budget_realisation", "-1"),
    ],
)
def test_invalid_numbers_get_the_pages_message_and_write_nothing(draft, login, field, value):
    client = login("dkiss")
    expected = _page_errors(client, draft, field, value)
    rows = full_rows(draft.program)
    body = {"version": draft.version, "rows": rows}
    if field == "budget_realisation":
        body["budget_realisation"] = value
    else:
        next(r for r in rows if r["kind"] == field)["value"] = value
    before = _history_count(draft)
    response = put_json(client, api("report-content", draft.pk), body)
    assert response.status_code == 400
    errors = response.json()
    if field == "budget_realisation":
        assert errors == {"budget_realisation": expected}
    else:
        index = next(i for i, r in enumerate(rows) if r["kind"] == field)
        assert errors["rows"][index] == {"value": expected}
        assert all(row == {} for i, row in enumerate(errors["rows"]) if i != index)
    assert _history_count(draft) == before
    draft.refresh_from_db()
    assert draft.version == 1


def test_a_point_is_a_decimal_point_in_the_api(draft, login):
    """The page refuses "1.234" as ambiguous (a thousands point?); in the API a point is
    always the decimal point, and JSON numbers are read as such."""
    rows = full_rows(draft.program)
    adoption = next(r for r in rows if r["kind"] == "adoption")
    adoption["value"] = "1.234"
    rows[0]["value"] = 12.5
    client = login("dkiss")
    response = put_json(client, api("report-content", draft.pk), {"version": 1, "rows": rows})
    assert response.status_code == 200, response.json()
    assert draft.adoption_rows.get(indicator_id=adoption["id"]).value == D("1.234")
    assert draft.milestone_rows.get(milestone_id=rows[0]["id"]).percent == D("12.5")
    assert "1.234" in str(_page_errors(client, draft, "adoption", "1.234"))  # ambiguous there


def test_put_needs_every_milestone_and_patch_changes_only_what_it_names(draft, login):
    client = login("dkiss")
    url = api("report-content", draft.pk)
    rows = full_rows(draft.program)
    response = put_json(client, url, {"version": 1, "rows": rows[1:]})
    assert response.status_code == 400
    [message] = response.json()["non_field_errors"]
    assert message.startswith("KAK: ")
    assert (
        put_json(client, url, {"version": 1, "rows": rows, "obstacles": "Sinyal"}).status_code
        == 200
    )
    patched = put_json(client, url, {"version": 2, "supporting_factors": "Dana"}, "patch")
    assert patched.status_code == 200
    draft.refresh_from_db()
    assert (draft.obstacles, draft.supporting_factors) == ("Sinyal", "Dana")
    assert draft.milestone_rows.get(milestone_id=rows[0]["id"]).percent == 40


def test_unknown_or_repeated_rows_are_named(draft, login):
    rows = full_rows(draft.program)
    body = {"version": 1, "rows": [*rows, rows[0], {"kind": "adoption", "id": 999999, "value": 1}]}
    response = put_json(login("dkiss"), api("report-content", draft.pk), body)
    assert response.status_code == 400
    problems = response.json()["rows"]
    assert [bool(p) for p in problems] == [False] * len(rows) + [True, True]
    assert set(problems[-1]) == set(problems[-2]) == {"id"}


@pytest.mark.parametrize("username", ["dinkes", "serang", "asda1", "camat.cibeber", "nobody"])
def test_other_units_and_governments_do_not_find_the_report(draft, login, username):
    client = login(username)
    before = _history_count(draft)
    rows = full_rows(draft.program)
    answers = [
        put_json(client, api("report-content", draft.pk), {"version": 1, "rows": rows}),
        client.post(api("report-submit", draft.pk), {"version": 1}),
        client.post(api("report-verify", draft.pk), {"version": 1}),
        client.post(api("report-start", draft.program_id), {"period": draft.period_id}),
    ]
    assert [a.status_code for a in answers] == [404] * 4
    assert _history_count(draft) == before


@pytest.mark.parametrize("username", ["walikota", "bappeda"])
def test_roles_that_only_see_the_report_may_not_write_it(draft, login, username):
    client = login(username)
    page = client.get(reverse("report-edit", args=[draft.program_id, draft.period_id]))
    rows = full_rows(draft.program)
    answers = [
        put_json(client, api("report-content", draft.pk), {"version": 1, "rows": rows}),
        client.post(api("report-submit", draft.pk), {"version": 1}),
        client.post(api("report-start", draft.program_id), {"period": draft.period_id}),
        client.post(api("report-evidence-upload", draft.pk), {"version": 1}),
    ]
    assert [a.status_code for a in answers] == [page.status_code] * 4 == [403] * 4
    draft.refresh_from_db()
    assert (draft.version, draft.state) == (1, "draft")


def test_walikota_may_not_verify(login, draft, dkiss_user):
    report = reporting.submit_report(draft, actor=dkiss_user)
    assert login("walikota").post(api("report-verify", report.pk), {}).status_code == 403
    response = login("walikota").post(api("report-verify", report.pk), {"version": report.version})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == "submitted"


def test_a_locked_quarter_is_refused_with_a_clear_message(draft, login, bappeda_user, make_program):
    other = make_program(title="Belum dimulai")
    services.lock_period(draft.period, actor=bappeda_user)
    client = login("dkiss")
    with translation.override("id"):
        locked = translation.gettext("The period is locked; nothing can be changed in it.")
    rows = full_rows(draft.program)
    saved = put_json(client, api("report-content", draft.pk), {"version": 1, "rows": rows})
    assert (saved.status_code, saved.json()) == (400, {"non_field_errors": [locked]})
    sent = client.post(api("report-submit", draft.pk), {"version": 1})
    assert (sent.status_code, sent.json()) == (400, {"non_field_errors": [locked]})
    # A new report in the locked quarter is refused by the service as well.
    started = client.post(api("report-start", other.pk), {"period": draft.period_id})
    assert (started.status_code, started.json()) == (400, {"non_field_errors": [locked]})
    assert not ProgressReport.objects.filter(program=other).exists()
    draft.refresh_from_db()
    assert (draft.version, draft.state) == (1, "draft")


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("catatan.pdf", b"bukan pdf"),  # content is no PDF
        SimpleUploadedFile("foto.png", PDF),  # a PDF named .png
        SimpleUploadedFile("besar.pdf", PDF + b"x" * 100),  # over the (test) limit
        None,  # no file at all
    ],
    ids=["wrong type", "wrong extension", "too large", "missing"],
)
def test_bad_evidence_is_refused_and_nothing_saved(draft, login, upload, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    data = {"version": draft.version}
    if upload is not None:
        data["file"] = upload
    response = login("dkiss").post(api("report-evidence-upload", draft.pk), data)
    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    assert not ProgressEvidence.objects.filter(report=draft).exists()
    draft.refresh_from_db()
    assert draft.version == 1


def test_removing_evidence_keeps_a_history_row_with_the_reason(draft, login, dkiss_user):
    client = login("dkiss")
    uploaded = client.post(
        api("report-evidence-upload", draft.pk),
        {"version": 1, "file": SimpleUploadedFile("rapat.pdf", PDF)},
    )
    evidence_id = uploaded.json()["evidence"][0]["id"]
    url = api("report-evidence-remove", draft.pk, evidence_id)
    assert login("walikota").delete(url + "?reason=x").status_code == 403
    assert login("dinkes").delete(url).status_code == 404
    client = login("dkiss")
    response = client.delete(url + "?reason=Salah+berkas")
    assert response.status_code == 204
    assert not ProgressEvidence.objects.filter(pk=evidence_id).exists()
    removed = ProgressEvidence.history.get(id=evidence_id, history_type="-")
    assert (removed.history_user, removed.history_change_reason) == (dkiss_user, "Salah berkas")
    assert client.delete(url).status_code == 404


def test_unauthenticated_requests_are_refused(draft, client):
    response = client.post(api("report-submit", draft.pk), {"version": 1})
    assert response.status_code == 401
    assert ProgressReport.objects.get(pk=draft.pk).state == "draft"


def test_numbers_no_database_column_holds_are_refused_not_a_server_error(draft, login):
    client = login("dkiss")
    huge = 10**20
    assert client.post(api("report-submit", huge), {"version": 1}).status_code == 404
    answer = client.post(api("report-start", draft.program_id), {"period": huge})
    assert list(answer.json()) == ["period"]
    answer = client.post(api("report-submit", draft.pk), {"version": huge})
    assert (answer.status_code, list(answer.json())) == (400, ["version"])
