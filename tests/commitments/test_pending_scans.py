"""A scan chosen on the signing form is kept across errors (commitments/pending_scans.py)."""

import datetime
import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commitments import pending_scans
from commitments.models import PendingScan, Signature, SigningEvent
from tests.commitments.conftest import PDF, PNG, upload, wib
from tracker.models import Official

pytestmark = pytest.mark.django_db


def _user(name):
    return get_user_model().objects.get(username=name)


def _head(unit, on=datetime.date(2019, 10, 14)):
    return Official.objects.in_office(on).get(unit=unit, is_head=True)


def _stored(pending):
    return pending.file.storage.exists(pending.file.name)


def test_a_kept_scan_is_the_users_own(smart_city, bappeda_user):
    pending = pending_scans.keep_scan(smart_city, actor=bappeda_user, upload=upload("ttd.pdf"))
    assert pending.original_name == "ttd.pdf"
    assert pending.size == len(PDF)
    assert pending.sha256 == hashlib.sha256(PDF).hexdigest()
    assert _stored(pending)
    assert "/pending/" in pending.file.name and "ttd" not in pending.file.name
    assert pending_scans.kept_scan(bappeda_user, smart_city) == pending
    # The superuser may record signatures too, but sees nobody else's kept scan.
    assert pending_scans.kept_scan(_user("admin"), smart_city) is None


def test_a_new_choice_replaces_the_kept_scan_and_its_file(
    smart_city, bappeda_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = pending_scans.keep_scan(smart_city, actor=bappeda_user, upload=upload())
    with django_capture_on_commit_callbacks(execute=True):
        second = pending_scans.keep_scan(
            smart_city, actor=bappeda_user, upload=upload("foto.png", PNG, "image/png")
        )
    assert list(PendingScan.objects.filter(commitment=smart_city)) == [second]
    assert not _stored(first) and _stored(second)
    assert second.original_name == "foto.png"


@pytest.mark.parametrize(
    "bad",
    [
        upload("kosong.pdf", b""),
        upload("catatan.pdf", b"just text"),
        upload("scan.png", PDF),  # a PDF renamed to .png
    ],
    ids=["empty", "not a scan", "renamed"],
)
def test_a_file_the_scan_refuses_is_not_kept(smart_city, bappeda_user, bad):
    kept = pending_scans.keep_scan(smart_city, actor=bappeda_user, upload=upload())
    with pytest.raises(ValidationError):
        pending_scans.keep_scan(smart_city, actor=bappeda_user, upload=bad)
    assert list(PendingScan.objects.all()) == [kept]


@pytest.mark.parametrize("username", ["serang", "dkiss", "walikota"])
def test_only_who_records_signatures_keeps_a_scan(smart_city, username):
    """Another government's Bappeda, a unit head and leadership are refused."""
    with pytest.raises(PermissionDenied):
        pending_scans.keep_scan(smart_city, actor=_user(username), upload=upload())
    assert not PendingScan.objects.exists()


def test_the_owner_removes_a_kept_scan_nobody_else(
    smart_city, bappeda_user, django_capture_on_commit_callbacks
):
    pending = pending_scans.keep_scan(smart_city, actor=bappeda_user, upload=upload())
    with pytest.raises(PermissionDenied):
        pending_scans.discard_scan(pending, actor=_user("admin"))
    assert PendingScan.objects.filter(pk=pending.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        pending_scans.discard_scan(pending, actor=bappeda_user)
    assert not PendingScan.objects.exists()
    assert not _stored(pending)
    assert pending_scans.kept_scan(bappeda_user, smart_city) is None


def _event(commitment, actor, pending, unit, *, on=datetime.date(2019, 10, 14)):
    return pending_scans.record_signing_event_with_kept_scan(
        commitment,
        actor=actor,
        pending=pending,
        signed_at=wib(on.year, on.month, on.day),
        place="Aula Bappeda",
        signers=[(unit, _head(unit))],
        method=Signature.Method.WET_INK,
        reason="Susulan",
    )


def test_saving_the_event_attaches_the_kept_scan_and_uses_it_up(
    smart_city, bappeda_user, unit, django_capture_on_commit_callbacks
):
    pending = pending_scans.keep_scan(smart_city, actor=bappeda_user, upload=upload("ttd.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        event, signatures = _event(smart_city, bappeda_user, pending, unit("BAG-PBJ"))
    event.refresh_from_db()
    assert event.scan.read() == PDF
    assert event.scan_sha256 == hashlib.sha256(PDF).hexdigest()
    assert event.scan.name.endswith(".pdf") and "/pending/" not in event.scan.name
    assert [s.evidence_sha256 for s in signatures] == [event.scan_sha256]
    assert not PendingScan.objects.exists()
    assert not _stored(pending)


def test_a_refused_event_keeps_the_scan_for_the_next_try(smart_city, bappeda_user, unit):
    pending = pending_scans.keep_scan(smart_city, actor=bappeda_user, upload=upload())
    events = SigningEvent.objects.count()
    with pytest.raises(ValidationError):
        # before the commitment's date (11 October 2019)
        _event(smart_city, bappeda_user, pending, unit("BAG-PBJ"), on=datetime.date(2019, 10, 1))
    assert SigningEvent.objects.count() == events
    assert pending_scans.kept_scan(bappeda_user, smart_city) == pending
    assert _stored(pending)


def test_nobody_saves_an_event_with_someone_elses_kept_scan(smart_city, bappeda_user, unit):
    pending = pending_scans.keep_scan(smart_city, actor=bappeda_user, upload=upload())
    with pytest.raises(PermissionDenied):
        _event(smart_city, _user("admin"), pending, unit("BAG-PBJ"))
    assert PendingScan.objects.filter(pk=pending.pk).exists()


def test_a_forgotten_kept_scan_expires(
    smart_city, bappeda_user, django_capture_on_commit_callbacks
):
    old = pending_scans.keep_scan(smart_city, actor=bappeda_user, upload=upload())
    PendingScan.objects.filter(pk=old.pk).update(
        kept_at=timezone.now() - datetime.timedelta(days=pending_scans.PENDING_SCAN_DAYS + 1)
    )
    assert pending_scans.kept_scan(bappeda_user, smart_city) is None
    # The next scan kept, by anyone, drops it with its file.
    with django_capture_on_commit_callbacks(execute=True):
        pending_scans.keep_scan(smart_city, actor=_user("admin"), upload=upload())
    assert not PendingScan.objects.filter(pk=old.pk).exists()
    assert not _stored(old)


def test_a_long_file_name_keeps_its_extension(smart_city, bappeda_user):
    pending = pending_scans.keep_scan(
        smart_city, actor=bappeda_user, upload=upload("a" * 300 + ".pdf")
    )
    assert len(pending.original_name) == 255 and pending.original_name.endswith(".pdf")
