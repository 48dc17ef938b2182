"""No page and no translatable string names Smart City: every title comes from the commitment.

The product grew from Cilegon's Smart City commitment and serves any
commitment of any government, so "Smart City" may appear in data (the demo,
a commitment's title, a seeded classification scheme, the migrations that
seed it) and in comments, but not in a template or in a string shown to users
(a gettext call) outside the demo and the tests.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SKIPPED = {".venv", ".git", "node_modules", "tests", "demo", "locale", "migrations", "static"}
SMART_CITY = re.compile(r"smart[\s_-]*city", re.IGNORECASE)
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}


def _sources(suffixes, top=None):
    for path in sorted(ROOT.rglob("*")):
        parts = path.relative_to(ROOT).parts
        if SKIPPED.intersection(parts) or not path.is_file() or path.suffix not in suffixes:
            continue
        if top is None or parts[0] == top:
            yield path


def _translatable_strings(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in GETTEXT:
                for argument in node.args:
                    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                        yield node.lineno, argument.value


def test_no_template_names_smart_city():
    templates = list(_sources({".html", ".txt"}, top="templates"))
    assert any(p.name == "report_list.html" for p in templates)  # the templates were read
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in templates
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if SMART_CITY.search(line)
    ]
    assert found == []


def test_no_translatable_string_names_smart_city():
    modules = list(_sources({".py"}))
    strings = [(path, line, text) for path in modules for line, text in _translatable_strings(path)]
    assert len(strings) > 1000  # the gettext calls were found
    found = [f"{p.relative_to(ROOT)}:{n}" for p, n, text in strings if SMART_CITY.search(text)]
    assert found == []
