"""The first save of a new report, sent twice (a double click): one report, no 500
(issue 24, item 6). The second request's page had no report yet; by the time it
saves, the first request has saved it."""

from unittest import mock

from django.urls import reverse

from programs import report_views, reporting
from programs.models import ProgressReport
from tests.programs.test_progress_views import _form_data


def test_a_first_save_sent_twice_finds_the_report_and_says_so(
    login, make_program, period_2022, dkiss_user
):
    program = make_program()
    period = period_2022(1)
    client = login("dkiss")
    url = reverse("report-edit", args=[program.pk, period.pk])
    data = _form_data(None, program)
    original = report_views._report_form_context
    saved = []

    def first_click_commits_meanwhile(program_, period_, report):
        # The second click's request found no report; now the first click's lands.
        assert report is None
        first = reporting.start_report(program, period, actor=dkiss_user)
        saved.append(
            reporting.save_report(
                first,
                actor=dkiss_user,
                expected_version=first.version,
                milestone_percents={m.pk: 10 for m in program.milestones.all()},
            )
        )
        return original(program_, period_, report)

    with mock.patch.object(report_views, "_report_form_context", first_click_commits_meanwhile):
        response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("report-detail", args=[saved[0].pk])
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and ("twice" in messages[0] or "dua kali" in messages[0])
    assert ProgressReport.objects.filter(program=program, period=period).count() == 1


def test_the_insert_that_loses_the_race_returns_the_report_just_saved(
    make_program, period_2022, dkiss_user
):
    """Both requests passed every check; the second insert meets the unique constraint."""
    program = make_program()
    period = period_2022(1)
    first = reporting.start_report(program, period, actor=dkiss_user)
    with mock.patch.object(reporting, "_existing_report", side_effect=[None, first]):
        assert reporting.start_report(program, period, actor=dkiss_user) == first
    with mock.patch.object(reporting, "_existing_report", side_effect=[None, first]):
        try:
            reporting.start_report(program, period, actor=dkiss_user, new_only=True)
        except reporting.ReportAlreadyStarted as error:
            assert error.report == first
        else:
            raise AssertionError("a duplicate first save must say the report exists")
    assert ProgressReport.objects.filter(program=program, period=period).count() == 1
