"""Examining an uploaded copy of an issued report, for the public verification page.

Anyone may upload anything, so the work is bounded twice. First, cheap
limits read from the file's cross-reference tables (revisions, objects and
pages, ``MAX_*``) refuse a file too big to judge before any analysis.
Second, the analysis runs in a child process (``multiprocessing``'s
``forkserver``: forked from a server that has pyHanko loaded, so a check
starts fast and shares nothing with the web worker) whose CPU time is capped
with ``RLIMIT_CPU`` and whose answer is awaited for a limited wall time. A
child that runs out of either is killed and the copy is refused as too
complex to check (``Verdict.TOO_COMPLEX``), never a hang or an error page.

The judgement of what was changed after sealing is pyHanko's difference
analysis (``pyhanko.sign.diff_analysis``): its default rules, plus one that
accepts annotations added to unchanged pages at
``ModificationLevel.ANNOTATIONS``. A copy whose later updates pass at that
level or below (added annotations, form filling, document properties,
validation data) is the issued report with something added (yellow); any
other change, such as a page's content replaced, is a changed copy (red).

The child works without Django: it gets plain data (the certificates as
DER) and answers plain data, which ``examine`` turns into words.
"""

import contextlib
import dataclasses
import datetime
import hashlib
import io
import logging
import multiprocessing
import resource

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader, RawPdfPath
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    ModificationLevel,
    StandardDiffPolicy,
    SuspiciousModification,
)
from pyhanko.sign.diff_analysis.commons import compare_dicts
from pyhanko.sign.diff_analysis.rules_api import (
    QualifiedWhitelistRule,
    ReferenceUpdate,
    RelativeContext,
)
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import ModificationInfo
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

# Cheap limits, read before any analysis. An issued report has one revision
# (the seal is appended in the same write), some thousands of objects and
# tens of pages; a reader that adds a note appends a revision of a few objects.
MAX_REVISIONS = 20  # revisions in the whole file
MAX_OBJECTS = 50_000  # cross-reference entries in the whole file
MAX_OBJECTS_AFTER_SEAL = 2_000  # objects written after the sealed revision
MAX_PAGES = 1_000
# The child's CPU time (seconds, whole: RLIMIT_CPU counts in seconds) and the
# time the web worker waits for its answer, fetching revocation data included.
CPU_SECONDS = 3
WALL_SECONDS = 10
# The child's address space: a 20 MB upload parses in far less.
MEMORY_BYTES = 2 * 1024**3

_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})


class Verdict:
    IDENTICAL = "identical"  # the issued bytes
    MODIFIED = "modified"  # the issued report with annotations or form filling added after sealing
    CHANGED = "changed"  # the issued report's seal, but its content changed after sealing
    OTHER_REPORT = "other-report"  # sealed by this instance, but another report
    BROKEN = "broken"  # a seal whose content no longer matches it
    FOREIGN = "foreign"  # a valid signature, not this instance's
    UNSIGNED = "unsigned"  # no seal at all
    TOO_COMPLEX = "too-complex"  # refused: past the limits or the time budget

    # Verdicts that say the copy is not (or not confirmed as) the issued report.
    RED = frozenset({CHANGED, OTHER_REPORT, BROKEN, FOREIGN, UNSIGNED, TOO_COMPLEX})


@dataclasses.dataclass
class CopyCheck:
    """What the verification page says about an uploaded copy."""

    verdict: str
    changes: list = dataclasses.field(default_factory=list)  # what was added after sealing
    signer: str = ""
    signed_at: datetime.datetime | None = None
    pages: list = dataclasses.field(default_factory=list)  # pages with annotations added

    @property
    def identical(self):
        return self.verdict == Verdict.IDENTICAL


def examine(content, *, sha256, issued_at=None):
    """Compare ``content`` (an uploaded PDF's bytes) with the issued file of SHA-256 ``sha256``.

    The seal is validated against this instance's certificate as at
    ``issued_at``, and what was appended after it is judged by pyHanko's
    difference analysis, in a child process limited to ``CPU_SECONDS`` of
    CPU (``REPORT_VERIFY_CPU_SECONDS``) and ``WALL_SECONDS``. A file pyHanko
    cannot read counts as a broken seal if it has one and as unsigned
    otherwise; one past the limits is ``Verdict.TOO_COMPLEX``.
    """
    if hashlib.sha256(content).hexdigest() == sha256:
        return CopyCheck(Verdict.IDENTICAL)
    found = _run_limited(
        _examine,
        content,
        sha256=sha256,
        seal=_seal_data(),
        moment=issued_at,
        # Read here, not in the child: the forked server holds the values it was started with.
        limits={
            "revisions": MAX_REVISIONS,
            "objects": MAX_OBJECTS,
            "objects_after_seal": MAX_OBJECTS_AFTER_SEAL,
            "pages": MAX_PAGES,
        },
    )
    return _in_words(found)


