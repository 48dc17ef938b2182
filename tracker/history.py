"""Saving with history, and reading history back as old -> new changes.

Every domain write goes through :func:`save_tracked`, so each history row
knows who acted and why. :func:`history_entries` turns an object's history
rows into entries a page can show.
"""

from dataclasses import dataclass

from django.db import models

# Bookkeeping that says nothing to a reader of the history.
HIDDEN_FIELDS = {"id", "version"}


def save_tracked(obj, *, actor, reason=""):
    """Validate and save ``obj``, recording ``actor`` and ``reason`` in its history.

    ``actor`` may be ``None`` for the system itself (seeding, migrations).
    """
    obj.full_clean()
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()
    return obj


def delete_tracked(obj, *, actor, reason=""):
    """Delete ``obj``, its last history row ("-") naming ``actor`` and ``reason``."""
    obj._history_user = actor
    obj._change_reason = reason
    obj.delete()


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class Entry:
    record: object
    changes: list

    @property
    def kind(self):
        return self.record.history_type  # "+" created, "~" changed, "-" deleted


def _display(field, value, related_names):
    if value is None or value == "":
        return "—"
    if isinstance(field, models.ForeignKey):
        return related_names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.BooleanField):
        return "✓" if value else "✗"
    return value


def _changes(old, new):
    """``(field name, old value, new value)`` for every tracked field that differs.

    Every field counts, including those no form edits (a report's state): a
    workflow transition is a change too. simple-history's ``diff_against``
    leaves non-editable fields out, hence this small comparison.
    """
    return [
        (field.name, getattr(old, field.attname), getattr(new, field.attname))
        for field in old.tracked_fields
        if field.name not in HIDDEN_FIELDS
        and getattr(old, field.attname) != getattr(new, field.attname)
    ]


def history_entries(records, model):
    """Turn history rows (oldest first) into :class:`Entry` objects, newest first.

    Consecutive rows are compared in memory; the names of related objects
    that appear in the changes are fetched with one query per related model.
    """
    records = list(records)
    raw = []
    previous = None
    for record in records:
        if previous is None:
            raw.append((record, []))
        else:
            raw.append((record, _changes(previous, record)))
        previous = record

    fields = {f.name: f for f in model._meta.concrete_fields}
    wanted = {}
    for _record, changes in raw:
        for name, old, new in changes:
            field = fields.get(name)
            if isinstance(field, models.ForeignKey):
                wanted.setdefault(field.related_model, set()).update(v for v in (old, new) if v)
    related_names = {}
    for related_model, ids in wanted.items():
        for obj in related_model._default_manager.filter(pk__in=ids):
            related_names[(related_model, obj.pk)] = str(obj)

    entries = []
    for record, changes in raw:
        shown = [
            Change(
                field=fields[name].verbose_name if name in fields else name,
                old=_display(fields.get(name), old, related_names),
                new=_display(fields.get(name), new, related_names),
            )
            for name, old, new in changes
        ]
        entries.append(Entry(record=record, changes=shown))
    entries.reverse()
    return entries
