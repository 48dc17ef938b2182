"""The API documentation (Swagger UI) loads under the Content-Security-Policy.

Swagger UI's scripts are static files and its start-up script is served
separately (SpectacularSwaggerSplitView); its inline <style> moved to a static
file. The browser must report no violation.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (  # noqa: F401 (fixtures of the browser tests)
    CHROMIUM,
    _database_open_for_the_server,
    browser_context_args,
    browser_type_launch_args,
    demo_server,
    log_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium not found"),
]


def test_docs_load_under_the_policy(page, log_in, demo_server):  # noqa: F811
    problems = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and problems.append(message.text),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in("bappeda")
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)
    page.goto(f"{demo_server.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Monev API")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/units/").first).to_be_visible()
    # Try one endpoint from the page: the session authenticates it.
    page.locator(".opblock-summary-path", has_text="/api/v1/periods/").first.click()
    page.locator("button.try-out__btn").first.click()
    page.locator("button.execute").first.click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_contain_text(
        "200"
    )
    assert problems == []
