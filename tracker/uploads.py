"""Evidence uploads: PDF, JPEG or PNG, recognised by their content, within a size limit.

The file name's extension must agree with the content, so a PDF renamed to
``.png`` (or the reverse) is refused: the name is what people see when they
download it later.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Leading bytes of each accepted type, and the extensions that may carry it.
SIGNATURES = {
    "pdf": (b"%PDF-", {".pdf"}),
    "png": (b"\x89PNG\r\n\x1a\n", {".png"}),
    "jpeg": (b"\xff\xd8\xff", {".jpg", ".jpeg"}),
}


def max_evidence_bytes():
    return settings.EVIDENCE_MAX_BYTES


def sniff(head):
    """The type name ("pdf", "png", "jpeg") of content starting with ``head``, or ``None``."""
    for kind, (magic, _extensions) in SIGNATURES.items():
        if head.startswith(magic):
            return kind
    return None


def validate_evidence(upload):
    """Raise ``ValidationError`` unless ``upload`` is a non-empty PDF, JPEG or PNG within the limit.

    Returns the detected type. The file position is left at the start.
    """
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = max_evidence_bytes()
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1_000_000, 1), "limit": round(limit / 1_000_000, 1)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        raise ValidationError(
            _("Only PDF, JPEG or PNG files are accepted; this file is none of them."),
            code="wrong_type",
        )
    name = (upload.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if extension not in SIGNATURES[kind][1]:
        raise ValidationError(
            _("The file's content is %(kind)s but its name ends in “%(extension)s”; rename it.")
            % {"kind": kind.upper(), "extension": extension or _("(nothing)")},
            code="extension_mismatch",
        )
    return kind


def sha256_of(upload):
    """The SHA-256 (hex) of an uploaded or stored file, read in chunks."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in (
        upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    ):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def download_response(field_file, filename=None):
    """Send a stored file as an attachment, or 404 if it is gone from the disk.

    Callers fetch the record through the user's visible queryset first: files
    are never served from a public media URL.
    """
    from django.http import FileResponse, Http404

    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    name = filename or field_file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)
