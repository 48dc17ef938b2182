"""Searchable multi-selects (Tom Select, static/js/multiselect.js) instead of ctrl-click lists.

On the program form a supporting unit and an indicator are picked with the
keyboard by typing; the program form and the signing form pass axe with the
lists in place and raise no Content-Security-Policy violation; without
JavaScript the plain lists still work, "tick all" included.
"""

import datetime
from decimal import Decimal as D

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from commitments import services as commitment_services
from commitments.models import Commitment
from programs import services as program_services
from programs.models import Category, Indicator, Program
from tests.factories import smart_city_scheme
from tracker.models import Government, Unit

PROGRAM = "Program uji daftar yang dapat dicari"


def _cilegon():
    return Government.objects.get(region_code="36.72")


@pytest.fixture
def program():
    """A DKISS program without supporting units, made through the services."""
    existing = Program.objects.filter(title=PROGRAM).first()
    if existing is not None:
        return existing
    cilegon = _cilegon()
    return program_services.create_program(
        actor=get_user_model().objects.get(username="bappeda"),
        commitment=Commitment.objects.get(government=cilegon, date=datetime.date(2019, 10, 11)),
        owner_unit=cilegon.units.get(code="DKISS"),
        title=PROGRAM,
        horizon="quick_win",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2022, 12, 31),
        categories=[Category.objects.get(code="governance")],
        indicators=[],
        budgets={2022: D("100000000")},
        adoption_indicators=[],
    )


@pytest.fixture
def open_commitment():
    """A fresh open commitment with four expected signatories, none signed yet."""
    cilegon = _cilegon()
    codes = ["DKISS", "DINKES", "BAPPEDA", "KEC-CIBEBER"]
    commitment = commitment_services.create_commitment(
        actor=None,
        government=cilegon,
        theme="Smart City",
        scheme=smart_city_scheme(),
        title="Komitmen uji daftar yang dapat dicari",
        date=datetime.date.today() - datetime.timedelta(days=7),
        place="Cilegon",
        legal_basis="Uji",
        points=["Poin satu"],
        signatories=list(Unit.objects.filter(government=cilegon, code__in=codes)),
    )
    return commitment_services.open_for_signing(commitment, actor=None)


@pytest.fixture
def violations(page):
    found = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and found.append(message.text),
    )
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def _blocking(page):
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def _pick_by_typing(page, name, text, option, item=None):
    """Focus the searchable list ``name``, type ``text``, take the first match with Enter,
    and close the list with Escape (open, it lies over what follows the field).

    ``option`` is a text of the match offered, ``item`` that of the chosen item (a unit
    is offered with its full name and listed by its short one).
    """
    search = page.locator(f"#id_{name}-ts-control")
    search.focus()
    page.keyboard.type(text)
    expect(page.locator(".ts-dropdown .option.active").first).to_contain_text(option)
    page.keyboard.press("Enter")
    items = page.locator(f".ts-wrapper:has(#id_{name}-ts-control) .ts-control .item")
    expect(items.filter(has_text=item or option)).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator(f"#id_{name}-ts-dropdown")).to_be_hidden()
    page.keyboard.press("Escape")


def test_a_supporting_unit_and_an_indicator_are_picked_by_typing(
    log_in, demo_server, program, violations
):
    page = log_in("bappeda")
    page.goto(f"{demo_server.url}/program/{program.pk}/ubah/")
    expect(page.locator("#id_supporting_units-ts-control")).to_be_visible()
    # The label names the searchable input (it was moved there from the hidden list).
    label = page.locator("label[for=id_supporting_units-ts-control]")
    expect(label).to_have_count(1)
    assert _blocking(page) == []

    # Typed part of the full name finds the unit listed by its abbreviation.
    _pick_by_typing(page, "supporting_units", "kesehat", "Dinas Kesehatan", "Dinkes")
    indicator = Indicator.objects.filter(plan__government=_cilegon()).order_by("code").first()
    _pick_by_typing(page, "indicators", indicator.code, indicator.code)
    # What the server will receive: the hidden list follows the searchable one.
    picked = page.eval_on_selector(
        "#id_supporting_units", "s => Array.from(s.selectedOptions).map(o => o.text)"
    )
    assert picked == ["Dinkes"]
    assert _blocking(page) == []

    page.get_by_role("button", name="Simpan perubahan").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Dinkes")
    program.refresh_from_db()
    assert [u.code for u in program.supporting_units.all()] == ["DINKES"]
    assert list(program.indicators.all()) == [indicator]
    assert violations == []


def test_the_signing_form_passes_axe_with_the_searchable_list(
    log_in, demo_server, open_commitment, violations
):
    page = log_in("bappeda")
    page.goto(f"{demo_server.url}/komitmen/{open_commitment.pk}/penandatanganan/")
    expect(page.locator("#id_signers-ts-control")).to_be_visible()
    assert _blocking(page) == []
    _pick_by_typing(page, "signers", "cibeber", "Kecamatan Cibeber")
    page.click("#tick-all")
    expect(page.locator("#officials tbody tr:visible")).to_have_count(4)
    assert _blocking(page) == []
    assert violations == []


def test_without_javascript_the_plain_lists_work(browser, demo_server, open_commitment):
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    page = context.new_page()
    page.goto(f"{demo_server.url}/akun/masuk/")
    page.fill("input[name=username]", "bappeda")
    page.fill("input[name=password]", "cilegon2019")
    page.click("form button[type=submit]:not([name=language])")
    page.goto(f"{demo_server.url}/komitmen/{open_commitment.pk}/penandatanganan/")
    signers = page.locator("select#id_signers")
    expect(signers).to_be_visible()  # the plain list, not replaced
    expect(page.locator(".ts-wrapper")).to_have_count(0)
    # "Tick all" asks the server, which returns the form with everyone chosen.
    page.click("#tick-all")
    expect(page.locator("#id_signers option:checked")).to_have_count(4)
    expect(page.locator("#officials tbody tr")).to_have_count(4)
    context.close()
