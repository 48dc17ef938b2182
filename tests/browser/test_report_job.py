"""Bappeda issues the quarterly report from the web with a Celery worker running: the job
waits in the queue, the progress bar moves when the worker takes it, and the PDF downloads."""

import os

import pytest
from playwright.sync_api import expect

from tracker.celery import app as celery_app

# Records every value the progress bar shows, across htmx's swaps of the status part.
WATCH_PROGRESS = """() => {
  window.seenProgress = [];
  const note = () => {
    const bar = document.querySelector('#job-status [role=progressbar]');
    const value = bar && Number(bar.getAttribute('aria-valuenow'));
    if (bar && window.seenProgress[window.seenProgress.length - 1] !== value) {
      window.seenProgress.push(value);
    }
  };
  note();
  new MutationObserver(note).observe(document.body, {subtree: true, childList: true,
                                                     attributes: true});
}"""


@pytest.fixture
def redis_broker():
    """Celery with a real broker: Redis on this machine, a database of its own per test process."""
    import redis

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
    url = f"redis://127.0.0.1:6379/{12 + int(worker) % 4}"
    try:
        redis.Redis.from_url(url).flushdb()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    _forget_connections()
    yield url
    celery_app.conf.update(saved)
    _forget_connections()


def _forget_connections():
    """Drop the connection and producer pools an earlier test may have opened to another
    broker (Celery's default, amqp on localhost): messages would otherwise go there."""
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@pytest.fixture
def shared_database_connection():
    """The worker thread uses the test database connection, as the live server's threads do.

    (The SQLite test database lives in memory; a connection of the worker's own
    would open another, empty database.)
    """
    from celery.signals import task_prerun
    from django.db import connections

    main = connections["default"]

    def share(**kwargs):
        connections["default"] = main

    main.inc_thread_sharing()
    task_prerun.connect(share, weak=False)
    yield
    task_prerun.disconnect(share)
    main.dec_thread_sharing()


def test_the_report_is_a_job_whose_progress_shows_and_whose_pdf_downloads(
    log_in, tmp_path, redis_broker, shared_database_connection
):
    from celery.contrib.testing.worker import start_worker

    page = log_in("bappeda")
    refused = []  # htmx must run under the Content-Security-Policy, adding no inline style
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    with page.expect_navigation():  # the home page has a region named after a quarter too
        page.get_by_role("link", name="Laporan", exact=True).click()
    page.get_by_label("Triwulan").select_option(label="Triwulan III 2020")
    page.get_by_role("button", name="Terbitkan laporan PDF").click()

    # No worker yet: the job waits in the queue, at 0 %.
    status = page.locator("#job-status")
    expect(status).to_have_attribute("data-state", "queued")
    expect(status.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")
    page.evaluate(WATCH_PROGRESS)

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        expect(page.locator("#job-status")).to_have_attribute("data-state", "done", timeout=60_000)
    seen = page.evaluate("window.seenProgress")
    assert seen[0] == 0 and seen[-1] == 100, seen
    assert seen == sorted(seen), seen  # it only ever moves forward
    expect(page.locator("#job-status")).to_contain_text("kode verifikasi")

    with page.expect_download() as download:
        page.locator("#job-status").get_by_role("link", name="Unduh PDF").click()
    issued = tmp_path / "laporan.pdf"
    download.value.save_as(issued)
    assert issued.read_bytes().startswith(b"%PDF-")
    assert download.value.suggested_filename.startswith("laporan-tw3-2020-")
    assert refused == []
