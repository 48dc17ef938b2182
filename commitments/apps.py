from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    """Joint commitments (Komitmen Bersama) and their signatures."""

    name = "commitments"
    verbose_name = _("Commitments")

    def ready(self):
        from commitments.models import (
            Commitment,
            CommitmentPoint,
            Signatory,
            Signature,
            SigningEvent,
        )
        from tracker import policy

        # A unit sees the commitments it is party to, and its own signature
        # only; Bappeda records and manages them.
        bappeda = {policy.Role.BAPPEDA}
        policy.register(
            Commitment,
            government="government",
            unit="signatories__unit",
            unit_is_many=True,
            changed_by=bappeda,
        )
        policy.register(
            CommitmentPoint,
            government="commitment__government",
            unit="commitment__signatories__unit",
            unit_is_many=True,
            changed_by=bappeda,
        )
        policy.register(
            Signatory, government="commitment__government", unit="unit", changed_by=bappeda
        )
        policy.register(
            Signature, government="commitment__government", unit="unit", changed_by=bappeda
        )
        # A unit sees the ceremonies at which it signed.
        policy.register(
            SigningEvent,
            government="commitment__government",
            unit="signatures__unit",
            unit_is_many=True,
            changed_by=bappeda,
        )
