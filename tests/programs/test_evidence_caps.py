"""One upload carries at most EVIDENCE_MAX_FILES_PER_REQUEST files and
EVIDENCE_MAX_BYTES_PER_REQUEST bytes, on the page and over the API (issue 23);
more is refused with a message before anything is saved."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.evidence import check_evidence_files
from programs.models import ProgressEvidence, ProgressReport
from tests.api.test_report_workflow import api, token_client
from tests.programs import conftest as _programs

dkiss_user = _programs.dkiss_user
make_program = _programs.make_program
period_2022 = _programs.period_2022
PDF = b"%PDF-1.4 bukti kegiatan"


def _pdfs(count, size=0):
    return [
        SimpleUploadedFile(f"bukti-{i}.pdf", PDF + b" " * max(0, size - len(PDF)))
        for i in range(count)
    ]


def test_too_many_files_are_refused_before_each_is_read(settings):
    settings.EVIDENCE_MAX_FILES_PER_REQUEST = 10
    assert len(check_evidence_files(_pdfs(10))) == 10
    with pytest.raises(ValidationError) as refused:
        check_evidence_files(_pdfs(11))
    assert refused.value.code == "too_many_files"
    assert "11" in refused.value.messages[0] and "10" in refused.value.messages[0]


def test_too_many_bytes_in_all_are_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 1_000_000
    settings.EVIDENCE_MAX_BYTES_PER_REQUEST = 2_000_000
    check_evidence_files(_pdfs(2, size=1_000_000))  # each within its limit, 2 MB in all
    with pytest.raises(ValidationError) as refused:
        check_evidence_files(_pdfs(3, size=900_000))
    assert refused.value.code == "too_many_bytes"


def test_the_api_refuses_sixty_files_and_saves_none(
    settings, make_program, period_2022, dkiss_user
):
    """The finding: one request carried 60 evidence files."""
    program = make_program()
    period = period_2022(1)
    client = token_client(dkiss_user)
    started = client.post(api("report-start", program.pk), {"period": period.pk}).json()
    response = client.post(
        api("report-evidence-upload", started["id"]),
        {"version": started["version"], "file": _pdfs(60)},
    )
    assert response.status_code == 400
    assert "60" in " ".join(response.json()["file"])
    assert not ProgressEvidence.objects.filter(report_id=started["id"]).exists()
    assert ProgressReport.objects.get(pk=started["id"]).version == started["version"]


def test_the_page_refuses_too_many_files_and_saves_none(settings, login, make_program, period_2022):
    from django.urls import reverse

    from tests.programs.test_progress_views import _form_data

    settings.EVIDENCE_MAX_FILES_PER_REQUEST = 3
    program = make_program()
    period = period_2022(1)
    url = reverse("report-edit", args=[program.pk, period.pk])
    data = _form_data(None, program)
    data["evidence"] = _pdfs(4)
    response = login("dkiss").post(url, data)
    assert response.status_code == 200
    assert "4" in " ".join(response.context["form"].errors["evidence"])
    assert not ProgressReport.objects.filter(program=program, period=period).exists()
