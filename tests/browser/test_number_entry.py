"""People type numbers as they write them: "71,90", "2,50", "1.500.000", "1.500.000,50",
and "1.240" (a count of 1240, or asked about where decimals are allowed). The browser
sends what was typed (no type="number" input drops a separator), the server reads it,
and a number a hundred times its neighbour is saved only once confirmed (issue 22)."""

import datetime
from decimal import Decimal as D

from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from commitments.models import Commitment
from programs import services
from programs.models import (
    Category,
    Indicator,
    IndicatorTarget,
    Program,
    ProgressReport,
    ReportingPeriod,
)

PROGRAM = "Aplikasi Angka Uji"


def _save(page, name=None):
    button = page.locator(
        f"form[method=post] button[type=submit][name={name}]"
        if name
        else "form[method=post] button.btn-primary[type=submit]"
    )
    button.first.click()
    page.wait_for_load_state()


def _indicator(code):
    return Indicator.objects.get(plan__government__region_code="36.72", code=code)


def _target(code, year):
    return IndicatorTarget.objects.get(indicator=_indicator(code), year=year)


def _program():
    """A DKISS program through 2022 reporting a count (IKP-2.16.03) and an index (IKU-1.2),
    and the open quarter 2022 TW I (made once; either test may come first)."""
    bappeda = get_user_model().objects.get(username="bappeda")
    commitment = Commitment.objects.get(government__region_code="36.72", date="2019-10-11")
    government = commitment.government
    period = ReportingPeriod.objects.filter(government=government, year=2022, quarter=1).first()
    period = period or services.open_period(
        actor=bappeda, government=government, year=2022, quarter=1
    )
    existing = Program.objects.filter(title=PROGRAM).first()
    if existing is not None:
        return existing, period
    program = services.create_program(
        actor=bappeda,
        commitment=commitment,
        owner_unit=government.units.get(code="DKISS"),
        title=PROGRAM,
        horizon="quick_win",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2022, 12, 31),
        categories=[Category.objects.get(code="governance")],
        indicators=[_indicator("IKP-2.16.03"), _indicator("IKU-1.2")],
        budgets={2022: D("100000000")},
        adoption_indicators=[
            {"name": "Pengguna aktif", "unit_of_measure": "orang", "quarterly_target": D("100")}
        ],
    )
    services.add_milestones(
        program,
        actor=bappeda,
        milestones=[
            {
                "title": "Rancangan",
                "planned_start": datetime.date(2022, 1, 1),
                "planned_finish": datetime.date(2022, 6, 30),
                "weight": D("40"),
            },
            {
                "title": "Peluncuran",
                "planned_start": datetime.date(2022, 7, 1),
                "planned_finish": datetime.date(2022, 12, 31),
                "weight": D("60"),
            },
        ],
    )
    return program, period


