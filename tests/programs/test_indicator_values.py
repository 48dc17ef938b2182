"""Indicator values as the indicator means them: decimal places, bounds, notes.

A count (0 decimal places) is whole and not negative, a value has no more
decimals than its indicator allows, a percentage below 0 (a falling growth
rate) or above 100 only with a note (keterangan), an index stays on its scale. ``save_report``
refuses all or nothing; the form shows each error on its own field.
"""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programs import reporting
from programs.models import Indicator, IndicatorRealisation, ProgressReport

pytestmark = pytest.mark.django_db

COUNT = "IKP-2.16.03"  # laporan: 0 decimal places, summed
PERCENT = "IKS-1.2.2"  # persen: 2 decimal places
INDEX = "IKU-1.1"  # indeks (1-5): 2 decimal places


@pytest.fixture
def indicators(cilegon):
    return {
        code: Indicator.objects.get(plan__government=cilegon, code=code)
        for code in (COUNT, PERCENT, INDEX)
    }


@pytest.fixture
def report(make_program, period_2022, dkiss_user, indicators):
    program = make_program(indicators=(COUNT, PERCENT, INDEX), code="2.16.01.2.99")
    return reporting.start_report(program, period_2022(1), actor=dkiss_user)


def _save(report, actor, values, notes=None, **fields):
    milestones = report.program.milestones.order_by("planned_start")
    return reporting.save_report(
        report,
        actor=actor,
        expected_version=report.version,
        milestone_percents={m.pk: D("10") for m in milestones},
        indicator_values=values,
        indicator_notes=notes,
        **fields,
    )


def _state(report):
    """What is stored for the report, read back from the database."""
    report = ProgressReport.objects.get(pk=report.pk)
    rows = IndicatorRealisation.objects.filter(report=report).order_by("indicator_id")
    return (
        report.version,
        report.supporting_factors,
        report.follow_up_next_plan,
        [(r.indicator_id, r.value, r.note) for r in rows],
        list(report.milestone_rows.order_by("milestone_id").values_list("percent", flat=True)),
    )


def test_create_program_stores_the_budget_code(report):
    assert report.program.code == "2.16.01.2.99"


@pytest.mark.parametrize(
    "code, value, note, field, needle",
    [
        (COUNT, "862.93", "", "indicator", None),  # a count is whole
        (COUNT, "-5", "", "indicator", None),  # and not negative
        (PERCENT, "97.125", "", "indicator", "2"),  # two decimal places at most
        (PERCENT, "-0.5", "", "indicator_note", None),  # below 0 needs a reason too
        (PERCENT, "101.81", "", "indicator_note", None),  # above 100 needs a reason
        (PERCENT, "101.81", "   ", "indicator_note", None),  # a blank note is no reason
        (INDEX, "5.20", "", "indicator", "5"),  # "indeks (1-5)" is a scale
    ],
)
def test_a_value_the_indicator_does_not_allow_is_refused_and_nothing_changes(
    report, dkiss_user, indicators, code, value, note, field, needle
):
    report = _save(report, dkiss_user, {indicators[INDEX].pk: D("3.10")}, follow_up="Awal")
    before = _state(report)
    indicator = indicators[code]
    with pytest.raises(ValidationError) as error:
        _save(
            report,
            dkiss_user,
            {indicator.pk: D(value), indicators[COUNT if code != COUNT else PERCENT].pk: D("12")},
            {indicator.pk: note},
            supporting_factors="Berubah",
            follow_up_next_plan="Renja berikutnya",
        )
    messages = error.value.message_dict
    assert list(messages) == [f"{field}_{indicator.pk}"]
    if needle:
        assert needle in messages[f"{field}_{indicator.pk}"][0]
    assert _state(report) == before


def test_several_bad_values_are_all_named(report, dkiss_user, indicators):
    with pytest.raises(ValidationError) as error:
        _save(
            report,
            dkiss_user,
            {indicators[COUNT].pk: D("1.5"), indicators[PERCENT].pk: D("100.5")},
        )
    assert set(error.value.message_dict) == {
        f"indicator_{indicators[COUNT].pk}",
        f"indicator_note_{indicators[PERCENT].pk}",
    }


def test_values_within_the_rules_are_saved_with_their_notes(report, dkiss_user, indicators):
    count, percent, index = (indicators[c].pk for c in (COUNT, PERCENT, INDEX))
    report = _save(
        report,
        dkiss_user,
        # trailing zeros are not decimals: 863.00 is a whole 863, 3.500 has two places
        {count: D("863.00"), percent: D("101.81"), index: D("3.500")},
        {percent: "  Termasuk penduduk pindahan yang belum tercatat dalam proyeksi BPS.  "},
        follow_up="Sosialisasi",
        follow_up_next_plan="Anggaran perekaman KTP-el keliling dalam Renja 2023",
    )
    rows = {r.indicator_id: r for r in IndicatorRealisation.objects.filter(report=report)}
    assert rows[count].value == D("863")
    assert rows[percent].value == D("101.81")
    assert rows[percent].note == (
        "Termasuk penduduk pindahan yang belum tercatat dalam proyeksi BPS."
    )
    assert rows[index].value == D("3.5")
    report.refresh_from_db()
    assert report.follow_up == "Sosialisasi"
    assert report.follow_up_next_plan == "Anggaran perekaman KTP-el keliling dalam Renja 2023"
    # the note is in the row's history, with the actor
    last = rows[percent].history.order_by("-history_id").first()
    assert last.note.startswith("Termasuk") and last.history_user == dkiss_user


