"""Fixtures of the report tests: a demo sealing certificate, made once per session."""

import pytest
from django.core.management import call_command

from reports import sealing


@pytest.fixture(scope="session")
def demo_certificate(tmp_path_factory):
    """The files ``make_signing_certificate`` writes, in a folder of the session's own."""
    folder = tmp_path_factory.mktemp("signing")
    call_command("make_signing_certificate", "--out-dir", str(folder), "--password", "rahasia")
    return folder


@pytest.fixture
def sealing_on(settings, demo_certificate):
    """Configure the demo certificate for one test; the loaded signer is forgotten after."""
    sealing.clear_cache()
    settings.REPORT_SIGNING_P12 = str(demo_certificate / "demo-seal.p12")
    settings.REPORT_SIGNING_PASSWORD = "rahasia"
    settings.REPORT_SIGNING_TSA_URL = ""
    yield demo_certificate
    sealing.clear_cache()
