"""Each service write shows on the next read of the cached pages.

With the cache on (LocMemCache), a page is read (and cached), a service
writes and "commits" (``committed``: the version bumps as on a real commit),
and the page read again shows the change. Then that page is read once more
through the cache (a hit under the new version) and still shows it.
"""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from commitments import services as commitment_services
from commitments.models import Commitment, Signature
from programs import program_services, reporting, services
from rpjmd import services as rpjmd_services
from tests.commitments.conftest import upload, wib
from tests.test_cache_versioning import _fill, _head, committed, user
from tracker import accounts, data_version
from tracker import services as tracker_services

pytestmark = pytest.mark.django_db


class Subject:
    """A 2022 DKISS program with TW I open and a report started, all committed."""

    def __init__(self, make_program, period_2022, unit):
        with committed():
            self.program = make_program(title="Program Uji Cache")
            self.period = period_2022(1)
            self.report = reporting.start_report(self.program, self.period, actor=user("dkiss"))
        self.unit = unit

    def page(self, client, username, name):
        client.force_login(user(username))
        period = f"?periode={self.period.pk}"
        url = {
            "dashboard": reverse("dashboard") + period,
            "detail": reverse("program-detail", args=[self.program.pk]) + period,
            "list": reverse("program-list") + period + "&state=all",
            "tasks": reverse("my-tasks") + period,
            "home": reverse("home"),
        }[name]
        response = client.get(url)
        assert response.status_code == 200
        assert not data_version._writing(self.program.commitment.government_id)
        # The CSRF token (in the page, never in a cached part) differs per response.
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def _submitted(s):
    _fill(s.report, user("dkiss"))
    reporting.submit_report(s.report, actor=user("dkiss"))


def _verified(s):
    with committed():
        _submitted(s)
    s.report.refresh_from_db()
    reporting.verify_report(s.report, actor=user("bappeda"), expected_version=s.report.version)


def _returned(s):
    with committed():
        _submitted(s)
    s.report.refresh_from_db()
    reporting.return_report(
        s.report,
        actor=user("bappeda"),
        reason="Lengkapi bukti foto",
        expected_version=s.report.version,
    )


def _milestones(s):
    rows = [
        {
            "pk": m.pk,
            "title": "Tahap Baru Sekali" if i == 0 else m.title,
            "deliverable": m.deliverable,
            "planned_start": m.planned_start,
            "planned_finish": m.planned_finish,
            "weight": m.weight,
        }
        for i, m in enumerate(s.program.milestones.order_by("order", "planned_start", "id"))
    ]
    services.set_milestones(s.program, actor=user("bappeda"), rows=rows)


def _section(element_id):
    """What a page shows in the element ``element_id``: the case's check that it changed."""

    def shown(html):
        match = re.search(rf'id="{element_id}"[^>]*>(.*?)</div>', html, re.S)
        assert match, element_id
        return match.group(1)

    return shown


def _unit(code):
    from tracker.models import Unit

    return Unit.objects.get(government__region_code="36.72", code=code)


# (name, the write, the page, the user, what it shows afterwards but not before)
CASES = [
    ("start_report", None, "tasks", "dkiss", "state-draft"),
    ("submit_report", _submitted, "dashboard", "bappeda", _section("compliance-totals")),
    ("submit_report (unit page)", _submitted, "tasks", "dkiss", "state-submitted"),
    ("verify_report", _verified, "detail", "bappeda", "state-verified"),
    ("return_report", _returned, "tasks", "dkiss", "Lengkapi bukti foto"),
    ("set_milestones", _milestones, "detail", "dkiss", "Tahap Baru Sekali"),
    (
        "assign_owner",
        lambda s: services.assign_owner(
            s.program, actor=user("bappeda"), unit=_unit("DINKES"), reason="Alih tugas"
        ),
        "detail",
        "bappeda",
        "Dinas Kesehatan",
    ),
    (
        "update_program",
        lambda s: program_services.update_program(
            s.program, actor=user("bappeda"), title="Judul Program Berubah", reason="Ganti"
        ),
        "list",
        "bappeda",
        "Judul Program Berubah",
    ),
    (
        "set_budgets",
        lambda s: program_services.set_budgets(
            s.program, actor=user("bappeda"), budgets={2022: D("123456789")}, reason="Revisi"
        ),
        "detail",
        "bappeda",
        "123.456.789",
    ),
    (
        "set_program_state",
        lambda s: program_services.set_program_state(
            s.program,
            actor=user("bappeda"),
            state="stopped",
            on=datetime.date(2022, 2, 1),
            reason="Anggaran dialihkan",
        ),
        "detail",
        "bappeda",
        "Anggaran dialihkan",
    ),
    (
        "open_period",
        lambda s: services.open_period(
            actor=user("bappeda"), government=s.program.commitment.government, year=2022, quarter=2
        ),
        "list",
        "bappeda",
        "Triwulan II 2022",
    ),
    (
        "lock_period",
        lambda s: services.lock_period(s.period, actor=user("bappeda"), reason="Selesai"),
        "tasks",
        "dkiss",
        'class="text-muted small"',
    ),
    (
        "update_unit",
        lambda s: tracker_services.update_unit(
            _unit("DKISS"), actor=user("pengelola"), reason="Nomenklatur", name="Dinas Kominfo Baru"
        ),
        "detail",
        "bappeda",
        "Dinas Kominfo Baru",
    ),
    (
        "create_unit",
        lambda s: tracker_services.create_unit(
            actor=user("pengelola"),
            government=s.program.commitment.government,
            kind="opd",
            code="BRIDA",
            name="Badan Riset dan Inovasi Daerah",
            reason="Perda baru",
        ),
        "list",
        "bappeda",
        ">Badan Riset dan Inovasi Daerah</option>",
    ),
]


