"""Shared fixtures.

The Kota Cilegon demo data (through ``seed_demo``, i.e. through the services)
and a second government, Kota Serang, are in every test process's database:
seeded once, then copied (tests/seeded_db.py); each test runs in a transaction
on top of them.
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests import seeded_db
from tracker import services
from tracker.models import Government, Unit

DEMO_PASSWORD = "cilegon2019"
DEMO_USERNAMES = [
    "admin",
    "pengelola",
    "bappeda",
    "walikota",
    "asda1",
    "dkiss",
    "dinkes",
    "camat.cibeber",
]


def load_other_government():
    """Kota Serang: a second government with its own Bappeda user, unit and plan."""
    from programs import services as plan_services

    serang = services.create_government(
        actor=None,
        name="Pemerintah Kota Serang",
        kind="kota",
        region_code="36.73",
        place_name="Serang",
    )
    bappeda = services.create_unit(
        actor=None,
        government=serang,
        kind=Unit.Kind.OPD,
        opd_type=Unit.OpdType.BADAN,
        code="BAPPEDA",
        name="Bappeda Kota Serang",
        abbreviation="Bappeda Serang",
    )
    services.appoint_official(
        actor=None,
        unit=bappeda,
        name="Kepala Bappeda Serang",
        position="Kepala Bappeda",
        nip="197001012000031002",
        is_head=True,
        start_date="2018-01-02",
    )
    services.create_user(
        actor=None,
        username="serang",
        password=DEMO_PASSWORD,
        government=serang,
        unit=bappeda,
        groups=["Bappeda"],
    )
    plan = plan_services.create_plan(
        actor=None,
        government=serang,
        name="RPJMD Kota Serang 2019-2023",
        start_year=2019,
        end_year=2023,
        legal_basis="Perda Kota Serang",
        vision="Serang Madani",
    )
    mission = plan_services.add_mission(actor=None, plan=plan, number=1, text="Misi")
    goal = plan_services.add_goal(actor=None, mission=mission, code="1.1", text="Tujuan")
    plan_services.add_indicator(
        actor=None,
        plan=plan,
        level=goal,
        code="S-1",
        name="Indikator Serang",
        unit_of_measure="persen",
    )
    # A user with an account but no profile: sees nothing.
    get_user_model().objects.create_user("nobody", password=DEMO_PASSWORD)


def pytest_addoption(parser):
    group = parser.getgroup("monev", "parts of the suite (.ci/run runs it once per database)")
    group.addoption(
        "--without-browser",
        action="store_true",
        help="leave out the tests that drive Chromium",
    )
    group.addoption(
        "--database-only",
        action="store_true",
        help="only the tests that use the test database: a second database's run "
        "need not repeat the others, whose outcome no database can change",
    )


def pytest_configure(config):
    # Before the xdist workers start, so they share the run's id (tests/seeded_db.py).
    seeded_db.start_run()


# What a test needs to reach the test database: pytest-django refuses it otherwise.
DATABASE_FIXTURES = {"_django_db_helper", "django_db_setup"}


def uses_the_database(item):
    """Whether the test reaches the test database, or reads which one is configured
    (marked ``per_database``)."""
    if item.get_closest_marker("django_db") or item.get_closest_marker("per_database"):
        return True
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)  # after tests/browser/conftest.py has marked its tests
def pytest_collection_modifyitems(config, items):
    """Leave out the parts of the suite that ``--without-browser`` and
    ``--database-only`` name, saying how many."""
    from tests.browser.conftest import drives_chromium

    left_out = []
    if config.getoption("without_browser"):
        left_out += [item for item in items if drives_chromium(item)]
    if config.getoption("database_only"):
        left_out += [item for item in items if not uses_the_database(item)]
    if left_out:
        unwanted = set(left_out)
        config.hook.pytest_deselected(items=list(unwanted))
        items[:] = [item for item in items if item not in unwanted]


def pytest_sessionfinish(session):
    # In the xdist controller (or the only process): a CI run leaves no template behind.
    # pytest-django blocks the database outside tests, hooks included.
    if not hasattr(session.config, "workerinput"):
        from pytest_django.plugin import blocking_manager_key

        with session.config.stash[blocking_manager_key].unblock():
            seeded_db.remove_run_templates()


def seed():
    """What every test database holds: the Cilegon demo and Kota Serang."""
    call_command("seed_demo", "--allow-demo-accounts", verbosity=0)
    load_other_government()


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_modify_db_settings, django_db_blocker):
    """Create the test database holding the demo, once per session.

    The first test process seeds it and keeps it as a template; the others copy
    the template instead of seeding again (tests/seeded_db.py).

    This replaces pytest-django's fixture, which sets up only the databases
    that the collected tests ask for through ``db`` or a marker; the browser
    tests use the database through a live server without asking, and must
    never reach the developer's own database.
    """
    from django.test.utils import teardown_databases

    with django_db_blocker.unblock():
        config = seeded_db.setup_seeded_databases(seed)
    yield
    with django_db_blocker.unblock():
        _disconnect_live_server_threads()
        teardown_databases(config, verbosity=0)


def _disconnect_live_server_threads():
    """Close PostgreSQL sessions that the live server's request threads still hold.

    The browser may keep an HTTP connection alive past the end of the tests;
    its handler thread then keeps its database session, and PostgreSQL
    refuses to drop a database that someone is connected to.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (Bahasa Indonesia).

    A test client request with the English cookie leaves English active on the
    test's own thread; a later test on the same worker would then read labels,
    such as str(period), in English while the pages answer in Indonesian.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: no cached page or session carries over."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def cilegon(db):
    return Government.objects.get(region_code="36.72")


@pytest.fixture
def serang(db):
    return Government.objects.get(region_code="36.73")


@pytest.fixture
def unit(cilegon):
    """Look up a Cilegon unit by code: ``unit("DKISS")``."""
    return lambda code: Unit.objects.get(government=cilegon, code=code)


@pytest.fixture
def login(client, db):
    """Log the test client in as a user name; returns the client."""

    def _login(username):
        if username is not None:
            client.force_login(get_user_model().objects.get(username=username))
        return client

    return _login


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(monkeypatch):
    """``client.force_login`` of a superuser or Administrator also enters the one-time code.

    Those roles must sign in with a TOTP code (tracker.middleware); a test that
    only wants to act as them gets a confirmed device and a session that
    django-otp counts as verified, as after ``django_otp.login``. Tests of the
    code step itself log in through the login form instead.
    """
    from django.test import Client

    force_login = Client.force_login

    def force_login_and_verify(self, user, backend=None):
        force_login(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tracker.middleware import two_factor_required

        if two_factor_required(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login_and_verify)


@pytest.fixture(autouse=True)
def _stored_files_go_with_the_rollback(request):
    """Files a test stores under MEDIA_ROOT are removed after it, as its rows are.

    The rows are rolled back, and SQLite then gives the next test the same ids; a
    file left at ``progress/<program id>/<quarter id>/notulen.pdf`` would make the
    storage store that test's own "notulen.pdf" under another name (and a test that
    checks a file is not stored locally would find it). Browser tests keep theirs:
    the live server's writes are committed, and the tests after them may read them.
    """
    from django.conf import settings

    from tests.browser.conftest import drives_chromium

    if drives_chromium(request.node):
        yield
        return
    root = Path(settings.MEDIA_ROOT)
    before = set(root.rglob("*"))
    yield
    for path in set(root.rglob("*")) - before:
        if path.is_file():
            path.unlink(missing_ok=True)
