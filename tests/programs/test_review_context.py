"""Review in context: the report page shows each value beside the year's target and the
quarter before, planned against reported progress, evidence previews, and what changed
since a return; in a number of queries that does not grow with the rows."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reportlab.pdfgen import canvas

from commitments.models import Commitment
from programs import evidence_previews, reporting, review_context, services
from programs.models import Category, Indicator, ReportingPeriod

pytestmark = pytest.mark.django_db


def pdf_bytes(text="Berita acara serah terima"):
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def png_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def make_2021_program(cilegon, bappeda, *, milestones=2, title="Tinjau Uji"):
    """A DKISS program of 2021 reporting IKU-1.1 (target 2021: 3,80) and a use indicator
    (100 a quarter), with ``milestones`` milestones: the first all year, the rest in TW IV."""
    program = services.create_program(
        actor=bappeda,
        commitment=Commitment.objects.get(government=cilegon, date=datetime.date(2019, 10, 11)),
        owner_unit=cilegon.units.get(code="DKISS"),
        title=title,
        horizon="short",
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2021, 12, 31),
        categories=[Category.objects.get(code="governance")],
        indicators=[Indicator.objects.get(plan__government=cilegon, code="IKU-1.1")],
        budgets={2021: D("100000000")},
        adoption_indicators=[
            {"name": "Pengguna", "unit_of_measure": "orang", "quarterly_target": D("100")}
        ],
    )
    rest = D("50") if milestones == 2 else D("2")  # weights that add up to 100
    rows = [
        {
            "title": "Desain",
            "planned_start": datetime.date(2021, 1, 1),
            "planned_finish": datetime.date(2021, 12, 31),
            "weight": 100 - rest * (milestones - 1),
        }
    ]
    rows += [
        {
            "title": f"Uji coba {i}",
            "planned_start": datetime.date(2021, 10, 1),
            "planned_finish": datetime.date(2021, 12, 31),
            "weight": rest,
        }
        for i in range(1, milestones)
    ]
    services.add_milestones(program, actor=bappeda, milestones=rows)
    return program


def _period(cilegon, quarter):
    return ReportingPeriod.objects.get(government=cilegon, year=2021, quarter=quarter)


def _save(report, writer, *, percent, value, use, obstacles="", evidence=()):
    program = report.program
    return reporting.save_report(
        report,
        actor=writer,
        expected_version=report.version,
        milestone_percents=dict.fromkeys(program.milestones.values_list("pk", flat=True), percent),
        indicator_values={program.indicators.get().pk: value},
        adoption_values={program.adoption_indicators.get().pk: use},
        obstacles=obstacles,
        evidence=list(evidence),
    )


@pytest.fixture
def users(django_user_model):
    return {name: django_user_model.objects.get(username=name) for name in ("bappeda", "dkiss")}


def resubmitted_report(cilegon, users, *, milestones=2, title="Tinjau Uji", evidence=()):
    """TW III verified at 40 %; TW IV sent at 60 %, returned, then sent again at 70 %."""
    bappeda, dkiss = users["bappeda"], users["dkiss"]
    program = make_2021_program(cilegon, bappeda, milestones=milestones, title=title)
    earlier = reporting.start_report(program, _period(cilegon, 3), actor=dkiss)
    earlier = _save(earlier, dkiss, percent=D("40"), value=D("3.1"), use=D("80"))
    reporting.verify_report(reporting.submit_report(earlier, actor=dkiss), actor=bappeda)

    report = reporting.start_report(program, _period(cilegon, 4), actor=dkiss)
    report = _save(report, dkiss, percent=D("60"), value=D("3.5"), use=D("120"), obstacles="Sinyal")
    report = reporting.submit_report(report, actor=dkiss)
    report = reporting.return_report(report, actor=bappeda, reason="Periksa angka SPBE.")
    report = _save(
        report,
        dkiss,
        percent=D("70"),
        value=D("3.6"),
        use=D("120"),
        obstacles="Sinyal lemah di Pulomerak",
        evidence=evidence,
    )
    return reporting.submit_report(report, actor=dkiss)


def test_each_value_stands_beside_its_target_and_the_quarter_before(cilegon, users):
    report = resubmitted_report(cilegon, users)
    context = review_context.review_context(report)

    indicator = context["indicator_rows"][0]
    assert (indicator.target, indicator.previous, indicator.value) == (D("3.8"), D("3.1"), D("3.6"))
    use = context["adoption_rows"][0]
    assert (use.target, use.previous, use.value) == (D("100"), D("80"), D("120"))
    first, second = context["milestone_rows"]
    # By 31 December every milestone should be done: 100 % planned, 70 % reported.
    assert (first.target, first.value, first.previous) == (D("100"), D("70"), D("40"))
    assert first.behind and second.behind


def test_planned_progress_is_time_proportional_at_the_quarters_end(cilegon, users):
    program = make_2021_program(cilegon, users["bappeda"])
    design, trial = program.milestones.order_by("planned_start")
    q3 = _period(cilegon, 3)
    # 1 January to 30 September is 272 of the 364 days to 31 December: 74,7 -> 75 %.
    assert review_context.planned_percent(design, q3) == D("75")
    assert review_context.planned_percent(trial, q3) == D("0")  # starts in October


def test_changes_since_the_return_are_marked_with_their_old_values(cilegon, users):
    report = resubmitted_report(cilegon, users)
    context = review_context.review_context(report)
    changes = context["changes"]
    assert changes.returned.state == "returned"
    milestone = context["milestone_rows"][0]
    assert (milestone.changed, milestone.before) == (True, D("60"))
    indicator = context["indicator_rows"][0]
    assert (indicator.changed, indicator.before) == (True, D("3.5"))
    use = context["adoption_rows"][0]
    assert not use.changed  # 120 before and after
    texts = {t.name: t for t in context["text_fields"]}
    assert texts["obstacles"].changed and texts["obstacles"].before == "Sinyal"
    assert not texts["supporting_factors"].changed


def test_no_changes_are_shown_before_any_return(cilegon, users):
    program = make_2021_program(cilegon, users["bappeda"])
    report = reporting.start_report(program, _period(cilegon, 4), actor=users["dkiss"])
    report = _save(report, users["dkiss"], percent=D("10"), value=D("3"), use=D("1"))
    report = reporting.submit_report(report, actor=users["dkiss"])
    context = review_context.review_context(report)
    assert context["changes"] is None
    assert not any(row.changed for row in context["milestone_rows"])


def test_the_page_shows_the_context_and_highlights_the_changes(cilegon, users, login):
    report = resubmitted_report(
        cilegon, users, evidence=[SimpleUploadedFile("berita-acara.pdf", pdf_bytes())]
    )
    page = login("bappeda").get(reverse("report-detail", args=[report.pk])).content.decode()
    assert 'id="changes-since-return"' in page
    indicators = page[page.index('id="review-indicators"') :]
    indicators = indicators[: indicators.index("</table>")]
    for figure in ("3,80", "3,10", "3,60", "3,50"):  # target, TW III, now, when returned
        assert figure in indicators
    assert "review-changed" in indicators
    milestones = page[page.index('id="review-milestones"') :]
    milestones = milestones[: milestones.index("</table>")]
    assert "100 %" in milestones and "70 %" in milestones and "40 %" in milestones
    assert "Sinyal lemah di Pulomerak" in page
    evidence = page[page.index('id="review-evidence"') :]
    assert reverse("report-evidence-preview", args=[report.pk, report.evidence.get().pk]) in (
        evidence
    )
    assert "berita-acara.pdf" in evidence


def _report_with(cilegon, users, name, content):
    program = make_2021_program(cilegon, users["bappeda"], title=f"Bukti {name}")
    report = reporting.start_report(program, _period(cilegon, 4), actor=users["dkiss"])
    return _save(
        report,
        users["dkiss"],
        percent=D("10"),
        value=D("3"),
        use=D("1"),
        evidence=[SimpleUploadedFile(name, content)],
    )


def test_a_pdfs_first_page_is_rendered_once_and_served_to_readers(
    cilegon, users, login, monkeypatch
):
    report = _report_with(cilegon, users, "notulen.pdf", pdf_bytes())
    item = report.evidence.get()
    url = reverse("report-evidence-preview", args=[report.pk, item.pk])
    response = login("bappeda").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    png = b"".join(response.streaming_content)
    assert png.startswith(b"\x89PNG")

    def no_second_render(data):
        raise AssertionError("rendered again")

    monkeypatch.setattr(evidence_previews, "render_first_page", no_second_render)
    assert b"".join(login("dkiss").get(url).streaming_content) == png  # kept, not redrawn
    assert login("serang").get(url).status_code == 404


def test_a_pdf_that_cannot_be_rendered_shows_its_name_only(cilegon, users, login, monkeypatch):
    report = _report_with(cilegon, users, "rusak.pdf", b"%PDF-1.4 bukan PDF sungguhan")
    page = login("bappeda").get(reverse("report-detail", args=[report.pk])).content.decode()
    evidence = page[page.index('id="review-evidence"') :]
    evidence = evidence[: evidence.index("</ul>")]
    assert "rusak.pdf" in evidence and "<img" not in evidence
    item = report.evidence.get()
    preview = reverse("report-evidence-preview", args=[report.pk, item.pk])
    calls = []
    monkeypatch.setattr(evidence_previews, "render_first_page", lambda data: calls.append(1))
    assert login("bappeda").get(preview).status_code == 404
    assert calls == []  # the failure is remembered, not tried on every view


def test_an_image_is_shown_inline_through_the_checked_download(cilegon, users, login):
    report = _report_with(cilegon, users, "foto.png", png_bytes())
    item = report.evidence.get()
    page = login("bappeda").get(reverse("report-detail", args=[report.pk])).content.decode()
    download = reverse("report-evidence", args=[report.pk, item.pk])
    assert f'<img src="{download}"' in page
    # Not a PDF: no rendered preview.
    preview = reverse("report-evidence-preview", args=[report.pk, item.pk])
    assert login("bappeda").get(preview).status_code == 404


def _queries(client, report):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("report-detail", args=[report.pk]))
    assert response.status_code == 200
    return len(queries)


def test_the_report_page_runs_the_same_queries_for_3_or_30_milestones(
    cilegon, users, login, django_assert_max_num_queries
):
    small = resubmitted_report(cilegon, users, milestones=3, title="Kecil")
    large = resubmitted_report(cilegon, users, milestones=30, title="Besar")
    client = login("bappeda")
    _queries(client, small)  # warm: the session, the actor
    assert _queries(client, small) == _queries(client, large)
    with django_assert_max_num_queries(30):  # 26 measured, for 3 and for 30 milestones
        client.get(reverse("report-detail", args=[large.pk]))
