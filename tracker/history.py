"""Saving with history, and reading history back as old -> new changes.

Every domain write goes through :func:`save_tracked`, so each history row
knows who acted and why. :func:`object_history` turns the history rows of a
record, and of the rows that belong to it (a report's realisations and
evidence, a program's milestones and budgets), into entries a page can show,
newest first, in a fixed number of queries.

A model names its dependent rows with a ``history_parts()`` method returning
:class:`HistoryPart` objects, so this core module never imports the apps. A
model may also set ``history_label`` to the field that names one of its rows
in someone else's history (e.g. ``"indicator"`` for a realisation).
"""

import datetime
import decimal
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import models
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_field_name, get_m2m_reverse_field_name

from tracker.formatting import format_date_id, format_datetime_id, format_number_id

# Bookkeeping that says nothing to a reader of the history.
HIDDEN_FIELDS = {"id", "version"}


def save_tracked(obj, *, actor, reason=""):
    """Validate and save ``obj``, recording ``actor`` and ``reason`` in its history.

    ``actor`` may be ``None`` for the system itself (seeding, migrations).
    Many-to-many changes made on the same ``obj`` afterwards (``.set()``) are
    recorded with the same actor and reason.
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


@contextmanager
def links_recorded_on_save(obj):
    """Change ``obj``'s many-to-many links without a history row per ``.set()``.

    The links land in the history row of the next :func:`save_tracked` (or of
    :func:`record_links`), so one change of a record is one row with its
    actor and reason, not one row for the fields and two more per link.
    """
    obj.skip_history_when_saving = True
    try:
        yield obj
    finally:
        del obj.skip_history_when_saving


def record_links(obj):
    """Store ``obj``'s current links in its latest history row (e.g. the creation row)."""
    record = obj.history.order_by("-history_id").first()
    for m2m_field in getattr(record, "_history_m2m_fields", ()):
        snapshot = HistoricalRecords.m2m_models[m2m_field]
        through = m2m_field.remote_field.through
        snapshot.objects.filter(history_id=record.history_id).delete()
        rows = through.objects.filter(**{get_m2m_field_name(m2m_field): obj})
        snapshot.objects.bulk_create(
            snapshot(
                history=record, **{f.attname: getattr(row, f.attname) for f in through._meta.fields}
            )
            for row in rows
        )


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class Entry:
    """One history row as a reader sees it.

    ``own`` is true for a row of the record whose history is shown, false for
    a row of one of its parts; ``model_name`` and ``label`` name that part.
    """

    record: object
    changes: list
    model_name: str = ""
    label: str = ""
    own: bool = True

    @property
    def kind(self):
        return self.record.history_type  # "+" created, "~" changed, "-" deleted

    @property
    def row_label(self):
        """What names the row itself: "IKU-1.1 …", "foto.jpg"."""
        return self.label or str(self.record.instance)

    @property
    def title(self):
        """E.g. "Realisasi indikator IKU-1.1 …", without repeating the model's name.

        A commitment called "Komitmen Bersama …" reads as such, not as
        "Komitmen Komitmen Bersama …".
        """
        label = self.row_label
        name = str(self.model_name or "")
        if not name or label.lower().startswith(name.lower()):
            return label
        return f"{name} {label}"


@dataclass
class HistoryPart:
    """History rows of one model that belong in a record's history.

    ``records`` is a queryset of ``model.history``; ``own`` marks the record's
    own rows.
    """

    model: type
    records: object
    own: bool = False


def format_value(value):
    """A stored value as people write it: "11,11", "170.625.000", "11 Oktober 2019"."""
    if isinstance(value, decimal.Decimal):
        places = max(0, -value.normalize().as_tuple().exponent)
        return format_number_id(value, places=places)
    if isinstance(value, datetime.datetime):
        return format_datetime_id(value)
    if isinstance(value, datetime.date):
        return format_date_id(value)
    return value


