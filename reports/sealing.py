"""The electronic seal of issued reports: a PAdES signature made with pyHanko.

The instance's certificate is a PKCS#12 file (``REPORT_SIGNING_P12``, its
password ``REPORT_SIGNING_PASSWORD``). It is loaded and checked once per
process (``current_seal``); a missing file, a wrong password, a certificate
that is expired, not yet valid or not meant for signing raise
``SealConfigurationError`` with a message saying what to fix. Without a
certificate configured, ``current_seal`` is ``None`` and reports are issued
unsealed.

``seal`` signs a laid-out report: PAdES B-B, B-T when a timestamp authority
is configured (``REPORT_SIGNING_TSA_URL``), and B-LT (the certificate chain
embedded in the document security store) when the PKCS#12 file holds the
root CA. ``examine`` validates the seal of an uploaded copy against this
instance's certificate, for the public verification page.
"""

import dataclasses
import datetime
import functools
import hashlib
import io
import logging
import unicodedata
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    pkcs12,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from reports.pdf.signatures import SEAL_GAP, SEAL_HEIGHT, SEAL_WIDTH

logger = logging.getLogger(__name__)


class _FetchingOffNotice(logging.Filter):
    """pyHanko warns on every seal that fetching is off; here that is the setting."""

    def filter(self, record):
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_FetchingOffNotice())

FIELD_NAME = "SegelElektronik"
# Either is enough: a seal is an organisation's signature (digitalSignature),
# a qualified signature usually asserts nonRepudiation.
SIGNING_KEY_USAGE = {"digital_signature", "non_repudiation"}
_KEY_USAGE = KeyUsageConstraints(key_usage=SIGNING_KEY_USAGE)
# Past the footer line (12 mm) when the field has to fall back to a corner.
_FOOTER_TOP = 40


class SealConfigurationError(ImproperlyConfigured):
    """The configured certificate cannot seal reports; the message says why."""


@dataclasses.dataclass(frozen=True)
class Seal:
    """The loaded certificate: pyHanko's signer, the certificate, and the CAs to trust."""

    signer: signers.SimpleSigner
    certificate: x509.Certificate
    roots: tuple  # asn1crypto certificates: self-signed CAs in the PKCS#12 file
    chain: tuple  # asn1crypto certificates: every other certificate in it

    @property
    def name(self):
        return self.certificate.subject.rfc4514_string()

    @property
    def level(self):
        """The PAdES baseline level the seal reaches."""
        if not self.roots:
            return "B-T" if settings.REPORT_SIGNING_TSA_URL else "B-B"
        return "B-LT"

    def validation_context(self, *, moment=None, for_signing=False):
        """Trust only this instance's CAs; no network unless asked for (the demo has none)."""
        roots = list(self.roots)
        options = {
            "other_certs": list(self.chain),
            "allow_fetching": settings.REPORT_SIGNING_FETCH_REVOCATION,
            "revocation_mode": "soft-fail",
        }
        if moment is not None:
            options["moment"] = moment
            options["retroactive_revinfo"] = True
        if for_signing and settings.REPORT_SIGNING_TSA_URL:
            # The timestamp authority's chain is checked too: keep the system's roots.
            return ValidationContext(extra_trust_roots=roots, **options)
        return ValidationContext(trust_roots=roots, **options)


def configured():
    return bool(settings.REPORT_SIGNING_P12)


def current_seal():
    """The instance's seal, loaded once per process; ``None`` if none is configured.

    Raises ``SealConfigurationError`` if the configured one cannot be used.
    """
    if not configured():
        return None
    return _load(str(settings.REPORT_SIGNING_P12), settings.REPORT_SIGNING_PASSWORD or "")


def clear_cache():
    """Forget the loaded certificate (tests; a replaced file is read again)."""
    _load.cache_clear()


@functools.lru_cache(maxsize=4)
def _load(path, password):
    file = Path(path)
    if not file.is_file():
        raise SealConfigurationError(
            _("The report sealing certificate %(path)s does not exist (REPORT_SIGNING_P12).")
            % {"path": path}
        )
    try:
        data = file.read_bytes()
    except OSError as error:
        raise SealConfigurationError(
            _("The report sealing certificate %(path)s cannot be read: %(error)s")
            % {"path": path, "error": error.strerror}
        ) from error
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(data, password.encode() or None)
    except ValueError as error:
        raise SealConfigurationError(
            _(
                "The report sealing certificate %(path)s cannot be opened: the password "
                "(REPORT_SIGNING_PASSWORD) is wrong or the file is not a PKCS#12 file."
            )
            % {"path": path}
        ) from error
    if key is None or certificate is None:
        raise SealConfigurationError(
            _("%(path)s holds no private key with its certificate.") % {"path": path}
        )
    check_certificate(certificate, path=path)
    others = [c for c in others if c != certificate]
    roots = tuple(_asn1(c) for c in others if c.issuer == c.subject)
    chain = tuple(_asn1(c) for c in others if c.issuer != c.subject)
    signer = _KeptKeySigner(
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        ),
        signing_cert=_asn1(certificate),
        cert_registry=SimpleCertificateStore.from_certs(roots + chain),
    )
    signer.private_key = key
    return Seal(signer=signer, certificate=certificate, roots=roots, chain=chain)


