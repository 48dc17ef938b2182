"""Several evidence files for one progress report, checked together: all or none.

A unit attaches photos, minutes and screenshots in one upload. Each file is
checked as a single upload is (``tracker.uploads.validate_evidence``); one bad
file refuses the whole upload, and the message names that file so the person
knows which one to replace. The files themselves are saved by
``programs.reporting.save_report``, inside its transaction, with the rest of
the report.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tracker.uploads import validate_evidence


def check_evidence_files(uploads):
    """Raise ``ValidationError`` naming every file of ``uploads`` that is not acceptable evidence.

    Returns the uploads as a list when all of them are acceptable.
    """
    uploads = [upload for upload in uploads or [] if upload]
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
