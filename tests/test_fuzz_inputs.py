"""Random input to every form and filter of the report, program and commitment pages.

Hypothesis posts numbers, strings (huge, unicode, "²", NUL, formulas) and
parameters as a unit member (dkiss) and as Bappeda (bappeda). Whatever they
send, the answer is never a server error, the pages that show what was saved
still open, and no row outside the user's scope changes.

Runs on SQLite and on PostgreSQL (``DATABASE_URL=postgres://...``).
"""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commitments.models import Commitment, CommitmentPoint, Signature
from programs import reporting, services
from programs.models import (
    Category,
    Indicator,
    IndicatorRealisation,
    MilestoneProgress,
    ProgressReport,
    ReportingPeriod,
)
from reports.models import GeneratedReport
from tests.factories import smart_city_scheme

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD = [
    "",
    " ",
    "0",
    "-1",
    "²",
    "٣",
    "١٢",
    "\x00",
    "1\x002",
    "=1+1",
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "1e400",
    "-1e400",
    "1E-400",
    "NaN",
    "Infinity",
    "-0",
    "0x10",
    "1_000",
    "1,5",
    "99999999999999999999999",
    "-99999999999999999999999",
    "9223372036854775807",
    "9223372036854775808",
    "9999999999999999.99",
    "9999999999999999",
    "10000000000000.01",
    "100000000000.0001",
    "0001-01-01",
    "9999-12-31",
    "2020-02-30",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202eevil",
    "🙂" * 10,
]
odd_text = st.one_of(
    st.sampled_from(ODD),
    st.text(max_size=40),
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.builds(
        lambda char, size: char * size,
        st.sampled_from(["a", "²", "ğ", "\u202e", "9"]),
        st.sampled_from([1001, 4001, 20_001, 300_000]),
    ),
)
USERS = ["dkiss", "bappeda"]


def _user(username):
    return get_user_model().objects.get(username=username)


def _snapshot(username):
    """Rows outside the user's scope, as comparable values.

    dkiss (a DKISS member) may change only the reports of DKISS's programs;
    Bappeda Cilegon only rows of Cilegon. Creating or deleting such a row
    shows too.
    """
    from tracker.models import Government

    if username == "dkiss":
        reports = ProgressReport.objects.exclude(program__owner_unit__code="DKISS")
        commitments = Commitment.objects.all()
        periods = ReportingPeriod.objects.all()
        issued = GeneratedReport.objects.exclude(unit__code="DKISS")
    else:
        cilegon = Government.objects.get(region_code="36.72")
        reports = ProgressReport.objects.exclude(period__government=cilegon)
        commitments = Commitment.objects.exclude(government=cilegon)
        periods = ReportingPeriod.objects.exclude(government=cilegon)
        issued = GeneratedReport.objects.exclude(government=cilegon)
    report_ids = reports.values("pk")
    commitment_ids = commitments.values("pk")
    return {
        "reports": set(
            reports.values_list(
                "pk",
                "state",
                "version",
                "budget_realisation",
                "supporting_factors",
                "obstacles",
                "follow_up",
                "follow_up_next_plan",
                "return_reason",
            )
        ),
        "indicator rows": set(
            IndicatorRealisation.objects.filter(report__in=report_ids).values_list(
                "pk", "value", "note"
            )
        ),
        "milestone rows": set(
            MilestoneProgress.objects.filter(report__in=report_ids).values_list("pk", "percent")
        ),
        "commitments": set(commitments.values_list("pk", "state", "title", "date", "place")),
        "points": set(
            CommitmentPoint.objects.filter(commitment__in=commitment_ids).values_list("pk", "text")
        ),
        "signatures": set(
            Signature.objects.filter(commitment__in=commitment_ids).values_list("pk", "revoked_at")
        ),
        "periods": set(periods.values_list("pk", "state")),
        "issued reports": set(issued.values_list("pk")),
    }


def _ok(response):
    assert response.status_code < 500, response.status_code
    return response