class _KeptKeySigner(signers.SimpleSigner):
    """pyHanko's signer (as ``SimpleSigner.load_pkcs12`` makes it from the same file),
    keeping the decoded RSA key between signatures.

    ``SimpleSigner.sign_raw`` decodes (and so re-validates) the private key
    for every signature, twice per seal (the size estimate and the seal):
    about 0.2 s each for an RSA-3072 key. Other key types take pyHanko's path.
    """

    private_key = None

    def sign_raw(self, data, digest_algorithm):
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if (
            isinstance(self.private_key, rsa.RSAPrivateKey)
            and mechanism["algorithm"].native.endswith("_rsa")  # PKCS#1 v1.5, e.g. sha256_rsa
        ):
            hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
            return self.private_key.sign(data, padding.PKCS1v15(), hash_algorithm)
        return super().sign_raw(data, digest_algorithm)


def check_certificate(certificate, *, path, now=None):
    """Raise ``SealConfigurationError`` unless ``certificate`` may seal documents now."""
    now = now or timezone.now()
    name = certificate.subject.rfc4514_string()
    if now < certificate.not_valid_before_utc:
        raise SealConfigurationError(
            _("The report sealing certificate %(name)s (%(path)s) is not valid before %(date)s.")
            % {"name": name, "path": path, "date": certificate.not_valid_before_utc.isoformat()}
        )
    if now > certificate.not_valid_after_utc:
        raise SealConfigurationError(
            _("The report sealing certificate %(name)s (%(path)s) expired on %(date)s.")
            % {"name": name, "path": path, "date": certificate.not_valid_after_utc.isoformat()}
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return  # no restriction: every use is allowed
    if not (usage.digital_signature or usage.content_commitment):
        raise SealConfigurationError(
            _(
                "The report sealing certificate %(name)s (%(path)s) is not meant for "
                "signing: its key usage has neither digitalSignature nor nonRepudiation."
            )
            % {"name": name, "path": path}
        )


def _asn1(certificate):
    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


# --- Sealing --------------------------------------------------------------------------------


def seal(pdf_bytes, *, unit_name, code, issued_at, box=None, seal_with=None):
    """The report sealed: ``pdf_bytes`` with a PAdES signature appended.

    The visible field goes in ``box`` (``(page_index, (x1, y1, x2, y2))``, as
    ``reports.pdf.signatures.SealSpace`` records it), else at the bottom
    right of the last page. Raises ``SealConfigurationError`` if no usable
    certificate is configured.
    """
    current = seal_with or current_seal()
    if current is None:
        raise SealConfigurationError(_("No report sealing certificate is configured."))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    page, rectangle = box or _corner(writer)
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(sig_field_name=FIELD_NAME, on_page=page, box=rectangle),
    )
    lt = bool(current.roots)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=_("Report issued, verification code %(code)s") % {"code": code},
        location=unit_name,
        embed_validation_info=lt,
        validation_context=current.validation_context(for_signing=True) if lt else None,
        signer_key_usage=SIGNING_KEY_USAGE,
        # The chain goes in the signature's own revision: the seal covers the whole file.
        dss_settings=DSSContentSettings(
            placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE,
            include_vri=False,
        ),
    )
    tsa = settings.REPORT_SIGNING_TSA_URL
    signer = signers.PdfSigner(
        metadata,
        current.signer,
        timestamper=HTTPTimeStamper(tsa) if tsa else None,
        stamp_style=TextStampStyle(
            stamp_text=_stamp_text(unit_name, code, issued_at),
            text_box_style=TextBoxStyle(font_size=9),
            border_width=1,
        ),
    )
    output = signer.sign_pdf(writer)
    return output.getvalue()


def _stamp_text(unit_name, code, issued_at):
    when = timezone.localtime(issued_at).strftime("%d-%m-%Y %H:%M")
    text = "\n".join(
        [
            _("Electronically sealed by"),
            unit_name,
            _("%(when)s WIB") % {"when": when},
            _("Verification code %(code)s") % {"code": code},
        ]
    )
    # The stamp's built-in font covers Latin-1 only; the text is a template for pyHanko.
    ascii_text = unicodedata.normalize("NFKD", text).encode("latin-1", "ignore").decode("latin-1")
    return ascii_text.replace("%", "%%")


def _corner(writer):
    """The bottom right of the last page, above the footer: when no room was recorded."""
    page_ref, _resources = writer.find_page_for_modification(-1)
    x1, y1, x2, y2 = (float(v) for v in page_ref.get_object()["/MediaBox"])
    right = x2 - SEAL_GAP * 3
    last = int(writer.root["/Pages"]["/Count"]) - 1
    return last, (
        round(right - SEAL_WIDTH),
        round(y1 + _FOOTER_TOP),
        round(right),
        round(y1 + _FOOTER_TOP + SEAL_HEIGHT),
    )


# --- Examining a copy -----------------------------------------------------------------------


