"""What the public side says about NIPs is true (issue 23): the page and the open data print
none; a published report is the sealed PDF as issued, whose signature block prints the
signers' NIPs, and the README says so instead of "no NIP" across the board."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def _public_section():
    text = README.read_text(encoding="utf-8")
    start = text.index("## Public page and open data")
    return " ".join(text[start : text.index("\n## ", start + 1)].split())


def test_the_readme_says_the_published_pdf_prints_the_signers_nips():
    section = _public_section()
    assert re.search(r"no NIP on the page or in the open data", section)
    assert re.search(r"signature block prints the signers' names, positions and NIPs", section)
    assert "no NIP, no email address" not in section  # the old, untrue wording
