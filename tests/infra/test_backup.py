"""Backup and restore (issue 24, item 7): back up, wipe, restore, check.

Runs on whatever database the suite uses: SQLite (the backup API) or PostgreSQL
(pg_dump / pg_restore, skipped with the reason if they are not installed). The
test works on the session's demo database itself, outside a test transaction (a
restore replaces everything), and puts it back from a backup taken first.
"""

import hashlib
import io
import json
import shutil
import tarfile
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from reports import services as report_services
from reports.models import GeneratedReport


@pytest.fixture
def live_database(django_db_setup, django_db_blocker, tmp_path):
    """The demo database with autocommit, restored to its state before the test after it."""
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            missing = [tool for tool in ("pg_dump", "pg_restore") if not shutil.which(tool)]
            if missing:
                pytest.skip(f"{', '.join(missing)} not on PATH (PostgreSQL client tools)")
        pristine = tmp_path / "pristine.tar"
        call_command("backup", output=str(pristine), verbosity=0)
        try:
            yield tmp_path
        finally:
            call_command("restore", str(pristine), yes=True, verbosity=0)


def _sha256(field_file):
    with field_file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_back_up_wipe_restore_and_the_issued_report_still_verifies(live_database, capsys):
    bappeda = get_user_model().objects.get(username="bappeda")
    request = report_services.resolve_request(
        year=2020, quarter=3, government_code="36.72", user=bappeda
    )
    report = report_services.issue_report(
        request, actor=bappeda, source=GeneratedReport.Source.COMMAND
    )
    code, digest, name = report.code, report.sha256, report.file.name
    assert _sha256(report.file) == digest

    archive = live_database / "monev.tar"
    started = time.monotonic()
    call_command("backup", output=str(archive))
    backup_seconds = time.monotonic() - started
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert set(tar.getnames()) == {*manifest["members"], "manifest.json"}
        stored = hashlib.sha256(tar.extractfile("media/" + name).read()).hexdigest()
    assert stored == manifest["members"]["media/" + name]["sha256"]
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["migrations"]["jobs"] and manifest["versions"]["django"]
    assert manifest["signing"]["included"] is False  # a secret: only with the flag

    # The loss: the report's row and its file.
    report.file.delete(save=False)
    GeneratedReport.objects.filter(code=code).delete()

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    assert not GeneratedReport.objects.filter(code=code).exists()  # nothing done

    started = time.monotonic()
    call_command("restore", str(archive), yes=True)
    restore_seconds = time.monotonic() - started
    output = capsys.readouterr().out
    assert "checksums match" in output and "data version" in output

    restored = GeneratedReport.objects.get(code=code)
    assert restored.sha256 == digest and _sha256(restored.file) == digest
    page = Client().get(reverse("report-verify-public", args=[code]))
    assert page.status_code == 200 and code in page.content.decode()
    print(f"{connection.vendor}: backup {backup_seconds:.2f} s, restore {restore_seconds:.2f} s")


def test_a_damaged_archive_is_refused_before_anything_is_touched(live_database):
    archive = live_database / "monev.tar"
    call_command("backup", output=str(archive), verbosity=0)
    damaged = live_database / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("database."):
                data = data[:-1] + bytes([data[-1] ^ 1])
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(damaged), yes=True)