class Verdict:
    IDENTICAL = "identical"  # the issued bytes
    MODIFIED = "modified"  # the issued report, sealed, with an update appended after sealing
    OTHER_REPORT = "other-report"  # sealed by this instance, but another report
    BROKEN = "broken"  # a seal whose content no longer matches it
    FOREIGN = "foreign"  # a valid signature, not this instance's
    UNSIGNED = "unsigned"  # no seal at all


@dataclasses.dataclass
class CopyCheck:
    """What the verification page says about an uploaded copy."""

    verdict: str
    changes: list = dataclasses.field(default_factory=list)  # what was added after sealing
    signer: str = ""
    signed_at: datetime.datetime | None = None

    @property
    def identical(self):
        return self.verdict == Verdict.IDENTICAL


def examine(content, *, sha256, issued_at=None):
    """Compare ``content`` (an uploaded PDF's bytes) with the issued file of SHA-256 ``sha256``.

    The seal is validated against this instance's certificate as at
    ``issued_at``. A file pyHanko cannot read counts as a broken seal if it
    has one and as unsigned otherwise.
    """
    if hashlib.sha256(content).hexdigest() == sha256:
        return CopyCheck(Verdict.IDENTICAL)
    try:
        signatures = PdfFileReader(io.BytesIO(content), strict=False).embedded_signatures
    except Exception:  # noqa: BLE001 - any unreadable upload
        logger.info("An uploaded copy could not be read as a PDF", exc_info=True)
        return CopyCheck(Verdict.BROKEN if b"/ByteRange" in content else Verdict.UNSIGNED)
    if not signatures:
        return CopyCheck(Verdict.UNSIGNED)
    try:
        current = current_seal()
    except SealConfigurationError:
        logger.exception("The sealing certificate cannot be used to check a copy")
        current = None
    if current is None:
        return CopyCheck(Verdict.FOREIGN)
    embedded = signatures[0]
    try:
        status = validate_pdf_signature(
            embedded,
            current.validation_context(moment=issued_at),
            key_usage_settings=_KEY_USAGE,
        )
    except Exception:  # noqa: BLE001 - a damaged signature of any kind
        logger.info("A seal in an uploaded copy could not be validated", exc_info=True)
        return CopyCheck(Verdict.BROKEN)
    signer = status.signing_cert.subject.human_friendly
    if not (status.intact and status.valid):
        return CopyCheck(Verdict.BROKEN, signer=signer)
    ours = status.trusted and status.signing_cert.subject == _asn1(current.certificate).subject
    if not ours:
        return CopyCheck(Verdict.FOREIGN, signer=signer)
    signed_at = status.signer_reported_dt
    start, length, rest, rest_length = embedded.byte_range
    signed_revision = content[: rest + rest_length]
    if hashlib.sha256(signed_revision).hexdigest() != sha256:
        return CopyCheck(Verdict.OTHER_REPORT, signer=signer, signed_at=signed_at)
    return CopyCheck(
        Verdict.MODIFIED,
        changes=_changes(content, signed_revision, status),
        signer=signer,
        signed_at=signed_at,
    )


def _changes(content, signed_revision, status):
    """What was appended after the seal, in words, as far as it can be told."""
    found = []
    try:
        before = PdfFileReader(io.BytesIO(signed_revision), strict=False)
        after = PdfFileReader(io.BytesIO(content), strict=False)
        if int(after.root["/Pages"]["/Count"]) != int(before.root["/Pages"]["/Count"]):
            found.append(_("pages added or removed"))
        added = [
            str(number)
            for number, (old, new) in enumerate(
                zip(_annotations(before), _annotations(after), strict=False), start=1
            )
            if new > old
        ]
        if added:
            found.append(
                _("annotations (comments, highlights, drawings) on page %(pages)s")
                % {"pages": ", ".join(added)}
            )
        if _info(before) != _info(after):
            found.append(_("the document properties (title, author, subject)"))
    except Exception:  # noqa: BLE001 - describing is a courtesy; the verdict stands
        logger.info("Could not describe the changes to an uploaded copy", exc_info=True)
    level = status.modification_level
    if level == ModificationLevel.FORM_FILLING:
        found.append(_("filled-in form fields"))
    elif level == ModificationLevel.LTA_UPDATES and not found:
        found.append(_("validation data (certificates, timestamps)"))
    if not found:
        found.append(_("other changes to the content"))
    return found


def _annotations(reader):
    """How many annotations each page has, apart from signature fields."""
    counts = []
    for number in range(int(reader.root["/Pages"]["/Count"])):
        page = reader.find_page_for_modification(number)[0].get_object()
        annotations = page.get("/Annots") or []
        counts.append(sum(1 for a in annotations if a.get_object().get("/FT") != "/Sig"))
    return counts


def _info(reader):
    info = reader.trailer_view.get("/Info")
    if info is None:
        return {}
    # Every PDF writer stamps /ModDate and /Producer on saving: not a change of its own.
    return {
        str(k): str(v) for k, v in info.get_object().items() if k not in ("/ModDate", "/Producer")
    }