def _seal_data():
    """This instance's certificates as plain data for the child; ``None`` without a seal."""
    from reports import sealing  # noqa: PLC0415 - sealing imports this module's callers

    try:
        current = sealing.current_seal()
    except sealing.SealConfigurationError:
        logger.exception("The sealing certificate cannot be used to check a copy")
        return None
    if current is None:
        return None
    return {
        "certificate": sealing.asn1(current.certificate).dump(),
        "roots": [c.dump() for c in current.roots],
        "chain": [c.dump() for c in current.chain],
        "fetch": bool(settings.REPORT_SIGNING_FETCH_REVOCATION),
    }


def _in_words(found):
    """The child's findings (a dict) as a ``CopyCheck`` with the changes in words."""
    verdict = found["verdict"]
    changes = []
    pages = found.get("annotated_pages") or []
    if verdict == Verdict.MODIFIED:
        if pages:
            changes.append(
                _("annotations (comments, highlights, drawings) on page %(pages)s")
                % {"pages": ", ".join(str(p) for p in pages)}
            )
        if found.get("form_filled"):
            changes.append(_("filled-in form fields"))
        if found.get("info_changed"):
            changes.append(_("the document properties (title, author, subject)"))
        if not changes:
            changes.append(_("validation data (certificates, timestamps)"))
    elif verdict == Verdict.CHANGED and found.get("pages_changed"):
        changes.append(_("pages added or removed"))
    return CopyCheck(
        verdict,
        changes=changes,
        signer=found.get("signer", ""),
        signed_at=found.get("signed_at"),
        pages=pages,
    )


# --- The child process ----------------------------------------------------------------------


def _context():
    context = multiprocessing.get_context("forkserver")
    # The server imports pyHanko once; each check is a fork of it.
    context.set_forkserver_preload([__name__])
    return context


def _run_limited(function, *args, **kwargs):
    """``function(*args, **kwargs)`` (a dict) in a child process within the budget.

    Past the CPU or wall budget, or if the child dies, the answer is
    ``{"verdict": Verdict.TOO_COMPLEX}``.
    """
    cpu = int(getattr(settings, "REPORT_VERIFY_CPU_SECONDS", CPU_SECONDS))
    wall = getattr(settings, "REPORT_VERIFY_WALL_SECONDS", WALL_SECONDS)
    too_complex = {"verdict": Verdict.TOO_COMPLEX}
    try:
        context = _context()
        receiving, sending = context.Pipe(duplex=False)
        child = context.Process(
            target=_child, args=(sending, cpu, function, args, kwargs), daemon=True
        )
        child.start()
    except Exception:  # noqa: BLE001 - no child, no check: refuse, do not fail the page
        logger.exception("Could not start the process that checks an uploaded copy")
        return too_complex
    sending.close()
    try:
        if receiving.poll(wall):
            return receiving.recv()
        logger.warning("Checking an uploaded copy took over %s s: refused", wall)
        return too_complex
    except EOFError:  # the child died without answering: CPU or memory limit
        logger.warning("Checking an uploaded copy exceeded its limits (exit %s)", child.exitcode)
        return too_complex
    finally:
        receiving.close()
        if child.is_alive():
            child.kill()
        child.join(1)


def _child(sending, cpu, function, args, kwargs):
    """In the child: cap CPU and memory, run, send the answer (or nothing if it dies)."""
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    with contextlib.suppress(ValueError, OSError):  # a lower hard limit already: keep it
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    # pyHanko logs each rejected revision with every unexplained object: thousands of lines.
    logging.getLogger("pyhanko.sign.diff_analysis").setLevel(logging.ERROR)
    try:
        answer = function(*args, **kwargs)
    except MemoryError:
        answer = {"verdict": Verdict.TOO_COMPLEX}
    sending.send(answer)
    sending.close()


def _examine(content, *, sha256, seal, moment, limits):
    """The findings about ``content`` as plain data (runs in the child)."""
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        if _too_big(reader, limits):
            return {"verdict": Verdict.TOO_COMPLEX}
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any unreadable upload
        logger.info("An uploaded copy could not be read as a PDF", exc_info=True)
        return {"verdict": Verdict.BROKEN if b"/ByteRange" in content else Verdict.UNSIGNED}
    if not signatures:
        return {"verdict": Verdict.UNSIGNED}
    if seal is None:
        return {"verdict": Verdict.FOREIGN}
    embedded = signatures[0]
    try:
        # The signature first, without the difference analysis: that is only
        # worth its cost for a copy of this very report.
        status = validate_pdf_signature(
            embedded,
            _validation_context(seal, moment),
            key_usage_settings=_KEY_USAGE,
            skip_diff=True,
        )
    except Exception:  # noqa: BLE001 - a damaged signature of any kind
        logger.info("A seal in an uploaded copy could not be validated", exc_info=True)
        return {"verdict": Verdict.BROKEN}
    found = {"signer": status.signing_cert.subject.human_friendly}
    if not (status.intact and status.valid):
        return found | {"verdict": Verdict.BROKEN}
    ours = asn1_x509.Certificate.load(seal["certificate"]).subject
    if not (status.trusted and status.signing_cert.subject == ours):
        return found | {"verdict": Verdict.FOREIGN}
    found["signed_at"] = status.signer_reported_dt
    _start, _length, rest, rest_length = embedded.byte_range
    if hashlib.sha256(content[: rest + rest_length]).hexdigest() != sha256:
        return found | {"verdict": Verdict.OTHER_REPORT}
    try:
        return found | _judge_changes(reader, embedded)
    except Exception:  # noqa: BLE001 - what cannot be judged is not the issued report
        logger.info("The changes to an uploaded copy could not be judged", exc_info=True)
        return found | {"verdict": Verdict.CHANGED}


def _too_big(reader, limits):
    """True if the file is past the limits that keep its analysis short."""
    xrefs = reader.xrefs
    revisions = xrefs.total_revisions
    if revisions > limits["revisions"]:
        return True
    per_revision = [len(xrefs.explicit_refs_in_revision(r)) for r in range(revisions)]
    if sum(per_revision) > limits["objects"]:
        return True
    # An issued report is one revision: whatever follows was written after the seal.
    if sum(per_revision[1:]) > limits["objects_after_seal"]:
        return True
    count = reader.root["/Pages"].get("/Count", 0)
    return not isinstance(count, int) or count > limits["pages"]


def _judge_changes(reader, embedded):
    """pyHanko's verdict on what was appended after the seal, with the pages annotated."""
    old = reader.get_historical_resolver(embedded.signed_revision)
    new = reader.get_historical_resolver(reader.xrefs.total_revisions - 1)
    if _page_count(old) != _page_count(new):
        # The page tree changed: no rule would explain it; spare the analysis.
        return {"verdict": Verdict.CHANGED, "pages_changed": True}
    embedded.compute_integrity_info(diff_policy=DIFF_POLICY)
    # The same judgement pyHanko's validation summary gives (modification_level, docmdp_ok).
    judged = ModificationInfo(**embedded.summarise_integrity_info())
    level = judged.modification_level
    if not judged.docmdp_ok or level is None or level > ModificationLevel.ANNOTATIONS:
        reason = judged.diff_result
        if isinstance(reason, SuspiciousModification):
            logger.info("A copy was changed after sealing: %.300s", reason)
        return {"verdict": Verdict.CHANGED}
    return {
        "verdict": Verdict.MODIFIED,
        "annotated_pages": [number for number, *_rest in _added_annotations(old, new)],
        "form_filled": bool(judged.diff_result.changed_form_fields)
        or level == ModificationLevel.FORM_FILLING,
        "info_changed": _info(old) != _info(new),
    }


def _validation_context(seal, moment):
    """Trust only this instance's CAs, as ``sealing.Seal.validation_context`` does."""
    options = {
        "trust_roots": [asn1_x509.Certificate.load(c) for c in seal["roots"]],
        "other_certs": [asn1_x509.Certificate.load(c) for c in seal["chain"]],
        "allow_fetching": seal["fetch"],
        "revocation_mode": "soft-fail",
    }
    if moment is not None:
        options |= {"moment": moment, "retroactive_revinfo": True}
    return ValidationContext(**options)


def _in_revision(resolver, key):
    """The trailer's entry ``key`` as of the resolver's revision.

    The trailer's own references resolve in the latest revision: go through
    the resolver, whose objects then resolve in its revision.
    """
    value = resolver.trailer_view.raw_get(key)
    return resolver(value.reference) if isinstance(value, generic.IndirectObject) else value


def _page_count(resolver):
    count = _in_revision(resolver, "/Root")["/Pages"].get("/Count")
    return count if isinstance(count, int) else None