@pytest.fixture
def world(cilegon, unit):
    """A DKISS program in an open quarter, a submitted report of another unit, a commitment."""
    bappeda = _user("bappeda")
    commitment = Commitment.objects.get(government=cilegon, date=datetime.date(2019, 10, 11))

    def program(owner, title):
        made = services.create_program(
            actor=bappeda,
            commitment=commitment,
            owner_unit=unit(owner),
            title=title,
            horizon="short",
            start_date=datetime.date(2022, 1, 1),
            end_date=datetime.date(2022, 12, 31),
            categories=[Category.objects.get(code="governance")],
            indicators=[Indicator.objects.get(plan__government=cilegon, code="IKU-1.1")],
            budgets={2022: D("100000000")},
            adoption_indicators=[
                {"name": "Pengguna", "unit_of_measure": "orang", "quarterly_target": D("100")}
            ],
        )
        services.add_milestones(
            made,
            actor=bappeda,
            milestones=[
                {
                    "title": "KAK",
                    "planned_start": datetime.date(2022, 1, 1),
                    "planned_finish": datetime.date(2022, 6, 30),
                    "weight": D("50"),
                },
                {
                    "title": "Peluncuran",
                    "planned_start": datetime.date(2022, 7, 1),
                    "planned_finish": datetime.date(2022, 12, 31),
                    "weight": D("50"),
                },
            ],
        )
        return made

    period = services.open_period(actor=bappeda, government=cilegon, year=2022, quarter=1)
    own = program("DKISS", "Program uji DKISS")
    other = program("DINKES", "Program uji Dinkes")
    dinkes = _user("dinkes")
    submitted = reporting.start_report(other, period, actor=dinkes)
    reporting.submit_report(submitted, actor=dinkes)
    return {
        "period": period,
        "own": own,
        "other": other,
        "submitted": submitted,
        "commitment": commitment,
    }


def _check_scope(username, before):
    after = _snapshot(username)
    for key, rows in before.items():
        assert after[key] == rows, f"{key} outside {username}'s scope changed"


def _report_fields(program):
    names = ["version", "budget_realisation", "supporting_factors", "obstacles", "follow_up"]
    names += ["follow_up_next_plan", "send"]
    names += [f"milestone_{m.pk}" for m in program.milestones.all()]
    for indicator in program.indicators.all():
        names += [f"indicator_{indicator.pk}", f"indicator_note_{indicator.pk}"]
    names += [f"adoption_{a.pk}" for a in program.adoption_indicators.all()]
    return names


def _sane_report_data(program, version):
    data = {"version": str(version), "budget_realisation": "1000"}
    for milestone in program.milestones.all():
        data[f"milestone_{milestone.pk}"] = "10"
    for indicator in program.indicators.all():
        data[f"indicator_{indicator.pk}"] = "1"
    for item in program.adoption_indicators.all():
        data[f"adoption_{item.pk}"] = "5"
    return data


@pytest.mark.parametrize("username", USERS)
@FUZZ
@given(data=st.data())
def test_report_form(login, world, username, data):
    """The report form: numbers, texts and the version, then every page that shows them."""
    client = login(username)
    before = _snapshot(username)
    program = data.draw(st.sampled_from([world["own"], world["other"]]), label="program")
    period = world["period"]
    report = ProgressReport.objects.filter(program=program, period=period).first()
    form = _sane_report_data(program, report.version if report else 1)
    for name in data.draw(st.lists(st.sampled_from(_report_fields(program)), max_size=6)):
        form[name] = data.draw(odd_text, label=name)
    _ok(client.post(reverse("report-edit", args=[program.pk, period.pk]), form))
    report = ProgressReport.objects.filter(program=program, period=period).first()
    # Whatever was stored, the pages that read it still open.
    _ok(client.get(reverse("program-detail", args=[program.pk])))
    _ok(client.get(reverse("my-tasks")))
    if report is not None:
        _ok(client.get(reverse("report-detail", args=[report.pk])))
        _ok(client.get(reverse("report-edit", args=[program.pk, period.pk])))
        _ok(client.get(reverse("history", args=["programs", "progressreport", report.pk])))
    if username == "bappeda":
        _ok(client.get(reverse("verification-queue"), {"periode": period.pk, "state": "draft"}))
    _check_scope(username, before)


