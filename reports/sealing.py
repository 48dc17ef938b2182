"""The electronic seal of issued reports: a PAdES signature made with pyHanko.

The instance's certificate is a PKCS#12 file (``REPORT_SIGNING_P12``, its
password ``REPORT_SIGNING_PASSWORD``). It is loaded and checked once per
process (``current_seal``); a missing file, a wrong password, a certificate
that is expired, not yet valid or not meant for signing raise
``SealConfigurationError`` with a message saying what to fix. Without a
certificate configured, ``current_seal`` is ``None`` and reports are issued
unsealed.

``seal`` signs a laid-out report. The PAdES baseline level it reaches is
B-B without a timestamp authority, B-T with one (``REPORT_SIGNING_TSA_URL``)
and B-LT only when revocation data (OCSP/CRL) is embedded too, which needs
the timestamp authority, the root CA in the PKCS#12 file and
``REPORT_SIGNING_FETCH_REVOCATION``: ``configured_level`` says which level a
configuration produces, ``level_of`` which one a sealed file has. A chain
embedded without revocation data does not make B-LT.

Examining an uploaded copy is ``reports.copy_check`` (``examine``,
``Verdict`` and ``CopyCheck`` are importable from here too).
"""

import dataclasses
import functools
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
from django.utils.translation import gettext_lazy
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from reports.copy_check import CopyCheck, Verdict, examine  # noqa: F401 - callers use these here
from reports.pdf.signatures import SEAL_GAP, SEAL_HEIGHT, SEAL_WIDTH
from tracker.formatting import format_datetime_id

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
        """The PAdES baseline level this seal reaches with the current settings."""
        return configured_level(self)

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


# PAdES baseline levels (ETSI EN 319 142-1), as the verification page names them.
B_B, B_T, B_LT = "B-B", "B-T", "B-LT"
LEVEL_DESCRIPTIONS = {
    B_B: gettext_lazy(
        "PAdES B-B: the signing time is this system's own clock; no timestamp from a "
        "timestamp authority and no revocation data are embedded."
    ),
    B_T: gettext_lazy(
        "PAdES B-T: a timestamp authority confirms the signing time; no revocation data "
        "is embedded."
    ),
    B_LT: gettext_lazy(
        "PAdES B-LT: a timestamp authority confirms the signing time, and the certificate's "
        "revocation data is embedded for checking in the long term."
    ),
}


def configured_level(current):
    """The PAdES level that sealing with ``current`` (a ``Seal``) and the settings produces.

    B-B without a timestamp authority; B-T with one; B-LT only when
    revocation data is embedded as well: a timestamp authority, the root CA
    in the PKCS#12 file (the chain is validated and embedded) and
    ``REPORT_SIGNING_FETCH_REVOCATION`` (the CA's OCSP/CRL answers fetched).
    """
    if not settings.REPORT_SIGNING_TSA_URL:
        return B_B
    if current.roots and settings.REPORT_SIGNING_FETCH_REVOCATION:
        return B_LT
    return B_T


def level_of(content):
    """The PAdES level of the sealed PDF ``content`` as it is; ``None`` if it has no seal.

    Read from the file, so it is what was issued whatever the settings are
    now: B-T if the signature carries a timestamp token, B-LT if, besides,
    the document security store holds revocation data (OCSP or CRL).
    """
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    signatures = reader.embedded_signatures
    if not signatures:
        return None
    unsigned = signatures[0].signer_info["unsigned_attrs"]
    kinds = {a["type"].native for a in unsigned} if unsigned.native else set()
    if "signature_time_stamp_token" not in kinds:
        return B_B
    dss = reader.root.get("/DSS")
    if dss is not None and (dss.get("/OCSPs") or dss.get("/CRLs")):
        return B_LT
    return B_T


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
    roots = tuple(asn1(c) for c in others if c.issuer == c.subject)
    chain = tuple(asn1(c) for c in others if c.issuer != c.subject)
    signer = _KeptKeySigner(
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        ),
        signing_cert=asn1(certificate),
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


def asn1(certificate):
    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


# --- Sealing --------------------------------------------------------------------------------


def seal(pdf_bytes, *, unit_name, code, issued_at, box=None, seal_with=None):
    """The report sealed: ``pdf_bytes`` with a PAdES signature appended.

    The visible field goes in ``box`` (``(page_index, (x1, y1, x2, y2))``, as
    ``reports.pdf.signatures.SealSpace`` records it), else at the bottom
    right of the last page. The PAdES level is ``configured_level(current)``;
    ``level_of`` reads it back from the result. Raises
    ``SealConfigurationError`` if no usable certificate is configured.
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
    # With the root CA at hand the chain is validated and embedded (and, with fetching on,
    # the CA's revocation answers): what a reader needs offline. That alone is not B-LT.
    embed = bool(current.roots)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=_("Report issued, verification code %(code)s") % {"code": code},
        location=unit_name,
        embed_validation_info=embed,
        validation_context=current.validation_context(for_signing=True) if embed else None,
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
    text = "\n".join(
        [
            _("Electronically sealed by"),
            unit_name,
            format_datetime_id(issued_at),  # "7 Desember 2026 22.19 WIB", as the report writes
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
