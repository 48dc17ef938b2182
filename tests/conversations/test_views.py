"""The conversation on the report page and on the unit's form: reading, posting with
and without JavaScript, errors that keep what was typed, and who may do what."""

import pytest
from django.urls import reverse

from conversations import services
from conversations.models import MESSAGE_MAX, Message
from conversations.views import FRAGMENT_HEADER
from programs import reporting

pytestmark = pytest.mark.django_db

FRAGMENT = {"headers": {FRAGMENT_HEADER: "1"}}


def _url(report):
    return reverse("report-conversation", args=[report.pk])


def test_the_thread_is_on_the_report_page_for_every_reader(report, people, login):
    services.post_message(report, actor=people["dkiss"], body="Kami menunggu arahan.")
    services.post_message(report, actor=people["bappeda"], body="Lampirkan notulen rapat.")
    for username in ("bappeda", "dkiss", "walikota", "dinkes"):
        page = login(username).get(reverse("report-detail", args=[report.pk])).content.decode()
        assert 'id="conversation"' in page, username
        assert page.index("Kami menunggu arahan.") < page.index("Lampirkan notulen rapat.")
        can_post = username in ("bappeda", "dkiss")
        assert ('id="conversation-form"' in page) is can_post, username


def test_the_unit_posts_from_its_form_and_comes_back_to_it(report, people, login):
    reporting.return_report(report, actor=people["bappeda"], reason="Lengkapi foto kegiatan.")
    client = login("dkiss")
    form_url = reverse("report-edit", args=[report.program_id, report.period_id])
    page = client.get(form_url).content.decode()
    assert "Lengkapi foto kegiatan." in page  # the return reason, as the first message
    assert 'id="conversation-form"' in page

    response = client.post(_url(report), {"body": "Foto sudah diunggah.", "next": form_url})
    assert response.status_code == 302
    assert response["Location"] == f"{form_url}#conversation"
    assert report.messages.last().body == "Foto sudah diunggah."


def test_a_foreign_next_address_is_ignored(report, login):
    response = login("dkiss").post(
        _url(report), {"body": "Halo", "next": "https://contoh.example/laporan/"}
    )
    assert response["Location"] == reverse("report-detail", args=[report.pk]) + "#conversation"


def test_with_javascript_the_answer_is_the_thread_with_the_new_message(report, login):
    response = login("bappeda").post(_url(report), {"body": "Sudah kami terima."}, **FRAGMENT)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith("<section") or 'id="conversation"' in page
    assert "<html" not in page
    assert "Sudah kami terima." in page
    assert "Sudah kami terima.</textarea>" not in page  # the form is empty again


@pytest.mark.parametrize("fragment", [False, True])
def test_an_overlong_message_keeps_what_was_typed_and_saves_nothing(report, login, fragment):
    typed = "Penjelasan panjang. " * (MESSAGE_MAX // 10)
    response = login("dkiss").post(_url(report), {"body": typed}, **(FRAGMENT if fragment else {}))
    assert response.status_code == (400 if fragment else 200)
    page = response.content.decode()
    assert typed.strip() in page  # in the textarea, to shorten
    assert (
        f"at most {MESSAGE_MAX}" in page
        or f"paling banyak {MESSAGE_MAX}" in page
        or (str(MESSAGE_MAX) in page)
    )
    assert not Message.objects.filter(report=report).exists()


def test_an_empty_message_is_refused_with_a_message(report, login):
    response = login("dkiss").post(_url(report), {"body": "   "})
    assert response.status_code == 200
    assert 'id="conversation-form"' in response.content.decode()
    assert "is-invalid" in response.content.decode()
    assert not Message.objects.filter(report=report).exists()


def test_readers_may_not_post_and_outsiders_do_not_find_it(report, login):
    assert login("walikota").post(_url(report), {"body": "Bagus."}).status_code == 403
    assert login("dinkes").post(_url(report), {"body": "Bagus."}).status_code == 403
    assert login("serang").post(_url(report), {"body": "Bagus."}).status_code == 404
    assert login("serang").get(_url(report)).status_code == 404
    assert login("camat.cibeber").get(_url(report)).status_code == 404
    assert not Message.objects.filter(report=report).exists()


def test_the_conversation_page_reads_for_leadership(report, people, login):
    services.post_message(report, actor=people["dkiss"], body="Kendala jaringan.")
    page = login("walikota").get(_url(report)).content.decode()
    assert "Kendala jaringan." in page
    assert 'id="conversation-form"' not in page


def test_each_message_has_its_history_for_those_who_see_the_report(report, people, login):
    message = services.post_message(report, actor=people["dkiss"], body="Catatan untuk riwayat.")
    url = reverse("history", args=["conversations", "message", message.pk])
    page = login("dkiss").get(reverse("report-detail", args=[report.pk])).content.decode()
    assert url in page  # the message's time links to its history
    response = login("walikota").get(url)
    assert response.status_code == 200
    dkiss = people["dkiss"]
    assert (dkiss.get_full_name() or dkiss.username) in response.content.decode()  # who posted
    assert login("serang").get(url).status_code == 404
