"""Browser tests: Playwright drives the system's Chromium (Debian package ``chromium``).

Playwright cannot download its own browser on a closed network, so we launch
``/usr/bin/chromium`` (or ``$CHROMIUM``). Without it the browser tests are
skipped locally, and fail under ``CI=true``.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
INSTALL_HINT = "install it with: apt-get update && apt-get install -y chromium"

# Playwright's sync API runs an event loop in this thread; Django's test
# server and ORM calls from the test are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(trylast=True)  # after pytest-django sorts the tests by database use
def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    browser_items = [item for item in items if here in Path(item.fspath).parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    # Every test that drives Chromium runs after all the others, in each test process:
    # the live server commits what a browser test writes (no test transaction wraps
    # it), and Playwright's sync API keeps an event loop running in this thread, where
    # pyHanko's asyncio.run would then refuse to seal. Ordered last, neither reaches a
    # database test. (xdist hands tests out in this order.)
    driving = [item for item in items if drives_chromium(item)]
    # The layout and axe checks only read: they go first, so they see the demo as
    # seeded, not as the browser tests that write left it.
    driving.sort(key=lambda item: not Path(item.fspath).name.endswith("layout.py"))
    items[:] = [item for item in items if item not in driving] + driving

    if Path(CHROMIUM).exists() or not browser_items:
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"Chromium not found at {CHROMIUM}; {INSTALL_HINT}")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}; {INSTALL_HINT}")
    for item in browser_items:
        item.add_marker(skip)


# pytest-playwright's fixtures that start Playwright (its autouse ones do not).
PLAYWRIGHT_FIXTURES = {"playwright", "browser_type", "launch_browser", "browser", "context"}
PLAYWRIGHT_FIXTURES |= {"new_context", "page"}


def drives_chromium(item):
    """Whether the test uses a pytest-playwright fixture that starts Playwright, directly
    or through another fixture (``log_in`` asks for ``page``)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        "playwright" in info.name2fixturedefs[name][-1].func.__module__
        for name in PLAYWRIGHT_FIXTURES & set(info.name2fixturedefs)
        if info.name2fixturedefs[name]
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # An English-language browser, as on many office computers: the app must
    # still answer in Bahasa Indonesia until the user switches.
    return {**browser_context_args, "locale": "en-US"}


@pytest.fixture(scope="session")
def demo_server(django_db_setup, django_db_blocker):
    """One live server over the session's test database, which holds the Cilegon demo.

    Seeding takes seconds, so the browser tests share it instead of flushing
    and reseeding per test (pytest-django's ``live_server`` would). They run
    after the database tests and each uses its own records, so the changes
    they leave behind do not matter to one another.
    """
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        server = LiveServer("localhost")
        yield server
        server.stop()


@pytest.fixture(autouse=True)
def _database_open_for_the_server(django_db_blocker):
    # The server thread reads and writes the database while a test runs.
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def log_in(page, demo_server):
    def _log_in(username, password="cilegon2019"):
        page.goto(f"{demo_server.url}/akun/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("form button[type=submit]:not([name=language])")
        return page

    return _log_in
