"""gunicorn.conf.py: its values from the environment, and a real gunicorn serving with it."""

import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.infra.gunicorn_env import gunicorn_environment

CONFIG = Path(settings.BASE_DIR) / "gunicorn.conf.py"


def _load(monkeypatch, **environment):
    """The config file's module namespace, read with only ``environment`` as GUNICORN_*."""
    for name in list(os.environ):
        if name.startswith("GUNICORN_"):
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_defaults(monkeypatch):
    config = _load(monkeypatch)
    cores = len(os.sched_getaffinity(0))
    assert config["bind"] == "127.0.0.1:8000"
    assert config["workers"] == min(2 * cores + 1, 12)
    assert (config["worker_class"], config["threads"]) == ("gthread", 4)
    assert config["timeout"] == 60
    assert config["graceful_timeout"] == 30
    # Half the count at random: workers never reach it together (issue 24).
    assert (config["max_requests"], config["max_requests_jitter"]) == (1000, 500)
    assert config["accesslog"] is None
    assert config["preload_app"] is False


def test_the_environment_wins(monkeypatch):
    config = _load(
        monkeypatch,
        GUNICORN_BIND="unix:/run/monev.sock",
        GUNICORN_WORKERS="3",
        GUNICORN_WORKER_CLASS="sync",
        GUNICORN_THREADS="1",
        GUNICORN_TIMEOUT="120",
        GUNICORN_GRACEFUL_TIMEOUT="45",
        GUNICORN_MAX_REQUESTS="500",
        GUNICORN_MAX_REQUESTS_JITTER="50",
        GUNICORN_ACCESS_LOG="-",
    )
    assert config["bind"] == "unix:/run/monev.sock"
    assert (config["workers"], config["worker_class"], config["threads"]) == (3, "sync", 1)
    assert (config["timeout"], config["graceful_timeout"]) == (120, 45)
    assert (config["max_requests"], config["max_requests_jitter"]) == (500, 50)
    assert config["accesslog"] == "-"


def test_a_bad_number_stops_with_its_name(monkeypatch):
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS"):
        _load(monkeypatch, GUNICORN_WORKERS="many")


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_serves_the_app_with_this_config(tmp_path):
    port = _free_port()
    # An empty database: the login page and static files need no table.
    env = gunicorn_environment(tmp_path / "empty.sqlite3", port, workers=1)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "tracker.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, body = _get(f"{base}/akun/masuk/")
                break
            # Refused while gunicorn starts; a timeout while its worker loads the
            # app on a busy machine (the first request imports the URLconf).
            except (ConnectionError, TimeoutError, urllib.error.URLError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("gunicorn did not answer") from None
                time.sleep(0.3)
        assert status == 200, body[:2000]
        assert b"csrfmiddlewaretoken" in body
        assert "Content-Security-Policy" in headers
        status, _headers, body = _get(f"{base}/static/js/app.js")
        assert status == 200
        assert body == (Path(settings.BASE_DIR) / "static/js/app.js").read_bytes()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            output, _ = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _ = server.communicate()
    assert server.returncode == 0, output.decode(errors="replace")[-3000:]
    assert b"gthread" in output  # the worker class of this config
