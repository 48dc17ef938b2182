"""No page and no code names Smart City: every title comes from the commitment.

The product grew from Cilegon's Smart City commitment and serves any
commitment of any government, so "Smart City" may appear in data (the demo,
a commitment's title, a seeded classification scheme) but not in a template
or in the code outside the demo, the tests and the migrations.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SKIPPED = {".venv", ".git", "node_modules", "tests", "demo", "locale", "migrations", "static"}
SMART_CITY = re.compile(r"smart[\s_-]*city", re.IGNORECASE)

# Removed by the schemes change (a commitment's classification scheme replaces the six
# fixed smart-city dimensions); empty this list when it lands.
KNOWN = {
    "programs/charts.py",
    "programs/models/program.py",
    "programs/program_services.py",
    "programs/services.py",
}


def _sources():
    for path in sorted(ROOT.rglob("*")):
        parts = path.relative_to(ROOT).parts
        if SKIPPED.intersection(parts) or not path.is_file():
            continue
        if path.suffix == ".py" or (parts[0] == "templates" and path.suffix in {".html", ".txt"}):
            yield path


def test_no_template_or_code_names_smart_city():
    sources = list(_sources())
    assert any(p.name == "report_list.html" for p in sources)  # the templates were read
    found = {
        str(path.relative_to(ROOT)): [
            number
            for number, line in enumerate(path.read_text().splitlines(), 1)
            if SMART_CITY.search(line)
        ]
        for path in sources
    }
    found = {path: lines for path, lines in found.items() if lines}
    assert set(found) - KNOWN == set(), found
    # A file that no longer names it leaves the list.
    assert KNOWN - set(found) == set(), "remove from KNOWN: " + ", ".join(KNOWN - set(found))
