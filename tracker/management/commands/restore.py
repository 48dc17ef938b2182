"""``manage.py restore ARCHIVE --yes``: put back what ``manage.py backup`` saved.

Checks the archive first (its manifest, every member's SHA-256, a database of
the same kind as the configured one), then replaces the database (SQLite: the
backup API into the live database; PostgreSQL: ``pg_restore --clean
--single-transaction``, all or nothing), writes the files back under
MEDIA_ROOT (files added since the backup stay), and marks every cached read
stale (``tracker.data_version.bump_all``). The sealing certificate is written
back only if the archive holds it and the configured path has no file yet.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor

from tracker.management.commands.backup import (
    CHUNK,
    DATABASE_MEMBERS,
    FORMAT,
    MANIFEST,
    MEDIA_PREFIX,
    SIGNING_PREFIX,
    postgres_command,
    sha256_of,
)


def _safe(name):
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


class Command(BaseCommand):
    help = (
        "Restore a backup archive (manage.py backup): the database, the files under "
        "MEDIA_ROOT and, if the archive holds it, the sealing certificate. Replaces the "
        "whole database: needs --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar file written by manage.py backup.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Really replace the database and the files with the archive's.",
        )

    def handle(self, *args, archive, yes, **options):
        started = time.monotonic()
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        if not yes:
            raise CommandError(
                "Restoring replaces the whole database with the archive's: everything saved "
                "since the backup is lost. Stop the web and the workers, then run again with "
                "--yes."
            )
        with tarfile.open(path, "r") as tar:
            manifest = self._check(tar)
            self.stdout.write(
                f"Archive of {manifest['created_at']} ({manifest['database']['engine']}, "
                f"{len(manifest['members'])} members): checksums match."
            )
            with tempfile.TemporaryDirectory() as scratch:
                self._restore_database(tar, manifest, Path(scratch))
            files = self._restore_media(tar, manifest)
            self._restore_signing(tar, manifest)
        self._invalidate_cache()
        self._migrations_hint()
        self.stdout.write(
            f"Restored the database and {files} file(s) in {time.monotonic() - started:.1f} s."
        )

    # --- checks ---------------------------------------------------------------------

    def _check(self, tar):
        try:
            manifest = json.load(tar.extractfile(MANIFEST))
        except (KeyError, ValueError, TypeError) as error:
            raise CommandError(f"Not a backup archive (no readable {MANIFEST}): {error}") from None
        if manifest.get("format") != FORMAT:
            raise CommandError(f"Unknown archive format {manifest.get('format')!r}.")
        engine = manifest["database"]["engine"]
        if engine != connection.vendor:
            raise CommandError(
                f"The archive holds a {engine} database; this site is configured for "
                f"{connection.vendor} (DATABASE_URL)."
            )
        listed = dict(manifest["members"])
        for member in tar.getmembers():
            if member.name == MANIFEST:
                continue
            if not member.isfile() or not _safe(member.name):
                raise CommandError(f"Unexpected member {member.name!r} in the archive.")
            expected = listed.pop(member.name, None)
            if expected is None:
                raise CommandError(f"{member.name} is not listed in the manifest.")
            digest = hashlib.sha256()
            handle = tar.extractfile(member)
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
            if digest.hexdigest() != expected["sha256"]:
                raise CommandError(f"{member.name}: checksum mismatch, the archive is damaged.")
        if listed:
            raise CommandError(f"Missing from the archive: {', '.join(sorted(listed))}.")
        return manifest

    # --- the parts --------------------------------------------------------------------

    def _restore_database(self, tar, manifest, scratch):
        name = manifest["database"]["member"]
        if name != DATABASE_MEMBERS[connection.vendor]:
            raise CommandError(f"Unexpected database member {name!r}.")
        tar.extract(name, scratch, filter="data")
        dump = scratch / name
        if connection.vendor == "sqlite":
            if connection.in_atomic_block:
                raise CommandError("Cannot restore inside a transaction.")
            connection.ensure_connection()
            source = sqlite3.connect(dump)
            try:
                # Page by page into the live database (a file or the tests' memory).
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            settings_dict = connection.settings_dict
            connections.close_all()
            args, env = postgres_command("pg_restore", settings_dict)
            args += [
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                settings_dict["NAME"],
                str(dump),
            ]
            result = subprocess.run(args, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise CommandError(
                    "pg_restore failed; the database was left as it was: "
                    f"{result.stderr.strip()[:2000]}"
                )
        self.stdout.write(f"Database restored ({manifest['database']['tool']}).")

    def _restore_media(self, tar, manifest):
        names = [n for n in manifest["members"] if n.startswith(MEDIA_PREFIX)]
        if settings.STORAGE_BACKEND != "filesystem":
            if names:
                self.stdout.write(
                    "Files were not restored: this site stores them on S3. Copy the "
                    "archive's media/ folder to the bucket with the bucket's tools."
                )
            return 0
        root = Path(settings.MEDIA_ROOT)
        for name in names:
            target = root / name[len(MEDIA_PREFIX) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(name) as source, open(target, "wb") as output:
                for chunk in iter(lambda: source.read(CHUNK), b""):
                    output.write(chunk)
        return len(names)

    def _restore_signing(self, tar, manifest):
        signing = manifest.get("signing", {})
        current = settings.REPORT_SIGNING_P12
        member = signing.get("member")
        if member and member.startswith(SIGNING_PREFIX):
            if not current:
                self.stdout.write(
                    f"The archive holds the sealing certificate ({member}); set "
                    "REPORT_SIGNING_P12 and REPORT_SIGNING_PASSWORD, then extract it with "
                    f"`tar -xf ARCHIVE {member}`."
                )
                return
            if not Path(current).exists():
                Path(current).parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as source:
                    data = source.read()
                descriptor = os.open(current, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "wb") as output:
                    output.write(data)
                self.stdout.write(f"Sealing certificate written to {current}.")
                return
        if signing.get("p12_sha256") and current and Path(current).is_file():
            if sha256_of(current) != signing["p12_sha256"]:
                self.stdout.write(
                    f"Note: the sealing certificate {current} differs from the one in use at "
                    "backup time. Issued reports still verify (each carries its seal); new "
                    "reports are sealed with the current one."
                )
        elif signing.get("configured") and not (current and Path(current).is_file()):
            self.stdout.write(
                f"Note: no sealing certificate here; at backup time it was "
                f"{signing.get('p12_path')}. Put it back (and REPORT_SIGNING_PASSWORD) before "
                "issuing reports."
            )

    def _invalidate_cache(self):
        try:
            from tracker import data_version

            data_version.bump_all()  # in the database: every process misses from now on
        except Exception as error:  # noqa: BLE001 - an older archive may lack the table
            from django.core.cache import cache

            cache.clear()
            self.stdout.write(f"Cache cleared (the data version could not be bumped: {error}).")
        else:
            self.stdout.write("Cached pages marked stale (data version bumped).")

    def _migrations_hint(self):
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(
                "The archive is from an older version of the code: run "
                "`.venv/bin/python manage.py migrate` now."
            )
