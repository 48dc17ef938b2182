"""Fail the background jobs that will not finish by themselves (for cron, without beat)."""

from django.core.management.base import BaseCommand

from jobs.services import expire_stuck_jobs


class Command(BaseCommand):
    help = (
        "Mark running jobs silent for JOB_STALE_MINUTES, and jobs queued for longer than "
        "JOB_QUEUED_MINUTES, as failed (their pages offer the retry button)."
    )

    def handle(self, *args, **options):
        count = expire_stuck_jobs()
        self.stdout.write(f"{count} stuck job(s) marked failed.")
