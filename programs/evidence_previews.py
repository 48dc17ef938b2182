"""Previews of a report's evidence on its review page.

Images (JPEG, PNG) are shown as they are, through the permission-checked
download address (``report-evidence``). A PDF shows its first page, rendered
to a PNG with PDFium (``pypdfium2``) the first time the page is drawn and kept
in the file storage beside the evidence (``previews/evidence/``), so later
views only read it; it is served through ``report-evidence-preview``, which
checks the report is visible like the download. A PDF PDFium cannot read
leaves a marker instead, so it is not tried again, and the page shows its
name only. Uploads are checked to be PDF, JPEG or PNG by their content, and
their name's extension agrees with it (``tracker.uploads``), so the name
tells the kind.
"""

import io
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.urls import reverse

logger = logging.getLogger(__name__)

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")
# The rendered page: sharp in a 240-px box on a screen with twice the pixels,
# and never a huge bitmap whatever size the PDF says its page is.
PREVIEW_WIDTH = 480
PREVIEW_MAX_HEIGHT = 960


@dataclass
class Preview:
    """One evidence file as the page shows it: ``kind`` is "image", "pdf" or "file"
    (a PDF without a preview); ``src`` the address of the picture, if any;
    ``is_new`` whether it was added since the report was last returned."""

    item: object
    kind: str
    src: str = ""
    is_new: bool = False


def _name(item, suffix):
    # The id keeps files apart; the hash prefix, a replaced file's preview apart.
    return f"previews/evidence/{item.pk}-{item.sha256[:16]}{suffix}"


def render_first_page(data):
    """The first page of the PDF ``data`` (bytes) as PNG bytes, at most
    ``PREVIEW_WIDTH`` x ``PREVIEW_MAX_HEIGHT`` pixels. Raises if PDFium cannot."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        page = document[0]
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            raise ValueError("a page without a size")
        scale = min(PREVIEW_WIDTH / width, PREVIEW_MAX_HEIGHT / height)
        image = page.render(scale=scale).to_pil()
        output = io.BytesIO()
        image.save(output, format="PNG", optimize=True)
        return output.getvalue()
    finally:
        document.close()


def pdf_preview(item):
    """The storage name of the PNG of ``item``'s first page (a PDF evidence), rendering
    and keeping it now if it is not kept yet; ``None`` if it cannot be rendered."""
    storage = item.file.storage
    name, failed = _name(item, ".png"), _name(item, ".failed")
    if storage.exists(name):
        return name
    if storage.exists(failed):
        return None
    try:
        with item.file.open("rb") as handle:
            png = render_first_page(handle.read())
    except Exception:  # any unreadable PDF: show its name, and do not try again
        logger.warning("No preview for evidence %s (%s)", item.pk, item.file.name, exc_info=True)
        storage.save(failed, ContentFile(b""))
        return None
    saved = storage.save(name, ContentFile(png))
    if saved != name:
        # Another request rendered it at the same moment: keep one copy.
        storage.delete(saved)
    return name


def kind_of(item):
    lowered = item.file.name.lower()
    if lowered.endswith(IMAGE_EXTENSIONS):
        return "image"
    if lowered.endswith(".pdf"):
        return "pdf"
    return "file"


def previews(report, *, new=frozenset()):
    """A :class:`Preview` for each evidence file of ``report`` (one query); ``new`` holds
    the ids of files added since the report was last returned."""
    result = []
    for item in report.evidence.all():
        kind = kind_of(item)
        src = ""
        if kind == "image":
            src = reverse("report-evidence", args=[report.pk, item.pk])
        elif kind == "pdf":
            if pdf_preview(item):
                src = reverse("report-evidence-preview", args=[report.pk, item.pk])
            else:
                kind = "file"
        result.append(Preview(item=item, kind=kind, src=src, is_new=item.pk in new))
    return result
