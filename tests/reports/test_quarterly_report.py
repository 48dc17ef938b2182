"""The quarterly report: its figures, its reproducibility and its bad input.

Expected figures are computed here straight from the verified rows in the
database, not through the report's selectors, and looked for in the text
pypdf extracts from the PDF.
"""

import datetime
import hashlib
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from commitments import services as commitment_services
from commitments.models import Commitment, Signature
from programs import reporting
from programs.models import (
    IndicatorRealisation,
    IndicatorTarget,
    Milestone,
    Program,
    ProgressReport,
    ReportingPeriod,
)
from programs.status import quarter_end
from reports.models import GeneratedReport
from tracker.formatting import format_number_id


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def issue(tmp_path, *args):
    output = tmp_path / "laporan.pdf"
    call_command(
        "quarterly_report",
        *("--government", "36.72", "--year", "2020", "--quarter", "3"),
        *("--output", str(output), *args),
    )
    return output.read_bytes()


def cells(*values):
    """A regex for table cells that follow each other in the extracted text."""
    return r"\s+".join(re.escape(v) for v in values)


def _single_program_indicator(cilegon):
    """An indicator that exactly one program of the demo reports, and that program."""
    for program in Program.objects.filter(commitment__government=cilegon).order_by("title"):
        for indicator in program.indicators.all():
            if (
                indicator.programs.count() == 1
                and not indicator.is_cumulative
                and indicator.direction == "higher"
            ):
                return program, indicator
    raise AssertionError("the demo has no indicator reported by a single program")


@pytest.mark.django_db
def test_the_whole_government_report_carries_verified_figures(cilegon, tmp_path):
    content = issue(tmp_path)
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    flat = " ".join(text.split())

    # The cover names the one commitment the demo reports on, by its title (reports/titles.py);
    # the heading in the language of the catalogue ("LAPORAN MONITORING DAN EVALUASI").
    with translation.override("id"):
        heading = gettext("MONITORING AND EVALUATION REPORT")
    assert f"{heading} KOMITMEN BERSAMA IMPLEMENTASI CILEGON SMART CITY" in flat
    assert "Triwulan III Tahun 2020" in text
    assert re.search(r"Halaman 1 dari (\d+)", text)
    report = GeneratedReport.objects.get()
    assert f"Kode verifikasi {report.code}" in text
    assert f"/verifikasi/{report.code}/" in text

    # Submission compliance, counted from the reports of the quarter.
    period = ReportingPeriod.objects.get(government=cilegon, year=2020, quarter=3)
    due = Program.objects.filter(
        commitment__government=cilegon, start_date__lte=quarter_end(2020, 3)
    )
    reports = {r.program_id: r for r in ProgressReport.objects.filter(period=period)}
    missing = sum(
        1 for p in due if p.pk not in reports or reports[p.pk].state == ProgressReport.State.DRAFT
    )
    late = sum(1 for r in reports.values() if r.is_late and r.state != "draft")
    assert re.search(cells("Belum masuk", str(missing)), text)
    assert re.search(cells("Terlambat dikirim", str(late)), text)

    # One indicator row: its verified quarters of 2020, in the table's order.
    program, indicator = _single_program_indicator(cilegon)
    values = {}
    for row in IndicatorRealisation.objects.filter(
        indicator=indicator,
        report__state=ProgressReport.State.VERIFIED,
        report__period__year=2020,
        report__period__quarter__lte=3,
    ).select_related("report__period"):
        values[row.report.period.quarter] = row.value
    assert values, "the demo verified some 2020 quarters of this indicator"
    places = indicator.decimal_places
    quarters = [format_number_id(values[q], places) if q in values else "–" for q in (1, 2, 3)]
    # K and Rp alternate on the block's first row: allow one Rp figure between two Ks.
    between = r"\s+(?:[\d.]+\s+|–\s+|†\s+)?"
    assert re.search(between.join(re.escape(q) for q in quarters), text), quarters
    latest = values[max(values)]
    # Both rates of the form: the year's target, and the end-of-RPJMD target.
    year_target = IndicatorTarget.objects.get(indicator=indicator, year=2020).target
    assert f"{format_number_id(latest / year_target * 100)}%" in text
    assert f"{format_number_id(latest / indicator.final_target * 100)}%" in text

    # The program's budget line: verified Rupiah of 2020 up to TW III.
    spent = sum(
        (
            r.budget_realisation
            for r in ProgressReport.objects.filter(
                program=program,
                state=ProgressReport.State.VERIFIED,
                period__year=2020,
                period__quarter__lte=3,
            )
        ),
        Decimal(0),
    )
    assert format_number_id(spent, 0) in text

    # The signature block: the officials in office on the day after the deadline, or
    # on the day of the last verification it counts if later (test_report_date.py).
    last = max(
        timezone.localdate(max(r.verified_at, r.submitted_at or r.verified_at))
        for r in ProgressReport.objects.filter(
            program__commitment__government=cilegon,
            state=ProgressReport.State.VERIFIED,
            period__year__lte=2020,
        ).exclude(period__year=2020, period__quarter__gt=3)
    )
    dated = max(period.verification_deadline + datetime.timedelta(days=1), last)
    assert f"Cilegon, {dated.day} Oktober 2020" in text
    assert "Disusun oleh" in text and "Mengetahui" in text
    assert "H. Edi Ariadi, S.Sos., M.Si." in text
    assert "Dr. Hendra Setiawan" in text
    assert "NIP. 19650613 198806 1 004" in text