@pytest.mark.parametrize("username", USERS)
@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            ["q", "commitment", "unit", "asda", "category", "horizon", "status", "periode", "page"]
        ),
        odd_text,
        max_size=5,
    )
)
def test_program_list_filters(login, world, username, params):
    client = login(username)
    before = _snapshot(username)
    _ok(client.get(reverse("program-list"), params))
    _ok(client.get(reverse("my-tasks"), {"periode": params.get("periode", "")}))
    _ok(client.get(reverse("program-detail", args=[world["own"].pk]), params))
    _check_scope(username, before)


@pytest.mark.parametrize("username", USERS)
@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["periode", "unit", "state", "page"]), odd_text, max_size=4
    ),
    posted=st.lists(odd_text, max_size=4),
    real=st.booleans(),
)
def test_verification_queue(login, world, username, params, posted, real):
    """The queue's filters and its bulk verification with odd report ids."""
    client = login(username)
    before = _snapshot(username)
    _ok(client.get(reverse("verification-queue"), params))
    _ok(client.get(reverse("dashboard"), {"periode": params.get("periode", "")}))
    reports = posted + ([str(world["submitted"].pk)] if real else [])
    _ok(
        client.post(
            reverse("verification-queue") + f"?periode={world['period'].pk}", {"report": reports}
        )
    )
    _check_scope(username, before)


@pytest.mark.parametrize("username", USERS)
@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "state", "year", "government", "page"]), odd_text, max_size=5
    )
)
def test_commitment_list_filters(login, world, username, params):
    client = login(username)
    before = _snapshot(username)
    _ok(client.get(reverse("commitment-list"), params))
    _ok(client.get(reverse("commitment-history", args=[world["commitment"].pk]), params))
    _check_scope(username, before)


@pytest.mark.parametrize("username", USERS)
@FUZZ
@given(data=st.data())
def test_signing_event_form(login, world, username, data):
    client = login(username)
    before = _snapshot(username)
    commitment = world["commitment"]
    url = reverse("commitment-signing-event", args=[commitment.pk])
    _ok(client.get(url, {"tanggal": data.draw(odd_text, label="tanggal")}))
    unit_ids = list(commitment.signatories.values_list("unit_id", flat=True)[:3])
    names = ["signed_date", "signed_time", "place", "method", "reason"]
    names += ["signers", "action", "kept_scan"] + [f"official_{pk}" for pk in unit_ids]
    form = {
        "signed_date": "2019-10-11",
        "signed_time": "09:00",
        "place": "Cilegon",
        "method": "wet",
    }
    for name in data.draw(st.lists(st.sampled_from(names), max_size=6)):
        form[name] = data.draw(odd_text, label=name)
    _ok(client.post(url, form))
    _check_scope(username, before)


@pytest.mark.parametrize("username", USERS)
@FUZZ
@given(data=st.data())
def test_commitment_forms(login, world, username, data):
    """The reason forms (reopen, revoke) and the commitment form of a new draft."""
    client = login(username)
    before = _snapshot(username)
    commitment = world["commitment"]
    signature = Signature.objects.filter(commitment=commitment, revoked_at__isnull=True).first()
    reason = data.draw(odd_text, label="reason")
    if signature is not None:
        _ok(
            client.post(
                reverse("signature-revoke", args=[commitment.pk, signature.pk]),
                {"reason": reason},
            )
        )
    form = {
        "title": "Komitmen uji",
        "theme": "Smart City",
        "scheme": smart_city_scheme().pk,
        "date": "2022-01-01",
        "place": "Cilegon",
        "legal_basis": "Perda",
        "points": "Satu\nDua",
    }
    for name in data.draw(
        st.lists(
            st.sampled_from(
                [
                    "title",
                    "theme",
                    "scheme",
                    "document_number",
                    "date",
                    "place",
                    "legal_basis",
                    "witnesses",
                    "points",
                    "signatory_kinds",
                    "signatory_units",
                    "government",
                ]
            ),
            max_size=5,
        )
    ):
        form[name] = data.draw(odd_text, label=name)
    _ok(client.post(reverse("commitment-create"), form))
    _ok(client.get(reverse("commitment-create"), {"government": form.get("government", "")}))
    _check_scope(username, before)


