"""Bodies and answers of the quarterly report API (``api.report_views``).

The input serializers only check a body's shape (which fields, row kinds,
ids). The values themselves are judged by the report page's own form
(``programs.forms.ProgressReportForm``) and then by the services, so the API
answers with the same messages as the page. :func:`form_data` turns a body into
the form's data, and :class:`ErrorMap` puts the form's and the services' errors
back where the client wrote them: ``{"field": [...], "rows": [{...}],
"non_field_errors": [...]}``.

A row is ``{"kind": "milestone" | "indicator" | "adoption", "id": <id>,
"value": ..., "note": ...}``; ``note`` belongs to indicator rows. Numbers are
JSON numbers or strings with a decimal point ("1234.5"); the page's
Indonesian notation ("1.234,5") is read in strings as well.
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programs.models import ProgressReport
from tracker.forms import MAX_ID
from tracker.models import NOTE_MAX

# ProgressReport.version is a PositiveIntegerField.
VERSION_MAX = 2**31 - 1
ROW_KINDS = ("milestone", "indicator", "adoption")
TEXT_FIELDS = ProgressReport.TEXT_FIELDS
# The report's own fields, as the read API and the workflow API both show them.
REPORT_FIELDS = (
    "id",
    "program",
    "period",
    "state",
    "version",
    "budget_realisation",
    *TEXT_FIELDS,
    "submitted_at",
    "is_late",
    "verified_at",
    "return_reason",
)
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


@extend_schema_field(
    {"type": "string", "pattern": f"^({'|'.join(ROW_KINDS)})$", "description": ", ".join(ROW_KINDS)}
)
class RowKindField(serializers.ChoiceField):
    """The row's kind. A pattern, not an enum, in the schema: the units' "kind" has the
    enum component of that name."""

    def __init__(self, **kwargs):
        super().__init__(choices=ROW_KINDS, **kwargs)


def _id_field(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _version_field(**kwargs):
    """A report's version: within the column's range, so no query overflows on it."""
    return serializers.IntegerField(min_value=1, max_value=VERSION_MAX, **kwargs)


class ReportPeriodSerializer(serializers.Serializer):
    """Start (or fetch) the program's report for a quarter."""

    period = _id_field(help_text="The reporting period's (quarter's) id.")


class ReportRowInputSerializer(serializers.Serializer):
    """One row of the report: a milestone's progress, an indicator's or adoption's value."""

    kind = RowKindField()
    id = _id_field(help_text="The milestone's, indicator's or adoption indicator's id.")
    value = serializers.CharField(
        allow_null=True,
        allow_blank=True,
        required=False,
        help_text='A number (JSON number or string such as "12.5"); progress in % for a '
        "milestone. Empty or null clears an indicator's value.",
    )
    note = serializers.CharField(
        allow_blank=True,
        required=False,
        trim_whitespace=False,
        help_text="The note (keterangan) on an indicator's value.",
    )


class ReportSaveSerializer(serializers.Serializer):
    """What a unit types into its report. PUT replaces it all (every milestone row is
    required, as on the page); PATCH changes only what it names."""

    version = _version_field(
        help_text="The report's version as last read; a newer one on the server is a 409."
    )
    rows = ReportRowInputSerializer(many=True, required=False)
    budget_realisation = serializers.CharField(
        allow_null=True, allow_blank=True, required=False, help_text='Rupiah, e.g. "25000000".'
    )
    supporting_factors = serializers.CharField(allow_blank=True, required=False)
    obstacles = serializers.CharField(allow_blank=True, required=False)
    follow_up = serializers.CharField(allow_blank=True, required=False)
    follow_up_next_plan = serializers.CharField(allow_blank=True, required=False)


class ReportVersionSerializer(serializers.Serializer):
    """Submit a report: the version the client last read."""

    version = _version_field()


class ReportVerifySerializer(serializers.Serializer):
    """Verify a report: the version the reviewer looked at, and an optional remark."""

    version = _version_field()
    reason = serializers.CharField(allow_blank=True, required=False, max_length=NOTE_MAX)


class ReportReturnSerializer(serializers.Serializer):
    """Return a report to its unit: the version looked at, and why (required)."""

    version = _version_field()
    reason = serializers.CharField(
        allow_blank=True,
        required=False,
        max_length=NOTE_MAX,
        help_text="Required: the unit reads it on its report and by email.",
    )


class EvidenceUploadSerializer(serializers.Serializer):
    """Evidence files (PDF, JPEG or PNG within the size limit) as multipart form data."""

    version = _version_field()
    file = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True, use_url=False),
        help_text="One or more files; one unacceptable file refuses them all.",
    )


class EvidenceRemoveSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, max_length=NOTE_MAX)


class ReportRowSerializer(serializers.Serializer):
    kind = RowKindField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    value = serializers.DecimalField(max_digits=None, decimal_places=None, allow_null=True)
    note = serializers.CharField(required=False)


class ReportEvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class WorkflowReportSerializer(serializers.ModelSerializer):
    """A progress report as its writers and reviewers act on it, with its ``version``."""

    period_label = serializers.CharField(source="period.__str__")
    rows = serializers.SerializerMethodField()
    evidence = ReportEvidenceSerializer(many=True)

    class Meta:
        model = ProgressReport
        fields = [*REPORT_FIELDS, "period_label", "rows", "evidence"]

    @extend_schema_field(ReportRowSerializer(many=True))
    def get_rows(self, report):
        rows = [
            {
                "kind": "milestone",
                "id": r.milestone_id,
                "name": r.milestone.title,
                "value": r.percent,
            }
            for r in report.milestone_rows.select_related("milestone").order_by(
                "milestone__planned_start", "milestone_id"
            )
        ]
        rows += [
            {
                "kind": "indicator",
                "id": r.indicator_id,
                "name": r.indicator.name,
                "value": r.value,
                "note": r.note,
            }
            for r in report.indicator_rows.select_related("indicator").order_by("indicator_id")
        ]
        rows += [
            {"kind": "adoption", "id": r.indicator_id, "name": r.indicator.name, "value": r.value}
            for r in report.adoption_rows.select_related("indicator").order_by("indicator_id")
        ]
        return ReportRowSerializer(rows, many=True).data


class ReportErrorsSerializer(serializers.Serializer):
    """400: what the page's form would say, keyed by the field of the body it concerns."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
    rows = serializers.ListField(
        child=serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
        required=False,
        help_text="One object per row of the request, in its order; {} for a row without errors.",
    )
    version = serializers.ListField(child=serializers.CharField(), required=False)


class ReportConflictSerializer(serializers.Serializer):
    """409: the report changed since the client read it; nothing was done."""

    detail = serializers.CharField()
    changes = serializers.ListField(child=serializers.CharField())
    current = WorkflowReportSerializer()


class ReportRefusalSerializer(serializers.Serializer):
    """403 or 404: why not (403), or no such report for this user (404)."""

    detail = serializers.CharField()


def form_number(value):
    """A body's number as the page form's input: a plain decimal ("1.234", 12.5) becomes
    a ``Decimal`` (so a point is always the decimal point); anything else is passed on
    as typed, for the form to read in its notation or refuse with its message."""
    if value is None:
        return ""
    text = str(value).strip()
    if _PLAIN_NUMBER.match(text):
        return Decimal(text)
    return text


class ErrorMap:
    """Where each form field of the report came from in the request body.

    ``form_data`` records, for every field it fills from a row, the row's index
    and key, so an error on ``indicator_7`` lands at ``rows[i]["value"]``.
    """

    def __init__(self, row_count):
        self.places = {}
        self.row_count = row_count
        self.labels = {}

    def response(self, errors):
        """``errors`` (form field name -> messages) in the body's shape."""
        body = {}
        rows = [{} for _ in range(self.row_count)]
        for name, messages in errors.items():
            if name in self.places:
                index, key = self.places[name]
                rows[index].setdefault(key, []).extend(messages)
            elif name in ("__all__", "non_field_errors"):
                body.setdefault("non_field_errors", []).extend(messages)
            elif name in self.labels:
                body.setdefault("non_field_errors", []).extend(
                    _("%(row)s: %(message)s") % {"row": self.labels[name], "message": m}
                    for m in messages
                )
            else:
                body.setdefault(name, []).extend(messages)
        if any(rows):
            body["rows"] = rows
        return body


def form_data(body, *, initial, form_kwargs, partial):
    """The report form's data for a save body, and its :class:`ErrorMap`.

    ``partial`` (PATCH) starts from the report as it is (``initial``); otherwise
    (PUT) from nothing, like a page posting every field. Rows naming something
    the report does not have, or named twice, are errors of the body itself:
    returned as a ready error body instead of the data.
    """
    rows = body.get("rows") or []
    known = {
        "milestone": {m.pk: m.title for m, _previous in form_kwargs["milestones"]},
        "indicator": {i.pk: i.name for i, _target in form_kwargs["indicators"]},
        "adoption": {a.pk: a.name for a in form_kwargs["adoption"]},
    }
    errors = ErrorMap(len(rows))
    for kind, names in known.items():
        for pk, name in names.items():
            errors.labels[f"{kind}_{pk}"] = name
            if kind == "indicator":
                errors.labels[f"indicator_note_{pk}"] = name
    data = dict(initial) if partial else {}
    data["version"] = body["version"]
    if "budget_realisation" in body or not partial:
        data["budget_realisation"] = form_number(body.get("budget_realisation"))
    for name in TEXT_FIELDS:
        if name in body or not partial:
            data[name] = body.get(name, "")
    problems, seen = [{} for _ in rows], set()
    for index, row in enumerate(rows):
        kind, pk = row["kind"], row["id"]
        if pk not in known[kind]:
            problems[index]["id"] = [_("This report has no such row.")]
            continue
        if (kind, pk) in seen:
            problems[index]["id"] = [_("This row is given twice.")]
            continue
        seen.add((kind, pk))
        if "value" in row or not partial:
            data[f"{kind}_{pk}"] = form_number(row.get("value"))
            errors.places[f"{kind}_{pk}"] = (index, "value")
        if kind == "indicator" and ("note" in row or not partial):
            data[f"indicator_note_{pk}"] = row.get("note", "")
            errors.places[f"indicator_note_{pk}"] = (index, "note")
        elif "note" in row:
            problems[index]["note"] = [_("Only an indicator's row has a note.")]
    if any(problems):
        return None, {"rows": problems}
    return data, errors