@pytest.mark.django_db
def test_a_locked_quarter_reads_the_same_after_later_quarters(cilegon, tmp_path):
    """Later reports, a later finish date and a later revocation leave 2020 TW III alone."""
    before = pdf_text(issue(tmp_path))
    bappeda = get_user_model().objects.get(username="bappeda")

    # A later quarter is reported and verified, with new indicator values.
    period = ReportingPeriod.objects.get(government=cilegon, year=2021, quarter=4)
    # (not one of Bappeda's own unit: another Bappeda member would verify that)
    waiting = (
        ProgressReport.objects.filter(period=period, state="submitted")
        .exclude(program__owner_unit=bappeda.profile.unit)
        .first()
    )
    reporting.verify_report(waiting, actor=bappeda)
    # A milestone late in 2020 is finished in 2021.
    milestone = Milestone.objects.filter(
        program__commitment__government=cilegon,
        planned_finish__lt=datetime.date(2020, 9, 1),
        actual_finish__isnull=True,
    ).first()
    milestone.actual_finish = datetime.date(2021, 11, 1)
    milestone.save()
    # A signature is revoked in 2021.
    signature = Signature.objects.filter(
        commitment__government=cilegon, revoked_at__isnull=True
    ).first()
    commitment_services.revoke_signature(signature, actor=bappeda, reason="Salah unit")

    after = pdf_text(issue(tmp_path))

    def figures(text):
        # Everything but the lines naming the generation time and the code.
        return [
            line
            for line in text.splitlines()
            if "Dibuat" not in line and "verifikasi" not in line.lower()
        ]

    assert figures(before) == figures(after)
    assert GeneratedReport.objects.count() == 2


@pytest.mark.django_db
def test_an_open_quarter_is_marked_provisional(tmp_path):
    output = tmp_path / "tw4.pdf"
    call_command(
        "quarterly_report",
        *("--government", "36.72", "--year", "2021", "--quarter", "4"),
        *("--output", str(output)),
    )
    assert "SEMENTARA" in pdf_text(output.read_bytes())


@pytest.mark.django_db
def test_a_unit_report_holds_only_that_unit(cilegon, tmp_path):
    text = pdf_text(issue(tmp_path, "--unit", "DKISS"))
    dkiss_titles = set(
        Program.objects.filter(owner_unit__code="DKISS").values_list("title", flat=True)
    )
    other = Program.objects.filter(commitment__government=cilegon).exclude(owner_unit__code="DKISS")
    assert any(title in text for title in dkiss_titles)
    assert not any(p.title in text for p in other if p.title not in dkiss_titles)
    report = GeneratedReport.objects.get()
    assert report.unit.code == "DKISS"


