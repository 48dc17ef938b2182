"""``manage.py backup``: the database, the uploaded files and issued reports, and the
sealing certificate's configuration, in one tar archive with a manifest.

The archive holds ``database.sqlite3`` (SQLite's backup API: a consistent copy
while the site runs) or ``database.pgdump`` (``pg_dump --format=custom``: keeps
sequences and constraints; restored with ``pg_restore``), ``media/`` (every file
under MEDIA_ROOT: evidence, signature scans, issued reports, exports) and, last,
``manifest.json``: when, which versions, the latest migration of each app, and
the size and SHA-256 of every other member. The sealing certificate (.p12) is a
secret: only its path and checksum are recorded, unless ``--include-signing-key``.
``manage.py restore`` reads it back (README, "Operations").
"""

import datetime
import hashlib
import io
import json
import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_PREFIX = "media/"
SIGNING_PREFIX = "signing/"
CHUNK = 1024 * 1024


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _Hashing(io.RawIOBase):
    """A file read once: into the archive, and through SHA-256 on the way."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self):
        return True

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def postgres_command(tool, settings_dict):
    """``tool`` (pg_dump, pg_restore) with the connection's settings, and its environment."""
    executable = shutil.which(tool)
    if executable is None:
        raise CommandError(
            f"{tool} was not found on PATH: install the PostgreSQL client tools "
            "(Debian/Ubuntu: apt install postgresql-client) of the server's version or newer."
        )
    args = [executable, "--no-owner", "--no-privileges"]
    if settings_dict.get("HOST"):
        args += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    env = {**os.environ, "PGCONNECT_TIMEOUT": str(settings.DATABASE_CONNECT_TIMEOUT)}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def tool_version(executable):
    try:
        return subprocess.run(
            [executable, "--version"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except OSError:
        return ""


def _app_version():
    try:
        result = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except OSError:
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def latest_migrations():
    """``{app: latest applied migration}`` of the database now."""
    latest = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


class Command(BaseCommand):
    help = (
        "Back up the database, the uploaded files and issued reports (MEDIA_ROOT) and the "
        "sealing certificate's configuration into one tar archive with a manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="The archive to write (default: var/backups/monev-<date>-<time>.tar).",
        )
        parser.add_argument(
            "--include-signing-key",
            action="store_true",
            help="Also copy the sealing certificate (.p12 file, a secret) into the archive.",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        now = datetime.datetime.now(datetime.UTC)
        output = Path(
            options["output"] or settings.VAR_DIR / "backups" / f"monev-{now:%Y%m%d-%H%M%S}.tar"
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        members = {}
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "host": socket.gethostname(),
            "versions": {
                "app": _app_version(),
                "python": platform.python_version(),
                "django": django.get_version(),
            },
            "members": members,
        }
        with tempfile.TemporaryDirectory() as scratch, tarfile.open(partial, "w") as archive:

            def add(name, path):
                info = archive.gettarinfo(str(path), arcname=name)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                with open(path, "rb") as handle:
                    hashing = _Hashing(handle)
                    archive.addfile(info, hashing)
                members[name] = {"size": info.size, "sha256": hashing.digest.hexdigest()}

            manifest["database"] = self._dump_database(Path(scratch), add, manifest)
            manifest["migrations"] = latest_migrations()
            manifest["storage"] = self._add_media(add)
            manifest["signing"] = self._signing(add, options["include_signing_key"])
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(now.timestamp())
            archive.addfile(info, io.BytesIO(data))
        partial.replace(output)
        os.chmod(output, 0o600)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Backup written to {output} ({output.stat().st_size / 1e6:.1f} MB, "
            f"{len(members)} members, {elapsed:.1f} s)."
        )
        for note in manifest["storage"].get("note", ""), manifest["signing"]["note"]:
            if note:
                self.stdout.write(f"Note: {note}")
        return None

    def _dump_database(self, scratch, add, manifest):
        vendor = connection.vendor
        if vendor not in DATABASE_MEMBERS:
            raise CommandError(f"Backing up a {vendor} database is not supported.")
        name = DATABASE_MEMBERS[vendor]
        target = scratch / name
        connection.ensure_connection()
        with connection.cursor() as cursor:
            if vendor == "sqlite":
                cursor.execute("SELECT sqlite_version()")
            else:
                cursor.execute("SHOW server_version")
            manifest["versions"]["database"] = f"{vendor} {cursor.fetchone()[0]}"
        if vendor == "sqlite":
            # The backup API: a consistent copy even while others write (WAL).
            copy = sqlite3.connect(target)
            try:
                connection.connection.backup(copy)
            finally:
                copy.close()
            tool = "sqlite3 backup API"
        else:
            args, env = postgres_command("pg_dump", connection.settings_dict)
            args += ["--format=custom", "--file", str(target), connection.settings_dict["NAME"]]
            result = subprocess.run(args, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
            tool = tool_version(args[0])
            manifest["versions"]["pg_dump"] = tool
        add(name, target)
        return {"engine": vendor, "member": name, "tool": tool}

    def _add_media(self, add):
        if settings.STORAGE_BACKEND != "filesystem":
            options = settings.STORAGES["default"].get("OPTIONS", {})
            return {
                "backend": settings.STORAGE_BACKEND,
                "bucket": options.get("bucket_name", ""),
                "prefix": options.get("location", ""),
                "files": 0,
                "note": (
                    "Files are on S3 and not in this archive: back up the bucket with its "
                    "own tools (versioning, replication or `aws s3 sync`)."
                ),
            }
        root = Path(settings.MEDIA_ROOT)
        count = 0
        if root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                add(MEDIA_PREFIX + path.relative_to(root).as_posix(), path)
                count += 1
        return {"backend": "filesystem", "media_root": str(root), "files": count}

    def _signing(self, add, include):
        path = settings.REPORT_SIGNING_P12
        info = {"p12_path": path, "configured": bool(path), "included": False}
        if not path:
            info["note"] = "No sealing certificate is configured (REPORT_SIGNING_P12)."
            return info
        if not Path(path).is_file():
            info["note"] = f"The sealing certificate {path} does not exist."
            return info
        info["p12_sha256"] = sha256_of(path)
        if include:
            member = SIGNING_PREFIX + Path(path).name
            add(member, Path(path))
            info.update(included=True, member=member)
            info["note"] = (
                "The sealing certificate (a secret) is in this archive: keep it as safe as "
                "the certificate itself."
            )
        else:
            info["note"] = (
                f"The sealing certificate {path} and its password are not in this archive "
                "(secrets): keep a copy of both elsewhere, or use --include-signing-key."
            )
        return info
