"""Withdrawn access closes in every gunicorn worker at the next request (issue 23, item 1).

A real gunicorn with several workers and no REDIS_URL (each worker has its own
LocMemCache, as a deployment without Redis does) serves a database file of its
own. Every worker first answers enough requests to cache the user's actor and
"no code device" answer; then another process (``manage.py shell``, through the
services) moves the user, removes a role or adds a confirmed TOTP device, and
every one of the following requests, whichever worker answers it, sees it.
"""

import http.client
import json
import signal
import subprocess
import sys
import time

from django.conf import settings

from tests.infra.gunicorn_env import gunicorn_environment
from tests.infra.test_gunicorn_conf import CONFIG, _free_port

WORKERS = 3
WARM_REQUESTS = 24  # spread over the workers: each caches the actor first
CHECKED_REQUESTS = 12

SETUP = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from tracker import services
from tracker.models import Unit

government = services.create_government(
    actor=None, name="Kota Uji", kind="kota", region_code="99.01", place_name="Uji"
)
units = {
    code: services.create_unit(
        actor=None, government=government, kind=Unit.Kind.OPD,
        opd_type=Unit.OpdType.DINAS, code=code, name="Dinas " + code, abbreviation=code,
    ).pk
    for code in ("LAMA", "BARU", "LAIN")
}
sessions = {}
for username, unit, groups in (
    ("pindah", "LAMA", []), ("peran", "BARU", ["Bappeda"]), ("kode", "LAMA", [])
):
    user = services.create_user(
        actor=None, username=username, password="x-Uji-2024", government=government,
        unit=Unit.objects.get(pk=units[unit]), groups=groups,
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    sessions[username] = session.session_key
print("RESULT" + json.dumps({"units": units, "sessions": sessions}))
"""

MOVE = """
from django.contrib.auth import get_user_model
from tracker import services
from tracker.models import Unit
user = get_user_model().objects.get(username="pindah")
services.move_user(user, actor=None, unit=Unit.objects.get(code="BARU"), reason="mutasi")
"""

REMOVE_ROLE = """
from django.contrib.auth import get_user_model
from tracker import services
user = get_user_model().objects.get(username="peran")
services.set_user_roles(user, actor=None, groups=[], reason="selesai tugas")
"""

ADD_DEVICE = """
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
TOTPDevice.objects.create(
    user=get_user_model().objects.get(username="kode"), name="hp", confirmed=True
)
"""


def _manage(env, *args):
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return done.stdout


def _in_another_process(env, code):
    return _manage(env, "shell", "-c", code)


def _get(port, path, session_key):
    """One request on a new connection (so gunicorn hands it to any worker)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request(
            "GET", path, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}"}
        )
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


def test_every_worker_sees_withdrawn_access_at_the_next_request(tmp_path):
    port = _free_port()
    env = gunicorn_environment(tmp_path / "workers.sqlite3", port, workers=WORKERS)
    _manage(env, "migrate", "-v0")
    output = _in_another_process(env, SETUP)
    setup = json.loads(output.split("RESULT", 1)[1])
    units, sessions = setup["units"], setup["sessions"]

    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "tracker.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    old_unit = f"/unit-kerja/{units['LAMA']}/"
    other_unit = f"/unit-kerja/{units['LAIN']}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(port, "/akun/masuk/", "")
                break
            except (ConnectionError, TimeoutError, OSError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("gunicorn did not answer") from None
                time.sleep(0.3)

        def statuses(path, username, count):
            return [_get(port, path, sessions[username]) for _ in range(count)]

        # Every worker caches what it knows of the three users.
        assert {s for s, _ in statuses(old_unit, "pindah", WARM_REQUESTS)} == {200}
        assert {s for s, _ in statuses(other_unit, "peran", WARM_REQUESTS)} == {200}
        assert {s for s, _ in statuses("/", "kode", WARM_REQUESTS)} == {200}

        _in_another_process(env, MOVE)
        assert [s for s, _ in statuses(old_unit, "pindah", CHECKED_REQUESTS)] == [404] * 12

        _in_another_process(env, REMOVE_ROLE)
        assert [s for s, _ in statuses(other_unit, "peran", CHECKED_REQUESTS)] == [404] * 12

        _in_another_process(env, ADD_DEVICE)
        answers = statuses("/", "kode", CHECKED_REQUESTS)
        assert all(
            status == 302 and "/akun/dua-langkah/" in location for status, location in answers
        ), answers
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            output, _ = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _ = server.communicate()
    log = output.decode(errors="replace")
    assert log.count("Booting worker") >= WORKERS, log[-3000:]