@pytest.mark.django_db
def test_as_user_limits_the_report_to_what_the_user_sees(tmp_path):
    text = pdf_text(issue(tmp_path, "--as-user", "dkiss"))
    report = GeneratedReport.objects.get()
    assert report.unit.code == "DKISS"
    assert report.generated_by.username == "dkiss"
    assert "Dinas Kesehatan" not in text


@pytest.mark.django_db
def test_the_stored_report_is_the_written_file(tmp_path):
    content = issue(tmp_path)
    report = GeneratedReport.objects.get()
    assert report.file.read() == content
    assert report.sha256 == hashlib.sha256(content).hexdigest()
    assert report.size == len(content)
    assert report.parameters["quarter"] == 3
    assert report.source == GeneratedReport.Source.COMMAND
    assert report.history.count() == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["--quarter", "5"], "1, 2, 3, atau 4"),
        (["--year", "2030"], "2030"),
        (["--unit", "NOPE"], "NOPE"),
        (["--commitment", "999999"], "999999"),
        (["--as-user", "dkiss", "--unit", "DINKES"], "dkiss"),
        (["--government", "99.99"], "99.99"),
        (["--government", "36.73"], "2020"),  # Serang's RPJMD starts in 2019, no 2020 quarter
        (["--as-user", "ghost"], "ghost"),
    ],
)
@pytest.mark.django_db
def test_bad_parameters_stop_with_a_message_and_write_nothing(tmp_path, args, message):
    output = tmp_path / "laporan.pdf"
    options = {"--government": "36.72", "--year": "2020", "--quarter": "3", "--output": str(output)}
    options.update(zip(args[::2], args[1::2], strict=True))
    argv = [item for pair in options.items() for item in pair]
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("quarterly_report", *argv)
    assert not output.exists()
    assert GeneratedReport.objects.count() == 0


@pytest.mark.django_db
def test_an_unwritable_output_stops_before_any_work(tmp_path):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command(
            "quarterly_report",
            *("--government", "36.72", "--year", "2020", "--quarter", "3"),
            *("--output", str(tmp_path / "no-such-folder" / "laporan.pdf")),
        )
    with pytest.raises(CommandError):
        call_command(
            "quarterly_report",
            *("--government", "36.72", "--year", "2020", "--quarter", "3"),
            *("--output", str(tmp_path)),
        )
    assert GeneratedReport.objects.count() == 0


@pytest.mark.django_db
def test_a_quarter_not_opened_is_refused(cilegon, tmp_path):
    # 2019 TW II lies inside the RPJMD but was never opened for reporting.
    with pytest.raises(CommandError, match="belum dibuka"):
        call_command(
            "quarterly_report",
            *("--government", "36.72", "--year", "2019", "--quarter", "2"),
            *("--output", str(tmp_path / "x")),
        )


@pytest.mark.django_db
def test_commitment_signing_counts_as_at_the_quarter_end(cilegon):
    from reports.selectors import commitment_statuses
    from reports.services import resolve_request

    request = resolve_request(year=2020, quarter=3, government_code="36.72")
    commitment = Commitment.objects.get(government=cilegon, date=datetime.date(2019, 10, 11))
    live_then = Signature.objects.filter(
        commitment=commitment,
        signed_at__lte=timezone.make_aware(datetime.datetime(2020, 9, 30, 23, 59)),
        revoked_at__isnull=True,
    ).count()
    # The demo's second (stunting) commitment, signed in August 2020, has no program
    # running before TW IV 2020: not among this report's commitments, but among 2021's.
    statuses = {s.commitment.pk: s for s in commitment_statuses(request)}
    assert list(statuses) == [commitment.pk]
    later = resolve_request(year=2021, quarter=2, government_code="36.72")
    stunting = Commitment.objects.get(government=cilegon, date=datetime.date(2020, 8, 20))
    assert [s.commitment.pk for s in commitment_statuses(later)] == [commitment.pk, stunting.pk]
    status = statuses[commitment.pk]
    assert status.signed == live_then
    assert status.expected == commitment.signatories.count()
    assert len(status.outstanding) == status.expected - status.signed
