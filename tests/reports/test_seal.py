"""The electronic seal of issued reports (PAdES, pyHanko): made, validated, and refused.

The seals are validated with pyHanko's own validator against the demo CA that
``make_signing_certificate`` wrote, not through ``reports.sealing``.
"""

import datetime
import hashlib
import io

import pytest
from asn1crypto import x509 as asn1_x509
from django.core.management import call_command
from django.utils import translation
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from reports import sealing, services
from reports.management.commands.make_signing_certificate import make_certificates
from reports.models import GeneratedReport
from tracker.formatting import format_datetime_id


def issue():
    request = services.resolve_request(year=2020, quarter=3, government_code="36.72")
    return services.issue_report(request, source=GeneratedReport.Source.COMMAND)


def trusting(folder):
    """pyHanko's validation context trusting only the demo CA, offline."""
    root = asn1_x509.Certificate.load((folder / "demo-ca.cer").read_bytes())
    return ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail")


def validate(content, folder):
    signatures = PdfFileReader(io.BytesIO(content), strict=False).embedded_signatures
    assert len(signatures) == 1
    return validate_pdf_signature(signatures[0], trusting(folder))


def with_annotation(content):
    """``content`` with a sticky note added to page 1 as an incremental update.

    Saved later, as a reader saves it: the document's /ModDate changes too.
    """
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    page_ref, _resources = writer.find_page_for_modification(0)
    note = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Text"),
            generic.NameObject("/Rect"): generic.ArrayObject(
                [generic.FloatObject(v) for v in (100, 100, 120, 120)]
            ),
            generic.NameObject("/Contents"): generic.TextStringObject("Angka ini salah"),
        }
    )
    writer.register_annotation(page_ref, writer.add_object(note))
    info = writer.trailer["/Info"]
    info["/ModDate"] = generic.TextStringObject("D:20300101090000+07'00'")
    writer.update_container(info)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- The seal -------------------------------------------------------------------------------


def test_an_issued_report_carries_a_valid_seal_over_the_whole_file(sealing_on, cilegon):
    report = issue()
    content = report.file.read()
    assert report.parameters["sealed"] is True
    assert report.parameters["seal_level"] == sealing.B_B  # no timestamp authority here
    assert report.sha256 == hashlib.sha256(content).hexdigest()
    assert report.size == len(content)
    status = validate(content, sealing_on)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"].startswith("Monev ")
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    signature = reader.embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    # The chain is in the document security store, for readers offline; without a
    # timestamp authority and revocation data that is still PAdES B-B.
    assert "/DSS" in reader.root
    assert sealing.level_of(content) == sealing.B_B
    # The visible field is on the last page, with the code.
    last = reader.find_page_for_modification(-1)[0].get_object()
    (widget,) = [
        a.get_object() for a in last.get("/Annots", []) if a.get_object().get("/FT") == "/Sig"
    ]
    assert widget["/T"] == sealing.FIELD_NAME
    appearance = widget["/AP"]["/N"].data.decode("latin-1")
    assert report.code in appearance and "Bappeda" in appearance and "WIB" in appearance
    # The time is written as the report writes dates: "7 Desember 2026 22.19 WIB".
    # (pyHanko writes the point as the octal escape \056 in the content stream.)
    assert format_datetime_id(report.generated_at) in appearance.replace("\\056", ".")
    # In the signature block's corner: above the footer, inside the page.
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    width = float(last["/MediaBox"][2])
    assert 40 <= y1 < y2 and x2 <= width - 20


