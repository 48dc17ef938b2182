"""``python manage.py make_signing_certificate``: a demo CA and a report sealing certificate.

For a development or demo instance only: a production instance seals with a
certificate from a real CA. Writes into ``--out-dir`` (default ``var/signing``):

- ``demo-seal.p12``: the sealing key and certificate with the CA certificate
  (PKCS#12, protected by the password): ``REPORT_SIGNING_P12``;
- ``demo-ca.pem`` and ``demo-ca.cer``: the CA certificate (PEM, DER) for
  readers to trust in their PDF reader;
- ``demo-ca.key``: the CA's private key (PEM, encrypted with the password).

Every file is first written next to its final name and renamed into place
only when all are written, so a failure leaves no half-written certificate.
"""

import datetime
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# The password when none is given: the development settings use it with
# var/signing/demo-seal.p12. A demo certificate protects nothing real.
DEMO_PASSWORD = "demo-seal"
P12_NAME = "demo-seal.p12"
CA_PEM, CA_DER, CA_KEY = "demo-ca.pem", "demo-ca.cer", "demo-ca.key"
# Extended key usages PDF readers accept for document signatures: RFC 9336
# id-kp-documentSigning, Microsoft Document Signing, Adobe Authentic Documents Trust.
DOCUMENT_SIGNING = [
    ObjectIdentifier("1.3.6.1.5.5.7.3.36"),
    ObjectIdentifier("1.3.6.1.4.1.311.10.3.12"),
    ObjectIdentifier("1.2.840.113583.1.1.5"),
    ExtendedKeyUsageOID.EMAIL_PROTECTION,
]
CA_YEARS = 10
KEY_BITS = 3072


class Command(BaseCommand):
    help = "Create a demo CA and a certificate that seals issued reports (development/demo only)."
    # It repairs what the seal's system check complains about: it must run regardless.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--out-dir",
            default=str(Path(settings.VAR_DIR) / "signing"),
            help="Where to write the files (default var/signing).",
        )
        parser.add_argument(
            "--password",
            help=(
                "Password of the PKCS#12 file and the CA key. Default: $REPORT_SIGNING_PASSWORD, "
                f"else the demo password “{DEMO_PASSWORD}”."
            ),
        )
        parser.add_argument(
            "--common-name", help="The seal's name. Default: “Monev <host of SITE_URL> (demo)”."
        )
        parser.add_argument(
            "--days", type=int, default=1095, help="Validity of the sealing certificate."
        )
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--if-missing", action="store_true", help="Do nothing if the PKCS#12 file exists."
        )
        group.add_argument("--force", action="store_true", help="Replace existing files.")

    def handle(self, *args, **options):
        out_dir = Path(options["out_dir"])
        p12_path = out_dir / P12_NAME
        if p12_path.exists():
            if options["if_missing"]:
                self.stdout.write(f"{p12_path} exists; nothing to do.")
                return
            if not options["force"]:
                raise CommandError(f"{p12_path} exists; pass --force to replace it.")
        if options["days"] < 1 or options["days"] > 3650:
            raise CommandError("--days must be between 1 and 3650.")
        password = options["password"] or os.environ.get("REPORT_SIGNING_PASSWORD") or DEMO_PASSWORD
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        name = options["common_name"] or f"Monev {host} (demo)"
        files = make_certificates(name, password, days=options["days"])
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot create {out_dir}: {error}") from error
        write_all(out_dir, files)
        self.stdout.write(self.style.SUCCESS(f"Wrote {', '.join(sorted(files))} to {out_dir}."))
        self.stdout.write("Seal reports with it by setting (environment or .env):")
        self.stdout.write(f"  REPORT_SIGNING_P12={p12_path.resolve()}")
        self.stdout.write(f"  REPORT_SIGNING_PASSWORD={password}")
        self.stdout.write(
            f"Readers trust the demo CA by importing {(out_dir / CA_DER).resolve()} "
            "(or the .pem) into their PDF reader."
        )


def _name(common_name):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Monev komitmen (demo)"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        ]
    )


def make_certificates(common_name, password, *, days, now=None, key_usage=True):
    """The demo CA and the sealing certificate, as ``{file name: bytes}``.

    ``now`` and ``key_usage`` let the tests make an expired, a not yet valid
    or a certificate without the signing key usage.
    """
    now = now or datetime.datetime.now(datetime.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    ca_name = _name(f"{common_name} CA")
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), False
        )
    )
    if key_usage:
        builder = builder.add_extension(_key_usage(sign=True), critical=True).add_extension(
            x509.ExtendedKeyUsage(DOCUMENT_SIGNING), critical=False
        )
    else:  # a TLS-style certificate: not for signing documents
        builder = builder.add_extension(_key_usage(encipher=True), critical=True)
    cert = builder.sign(ca_key, hashes.SHA256())
    secret = password.encode()
    return {
        P12_NAME: pkcs12.serialize_key_and_certificates(
            common_name.encode(),
            key,
            cert,
            [ca_cert],
            serialization.BestAvailableEncryption(secret),
        ),
        CA_PEM: ca_cert.public_bytes(serialization.Encoding.PEM),
        CA_DER: ca_cert.public_bytes(serialization.Encoding.DER),
        CA_KEY: ca_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(secret),
        ),
    }


def _key_usage(*, sign=False, cert_sign=False, encipher=False):
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=sign,  # nonRepudiation
        key_encipherment=encipher,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def write_all(out_dir, files):
    """Write every file beside its final name, then rename them all into place.

    The PKCS#12 file, the one the settings point at, is renamed last.
    """
    temporary = {}
    try:
        for name, content in files.items():
            handle, path = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.")
            temporary[name] = path
            with os.fdopen(handle, "wb") as output:
                output.write(content)
                output.flush()
                os.fsync(output.fileno())
            os.chmod(path, 0o644 if name in (CA_PEM, CA_DER) else 0o600)
        for name in sorted(temporary, key=lambda n: n == P12_NAME):
            os.replace(temporary[name], out_dir / name)
    except OSError as error:
        for path in temporary.values():
            if os.path.exists(path):
                os.unlink(path)
        raise CommandError(f"Cannot write the certificate files to {out_dir}: {error}") from error
