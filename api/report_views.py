"""The quarterly report workflow over the API: start, save, evidence, submit, verify, return.

Each view does what the report's page does, in the same order: it fetches the
report through ``policy.visible`` (else 404), asks the policy or the service
whether the user may act (else 403, with the service's reason when it gives
one), validates the values with the page's own form, and writes through
``programs.reporting``. Errors come back as JSON in the body's shape (see
``api.report_serializers``); a report changed since the client read it is a
409 that says what changed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api import report_serializers as s
from programs import report_history, reporting, selectors
from programs.forms import EvidenceFilesField, ProgressReportForm
from programs.models import ProgressReport
from programs.report_views import _report_form_context
from tracker import policy
from tracker.forms import parse_id

TAGS = ["reports (writing)"]
_FORM_ERRORS = OpenApiResponse(s.ReportErrorsSerializer, description="The form's errors.")
_REFUSED = OpenApiResponse(s.ReportRefusalSerializer, description="Not this user's to do.")
_NOT_FOUND = OpenApiResponse(s.ReportRefusalSerializer, description="No such report for you.")
_STALE = OpenApiResponse(s.ReportConflictSerializer, description="Changed since read.")
_ERRORS = {400: _FORM_ERRORS, 403: _REFUSED, 404: _NOT_FOUND}
_ANSWERS = {200: s.WorkflowReportSerializer, **_ERRORS, 409: _STALE}


def _found(queryset, pk):
    """The record of ``queryset`` with id ``pk``, else a 404 (also for an id no
    database column holds: the URL's ``int`` takes any number of digits)."""
    pk = parse_id(str(pk))
    record = queryset.filter(pk=pk).first() if pk is not None else None
    if record is None:
        raise NotFound
    return record


def _visible_report(user, pk):
    """The report if ``user`` sees it (as on its page), else a 404."""
    queryset = ProgressReport.objects.select_related("program", "program__owner_unit", "period")
    return _found(policy.visible(user, queryset), pk)


def _answer(report, code=status.HTTP_200_OK):
    report = ProgressReport.objects.select_related("period").get(pk=report.pk)
    return Response(s.WorkflowReportSerializer(report).data, status=code)


def _invalid(body):
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def _messages(error):
    """A service's ``ValidationError`` as ``{field: [messages]}``."""
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"non_field_errors": error.messages}


def _stale(error, seen_version):
    """The 409 body: the service's message, what changed since ``seen_version``, and the
    report as it is now (the page shows the same side by side)."""
    current = error.report
    return Response(
        {
            "detail": error.messages[0],
            "changes": report_history.what_changed(current, seen_version),
            "current": s.WorkflowReportSerializer(current).data,
        },
        status=status.HTTP_409_CONFLICT,
    )


def _not_writable(report):
    """Why the unit's form is closed for ``report``, in the page's words, or ``None``."""
    if not selectors.is_active_in(report.program, report.period):
        return _(
            "“%(program)s” does not run in %(period)s; there is no report to write for it."
        ) % {"program": report.program, "period": report.period}
    if not report.is_editable:
        return _("This report was already sent; it can no longer be edited.")
    if report.period.is_locked:
        return _("The period is locked; nothing can be changed in it.")
    return None


def _check_writer(user, report):
    """As the report's form page: a visible report the user may not change is a 403."""
    if not policy.can_change(user, report):
        raise PermissionDenied
    problem = _not_writable(report)
    if problem:
        return _invalid({"non_field_errors": [problem]})
    return None