def test_one_changed_byte_breaks_the_seal(sealing_on, cilegon):
    report = issue()
    content = bytearray(report.file.read())
    signature = PdfFileReader(io.BytesIO(bytes(content)), strict=False).embedded_signatures[0]
    start, length, _rest, _rest_length = signature.byte_range
    # A byte of the first signed range, past the header: inside the sealed content.
    content[start + length // 2] ^= 0x01
    status = validate(bytes(content), sealing_on)
    assert not status.intact and not status.bottom_line
    assert sealing.examine(bytes(content), sha256=report.sha256).verdict == sealing.Verdict.BROKEN


def test_an_annotation_added_later_is_reported_as_such(sealing_on, cilegon):
    report = issue()
    content = with_annotation(report.file.read())
    status = validate(content, sealing_on)
    assert status.intact and status.valid  # the sealed revision itself is untouched
    assert status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    with translation.override("en"):
        check = sealing.examine(content, sha256=report.sha256, issued_at=report.generated_at)
    assert check.verdict == sealing.Verdict.MODIFIED
    assert check.changes == ["annotations (comments, highlights, drawings) on page 1"]
    # A changed document title: pyHanko finds it harmless, the page still names it.
    writer = IncrementalPdfFileWriter(io.BytesIO(report.file.open().read()), strict=False)
    info = writer.trailer["/Info"]
    info["/Title"] = generic.TextStringObject("Judul lain")
    writer.update_container(info)
    retitled = io.BytesIO()
    writer.write(retitled)
    with translation.override("en"):
        check = sealing.examine(
            retitled.getvalue(), sha256=report.sha256, issued_at=report.generated_at
        )
    assert check.verdict == sealing.Verdict.MODIFIED
    assert check.changes == ["the document properties (title, author, subject)"]


def test_the_same_report_twice_has_the_same_text_but_not_the_same_bytes(sealing_on, cilegon):
    """Reproducibility holds for the content, not for the bytes: each issue has its own
    verification code (printed in the footer) and its seal its own signing time and
    signature, so the text is compared without the codes and times."""
    first, second = issue(), issue()
    one, two = first.file.read(), second.file.read()
    assert one != two and first.sha256 != second.sha256

    def content_of(report, content):
        return text(content).replace(report.code, "CODE")

    lines_one = [line for line in content_of(first, one).splitlines() if "WIB" not in line]
    lines_two = [line for line in content_of(second, two).splitlines() if "WIB" not in line]
    assert lines_one == lines_two


def test_without_a_certificate_the_report_is_issued_unsealed(settings, cilegon, caplog):
    sealing.clear_cache()
    settings.REPORT_SIGNING_P12 = ""
    report = issue()
    assert report.parameters["sealed"] is False
    assert not PdfFileReader(io.BytesIO(report.file.read()), strict=False).embedded_signatures
    assert "WITHOUT an electronic seal" in caplog.text


# --- Bad certificates -----------------------------------------------------------------------

NOW = datetime.datetime.now(datetime.UTC)


def _write(path, **options):
    """A certificate made as the command makes it, with ``options``; returns the certificate."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    files = make_certificates("Monev uji", "rahasia", days=options.pop("days", 30), **options)
    path.write_bytes(files["demo-seal.p12"])
    return pkcs12.load_key_and_certificates(files["demo-seal.p12"], b"rahasia")[1]


@pytest.mark.parametrize(
    "case", ["wrong password", "expired", "not yet valid", "no signing key usage", "missing file"]
)
def test_a_bad_certificate_stops_the_issue_with_a_clear_message(case, settings, tmp_path, cilegon):
    """The message (in Indonesian, as the job shows it) names the setting, the date or
    the key usage to fix; nothing is stored."""
    password, path = "rahasia", tmp_path / "seal.p12"
    if case == "wrong password":
        password, expected = "salah", "REPORT_SIGNING_PASSWORD"
        _write(path)
    elif case == "expired":
        expected = _write(path, now=NOW - datetime.timedelta(days=40)).not_valid_after_utc
    elif case == "not yet valid":
        expected = _write(path, now=NOW + datetime.timedelta(days=2)).not_valid_before_utc
    elif case == "no signing key usage":
        expected = "nonRepudiation"
        _write(path, key_usage=False)
    else:
        path, expected = tmp_path / "nowhere.p12", "REPORT_SIGNING_P12"
    sealing.clear_cache()
    settings.REPORT_SIGNING_P12 = str(path)
    settings.REPORT_SIGNING_PASSWORD = password
    files_before = _stored_files(settings)
    with pytest.raises(services.ValidationError) as error:
        issue()
    assert isinstance(error.value.__cause__, sealing.SealConfigurationError)
    expected = expected.isoformat() if isinstance(expected, datetime.datetime) else expected
    assert expected in " ".join(error.value.messages)
    assert not GeneratedReport.objects.exists()
    assert _stored_files(settings) == files_before
    sealing.clear_cache()


def _stored_files(settings):
    from pathlib import Path

    return sorted(str(p) for p in Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_check_deploy_warns_without_a_certificate_and_errs_on_a_bad_one(settings, tmp_path):
    from django.core.management.base import SystemCheckError

    from reports import checks

    sealing.clear_cache()
    settings.REPORT_SIGNING_P12 = ""
    warnings = checks.check_seal_configured(app_configs=None)
    assert [w.id for w in warnings] == ["reports.W001"]
    assert checks.check_seal(app_configs=None) == []  # not configured is no error
    out = io.StringIO()
    call_command("check", "--deploy", "--fail-level", "CRITICAL", stdout=out, stderr=out)
    assert "reports.W001" in out.getvalue()
    expired = _write(tmp_path / "seal.p12", now=NOW - datetime.timedelta(days=40))
    settings.REPORT_SIGNING_P12 = str(tmp_path / "seal.p12")
    settings.REPORT_SIGNING_PASSWORD = "rahasia"
    errors = checks.check_seal(app_configs=None)
    assert [e.id for e in errors] == ["reports.E001"]
    assert expired.not_valid_after_utc.isoformat() in errors[0].msg
    with pytest.raises(SystemCheckError, match="reports.E001"):
        call_command("check")
    sealing.clear_cache()


# --- The command ----------------------------------------------------------------------------


def test_the_command_makes_a_ca_and_a_document_signing_certificate(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import pkcs12

    call_command("make_signing_certificate", "--out-dir", str(tmp_path), "--password", "x1")
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["demo-ca.cer", "demo-ca.key", "demo-ca.pem", "demo-seal.p12"]
    key, cert, others = pkcs12.load_key_and_certificates(
        (tmp_path / "demo-seal.p12").read_bytes(), b"x1"
    )
    ca = x509.load_pem_x509_certificate((tmp_path / "demo-ca.pem").read_bytes())
    assert others == [ca] and cert.issuer == ca.subject
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    # --if-missing leaves it; without --force it refuses to overwrite.
    before = (tmp_path / "demo-seal.p12").read_bytes()
    call_command("make_signing_certificate", "--out-dir", str(tmp_path), "--if-missing")
    assert (tmp_path / "demo-seal.p12").read_bytes() == before
    with pytest.raises(Exception, match="--force"):
        call_command("make_signing_certificate", "--out-dir", str(tmp_path))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers
