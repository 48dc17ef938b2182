"""Writes of the transparency app: publishing and withdrawing the public page and the
reports on it. Each checks the permission policy, needs a reason, and records the
actor and the reason in the history (``tracker.history``).

Who decides
    The page (on or off, its introduction): the government's Administrator, as a
    system setting. The reports on it: Bappeda, who issues them. A superuser may do
    both. Nobody acts on another government's page or reports.

Withdrawing a report deletes its ``PublishedReport`` row (``delete_tracked``): the
history keeps who published it, who withdrew it and why; the issued report itself
is never touched and stays verifiable by its code.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import GeneratedReport
from tracker import policy
from tracker.history import delete_tracked, save_tracked
from tracker.models import NOTE_MAX
from transparency.models import PublicPage, PublishedReport


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason; it is kept in the history."))
    if len(reason) > NOTE_MAX:
        raise ValidationError(
            _("The reason is too long (at most %(limit)s characters).") % {"limit": NOTE_MAX}
        )
    return reason


def _require_page_admin(actor, government):
    """Refuse anyone but the government's Administrator (or a superuser)."""
    who = policy.actor_for(actor)
    if who.role == policy.Role.SUPERUSER:
        return
    if not policy.can_change(actor, PublicPage) or who.government_id != government.pk:
        raise PermissionDenied(
            _("Only the Administrator of this government publishes its public page.")
        )


def page_of(government):
    """The government's page settings, unsaved (and unpublished) if never set."""
    return PublicPage.objects.filter(government=government).first() or PublicPage(
        government=government
    )


@transaction.atomic
def publish_page(*, actor, government, reason):
    """Put the government's public page online (anyone may then read it)."""
    _require_page_admin(actor, government)
    reason = _require_reason(reason)
    page = page_of(government)
    if page.is_published:
        raise ValidationError(_("The public page is already published."))
    page.is_published = True
    page.published_at = timezone.now()
    return save_tracked(page, actor=actor, reason=reason)


@transaction.atomic
def unpublish_page(*, actor, government, reason):
    """Take the public page offline: its addresses answer 404 from the next request."""
    _require_page_admin(actor, government)
    reason = _require_reason(reason)
    page = page_of(government)
    if not page.is_published:
        raise ValidationError(_("The public page is not published."))
    page.is_published = False
    return save_tracked(page, actor=actor, reason=reason)


@transaction.atomic
def set_intro(*, actor, government, intro, reason=""):
    """Change the introduction shown at the top of the public page."""
    _require_page_admin(actor, government)
    page = page_of(government)
    page.intro = (intro or "").strip()
    return save_tracked(page, actor=actor, reason=(reason or "").strip())


def _require_report_publisher(actor, report):
    """Refuse anyone but Bappeda of the report's government (or a superuser).

    The report is looked up through the actor's visible reports: one of another
    government is refused like a missing one.
    """
    if not policy.visible(actor, GeneratedReport.objects.filter(pk=report.pk)).exists():
        raise PermissionDenied(_("This report is not one of your government's."))
    if not policy.can_change(actor, PublishedReport):
        raise PermissionDenied(_("Only Bappeda publishes reports on the public page."))


@transaction.atomic
def publish_report(*, actor, report, reason):
    """Offer an issued report for download on the government's public page.

    Only a final report: a provisional one (issued while its quarter was open)
    is refused with the reason.
    """
    _require_report_publisher(actor, report)
    reason = _require_reason(reason)
    if report.is_provisional:
        # The public page carries final figures only: a provisional copy would be
        # read as the quarter's result while its figures may still change.
        raise ValidationError(
            _(
                "%(report)s is provisional, not the final report: it was issued while its "
                "quarter was still open. Only a final report can be published; issue the "
                "report again once the quarter is locked."
            )
            % {"report": report.title}
        )
    if PublishedReport.objects.filter(report=report).exists():
        raise ValidationError(_("This report is already published."))
    publication = PublishedReport(report=report, published_at=timezone.now())
    return save_tracked(publication, actor=actor, reason=reason)


@transaction.atomic
def unpublish_report(*, actor, report, reason):
    """Withdraw a report from the public page (the report itself stays issued)."""
    _require_report_publisher(actor, report)
    reason = _require_reason(reason)
    publication = PublishedReport.objects.filter(report=report).first()
    if publication is None:
        raise ValidationError(_("This report is not published."))
    delete_tracked(publication, actor=actor, reason=reason)
