"""Files on S3: every upload and download goes through Django's storage API.

The tests start moto's S3 server in this process (on 127.0.0.1, a free port),
point the default storage at it (``STORAGES["default"]`` = django-storages'
S3Storage) and drive the real views and services: progress evidence, a
signing event's scan, an issued quarterly report and the RPJMD import's
waiting workbook. Each file must be an object in the bucket, absent from
MEDIA_ROOT, and come back byte for byte through the app's download view.
No AWS account or network is used: the credentials are dummies and boto3's
metadata lookups are off.
"""

import hashlib
import json
import os
import subprocess
import sys
import uuid
from decimal import Decimal

import boto3
import pytest
from botocore.config import Config
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from commitments.models import Signature, SigningEvent
from programs.models import ProgressEvidence, ProgressReport
from reports import services as report_services
from reports.models import GeneratedReport
from rpjmd.import_views import SESSION_KEY, UPLOAD_DIR
from rpjmd.workbook import build_workbook
from tests.commitments.conftest import PDF
from tests.commitments.test_views import _event_post
from tests.programs.test_progress_views import _form_data
from tests.rpjmd.conftest import row_index
from tests.rpjmd.test_views import _upload as xlsx_upload

REGION = "us-east-1"
# Dummy credentials and no metadata lookups: boto3 never looks for a real account.
AWS_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "NO_PROXY": "127.0.0.1,localhost",
    "no_proxy": "127.0.0.1,localhost",
}
AWS_UNSET = (
    "AWS_PROFILE",
    "AWS_CA_BUNDLE",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "http_proxy",
    "https_proxy",
)


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server, in this process, on 127.0.0.1 only; its URL."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in AWS_ENVIRONMENT.items():
            patch.setenv(name, value)
        for name in AWS_UNSET:
            patch.delenv(name, raising=False)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()


@pytest.fixture
def s3(s3_endpoint):
    """A boto3 client of the emulator (path-style addressing: the host is an IP address)."""
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(s3={"addressing_style": "path"}),
    )


@pytest.fixture
def bucket(s3, s3_endpoint, settings):
    """A fresh bucket, and the default storage pointed at it (as STORAGE_BACKEND=s3 does)."""
    name = f"monev-test-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    # The OPTIONS tracker/settings.py builds for STORAGE_BACKEND=s3. pytest-django's
    # ``settings`` goes through override_settings: the setting_changed signal
    # resets ``default_storage``, and FileFields use it.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "access_key": "testing",
                "secret_key": "testing",
                "location": "",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    return name


def keys(s3, bucket_name):
    return {item["Key"] for item in s3.list_objects_v2(Bucket=bucket_name).get("Contents", [])}


def object_bytes(s3, bucket_name, key):
    return s3.get_object(Bucket=bucket_name, Key=key)["Body"].read()