def test_a_note_alone_is_saved_and_cannot_be_removed_from_a_value_above_100(
    report, dkiss_user, indicators
):
    percent = indicators[PERCENT].pk
    report = _save(report, dkiss_user, {percent: D("100.40")}, {percent: "Data sementara"})
    report = _save(report, dkiss_user, {}, {percent: "Data final Disdukcapil"})
    assert IndicatorRealisation.objects.get(report=report, indicator_id=percent).note == (
        "Data final Disdukcapil"
    )
    with pytest.raises(ValidationError) as error:
        _save(report, dkiss_user, {percent: D("100.40")}, {percent: ""})
    assert list(error.value.message_dict) == [f"indicator_note_{percent}"]
    row = IndicatorRealisation.objects.get(report=report, indicator_id=percent)
    assert row.note == "Data final Disdukcapil"


def test_an_empty_value_is_allowed(report, dkiss_user, indicators):
    report = _save(report, dkiss_user, {indicators[COUNT].pk: None}, {indicators[COUNT].pk: ""})
    row = IndicatorRealisation.objects.get(report=report, indicator=indicators[COUNT])
    assert row.value is None


# --- The form ------------------------------------------------------------------------------


def _form_data(program, **extra):
    data = {
        "version": 1,
        "supporting_factors": "Dukungan pimpinan",
        "obstacles": "",
        "follow_up": "",
        "follow_up_next_plan": "Renja 2023: pelatihan operator",
        "budget_realisation": "25000000",
    }
    for milestone in program.milestones.all():
        data[f"milestone_{milestone.pk}"] = "0"
    for indicator in program.indicators.all():
        data[f"indicator_{indicator.pk}"] = ""
        data[f"indicator_note_{indicator.pk}"] = ""
    for item in program.adoption_indicators.all():
        data[f"adoption_{item.pk}"] = "80"
    data.update(extra)
    return data


def test_the_form_steps_by_the_indicators_decimal_places(login, report, indicators):
    page = login("dkiss").get(reverse("report-edit", args=[report.program_id, report.period_id]))
    form = page.context["form"]
    assert form[f"indicator_{indicators[COUNT].pk}"].field.widget.attrs["step"] == "1"
    assert form[f"indicator_{indicators[PERCENT].pk}"].field.widget.attrs["step"] == "0.01"
    html = page.content.decode()
    assert f'name="indicator_note_{indicators[PERCENT].pk}"' in html
    assert 'name="follow_up_next_plan"' in html


@pytest.mark.parametrize(
    "code, value, field",
    [(COUNT, "862.93", "indicator"), (PERCENT, "101.81", "indicator_note")],
)
def test_the_form_shows_the_error_on_the_field_and_saves_nothing(
    login, make_program, period_2022, indicators, code, value, field
):
    program = make_program(indicators=(COUNT, PERCENT))
    period = period_2022(1)
    pk = indicators[code].pk
    response = login("dkiss").post(
        reverse("report-edit", args=[program.pk, period.pk]),
        _form_data(program, **{f"indicator_{pk}": value}),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [f"{field}_{pk}"]
    assert form.errors[f"{field}_{pk}"][0] in response.content.decode()
    assert not ProgressReport.objects.filter(program=program, period=period).exists()


def test_the_form_saves_a_note_and_the_renja_follow_up_and_the_page_shows_them(
    login, make_program, period_2022, indicators
):
    program = make_program(indicators=(COUNT, PERCENT))
    period = period_2022(1)
    client = login("dkiss")
    count, percent = indicators[COUNT].pk, indicators[PERCENT].pk
    response = client.post(
        reverse("report-edit", args=[program.pk, period.pk]),
        _form_data(
            program,
            **{
                f"indicator_{count}": "863",
                f"indicator_{percent}": "101.81",
                f"indicator_note_{percent}": "Termasuk penduduk pindahan",
            },
        ),
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(program=program, period=period)
    assert report.follow_up_next_plan == "Renja 2023: pelatihan operator"
    detail = client.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "Termasuk penduduk pindahan" in detail
    assert "Renja 2023: pelatihan operator" in detail
    assert ">863 laporan<" in detail  # a count without decimals
    # The form opens again with the count as a whole number and the note kept.
    form = client.get(reverse("report-edit", args=[program.pk, period.pk])).context["form"]
    assert form.initial[f"indicator_{count}"] == D("863")
    assert str(form.initial[f"indicator_{count}"]) == "863"
    assert form.initial[f"indicator_note_{percent}"] == "Termasuk penduduk pindahan"


def test_a_negative_percentage_is_saved_with_its_reason(report, dkiss_user, indicators):
    """A growth rate can fall: below 0 %, like above 100 %, is kept with a note."""
    percent = indicators[PERCENT].pk
    report = _save(report, dkiss_user, {percent: D("-1.25")}, {percent: "Ekonomi terkontraksi"})
    row = IndicatorRealisation.objects.get(report=report, indicator_id=percent)
    assert (row.value, row.note) == (D("-1.25"), "Ekonomi terkontraksi")