@pytest.mark.parametrize("username", USERS)
@FUZZ
@given(data=st.data())
def test_quarterly_report_form(login, world, username, data):
    """Issuing a quarterly report and its Excel export with odd quarters, units and dates."""
    client = login(username)
    before = _snapshot(username)
    cilegon_period = ReportingPeriod.objects.filter(
        government=world["period"].government, year=2020, quarter=3
    ).first()
    form = {
        "period": data.draw(
            st.one_of(odd_text, st.just(str(cilegon_period.pk) if cilegon_period else "")),
            label="period",
        ),
        "unit": data.draw(odd_text, label="unit"),
        "commitment": data.draw(odd_text, label="commitment"),
        "report_date": data.draw(odd_text, label="report_date"),
    }
    # Issuing renders a PDF or a workbook (a job, run at once here): not every time, to stay fast.
    if data.draw(st.booleans(), label="issue"):
        export = data.draw(st.sampled_from(["", "excel"]), label="export")
        _ok(client.post(reverse("report-list"), {**form, "export": export}))
    _ok(client.get(reverse("report-list"), {"page": form["unit"], "baru": form["commitment"]}))
    _check_scope(username, before)


@pytest.mark.parametrize("username", USERS)
@FUZZ
@given(year=odd_text, quarter=odd_text, reason=odd_text)
def test_period_and_return_forms(login, world, username, year, quarter, reason):
    client = login(username)
    before = _snapshot(username)
    _ok(client.post(reverse("period-list"), {"year": year, "quarter": quarter}))
    _ok(client.get(reverse("period-list")))
    submitted = world["submitted"]
    _ok(client.post(reverse("report-return", args=[submitted.pk]), {"reason": reason}))
    _ok(client.get(reverse("report-detail", args=[submitted.pk])))
    _check_scope(username, before)


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(
    "name", ["report-detail", "program-detail", "commitment-detail", "period-lock"]
)
def test_ids_in_the_path_beyond_any_column(login, world, username, name):
    """/laporan/99999999999999999999999/ is a 404, not a database error."""
    client = login(username)
    for pk in ("9223372036854775807", "9223372036854775808", "99999999999999999999999"):
        url = reverse(name, args=[1]).replace("/1/", f"/{pk}/")
        method = client.post if name == "period-lock" else client.get
        assert method(url).status_code == 404


@pytest.mark.parametrize("username", USERS)
@FUZZ
@given(
    params=st.dictionaries(st.sampled_from(["q", "kind", "unit", "in_office", "page"]), odd_text)
)
def test_unit_and_official_filters(login, username, params):
    client = login(username)
    _ok(client.get(reverse("unit-list"), params))
    _ok(client.get(reverse("official-list"), params))


@pytest.mark.parametrize("username", USERS)
@FUZZ
@given(term=odd_text)
def test_search(login, username, term):
    """The navbar search: anything typed, NUL too (PostgreSQL refuses it in a query)."""
    response = _ok(login(username).get(reverse("search"), {"q": term}))
    if "\x00" in term:
        assert response.status_code == 400


@pytest.mark.parametrize("raw", [b"%00", b"a%00b", b"%FF", b"%C3%28", b"\xff\xfe"])
def test_undecodable_bytes_in_the_search_and_the_report_form_are_a_400(login, world, raw):
    """NUL or bytes that are not UTF-8: a 400 before any view, and nothing is saved."""
    from urllib.parse import quote_from_bytes, urlencode

    client = login("dkiss")
    query = quote_from_bytes(raw, safe="%")  # raw bytes travel percent-encoded in a URL
    assert client.get(reverse("search") + "?q=" + query).status_code == 400
    program, period = world["own"], world["period"]
    form = urlencode(_sane_report_data(program, 1)).encode() + b"&obstacles=" + raw
    response = client.post(
        reverse("report-edit", args=[program.pk, period.pk]),
        form,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert not ProgressReport.objects.filter(program=program, period=period).exists()


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("param", ["unit", "asda", "commitment", "category", "periode"])
def test_ids_in_the_filters_beyond_any_column(login, world, username, param):
    """?unit=99999999999999999999 is the same answer as an id no row has, not a database error."""
    client = login(username)
    missing = client.get(reverse("program-list"), {param: "999999999"})
    for value in ("9223372036854775808", "9" * 20, "-" + "9" * 20):
        response = _ok(client.get(reverse("program-list"), {param: value}))
        if param != "periode":  # the page ignores a quarter that is no id
            assert response.status_code == missing.status_code
