import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commitments.models import Commitment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def upload(name="scan.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def smart_city(cilegon):
    """The seeded 11 October 2019 commitment: open, three units absent."""
    return Commitment.objects.get(government=cilegon, date=datetime.date(2019, 10, 11))


@pytest.fixture
def bappeda_user(django_user_model):
    return django_user_model.objects.get(username="bappeda")


def wib(year, month, day, hour=10, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))
