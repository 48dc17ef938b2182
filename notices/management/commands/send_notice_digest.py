from django.core.management.base import BaseCommand

from notices import services


class Command(BaseCommand):
    help = "Email each person who chose the daily digest their notices not yet emailed."

    def handle(self, *args, **options):
        sent, failed = services.send_digests()
        self.stdout.write(f"{sent} digest(s) sent, {failed} refused.")
