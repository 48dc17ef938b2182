"""Permission-matrix cases: the signing form's buttons that change the form without saving.

The signing form (``commitment-signing-event``) adds no URL for them: "tick all
expected signatories" (without JavaScript) and "remove" beside the kept scan
post to the form itself. Only those who record signatures (Bappeda and the
superuser) get the form back; leadership and units that see the commitment
get 403, another government's Bappeda 404. The scan kept for the removal case
is Bappeda's; the page answers the same for everyone whatever it holds, and a
kept scan is only ever removed by its owner (tests/commitments/test_signing_form.py).
"""

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from commitments import pending_scans
from tests.permission_roles import _commitment, changers

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _commitment_with_kept_scan():
    commitment = _commitment()
    bappeda = get_user_model().objects.get(username="bappeda")
    pending_scans.keep_scan(
        commitment,
        actor=bappeda,
        upload=SimpleUploadedFile("ttd.pdf", PDF, content_type="application/pdf"),
    )
    return [commitment.pk]


def _form(action):
    def make(_args):
        from commitments.models import PendingScan

        kept = PendingScan.objects.first()
        return {
            "action": action,
            "signed_date": "2019-10-14",
            "signed_time": "10:00",
            "place": "Aula Bappeda",
            "method": "wet",
            "kept_scan": str(kept.pk) if kept else "",
        }

    return make


def _missing_date(_args):
    return {"action": "save", "signed_date": "", "place": "Aula Bappeda", "method": "wet"}


CASES = {
    "commitment-signing-event tick-all post": (
        "commitment-signing-event",
        lambda: [_commitment().pk],
        "post",
        changers(200),
        _form("tick-all"),
    ),
    "commitment-signing-event remove-scan post": (
        "commitment-signing-event",
        _commitment_with_kept_scan,
        "post",
        changers(200),
        _form("remove-scan"),
    ),
    # A save with an error: the form again (nothing saved), for those who may record.
    "commitment-signing-event save post with an error": (
        "commitment-signing-event",
        lambda: [_commitment().pk],
        "post",
        changers(200),
        _missing_date,
    ),
}
