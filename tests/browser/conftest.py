"""Browser tests: Playwright drives the system's Chromium (Debian package ``chromium``).

Playwright cannot download its own browser on a closed network, so we launch
``/usr/bin/chromium`` (or ``$CHROMIUM``). Without it the browser tests are
skipped locally, and fail under ``CI=true``.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

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


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    browser_items = [item for item in items if here in Path(item.fspath).parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if Path(CHROMIUM).exists() or not browser_items:
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"Chromium not found at {CHROMIUM}; {INSTALL_HINT}")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}; {INSTALL_HINT}")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # An English-language browser, as on many office computers: the app must
    # still answer in Bahasa Indonesia until the user switches.
    return {**browser_context_args, "locale": "en-US"}


@pytest.fixture
def demo_server(live_server, transactional_db):
    """The live test server with the Cilegon demo loaded (transactional tests start empty)."""
    call_command("seed_demo", "--allow-demo-accounts", verbosity=0)
    return live_server


@pytest.fixture
def log_in(page, demo_server):
    def _log_in(username, password="cilegon2019"):
        page.goto(f"{demo_server.url}/akun/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("form button[type=submit]:not([name=language])")
        return page

    return _log_in