def test_bappeda_types_targets_pagu_realisations_and_program_numbers(log_in, demo_server):
    page = log_in("bappeda")
    base = demo_server.url
    ikm, reports_112 = _indicator("IKU-1.2"), _indicator("IKP-2.16.03")

    # RPJMD yearly targets of an index with two decimals: target, pagu, pagu with sen.
    page.goto(base + reverse("rpjmd-indicator-targets", args=[ikm.pk]))
    expect(page.locator("input[type=number]")).to_have_count(0)
    expect(page.locator("input[name=target_2017]")).to_have_value("78,00")
    page.fill("input[name=target_2020]", "71,90")
    page.fill("input[name=budget_2020]", "1.500.000")
    page.fill("input[name=budget_2021]", "1.500.000,50")
    page.fill("input[name=realisation_2019]", "1.240")  # an index: 1240 or 1,24?
    _save(page)
    error = page.locator("input[name=realisation_2019] ~ div.text-danger")
    expect(error).to_contain_text("1240")
    expect(error).to_contain_text("1,24")
    expect(page.locator("input[name=realisation_2019]")).to_have_value("1.240")
    assert _target("IKU-1.2", 2020).target == D("83.25")  # nothing saved
    page.fill("input[name=realisation_2019]", "2,50")  # 1/33 of the target: asked about
    _save(page)
    expect(page.locator("#unusual-numbers")).to_be_visible()
    assert _target("IKU-1.2", 2019).realisation is None
    page.fill("input[name=realisation_2019]", "80,25")
    _save(page)
    expect(page).to_have_url(base + reverse("indicator-detail", args=[ikm.pk]), timeout=5000)
    row = _target("IKU-1.2", 2020)
    assert (row.target, row.budget) == (D("71.90"), D("1500000"))
    assert _target("IKU-1.2", 2021).budget == D("1500000.50")
    assert _target("IKU-1.2", 2019).realisation == D("80.25")

    # A count: "1.240" is 1240; a target a hundred times last year's is confirmed first.
    page.goto(base + reverse("rpjmd-indicator-targets", args=[reports_112.pk]))
    expect(page.locator("input[name=budget_2019]")).to_have_value("1.357.000.000")
    page.fill("input[name=realisation_2019]", "1.240")
    page.fill("input[name=target_2021]", "200.000")
    _save(page)
    warning = page.locator("#unusual-numbers")
    expect(warning).to_contain_text("100x")
    assert _target("IKP-2.16.03", 2021).target == D("2000")
    page.locator("input[name=confirm_unusual]").check()
    _save(page)
    expect(page).to_have_url(
        base + reverse("indicator-detail", args=[reports_112.pk]), timeout=5000
    )
    row = _target("IKP-2.16.03", 2021)
    assert row.target == D("200000")
    assert "100x" in row.history.latest("history_id").history_change_reason
    assert _target("IKP-2.16.03", 2019).realisation == D("1240")

    # The indicator's baseline and final target.
    page.goto(base + reverse("rpjmd-indicator-edit", args=[ikm.pk]))
    expect(page.locator("input[name=baseline_value]")).to_have_value("74,50")
    page.fill("input[name=baseline_value]", "2,50")
    page.fill("input[name=final_target]", "71,90")
    _save(page)
    ikm.refresh_from_db()
    assert (ikm.baseline_value, ikm.final_target) == (D("2.50"), D("71.90"))

    # A program's budget and adoption target, then its milestone weights.
    program, _period = _program()
    page.goto(base + reverse("program-edit", args=[program.pk]))
    expect(page.locator("input[name=budget-0-amount]")).to_have_value("100.000.000")
    page.fill("input[name=budget-0-amount]", "1.500.000,50")
    page.fill("input[name=adoption-0-quarterly_target]", "2,50")
    page.fill("[name=reason]", "Uji angka")  # needed once the program has a report
    _save(page)
    expect(page).to_have_url(base + reverse("program-detail", args=[program.pk]), timeout=5000)
    assert program.budgets.get(year=2022).amount == D("1500000.50")
    assert program.adoption_indicators.get().quarterly_target == D("2.50")

    page.goto(base + reverse("program-milestones", args=[program.pk]))
    page.fill("input[name=milestone-0-weight]", "2,50")
    page.fill("input[name=milestone-1-weight]", "97,50")
    page.fill("[name=reason]", "Uji angka")
    _save(page)
    expect(page).to_have_url(base + reverse("program-detail", args=[program.pk]), timeout=5000)
    weights = list(program.milestones.order_by("planned_start").values_list("weight", flat=True))
    assert weights == [D("2.50"), D("97.50")]


def test_a_unit_types_its_report_values(log_in, demo_server):
    program, period = _program()
    count, index = _indicator("IKP-2.16.03"), _indicator("IKU-1.2")
    adoption = program.adoption_indicators.get()
    page = log_in("dkiss")
    page.goto(demo_server.url + reverse("report-edit", args=[program.pk, period.pk]))
    page.fill(f"input[name=indicator_{count.pk}]", "1.240")
    page.fill(f"input[name=indicator_{index.pk}]", "71,90")
    page.fill(f"input[name=adoption_{adoption.pk}]", "1.240")  # people or a rate? asked
    page.fill("input[name=budget_realisation]", "1.500.000")
    _save(page, "save")
    expect(page.locator(f"input[name=adoption_{adoption.pk}] ~ div.text-danger")).to_contain_text(
        "1,24"
    )
    assert not ProgressReport.objects.filter(program=program, period=period).exists()
    page.fill(f"input[name=adoption_{adoption.pk}]", "2,50")
    _save(page, "save")
    report = ProgressReport.objects.get(program=program, period=period)
    expect(page).to_have_url(demo_server.url + reverse("report-detail", args=[report.pk]))
    values = dict(report.indicator_rows.values_list("indicator_id", "value"))
    assert values == {count.pk: D("1240"), index.pk: D("71.90")}
    assert report.adoption_rows.get().value == D("2.50")
    assert report.budget_realisation == D("1500000")
