"""Several evidence files for one progress report, checked together: all or none.

A unit attaches photos, minutes and screenshots in one upload. Each file is
checked as a single upload is (``tracker.uploads.validate_evidence``); one bad
file refuses the whole upload, and the message names that file so the person
knows which one to replace. The files themselves are saved by
``programs.reporting.save_report``, inside its transaction, with the rest of
the report.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tracker.uploads import validate_evidence


def check_evidence_files(uploads):
    """Raise ``ValidationError`` naming every file of ``uploads`` that is not acceptable evidence.

    Returns the uploads as a list when all of them are acceptable. One upload
    (a page's form or an API request) carries at most
    ``EVIDENCE_MAX_FILES_PER_REQUEST`` files and ``EVIDENCE_MAX_BYTES_PER_REQUEST``
    bytes in all; more is refused before any file is looked at or saved.
    """
    uploads = [upload for upload in uploads or [] if upload]
    check_evidence_totals(uploads)
    problems = []
    for upload in uploads:
        try:
            validate_evidence(upload)
        except ValidationError as error:
            problems.append(
                _("“%(name)s”: %(problem)s") % {"name": upload.name, "problem": error.messages[0]}
            )
    if problems:
        problems.append(_("No file was saved; replace or leave out the files named above."))
        raise ValidationError(problems, code="bad_evidence")
    return uploads


def check_evidence_totals(uploads):
    """Raise ``ValidationError`` if ``uploads`` are too many files, or bytes, for one upload."""
    most_files = settings.EVIDENCE_MAX_FILES_PER_REQUEST
    if len(uploads) > most_files:
        raise ValidationError(
            _(
                "%(count)d files were sent; at most %(limit)d go in one upload. "
                "No file was saved; send them in several uploads."
            )
            % {"count": len(uploads), "limit": most_files},
            code="too_many_files",
        )
    total = sum(upload.size or 0 for upload in uploads)
    most_bytes = settings.EVIDENCE_MAX_BYTES_PER_REQUEST
    if total > most_bytes:
        raise ValidationError(
            _(
                "The files sent come to %(size)s MB; at most %(limit)s MB go in one upload. "
                "No file was saved; send them in several uploads."
            )
            % {"size": round(total / 1_000_000, 1), "limit": round(most_bytes / 1_000_000, 1)},
            code="too_many_bytes",
        )