def _display(field, value, related_names):
    if value is None or value == "":
        return "—"
    if isinstance(field, models.ForeignKey):
        return related_names.get((field.related_model, value), f"#{value}")
    if field is not None and field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.BooleanField):
        return "✓" if value else "✗"
    if isinstance(field, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    return format_value(value)


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


def _created_values(record):
    """What a new part row holds (e.g. a new budget's amount), as ``— → value`` changes."""
    return [
        (field.name, None, getattr(record, field.attname))
        for field in record.tracked_fields
        if field.name not in HIDDEN_FIELDS
        and not isinstance(field, models.ForeignKey)
        and getattr(record, field.attname) not in (None, "")
    ]


def _m2m_snapshots(model, records):
    """``{field: {history_id: set of target ids}}`` for the model's tracked many-to-many
    fields, one query per field."""
    history_model = model.history.model
    snapshots = {}
    ids = [record.history_id for record in records]
    for m2m_field in getattr(history_model, "_history_m2m_fields", ()):
        target = get_m2m_reverse_field_name(m2m_field)
        rows = HistoricalRecords.m2m_models[m2m_field].objects.filter(history_id__in=ids)
        by_record = {history_id: set() for history_id in ids}
        for history_id, target_id in rows.values_list("history_id", f"{target}_id"):
            by_record[history_id].add(target_id)
        snapshots[m2m_field] = by_record
    return snapshots


def _raw_entries(part, records):
    """``(record, changes)`` per history row of ``part``; each object's rows compared in turn."""
    snapshots = _m2m_snapshots(part.model, records) if part.own else {}
    raw = []
    previous = {}
    for record in records:
        before = previous.get(record.id)
        if before is None:
            changes = [] if part.own else _created_values(record)
        else:
            changes = _changes(before, record)
        if before is not None and record.history_type != "-":
            for m2m_field, by_record in snapshots.items():
                old, new = by_record[before.history_id], by_record[record.history_id]
                if old != new:
                    changes.append((m2m_field.name, old, new))
        if record.history_type == "-":
            changes = []
        raw.append((record, changes))
        previous[record.id] = record
    return raw


def _wanted_names(model, raw, label_field):
    """Related objects to name: ``{related model: ids}`` from changes and row labels."""
    fields = {f.name: f for f in model._meta.get_fields()}
    wanted = {}
    for record, changes in raw:
        for name, old, new in changes:
            field = fields.get(name)
            if isinstance(field, models.ManyToManyField):
                wanted.setdefault(field.related_model, set()).update(old | new)
            elif isinstance(field, models.ForeignKey):
                wanted.setdefault(field.related_model, set()).update(v for v in (old, new) if v)
        if isinstance(label_field, models.ForeignKey):
            wanted.setdefault(label_field.related_model, set()).add(
                getattr(record, label_field.attname)
            )
    return wanted


def _label(record, label_field, related_names):
    if label_field is None:
        return ""
    value = getattr(record, label_field.attname)
    if isinstance(label_field, models.ForeignKey):
        return related_names.get((label_field.related_model, value), f"#{value}")
    return str(format_value(value))


def _show(field, old, new, related_names):
    if isinstance(field, models.ManyToManyField):
        names = [
            sorted(str(related_names.get((field.related_model, pk), f"#{pk}")) for pk in ids)
            for ids in (old, new)
        ]
        return Change(
            field=field.verbose_name,
            old=", ".join(names[0]) or "—",
            new=", ".join(names[1]) or "—",
        )
    return Change(
        field=field.verbose_name if field is not None else "",
        old=_display(field, old, related_names),
        new=_display(field, new, related_names),
    )


def gather_history(parts):
    """Entries of every history row of ``parts`` (:class:`HistoryPart`), newest first.

    One query per part, one per tracked many-to-many field of an own part and
    one per kind of related object named: the count does not grow with the rows.
    """
    collected = []
    wanted = {}
    for part in parts:
        records = list(
            part.records.select_related("history_user").order_by("history_date", "history_id")
        )
        label_name = None if part.own else getattr(part.model, "history_label", None)
        label_field = part.model._meta.get_field(label_name) if label_name else None
        raw = _raw_entries(part, records)
        for related_model, ids in _wanted_names(part.model, raw, label_field).items():
            wanted.setdefault(related_model, set()).update(ids)
        collected.append((part, raw, label_field))

    related_names = {}
    for related_model, ids in wanted.items():
        for obj in related_model._default_manager.filter(pk__in=ids):
            related_names[(related_model, obj.pk)] = str(obj)

    entries = []
    for part, raw, label_field in collected:
        fields = {f.name: f for f in part.model._meta.get_fields()}
        model_name = "" if part.own else part.model._meta.verbose_name
        for record, changes in raw:
            entries.append(
                Entry(
                    record=record,
                    changes=[
                        _show(fields.get(name), old, new, related_names)
                        for name, old, new in changes
                    ],
                    model_name=model_name,
                    label=_label(record, label_field, related_names),
                    own=part.own,
                )
            )
    entries.sort(key=lambda e: (e.record.history_date, e.record.history_id), reverse=True)
    return entries


def object_history(obj):
    """The history of ``obj`` and of its parts (its model's ``history_parts()``), newest first."""
    if hasattr(obj, "history_parts"):
        return gather_history(obj.history_parts())
    return gather_history([HistoryPart(type(obj), obj.history.all(), own=True)])


def history_entries(records, model):
    """Turn one object's history rows (oldest first) into :class:`Entry` objects, newest first.

    Kept for callers that gather rows themselves (the commitment page); the
    row is titled by its model's ``history_label`` where it has one.
    """
    records = list(records)
    part = HistoryPart(model, None, own=True)
    raw = _raw_entries(part, records)
    label_name = getattr(model, "history_label", None)
    label_field = model._meta.get_field(label_name) if label_name else None
    related_names = {}
    for related_model, ids in _wanted_names(model, raw, label_field).items():
        for obj in related_model._default_manager.filter(pk__in=ids):
            related_names[(related_model, obj.pk)] = str(obj)
    fields = {f.name: f for f in model._meta.get_fields()}
    entries = [
        Entry(
            record=record,
            changes=[_show(fields.get(n), old, new, related_names) for n, old, new in changes],
            label=_label(record, label_field, related_names),
        )
        for record, changes in raw
    ]
    entries.reverse()
    return entries
