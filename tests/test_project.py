"""Project-wide checks: migrations, deploy settings, translations."""

import os
import subprocess
import sys
from pathlib import Path

import polib
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def test_no_migration_is_missing(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_check_deploy_is_clean_with_production_values(tmp_path):
    """Production values include a sealing certificate (here a fresh demo one); without
    one, check --deploy warns (tests/reports/test_seal.py)."""
    subprocess.run(
        [sys.executable, "manage.py", "make_signing_certificate", "--out-dir", str(tmp_path)],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DEBUG": "1"},
        capture_output=True,
        check=True,
    )
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DEBUG": "False",
        "SECRET_KEY": "x7#kP2m!vQ9zL4wR8tY1uI6oA3sD5fG0hJ2kL7zX9cV4bN1mQ8wE3rT6yU0iO5pA",
        "ALLOWED_HOSTS": "monev.cilegon.go.id",
        "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
        "REPORT_SIGNING_P12": str(tmp_path / "demo-seal.p12"),
        "REPORT_SIGNING_PASSWORD": "demo-seal",
        # Several gunicorn workers share one cache (check tracker.W010 warns without it);
        # the check does not connect to it.
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_refuse_to_start_without_a_secret_in_production():
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DEBUG": "False",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_every_string_has_an_indonesian_translation_and_the_mo_is_current():
    po = polib.pofile(str(ROOT / "locale/id/LC_MESSAGES/django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    mo = {
        (e.msgctxt, e.msgid): e for e in polib.mofile(str(ROOT / "locale/id/LC_MESSAGES/django.mo"))
    }
    for entry in po.translated_entries():
        compiled = mo.get((entry.msgctxt, entry.msgid))
        assert compiled is not None, f"not compiled: {entry.msgid!r} (run make messages)"
        if entry.msgid_plural:
            assert compiled.msgstr_plural == {int(k): v for k, v in entry.msgstr_plural.items()}
        else:
            assert compiled.msgstr == entry.msgstr, entry.msgid


def test_make_run_says_it_is_a_development_server_and_marks_the_checkout():
    """`make run` announces a development server and where the production setup is,
    and writes the .env that makes the README's manage.py commands work as written."""
    root = Path(__file__).resolve().parent.parent
    dry_run = subprocess.run(
        ["make", "-n", "run"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert "DEVELOPMENT SERVER" in dry_run
    assert "Deploying" in dry_run
    assert "DEBUG=1" in dry_run and ".env" in dry_run


def _template_msgids():
    """Every (context, msgid) the templates ask to translate, read the way makemessages
    reads them (Django's ``templatize``), without needing GNU gettext installed."""
    import ast
    import re

    from django.utils.translation.template import templatize

    literal = r"u?'(?:[^'\\]|\\.)*'"
    calls = re.compile(
        rf"\b(gettext|ngettext|pgettext|npgettext)\(\s*({literal})(?:\s*,\s*({literal}))?"
    )
    found = {}
    for path in sorted((ROOT / "templates").rglob("*.html")) + sorted(
        (ROOT / "templates").rglob("*.txt")
    ):
        for function, first, second in calls.findall(templatize(path.read_text(), origin=path)):
            first = ast.literal_eval(first.lstrip("u"))
            second = ast.literal_eval(second.lstrip("u")) if second else None
            key = (
                (first, second) if function.startswith(("pgettext", "npgettext")) else (None, first)
            )
            found.setdefault(key, path.relative_to(ROOT))
    return found


def test_every_template_string_is_in_the_catalogue():
    """A string added to a template without running `make messages` would show in
    English to Indonesian users: the catalogue must hold every one."""
    po = polib.pofile(str(ROOT / "locale/id/LC_MESSAGES/django.po"))
    catalogue = {(e.msgctxt, e.msgid) for e in po}
    missing = {
        f"{path}: {msgid!r}"
        for (context, msgid), path in _template_msgids().items()
        if (context, msgid) not in catalogue
        and (context, msgid.replace("%%", "%")) not in catalogue
    }
    assert not missing, sorted(missing)
    assert len(_template_msgids()) > 500  # the templates were read


DOMAIN_APPS = {
    "api",
    "commitments",
    "demo",
    "jobs",
    "programs",
    "reminders",
    "reports",
    "rpjmd",
    "sitesearch",
    "transparency",
}
# The core's modules that assemble the domain apps: settings, URLs and the home page.
CORE_ASSEMBLERS = {"settings.py", "urls.py", "views.py"}


def test_the_core_imports_no_domain_app_outside_its_assemblers():
    """``tracker`` is the core: units, officials, accounts, policy. Only its settings,
    URLs and page-assembling views may import a domain app (at any depth of the
    module, including imports inside functions)."""
    import ast

    root = Path(__file__).resolve().parent.parent / "tracker"
    offenders = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts or path.name in CORE_ASSEMBLERS:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            offenders += [
                f"{path.relative_to(root.parent)}: {name}"
                for name in names
                if name.split(".")[0] in DOMAIN_APPS
            ]
    assert offenders == []


def test_every_project_command_prints_its_help():
    """``manage.py help <command>`` works for each of the project's commands (argparse
    cannot format a lazy translation as a command's help)."""
    from django.apps import apps
    from django.core.management import get_commands, load_command_class

    ours = {config.name for config in apps.get_app_configs() if config.path.startswith(str(ROOT))}
    commands = {name: app for name, app in get_commands().items() if app in ours}
    assert "expire_kept_evidence" in commands and "quarterly_report" in commands
    for name, app in commands.items():
        handler = load_command_class(app, name)
        assert handler.help, name
        assert handler.help.split()[0] in handler.create_parser("manage.py", name).format_help()