def _info(resolver):
    if "/Info" not in resolver.trailer_view:
        return {}
    info = _in_revision(resolver, "/Info")
    # Every PDF writer stamps /ModDate and /Producer on saving: not a change of its own.
    return {str(k): str(v) for k, v in info.items() if k not in ("/ModDate", "/Producer")}


# --- Annotations added after sealing ---------------------------------------------------------


def _pages(resolver):
    """``(page reference, page)`` of every page in order, walking the tree once."""
    stack = [_in_revision(resolver, "/Root").raw_get("/Pages")]
    seen = set()
    while stack:
        node_ref = stack.pop()
        if not isinstance(node_ref, generic.IndirectObject) or node_ref.reference in seen:
            raise SuspiciousModification("The page tree is not a tree of references")
        seen.add(node_ref.reference)
        node = node_ref.get_object()
        if "/Kids" in node:
            stack.extend(reversed(list(node["/Kids"])))
        else:
            yield node_ref.reference, node


def _annotation_refs(page):
    value = page.raw_get("/Annots") if "/Annots" in page else None
    if value is None:
        return None, []
    array = value.get_object()
    if not isinstance(array, generic.ArrayObject):
        raise SuspiciousModification("/Annots is not an array")
    refs = [a.reference for a in array if isinstance(a, generic.IndirectObject)]
    if len(refs) != len(array):
        raise SuspiciousModification("/Annots holds direct objects")
    return (value.reference if isinstance(value, generic.IndirectObject) else None), refs


def _added_annotations(old, new):
    """``(page number, page ref, annotations ref, added refs)`` of each page that gained
    annotations, and nothing else, between ``old`` and ``new``.

    Signature fields are left out: pyHanko's form rules judge those. A page
    changed in any other way (content, resources, annotations removed) is
    skipped, so what changed on it stays unexplained.
    """
    old_pages, new_pages = list(_pages(old)), list(_pages(new))
    if [ref for ref, _page in old_pages] != [ref for ref, _page in new_pages]:
        return
    for number, ((page_ref, old_page), (_ref, new_page)) in enumerate(
        zip(old_pages, new_pages, strict=True), start=1
    ):
        try:
            _old_array, old_annots = _annotation_refs(old_page)
            new_array, new_annots = _annotation_refs(new_page)
            compare_dicts(old_page, new_page, frozenset(["/Annots"]))
        except SuspiciousModification:
            continue
        added = [ref for ref in new_annots if ref not in set(old_annots)]
        if not added or not set(old_annots) <= set(new_annots):
            continue
        added = [ref for ref in added if new(ref).get("/FT") != "/Sig"]
        if added:
            yield number, page_ref, new_array, added


class AddedAnnotationsRule(QualifiedWhitelistRule):
    """Accept, at ``ModificationLevel.ANNOTATIONS``, annotations added to pages that are
    otherwise unchanged: the page, its /Annots array and the new objects the
    new annotations are made of (appearance streams, pop-ups).

    Objects that existed before are never cleared here: a page's content
    stream or resources overwritten in place stay unexplained, and pyHanko
    judges the copy as changed (``ModificationLevel.OTHER``).
    """

    def apply_qualified(self, old, new):
        level = ModificationLevel.ANNOTATIONS
        for _number, page_ref, array_ref, added in _added_annotations(old, new):
            # pyHanko approves a page whose /Annots grew the same way (for signature widgets).
            yield level, ReferenceUpdate(page_ref)
            if array_ref is not None:
                yield (
                    level,
                    ReferenceUpdate(
                        array_ref, context_checked=RelativeContext(page_ref, RawPdfPath("/Annots"))
                    ),
                )
            for ref in _new_objects(old, new, added):
                yield level, ReferenceUpdate(ref)


def _new_objects(old, new, refs, limit=MAX_OBJECTS_AFTER_SEAL):
    """The objects reachable from ``refs`` that did not exist in ``old``."""
    found, stack = set(), list(refs)
    while stack and len(found) < limit:
        ref = stack.pop()
        if ref in found or not old.is_ref_unassignable(ref):
            continue
        found.add(ref)
        stack.extend(_references_in(new(ref)))
    return found


def _references_in(obj):
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, generic.IndirectObject):
            yield item.reference
        elif isinstance(item, dict):  # dictionaries and streams
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


DIFF_POLICY = StandardDiffPolicy(
    global_rules=[*DEFAULT_DIFF_POLICY.global_rules, AddedAnnotationsRule()],
    form_rule=DEFAULT_DIFF_POLICY.form_rule,
)
