"""What an import would do, as the preview page shows it: per sheet, the rows it
creates, those it changes (old -> new per column) and those it leaves alone, and
every problem found. Built by ``rpjmd.importer``; nothing here reads the database.
"""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from rpjmd.cells import CHOICES, word_for
from rpjmd.workbook import SHEETS
from tracker.formatting import format_number_id

CREATE, CHANGE, SAME = "create", "change", "same"


def display(value, kind="text"):
    """A value of a column of ``kind`` as the preview shows it: numbers the
    Indonesian way, choices as the workbook's words, nothing as a dash."""
    if value is None or value == "":
        return "—"
    if kind in CHOICES and value in CHOICES[kind]:
        return word_for(kind, value)
    if isinstance(value, Decimal):
        exponent = value.normalize().as_tuple().exponent
        places = min(max(0, -exponent), 4) if isinstance(exponent, int) else 0
        return format_number_id(value, places)
    return str(value)


@dataclass
class FieldChange:
    column: str
    old: str
    new: str


@dataclass
class Item:
    """One row of the workbook and what importing it does."""

    sheet: object
    row: int
    key: str
    label: str
    action: str
    values: dict
    obj: object = None
    changes: list = field(default_factory=list)


@dataclass
class SheetPreview:
    sheet: object
    created: list
    changed: list
    unchanged: list


@dataclass
class Preview:
    file_name: str
    problems: list = field(default_factory=list)
    items: list = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.problems

    def count(self, action):
        return sum(1 for item in self.items if item.action == action)

    @property
    def created(self):
        return self.count(CREATE)

    @property
    def changed(self):
        return self.count(CHANGE)

    @property
    def unchanged(self):
        return self.count(SAME)

    @property
    def has_changes(self):
        return self.created + self.changed > 0

    def sheets(self):
        """A :class:`SheetPreview` per sheet, in the workbook's order."""
        result = []
        for sheet in SHEETS:
            items = [item for item in self.items if item.sheet is sheet]
            result.append(
                SheetPreview(
                    sheet,
                    [i for i in items if i.action == CREATE],
                    [i for i in items if i.action == CHANGE],
                    [i for i in items if i.action == SAME],
                )
            )
        return result

    @property
    def fingerprint(self):
        """A digest of what applying would do, to tell whether the plan changed
        between the preview a user saw and their confirmation."""
        summary = [
            [
                item.sheet.key,
                item.key,
                item.action,
                [[c.column, c.old, c.new] for c in item.changes],
            ]
            for item in self.items
            if item.action != SAME
        ]
        return hashlib.sha256(json.dumps(summary).encode()).hexdigest()


class ImportRefused(Exception):
    """The import cannot be applied; ``preview`` says why (its problems, or that it is stale)."""

    def __init__(self, preview, stale=False):
        super().__init__(preview.problems)
        self.preview = preview
        self.stale = stale
