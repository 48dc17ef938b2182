"""What a report's history says: who wrote it (they may not review it), what changed
since a version someone saw, and the refusal of a decision taken on an older page."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from programs.models import ProgressReport

R = ProgressReport.State


class StaleReportError(ValidationError):
    """Someone saved the report after this page was drawn; nothing was saved.

    ``message`` replaces the report form's wording (verification and return
    say what changed instead).
    """

    def __init__(self, report, message=None):
        self.report = report
        super().__init__(
            message
            or _(
                "Someone else saved this report while you were editing it. Nothing of yours "
                "was saved yet: compare with the current values below, then save again."
            ),
            code="stale",
        )


def report_authors(reports):
    """Map report id -> ids of the users who wrote or submitted it (the policy's
    ``authors`` for reports: they may not review it).

    Read from the reports' history in one query: every row with a user, except
    the reviewers' own moves (submitted -> verified or returned).
    """
    rows = (
        ProgressReport.history.filter(id__in=[report.pk for report in reports])
        .order_by("id", "history_id")
        .values_list("id", "history_user_id", "state")
    )
    authors, previous = {}, {}
    for report_id, user_id, state in rows:
        before, previous[report_id] = previous.get(report_id), state
        if user_id is None or (before == R.SUBMITTED and state in (R.VERIFIED, R.RETURNED)):
            continue
        authors.setdefault(report_id, set()).add(user_id)
    return authors


def _name(user):
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()


def what_changed(report, seen_version):
    """The changes to ``report`` after ``seen_version``, as short phrases, oldest first."""
    from tracker.templatetags.indonesia import waktu

    rows = list(
        report.history.filter(version__gte=seen_version)
        .select_related("history_user")
        .order_by("history_id")
    )
    before = rows[0].state if rows and rows[0].version == seen_version else None
    changes = []
    for row in rows:
        if row.version == seen_version:
            continue
        words = {"user": _name(row.history_user), "time": waktu(row.history_date)}
        if row.state == before:
            text = _("edited by %(user)s at %(time)s") % words
        elif row.state == R.SUBMITTED and before == R.RETURNED:
            text = _("resubmitted by %(user)s at %(time)s after being returned") % words
        elif row.state == R.SUBMITTED:
            text = _("submitted by %(user)s at %(time)s") % words
        elif row.state == R.RETURNED:
            text = _("returned by %(user)s at %(time)s") % words
        elif row.state == R.VERIFIED:
            text = _("verified by %(user)s at %(time)s") % words
        else:
            text = _("changed by %(user)s at %(time)s") % words
        changes.append(text)
        before = row.state
    return changes


def check_seen(report, expected_version):
    """Refuse a decision taken on a page drawn before the report's latest change."""
    if expected_version is None or report.version == expected_version:
        return
    changes = what_changed(report, expected_version) or [_("changed")]
    raise StaleReportError(
        report,
        _(
            "This report changed after your page was drawn: %(changes)s. Nothing was done; "
            "look at the report as it is now, then decide again."
        )
        % {"changes": "; ".join(changes)},
    )
