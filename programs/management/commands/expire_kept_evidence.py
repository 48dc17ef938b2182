"""Drop the kept report-form files nobody will attach (for cron, without beat)."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from programs.evidence import expire_pending_evidence


class Command(BaseCommand):
    # Plain text, like the other commands' help: argparse cannot format a lazy string.
    help = (
        "Remove files kept from refused report-form saves that were not attached within "
        "KEPT_EVIDENCE_DAYS days, or whose quarter is locked; each removal is in the history."
    )

    def handle(self, *args, **options):
        count = expire_pending_evidence()
        self.stdout.write(
            ngettext("%(count)s kept file removed.", "%(count)s kept files removed.", count)
            % {"count": count}
        )
