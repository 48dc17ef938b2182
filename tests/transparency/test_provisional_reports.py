"""Only a final report goes on the public page (issue 22).

A provisional report (issued while its quarter was open) is refused with the
reason; the publishing list says why it cannot be chosen; a provisional report
published before the rule existed is marked on the public page.
"""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests.transparency.conftest import issue, user
from transparency import services
from transparency.models import PublishedReport

NOTE = "Provisional, not the final report: issued while its quarter was still open."


def _provisional(government, title="Laporan Triwulan IV 2021 (sementara)"):
    report = issue(government, title=title)
    report.is_provisional = True
    report.save(update_fields=["is_provisional"])
    return report


def test_a_provisional_report_is_refused_with_the_reason(cilegon):
    report = _provisional(cilegon)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.publish_report(actor=user("bappeda"), report=report, reason="Terbit")
    assert "is provisional, not the final report" in caught.value.messages[0]
    assert "Only a final report can be published" in caught.value.messages[0]
    assert not PublishedReport.objects.exists()


def test_the_publishing_list_says_why_it_cannot_be_chosen(login, cilegon):
    provisional = _provisional(cilegon)
    final = issue(cilegon, title="Laporan final TW III 2020")
    client = login("bappeda")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("transparency-reports")).content.decode()
    assert NOTE in page
    assert "Cannot be published: only a final report goes on the public page." in page
    publish = "transparency-report-publication"
    assert reverse(publish, args=[provisional.pk, "terbitkan"]) not in page
    assert reverse(publish, args=[final.pk, "terbitkan"]) in page
    # Posting anyway is refused with the message, and nothing is published.
    response = client.post(
        reverse(publish, args=[provisional.pk, "terbitkan"]), {"reason": "Terbit"}, follow=True
    )
    assert "is provisional, not the final report" in response.content.decode()
    assert not PublishedReport.objects.exists()


def test_an_earlier_published_provisional_report_is_marked_on_the_public_page(client, published):
    report = _provisional(published)
    PublishedReport.objects.create(report=report, published_at=report.generated_at)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("public-page", args=[published.region_code])).content.decode()
    assert report.title in page and NOTE in page
