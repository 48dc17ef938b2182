"""The benchmark's load run: gunicorn on loopback, hit by logged-in users.

Two numbers from one server: the mixed workload (each role's everyday
pages) and the ceiling of the stack on this machine, a minimal logged-in
page (a finished job's status part: one small query and a small template)
through the same middleware, by the same users. The mixed workload is then
printed as a share of the ceiling.
"""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from demo import scale
from jobs.models import Job
from programs.models import Program

CLIENT_SETTINGS = {"ALLOWED_HOSTS": ["testserver", "127.0.0.1"], "SECURE_SSL_REDIRECT": False}


def percentile(values, fraction):
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return None
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited before it was ready")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start listening")


def load_targets(users):
    """[(session cookie, mixed urls, ceiling url)] for ``users`` users over the governments."""
    governments = scale.synthetic_governments().order_by("region_code")
    indices = [int(g.region_code.split(".")[1]) for g in governments[: max(1, users // 3)]]
    targets = []
    with override_settings(**CLIENT_SETTINGS):
        for n in range(users):
            index = indices[n % len(indices)]
            role = ("bappeda", "opd", "walikota")[n % 3]
            user = get_user_model().objects.get(username=scale.username(role, index))
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            targets.append((cookie, _mix_for(role, user), _ceiling_url(user)))
    return targets


def _mix_for(role, user):
    program_list = reverse("program-list")
    if role == "bappeda":
        return [reverse("dashboard"), program_list, reverse("verification-queue")]
    if role == "walikota":
        return [reverse("dashboard"), program_list, reverse("home")]
    program = Program.objects.filter(owner_unit=user.profile.unit).order_by("pk").first()
    return [reverse("my-tasks"), program_list, reverse("program-detail", args=[program.pk])]


def _ceiling_url(user):
    """The status part of a finished job of the user's own (a job is its requester's alone)."""
    job = Job.objects.create(
        kind=Job.Kind.REPORT_EXCEL,
        government_id=user.profile.government_id,
        requested_by=user,
        title="bench",
        state=Job.State.DONE,
        progress=100,
        step=Job.Step.FINISHED,
    )
    return reverse("job-status", args=[job.pk])


def load_run(*, users, seconds):
    """Gunicorn (2 workers, loopback only) under ``users`` users: the mix, then the ceiling."""
    targets = load_targets(users)
    port = _free_port()
    environment = {
        **os.environ,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "LOG_LEVEL": "WARNING",
    }
    config = settings.BASE_DIR / "gunicorn.conf.py"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tracker.wsgi"]
        + (["--config", str(config)] if config.exists() else [])
        + ["--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _wait_for(port, server)
        mixed = [(cookie, urls) for cookie, urls, _ in targets]
        ceiling = [(cookie, [url]) for cookie, _, url in targets]
        _drive(port, mixed, seconds=2)  # warm both workers and the cache
        result = _summary(users, *_drive(port, mixed, seconds=seconds))
        _drive(port, ceiling, seconds=1)
        result["ceiling"] = _summary(users, *_drive(port, ceiling, seconds=seconds))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()
    result["share_of_ceiling"] = round(
        result["requests_per_second"] / max(result["ceiling"]["requests_per_second"], 0.1), 2
    )
    return result


def _summary(users, latencies, errors, elapsed):
    return {
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": len(latencies) + errors,
        "requests_per_second": round((len(latencies) + errors) / elapsed, 1),
        "p95_ms": round(percentile(latencies, 0.95) or 0, 1),
        "median_ms": round(statistics.median(latencies), 1) if latencies else None,
        "errors": errors,
    }


def _drive(port, targets, *, seconds):
    """Each target is one user requesting its urls in turn (a new connection each time)."""
    latencies, errors = [], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user(cookie, urls):
        n = 0
        while time.monotonic() < deadline:
            url = urls[n % len(urls)]
            n += 1
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request(
                    "GET", url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
                )
                response = conn.getresponse()
                response.read()
                conn.close()
                ok = response.status == 200
            except OSError:
                ok = False
            spent = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    latencies.append(spent)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=user, args=target) for target in targets]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0], time.monotonic() - started
