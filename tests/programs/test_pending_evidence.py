"""Evidence chosen on the report form stays with the draft when the save fails (issue 25):
kept as ``PendingEvidence`` for the person who chose it, removable, attached to the
report by the next successful save, checked like any evidence, and never seen by
another unit (``programs.evidence``)."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from programs import reporting, services
from programs.evidence import (
    expire_pending_evidence,
    keep_pending_evidence,
    pending_evidence_of,
    promote_pending_evidence,
    remove_pending_evidence,
)
from programs.models import PendingEvidence, ProgressEvidence
from programs.tasks import expire_kept_evidence
from tests.programs import conftest as _programs
from tracker import policy

bappeda_user = _programs.bappeda_user
dkiss_user = _programs.dkiss_user
make_program = _programs.make_program
period_2022 = _programs.period_2022

PDF = b"%PDF-1.4 notulen rapat koordinasi"
PNG = b"\x89PNG\r\n\x1a\n foto kegiatan"


def _file(name="kept-notulen.pdf", content=PDF, size=0):
    return SimpleUploadedFile(name, content + b" " * max(0, size - len(content)))


@pytest.fixture
def dinkes_user(django_user_model):
    return django_user_model.objects.get(username="dinkes")


@pytest.fixture
def draft(make_program, period_2022):
    program = make_program(supporting=("DINKES",))
    return program, period_2022(1)


def test_chosen_files_are_kept_for_their_uploader_with_history(draft, dkiss_user):
    program, period = draft
    kept = keep_pending_evidence(
        program, period, [_file(), _file("kept-foto.png", PNG)], actor=dkiss_user
    )
    assert [item.name for item in kept] == ["kept-notulen.pdf", "kept-foto.png"]
    assert list(pending_evidence_of(dkiss_user, program, period)) == kept
    item = kept[0]
    with item.file.open("rb") as handle:
        assert handle.read() == PDF
    assert item.size == len(PDF)
    created = item.history.get()
    assert (created.history_type, created.history_user) == ("+", dkiss_user)


def test_the_same_file_chosen_again_is_kept_once(draft, dkiss_user):
    program, period = draft
    keep_pending_evidence(program, period, [_file()], actor=dkiss_user)
    again = keep_pending_evidence(program, period, [_file("notulen (1).pdf")], actor=dkiss_user)
    assert again == []
    assert pending_evidence_of(dkiss_user, program, period).count() == 1


def test_a_removed_file_is_gone_with_its_stored_copy(
    draft, dkiss_user, django_capture_on_commit_callbacks
):
    program, period = draft
    (item,) = keep_pending_evidence(program, period, [_file()], actor=dkiss_user)
    storage, name, pk = item.file.storage, item.file.name, item.pk
    with django_capture_on_commit_callbacks(execute=True):
        remove_pending_evidence(item, actor=dkiss_user, reason="salah berkas")
    assert not PendingEvidence.objects.filter(pk=pk).exists()
    assert not storage.exists(name)
    removed = PendingEvidence.history.filter(id=pk).latest("history_id")
    assert (removed.history_type, removed.history_user) == ("-", dkiss_user)
    assert removed.history_change_reason == "salah berkas"


def test_kept_files_become_the_reports_evidence_when_it_saves(
    draft, dkiss_user, django_capture_on_commit_callbacks
):
    program, period = draft
    kept = keep_pending_evidence(program, period, [_file()], actor=dkiss_user)
    pending_name = kept[0].file.name
    report = reporting.start_report(program, period, actor=dkiss_user)
    with django_capture_on_commit_callbacks(execute=True):
        reporting.save_report(
            report,
            actor=dkiss_user,
            expected_version=report.version,
            milestone_percents={},
            evidence=[_file("kept-foto.png", PNG)],
            pending=list(pending_evidence_of(dkiss_user, program, period)),
        )
    attached = {str(e): e for e in ProgressEvidence.objects.filter(report=report)}
    assert set(attached) == {"kept-notulen.pdf", "kept-foto.png"}
    with attached["kept-notulen.pdf"].file.open("rb") as handle:
        assert handle.read() == PDF
    assert attached["kept-notulen.pdf"].sha256 == kept[0].sha256
    assert attached["kept-notulen.pdf"].history.get().history_user == dkiss_user
    assert not pending_evidence_of(dkiss_user, program, period).exists()
    assert not kept[0].file.storage.exists(pending_name)


def test_a_failed_save_keeps_the_kept_files(draft, dkiss_user):
    program, period = draft
    keep_pending_evidence(program, period, [_file()], actor=dkiss_user)
    report = reporting.start_report(program, period, actor=dkiss_user)
    milestone = program.milestones.first()
    with pytest.raises(ValidationError):
        reporting.save_report(
            report,
            actor=dkiss_user,
            expected_version=report.version,
            milestone_percents={milestone.pk: 150},
            pending=list(pending_evidence_of(dkiss_user, program, period)),
        )
    assert pending_evidence_of(dkiss_user, program, period).count() == 1
    assert not ProgressEvidence.objects.filter(report=report).exists()


def test_another_unit_can_neither_keep_see_remove_nor_attach(draft, dkiss_user, dinkes_user):
    """Dinkes supports the program (it sees the program and its report), yet a kept file
    of DKISS is not visible to it, and nothing it does reaches one."""
    program, period = draft
    (item,) = keep_pending_evidence(program, period, [_file()], actor=dkiss_user)
    assert policy.can_view(dinkes_user, program)
    assert not policy.visible(dinkes_user, PendingEvidence.objects.all()).exists()
    assert not policy.can_view(dinkes_user, item)
    assert not pending_evidence_of(dinkes_user, program, period).exists()
    with pytest.raises(PermissionDenied):
        keep_pending_evidence(program, period, [_file("lain.pdf")], actor=dinkes_user)
    with pytest.raises(PermissionDenied):
        remove_pending_evidence(item, actor=dinkes_user)
    report = reporting.start_report(program, period, actor=dkiss_user)
    with pytest.raises(PermissionDenied):
        promote_pending_evidence(report, [item], actor=dinkes_user)
    assert PendingEvidence.objects.filter(pk=item.pk).exists()


def test_bappeda_neither_sees_a_units_kept_files_in_its_lists_nor_keeps_any(
    draft, dkiss_user, bappeda_user
):
    program, period = draft
    keep_pending_evidence(program, period, [_file()], actor=dkiss_user)
    assert not pending_evidence_of(bappeda_user, program, period).exists()
    with pytest.raises(PermissionDenied):
        keep_pending_evidence(program, period, [_file("lain.pdf")], actor=bappeda_user)


def test_a_kept_file_is_not_attached_to_another_quarters_report(draft, dkiss_user, period_2022):
    program, period = draft
    (item,) = keep_pending_evidence(program, period, [_file()], actor=dkiss_user)
    other = reporting.start_report(program, period_2022(2), actor=dkiss_user)
    with pytest.raises(PermissionDenied):
        promote_pending_evidence(other, [item], actor=dkiss_user)


def test_files_are_checked_like_any_evidence(settings, draft, dkiss_user):
    program, period = draft
    settings.EVIDENCE_MAX_BYTES = 1_000
    with pytest.raises(ValidationError) as too_large:
        keep_pending_evidence(program, period, [_file(size=1_001)], actor=dkiss_user)
    assert "kept-notulen.pdf" in too_large.value.messages[0]
    with pytest.raises(ValidationError):
        keep_pending_evidence(
            program, period, [_file("catatan.txt", b"hanya teks")], actor=dkiss_user
        )
    with pytest.raises(ValidationError):
        keep_pending_evidence(program, period, [_file("kept-foto.png", PDF)], actor=dkiss_user)
    assert not PendingEvidence.objects.exists()


def test_kept_and_new_files_together_stay_within_one_uploads_caps(settings, draft, dkiss_user):
    """The next save attaches the kept files with the new ones, so together they must fit."""
    program, period = draft
    settings.EVIDENCE_MAX_FILES_PER_REQUEST = 3
    keep_pending_evidence(
        program, period, [_file("a.pdf"), _file("b.pdf", PDF + b"b")], actor=dkiss_user
    )
    with pytest.raises(ValidationError) as refused:
        keep_pending_evidence(
            program,
            period,
            [_file("c.pdf", PDF + b"c"), _file("d.pdf", PDF + b"d")],
            actor=dkiss_user,
        )
    assert refused.value.code == "too_many_files"
    assert "2" in refused.value.messages[0]
    assert pending_evidence_of(dkiss_user, program, period).count() == 2

    settings.EVIDENCE_MAX_FILES_PER_REQUEST = 10
    settings.EVIDENCE_MAX_BYTES_PER_REQUEST = 2_000
    with pytest.raises(ValidationError) as too_many_bytes:
        keep_pending_evidence(program, period, [_file("e.pdf", size=1_990)], actor=dkiss_user)
    assert too_many_bytes.value.code == "too_many_bytes"
    assert pending_evidence_of(dkiss_user, program, period).count() == 2


def test_a_save_refuses_kept_and_new_files_beyond_the_caps(settings, draft, dkiss_user):
    program, period = draft
    keep_pending_evidence(
        program, period, [_file("a.pdf"), _file("b.pdf", PDF + b"b")], actor=dkiss_user
    )
    settings.EVIDENCE_MAX_FILES_PER_REQUEST = 2
    report = reporting.start_report(program, period, actor=dkiss_user)
    with pytest.raises(ValidationError) as refused:
        reporting.save_report(
            report,
            actor=dkiss_user,
            expected_version=report.version,
            milestone_percents={},
            evidence=[_file("c.pdf", PDF + b"c")],
            pending=list(pending_evidence_of(dkiss_user, program, period)),
        )
    assert "evidence" in refused.value.message_dict
    assert not ProgressEvidence.objects.filter(report=report).exists()
    assert pending_evidence_of(dkiss_user, program, period).count() == 2


# --- Expiry: kept files nobody will attach ------------------------------------------------


def test_kept_files_expire_after_the_days_or_when_the_quarter_locks(
    settings, draft, period_2022, dkiss_user, bappeda_user, django_capture_on_commit_callbacks
):
    settings.KEPT_EVIDENCE_DAYS = 14
    program, period = draft
    (old, fresh) = keep_pending_evidence(
        program, period, [_file("lama.pdf"), _file("baru.pdf", PDF + b"baru")], actor=dkiss_user
    )
    other_quarter = period_2022(2)
    (locked,) = keep_pending_evidence(program, other_quarter, [_file("tw2.pdf")], actor=dkiss_user)
    now = timezone.now()
    PendingEvidence.objects.filter(pk=old.pk).update(uploaded_at=now - timedelta(days=15))
    PendingEvidence.objects.filter(pk=fresh.pk).update(uploaded_at=now - timedelta(days=13))
    services.lock_period(other_quarter, actor=bappeda_user)
    stored = {item.pk: (item.file.storage, item.file.name) for item in (old, fresh, locked)}

    with django_capture_on_commit_callbacks(execute=True):
        assert expire_pending_evidence(now=now) == 2

    assert list(PendingEvidence.objects.filter(program=program)) == [fresh]
    for pk, (storage, name) in stored.items():
        assert storage.exists(name) == (pk == fresh.pk)
    reasons = {
        row.id: (row.history_type, row.history_user, row.history_change_reason)
        for row in PendingEvidence.history.filter(history_type="-")
    }
    expired = "Berkas simpanan dihapus: tidak dilampirkan dalam 14 hari."
    assert reasons[old.pk] == ("-", None, expired)
    assert reasons[locked.pk][2].startswith("Berkas simpanan dihapus: triwulannya dikunci")


def test_the_nightly_task_and_the_command_expire_kept_files(
    settings, draft, dkiss_user, django_capture_on_commit_callbacks
):
    settings.KEPT_EVIDENCE_DAYS = 1
    program, period = draft
    keep_pending_evidence(program, period, [_file(), _file("b.pdf", PDF + b"b")], actor=dkiss_user)
    PendingEvidence.objects.update(uploaded_at=timezone.now() - timedelta(days=2))
    nightly = settings.CELERY_BEAT_SCHEDULE["expire-kept-evidence"]
    assert nightly["task"] == expire_kept_evidence.name
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_kept_evidence() == 2
    keep_pending_evidence(program, period, [_file("c.pdf", PDF + b"c")], actor=dkiss_user)
    PendingEvidence.objects.update(uploaded_at=timezone.now() - timedelta(days=2))
    out = io.StringIO()
    call_command("expire_kept_evidence", stdout=out)
    assert out.getvalue().strip() == "1 berkas simpanan dihapus."
    assert not PendingEvidence.objects.exists()