class ReportStartView(APIView):
    """Start a program's report for a quarter (or get the one already started)."""

    @extend_schema(
        tags=TAGS,
        operation_id="reports_start",
        request=s.ReportPeriodSerializer,
        responses={200: s.WorkflowReportSerializer, 201: s.WorkflowReportSerializer, **_ERRORS},
        description="A new draft has a row per milestone (pre-filled with the last verified "
        "progress) and per indicator: 201. A report already started is returned: 200. "
        "Refused in a locked quarter or one the program does not run in (400).",
    )
    def post(self, request, program_pk):
        body = s.ReportPeriodSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = request.user
        program = _found(selectors.programs_visible_to(user), program_pk)
        period = _found(
            selectors.periods_of(user).filter(government_id=program.commitment.government_id),
            body.validated_data["period"],
        )
        existing = ProgressReport.objects.filter(program=program, period=period).first()
        if not policy.can_change(user, existing or ProgressReport(program=program, period=period)):
            raise PermissionDenied
        try:
            report = reporting.start_report(program, period, actor=user)
        except ValidationError as error:
            return _invalid(_messages(error))
        return _answer(report, status.HTTP_200_OK if existing else status.HTTP_201_CREATED)


class ReportContentView(APIView):
    """Save what the unit writes into its draft or returned report."""

    def _save(self, request, pk, partial):
        user = request.user
        report = _visible_report(user, pk)
        refused = _check_writer(user, report)
        if refused:
            return refused
        body = s.ReportSaveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        initial, form_kwargs = _report_form_context(report.program, report.period, report)
        data, errors = s.form_data(
            body.validated_data, initial=initial, form_kwargs=form_kwargs, partial=partial
        )
        if data is None:
            return _invalid(errors)
        form = ProgressReportForm(data, initial=initial, **form_kwargs)
        if not form.is_valid():
            return _invalid(errors.response(form.errors))
        values = form.cleaned_data
        try:
            report = reporting.save_report(
                report,
                actor=user,
                expected_version=values["version"],
                milestone_percents=form.values("milestone"),
                indicator_values=form.values("indicator"),
                indicator_notes=form.values("indicator_note"),
                adoption_values=form.values("adoption"),
                budget_realisation=values["budget_realisation"],
                **{name: values[name] for name in s.TEXT_FIELDS},
            )
        except reporting.StaleReportError as error:
            return _stale(error, values["version"])
        except ValidationError as error:
            return _invalid(errors.response(_messages(error)))
        return _answer(report)

    @extend_schema(
        tags=TAGS,
        operation_id="reports_content_replace",
        request=s.ReportSaveSerializer,
        responses=_ANSWERS,
        description="Replace the unit's entries: every milestone row is required; an "
        "indicator or text left out is cleared. Rows: {kind: milestone|indicator|adoption, "
        "id, value, note}; errors come back as {field: [message], rows: [{value: [message]}], "
        "non_field_errors: [message]}.",
    )
    def put(self, request, pk):
        return self._save(request, pk, partial=False)

    @extend_schema(
        tags=TAGS,
        operation_id="reports_content_update",
        request=s.ReportSaveSerializer,
        responses=_ANSWERS,
        description="Change only the rows and fields given; the rest stays as it is.",
    )
    def patch(self, request, pk):
        return self._save(request, pk, partial=True)