# (the page is "page_name": pytest-playwright would take "page" for a browser page)
@pytest.mark.parametrize(
    ("write", "page_name", "username", "shows"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_next_read_shows_the_write(
    write,
    page_name,
    username,
    shows,
    client,
    make_program,
    period_2022,
    unit,
):
    subject_kwargs = {"make_program": make_program, "period_2022": period_2022, "unit": unit}
    if write is None:  # the write is the subject's own report start: read before it
        with committed():
            program = make_program(title="Program Uji Cache")
            period = period_2022(1)
        s = Subject.__new__(Subject)
        s.program, s.period, s.unit = program, period, unit
        before = s.page(client, username, page_name)
        with committed():
            reporting.start_report(program, period, actor=user("dkiss"))
    else:
        s = Subject(**subject_kwargs)
        before = s.page(client, username, page_name)
        assert s.page(client, username, page_name) == before  # a hit: the same page
        with committed():
            write(s)
    after = s.page(client, username, page_name)
    again = s.page(client, username, page_name)  # read through the cache, under the new version
    if callable(shows):
        assert shows(before) != shows(after)
        assert shows(again) == shows(after)
    else:
        assert shows not in before
        assert shows in after
        assert shows in again


def test_an_indicator_target_change_shows_on_the_dashboard(client, cilegon):
    """rpjmd.services.set_target: the achievement table shows the new target at once."""
    from programs.models import ReportingPeriod

    period = ReportingPeriod.objects.get(government=cilegon, year=2021, quarter=3)
    client.force_login(user("bappeda"))
    url = f"{reverse('dashboard')}?periode={period.pk}"
    indicator, _achievement = client.get(url).context["indicators"][0]
    before = client.get(url).context["body"]
    with committed():
        rpjmd_services.set_target(
            actor=user("bappeda"), indicator=indicator, year=2021, target=D("987.65"), reason="x"
        )
    assert "987,65" not in before
    assert "987,65" in client.get(url).context["body"]
    assert "987,65" in client.get(url).context["body"]


def test_deactivating_a_unit_takes_its_members_pages_away_at_once(client, cilegon):
    client.force_login(user("dkiss"))
    url = f"{reverse('program-list')}?state=all"
    assert client.get(url).context["paginator"].count > 0  # cached for the DKISS scope
    version = data_version.current(cilegon.pk)
    with committed():
        tracker_services.set_unit_active(
            _unit("DKISS"), actor=user("pengelola"), active=False, reason="Dilebur"
        )
    assert data_version.current(cilegon.pk) != version
    client.force_login(user("dkiss"))
    assert client.get(url).context["paginator"].count == 0
    assert client.get(reverse("home")).context["role"] == "none"


def test_appointing_an_official_bumps_the_version(cilegon):
    before = data_version.current(cilegon.pk)
    with committed():
        tracker_services.appoint_official(
            actor=user("pengelola"),
            unit=_unit("DKISS"),
            name="Budi Santoso",
            position="Kepala Dinas",
            start_date=datetime.date(2024, 1, 2),
            reason="SK baru",
        )
    assert data_version.current(cilegon.pk) != before


def test_a_role_change_gives_the_users_pages_their_new_scope(client, cilegon):
    """update_account: dkiss becomes Bappeda; their program list widens at once."""
    dkiss = user("dkiss")
    client.force_login(dkiss)
    url = f"{reverse('program-list')}?state=all"
    before = client.get(url).context["paginator"].count
    with committed():
        accounts.update_account(
            dkiss,
            actor=user("pengelola"),
            full_name=dkiss.get_full_name() or "Operator DKISS",
            email=dkiss.email or "dkiss@example.org",
            role="Bappeda",
            unit=dkiss.profile.unit,
            is_unit_head=False,
            reason="Mutasi",
        )
    client.force_login(user("dkiss"))
    after = client.get(url).context["paginator"].count
    assert after > before


def test_signing_and_revoking_show_on_the_home_page(client, cilegon):
    smart_city = Commitment.objects.get(government=cilegon, date=datetime.date(2019, 10, 11))
    client.force_login(user("walikota"))

    def counts():
        commitment = next(
            c
            for c in client.get(reverse("home")).context["open_commitments"]
            if c.pk == smart_city.pk
        )
        return commitment.signed_count

    before = counts()
    absent = _unit("BAG-PBJ")
    with committed():
        signature = commitment_services.record_signature(
            smart_city,
            actor=user("bappeda"),
            unit=absent,
            official=_head(absent),
            signed_at=wib(2019, 10, 14),
            method="wet",
            evidence=upload(),
        )
    assert counts() == before + 1
    with committed():
        commitment_services.revoke_signature(
            Signature.objects.get(pk=signature.pk), actor=user("bappeda"), reason="Salah unit"
        )
    assert counts() == before
