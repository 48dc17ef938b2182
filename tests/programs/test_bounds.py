"""Bounded input (issue 11, points 5, 6 and 7).

5. Numbers stay within what every supported database keeps exactly (15
   significant digits: SQLite stores NUMERIC as a double): Rupiah up to
   Rp10 trillion, indicator values within ±100 billion, on the form, in the
   service and on the model.
6. Texts people type are bounded (report texts 4,000 characters, notes and
   reasons 1,000), on the form, in the service and on the model.
7. Odd query and form parameters are ignored or refused, never a 500; report
   dates outside a sane range are refused.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from programs import reporting, services
from programs.models import (
    AdoptionIndicator,
    Indicator,
    IndicatorRealisation,
    IndicatorTarget,
    ProgramBudget,
    ProgressReport,
)
from reports import services as report_services
from tracker.models import LONG_TEXT_MAX, NOTE_MAX

TOO_BIG_MONEY = "9999999999999999.99"
TOO_BIG_VALUE = "9999999999999999"


@pytest.fixture
def report(make_program, period_2022, dkiss_user):
    program = make_program()
    return reporting.start_report(program, period_2022(1), actor=dkiss_user)


def _save(report, actor, **changes):
    kwargs = {"milestone_percents": {}, "expected_version": report.version, **changes}
    return reporting.save_report(report, actor=actor, **kwargs)


def _form_data(report, **extra):
    program = report.program
    data = {"version": report.version, "budget_realisation": "1000"}
    for milestone in program.milestones.all():
        data[f"milestone_{milestone.pk}"] = "0"
    for indicator in program.indicators.all():
        data[f"indicator_{indicator.pk}"] = "1"
    for item in program.adoption_indicators.all():
        data[f"adoption_{item.pk}"] = "1"
    data.update(extra)
    return data


# --- 5. Numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value",
    [
        ("budget_realisation", TOO_BIG_MONEY),
        ("budget_realisation", "10000000000000.01"),
        ("indicator", TOO_BIG_VALUE),
        ("indicator", "-100000000000.0001"),
        ("adoption", TOO_BIG_VALUE),
    ],
)
def test_the_report_form_refuses_numbers_storage_cannot_keep(login, report, field, value):
    client = login("dkiss")
    data = _form_data(report)
    key = next(k for k in data if k.startswith(field))
    data[key] = value
    url = reverse("report-edit", args=[report.program_id, report.period_id])
    response = client.post(url, data)
    assert response.status_code == 200
    assert key in response.context["form"].errors
    report.refresh_from_db()
    assert report.version == 1 and report.budget_realisation is None


def test_the_largest_allowed_numbers_are_kept_exactly_and_every_page_opens(login, report):
    client = login("dkiss")
    program = report.program
    indicator = program.indicators.get()
    # A plain amount with two decimals (the demo's IKU-1.1 is an index from 1 to 5).
    Indicator.objects.filter(pk=indicator.pk).update(unit_of_measure="unit", decimal_places=2)
    adoption = program.adoption_indicators.get()
    data = _form_data(
        report,
        budget_realisation="9999999999999.99",
        **{
            f"indicator_{indicator.pk}": "99999999999.99",
            f"indicator_note_{indicator.pk}": "Nilai batas atas",
            f"adoption_{adoption.pk}": "99999999999.9999",
        },
    )
    url = reverse("report-edit", args=[program.pk, report.period_id])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    report = ProgressReport.objects.get(pk=report.pk)
    assert report.budget_realisation == D("9999999999999.99")
    assert report.indicator_rows.get().value == D("99999999999.99")
    assert report.adoption_rows.get().value == D("99999999999.9999")
    for page in (
        reverse("report-detail", args=[report.pk]),
        reverse("program-detail", args=[program.pk]),
        url,
        reverse("my-tasks"),
        reverse("history", args=["programs", "progressreport", report.pk]),
    ):
        assert client.get(page).status_code == 200, page


@pytest.mark.parametrize(
    "changes, key",
    [
        ({"budget_realisation": D(TOO_BIG_MONEY)}, "budget_realisation"),
        ({"budget_realisation": D("10000000000000.01")}, "budget_realisation"),
        ({"indicator_values": "big"}, "indicator_"),
        ({"adoption_values": "big"}, "adoption_"),
    ],
)
def test_the_service_refuses_numbers_storage_cannot_keep(report, dkiss_user, changes, key):
    if changes.get("indicator_values") == "big":
        indicator = report.program.indicators.get()
        changes = {"indicator_values": {indicator.pk: D(TOO_BIG_VALUE)}}
    if changes.get("adoption_values") == "big":
        adoption = report.program.adoption_indicators.get()
        changes = {"adoption_values": {adoption.pk: D(TOO_BIG_VALUE)}}
    with pytest.raises(ValidationError) as raised:
        _save(report, dkiss_user, **changes)
    assert any(name.startswith(key) for name in raised.value.message_dict)
    report.refresh_from_db()
    assert report.version == 1


@pytest.mark.parametrize(
    "model, field, too_big",
    [
        (ProgramBudget, "amount", D("10000000000000.01")),
        (IndicatorTarget, "budget", D("10000000000000.01")),
        (ProgressReport, "budget_realisation", D("10000000000000.01")),
        (IndicatorTarget, "target", D("100000000000.0001")),
        (IndicatorTarget, "realisation", D("-100000000000.0001")),
        (Indicator, "baseline_value", D(TOO_BIG_VALUE)),
        (Indicator, "final_target", D(TOO_BIG_VALUE)),
        (IndicatorRealisation, "value", D(TOO_BIG_VALUE)),
        (AdoptionIndicator, "quarterly_target", D(TOO_BIG_VALUE)),
    ],
)
def test_every_number_field_is_bounded_on_the_model(model, field, too_big):
    model_field = model._meta.get_field(field)
    with pytest.raises(ValidationError):
        model_field.clean(too_big, model())
    # The bound and the largest value below it come back exactly through a double (SQLite).
    money = "budget" in field or field == "amount"
    limit = D("10000000000000") if money else D("100000000000")
    below = limit - D(1).scaleb(-model_field.decimal_places)
    for value in (limit, below, -below if not money else below):
        assert model_field.clean(value, model()) == value
        assert D(repr(float(value))) == value


def test_a_budget_set_through_the_plan_service_is_bounded(cilegon, bappeda_user):
    indicator = Indicator.objects.filter(plan__government=cilegon).first()
    with pytest.raises(ValidationError):
        services.set_indicator_target(
            actor=bappeda_user,
            indicator=indicator,
            year=indicator.plan.start_year,
            target=D("1"),
            budget=D(TOO_BIG_MONEY),
        )


# --- 6. Texts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, limit",
    [
        ("supporting_factors", LONG_TEXT_MAX),
        ("obstacles", LONG_TEXT_MAX),
        ("follow_up", LONG_TEXT_MAX),
        ("follow_up_next_plan", LONG_TEXT_MAX),
        ("indicator_note", NOTE_MAX),
    ],
)
def test_the_report_form_shows_and_enforces_the_text_limits(login, report, field, limit):
    client = login("dkiss")
    url = reverse("report-edit", args=[report.program_id, report.period_id])
    data = _form_data(report)
    key = field
    if field == "indicator_note":
        key = f"indicator_note_{report.program.indicators.get().pk}"
    page = client.get(url).content.decode()
    assert f'name="{key}"' in page and f'maxlength="{limit}"' in page
    data[key] = "x" * limit
    assert client.post(url, data).status_code == 302
    data["version"] = ProgressReport.objects.get(pk=report.pk).version
    data[key] = "x" * (limit + 1)
    response = client.post(url, data)
    assert response.status_code == 200 and key in response.context["form"].errors


def test_the_service_refuses_a_million_character_obstacle(report, dkiss_user):
    with pytest.raises(ValidationError) as raised:
        _save(report, dkiss_user, obstacles="penghambat " * 100_000)
    assert "obstacles" in raised.value.message_dict
    report.refresh_from_db()
    assert report.obstacles == "" and report.version == 1


def test_the_service_refuses_a_long_indicator_note(report, dkiss_user):
    indicator = report.program.indicators.get()
    with pytest.raises(ValidationError) as raised:
        _save(report, dkiss_user, indicator_notes={indicator.pk: "n" * (NOTE_MAX + 1)})
    assert f"indicator_note_{indicator.pk}" in raised.value.message_dict


def test_a_return_reason_is_bounded(report, dkiss_user, bappeda_user):
    reporting.submit_report(report, actor=dkiss_user)
    with pytest.raises(ValidationError):
        reporting.return_report(report, actor=bappeda_user, reason="r" * (NOTE_MAX + 1))
    report.refresh_from_db()
    assert report.state == "submitted"
    reporting.return_report(report, actor=bappeda_user, reason="r" * NOTE_MAX)


def test_every_typed_text_field_is_bounded():
    """No TextField of the domain is unbounded (a new one must choose its limit)."""
    from django.apps import apps

    unbounded = [
        f"{model.__name__}.{field.name}"
        for app in ("tracker", "programs", "commitments", "reports")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
        for field in model._meta.get_fields()
        if field.get_internal_type() == "TextField" and not field.max_length
    ]
    assert unbounded == []


# --- 7. Odd parameters and dates -------------------------------------------------------------


@pytest.mark.parametrize(
    "name, params",
    [
        ("my-tasks", {"periode": "²"}),
        ("program-list", {"periode": "²"}),
        ("program-list", {"unit": "²"}),
        ("program-list", {"unit": "99999999999999999999999"}),
        ("program-list", {"periode": "9" * 5000}),
        ("verification-queue", {"periode": "²"}),
        ("verification-queue", {"unit": "²"}),
        ("verification-queue", {"unit": "99999999999999999999999"}),
        ("dashboard", {"periode": "99999999999999999999999"}),
        ("commitment-list", {"year": "0"}),
        ("commitment-list", {"year": "99999999999"}),
        ("commitment-list", {"year": "1e400"}),
        ("commitment-list", {"government": "99999999999999999999999"}),
        ("official-list", {"unit": "99999999999999999999999"}),
        ("commitment-create", {"government": "²"}),
    ],
)
def test_odd_query_parameters_are_no_server_error(login, name, params):
    response = login("bappeda").get(reverse(name), params)
    assert response.status_code in (200, 302, 400, 403, 404)


def test_a_queue_post_with_odd_report_ids_verifies_nothing(login, report, dkiss_user):
    reporting.submit_report(report, actor=dkiss_user)
    client = login("bappeda")
    url = reverse("verification-queue") + f"?periode={report.period_id}"
    for odd in ("²", "99999999999999999999999", "-1", "1e3"):
        assert client.post(url, {"report": [odd]}).status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted"


@pytest.mark.parametrize("date", [datetime.date(1, 1, 1), datetime.date(9999, 12, 31)])
def test_a_report_date_outside_a_sane_range_is_refused(cilegon, date):
    with pytest.raises(ValidationError, match=date.isoformat()):
        report_services.resolve_request(
            year=2020, quarter=3, government_code="36.72", report_date=date
        )


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "2020-06-30", "2030-01-01"])
def test_the_quarterly_report_form_refuses_odd_dates(login, cilegon, date):
    from programs.models import ReportingPeriod

    period = ReportingPeriod.objects.get(government=cilegon, year=2020, quarter=3)
    client = login("bappeda")
    for export in ("", "excel"):
        response = client.post(
            reverse("report-list"), {"period": period.pk, "report_date": date, "export": export}
        )
        assert response.status_code == 200 and response.context["form"].errors


def test_the_command_refuses_a_date_in_year_one(cilegon, tmp_path):
    with pytest.raises(CommandError, match="0001-01-01"):
        call_command(
            "quarterly_report",
            "--government=36.72",
            "--year=2020",
            "--quarter=3",
            "--date=0001-01-01",
            f"--output={tmp_path / 'r.pdf'}",
        )
    assert not (tmp_path / "r.pdf").exists()


def test_a_signing_event_in_year_one_is_refused(login, cilegon):
    from commitments.models import Commitment

    commitment = Commitment.objects.filter(government=cilegon, state="open").first()
    if commitment is None:
        pytest.skip("the demo has no open commitment")
    client = login("bappeda")
    url = reverse("commitment-signing-event", args=[commitment.pk])
    assert client.get(url, {"tanggal": "0001-01-01"}).status_code == 200
    response = client.post(
        url,
        {"signed_date": "0001-01-01", "signed_time": "09:00", "place": "X", "method": "wet"},
    )
    assert response.status_code == 200
    assert "signed_date" in response.context["form"].errors