def downloaded(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def assert_only_in_bucket(s3, bucket_name, name, content):
    assert name in keys(s3, bucket_name)
    assert object_bytes(s3, bucket_name, name) == content
    assert not os.path.exists(os.path.join(django_settings.MEDIA_ROOT, name))


def test_file_fields_use_the_overridden_storage(bucket, s3_endpoint):
    from storages.backends.s3 import S3Storage

    assert s3_endpoint.startswith("http://127.0.0.1:")  # the emulator listens locally only

    assert ProgressEvidence._meta.get_field("file").storage is default_storage
    assert default_storage.bucket_name == bucket
    assert isinstance(default_storage._wrapped, S3Storage)


def test_progress_evidence_is_stored_in_the_bucket_and_downloads(
    bucket, s3, login, make_program, period_2022
):
    program = make_program()
    period = period_2022(1)
    client = login("dkiss")
    data = _form_data(None, program)
    # A name of its own: another test may have left a local "notulen.pdf" under the same
    # program id (reused after a rollback), which the MEDIA_ROOT check would find.
    name = f"notulen-{uuid.uuid4().hex[:8]}.pdf"
    data["evidence"] = [SimpleUploadedFile(name, PDF, content_type="application/pdf")]
    response = client.post(reverse("report-edit", args=[program.pk, period.pk]), data)
    assert response.status_code == 302
    report = ProgressReport.objects.get(program=program, period=period)
    item = report.evidence.get()
    assert_only_in_bucket(s3, bucket, item.file.name, PDF)
    response = client.get(reverse("report-evidence", args=[report.pk, item.pk]))
    assert downloaded(response) == PDF


def test_a_signing_events_scan_is_stored_in_the_bucket_and_downloads(
    bucket, s3, login, smart_city, unit
):
    scan = PDF + b"% scan of the ceremony " + uuid.uuid4().hex.encode()
    client = login("bappeda")
    upload = SimpleUploadedFile("acara.pdf", scan, content_type="application/pdf")
    response = _event_post(client, smart_city, [unit("BAG-PBJ")], scan=upload)
    assert response.status_code == 302
    event = SigningEvent.objects.filter(commitment=smart_city).latest("pk")
    assert_only_in_bucket(s3, bucket, event.scan.name, scan)
    signature = Signature.objects.get(event=event, unit=unit("BAG-PBJ"))
    response = client.get(reverse("signature-evidence", args=[smart_city.pk, signature.pk]))
    assert downloaded(response) == scan


def test_a_missing_object_is_a_404(bucket, s3, login, smart_city, unit):
    signature = Signature.objects.filter(commitment=smart_city).exclude(evidence="").first()
    # The demo's files are on the disk, not in this bucket: as if the object were lost.
    assert signature.evidence.name not in keys(s3, bucket)
    response = login("bappeda").get(
        reverse("signature-evidence", args=[smart_city.pk, signature.pk])
    )
    assert response.status_code == 404


def test_an_issued_report_is_stored_in_the_bucket_and_downloads(bucket, s3, login):
    request = report_services.resolve_request(year=2020, quarter=3, government_code="36.72")
    report = report_services.issue_report(request, source=GeneratedReport.Source.COMMAND)
    stored = object_bytes(s3, bucket, report.file.name)
    assert hashlib.sha256(stored).hexdigest() == report.sha256
    assert not os.path.exists(os.path.join(django_settings.MEDIA_ROOT, report.file.name))
    response = login("bappeda").get(reverse("report-download", args=[report.pk]))
    content = downloaded(response)
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == report.sha256


def test_the_rpjmd_imports_waiting_workbook_round_trips(bucket, s3, login, plan, rows):
    rows["targets"][row_index(rows, "targets", "IKU-1.1", 2019)][2] = Decimal("3.30")
    content = build_workbook(rows)
    client = login("bappeda")
    response = client.post(
        reverse("rpjmd-import", args=[plan.pk]), {"file": xlsx_upload(content, "koreksi.xlsx")}
    )
    assert response.status_code == 200
    token = client.session[SESSION_KEY]["token"]
    name = f"{UPLOAD_DIR}/{token}.xlsx"
    assert_only_in_bucket(s3, bucket, name, content)
    response = client.post(
        reverse("rpjmd-import-apply", args=[plan.pk]), {"token": token, "action": "apply"}
    )
    assert response.status_code == 302
    assert plan.indicators.get(code="IKU-1.1").targets.get(year=2019).target == Decimal("3.30")
    assert name not in keys(s3, bucket)  # applied: the waiting file is gone


def _settings_in_subprocess(environment, expression):
    """``expression`` evaluated on the real settings module, loaded with ``environment``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("S3_", "STORAGE_", "DATABASE_"))
    }
    env.update({"DJANGO_SETTINGS_MODULE": "tracker.settings", "DEBUG": "1", **environment})
    code = (
        "import django, json\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        f"print(json.dumps({expression}, default=str))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_storage_backend_s3_in_the_environment_selects_s3storage():
    storage = _settings_in_subprocess(
        {
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": "monev-files",
            "S3_ENDPOINT_URL": "http://127.0.0.1:9000",
            "S3_REGION": "ap-southeast-3",
            "S3_ACCESS_KEY_ID": "key-id",
            "S3_SECRET_ACCESS_KEY": "secret",
            "S3_PREFIX": "cilegon",
        },
        'settings.STORAGES["default"]',
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "monev-files"
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["region_name"] == "ap-southeast-3"
    assert (options["access_key"], options["secret_key"]) == ("key-id", "secret")
    assert options["location"] == "cilegon"
    assert options["default_acl"] == "private" and options["file_overwrite"] is False


def test_without_storage_backend_files_stay_on_the_file_system():
    storage = _settings_in_subprocess({}, 'settings.STORAGES["default"]')
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