class EvidenceUploadView(APIView):
    """Attach evidence files to a draft or returned report."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        operation_id="reports_evidence_upload",
        request={"multipart/form-data": s.EvidenceUploadSerializer},
        responses={201: s.WorkflowReportSerializer, **_ERRORS, 409: _STALE},
        description="PDF, JPEG or PNG, recognised by content, within the size limit; several "
        "files under the same field name at once. One unacceptable file refuses them all.",
    )
    def post(self, request, pk):
        user = request.user
        report = _visible_report(user, pk)
        refused = _check_writer(user, report)
        if refused:
            return refused
        body = s.ReportVersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            uploads = EvidenceFilesField().clean(request.FILES.getlist("file") or None)
        except ValidationError as error:
            return _invalid({"file": error.messages})
        version = body.validated_data["version"]
        try:
            report = reporting.save_report(
                report,
                actor=user,
                expected_version=version,
                milestone_percents={},
                budget_realisation=report.budget_realisation,
                **{name: getattr(report, name) for name in s.TEXT_FIELDS},
                evidence=uploads,
            )
        except reporting.StaleReportError as error:
            return _stale(error, version)
        except ValidationError as error:
            problems = _messages(error)
            return _invalid({"file" if k == "evidence" else k: v for k, v in problems.items()})
        return _answer(report, status.HTTP_201_CREATED)


class EvidenceRemoveView(APIView):
    """Remove an evidence file from a draft or returned report; its history stays."""

    @extend_schema(
        tags=TAGS,
        operation_id="reports_evidence_remove",
        parameters=[OpenApiParameter("reason", str, description="Why it is removed.")],
        request=None,
        responses={204: None, **_ERRORS},
    )
    def delete(self, request, pk, evidence_pk):
        user = request.user
        report = _visible_report(user, pk)
        item = _found(report.evidence.all(), evidence_pk)
        reason = request.query_params.get("reason")
        if reason is None and hasattr(request.data, "get"):
            reason = request.data.get("reason")
        body = s.EvidenceRemoveSerializer(data={"reason": reason or ""})
        body.is_valid(raise_exception=True)
        try:
            reporting.remove_evidence(item, actor=user, reason=body.validated_data["reason"])
        except ValidationError as error:
            return _invalid(_messages(error))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReportSubmitView(APIView):
    """Send a report to Bappeda for verification (late after the deadline)."""

    @extend_schema(
        tags=TAGS,
        operation_id="reports_submit",
        request=s.ReportVersionSerializer,
        responses=_ANSWERS,
    )
    def post(self, request, pk):
        user = request.user
        report = _visible_report(user, pk)
        if not policy.can_change(user, report):
            raise PermissionDenied
        body = s.ReportVersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = body.validated_data["version"]
        try:
            report = reporting.submit_report(report, actor=user, expected_version=version)
        except reporting.StaleReportError as error:
            return _stale(error, version)
        except ValidationError as error:
            return _invalid(_messages(error))
        return _answer(report)


class _ReviewView(APIView):
    """Verify or return: the version the reviewer read is required, as on the page."""

    body_serializer = None

    def post(self, request, pk):
        user = request.user
        report = _visible_report(user, pk)
        body = self.body_serializer(data=request.data)
        if not body.is_valid():
            if not policy.is_reviewer(user):  # as the page: no decision to make
                raise PermissionDenied
            return _invalid(body.errors)
        version = body.validated_data["version"]
        try:
            report = self.decide(report, user, version, body.validated_data.get("reason", ""))
        except reporting.ReviewRefused as error:
            raise PermissionDenied(error.message) from None
        except reporting.StaleReportError as error:
            return _stale(error, version)
        except ValidationError as error:
            return _invalid(_messages(error))
        return _answer(report)


class ReportVerifyView(_ReviewView):
    """Bappeda accepts a submitted report; it becomes read-only and its figures count."""

    body_serializer = s.ReportVerifySerializer

    def decide(self, report, user, version, reason):
        return reporting.verify_report(report, actor=user, expected_version=version, reason=reason)

    @extend_schema(
        tags=TAGS,
        operation_id="reports_verify",
        request=s.ReportVerifySerializer,
        responses=_ANSWERS,
        description="Not for a report of the reviewer's own unit, nor one they wrote (403 "
        "says why).",
    )
    def post(self, request, pk):
        return super().post(request, pk)


class ReportReturnView(_ReviewView):
    """Bappeda sends a submitted report back to its unit, saying why."""

    body_serializer = s.ReportReturnSerializer

    def decide(self, report, user, version, reason):
        return reporting.return_report(report, actor=user, reason=reason, expected_version=version)

    @extend_schema(
        tags=TAGS,
        operation_id="reports_return",
        request=s.ReportReturnSerializer,
        responses=_ANSWERS,
        description="The reason is required; the unit reads it on its report and by email.",
    )
    def post(self, request, pk):
        return super().post(request, pk)
