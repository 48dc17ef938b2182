"""Programs, milestones, periods and the progress workflow: rules and bad input."""

import datetime
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from programs import reporting, selectors, services
from programs.models import Milestone, MilestoneProgress, Program, ProgressReport
from programs.selectors import indicator_achievements
from tracker import policy

pytestmark = pytest.mark.django_db


def _fill(report, actor, percents=(D("50"), D("0"), D("0")), value=D("3.1"), version=None):
    milestones = list(report.program.milestones.order_by("planned_start"))
    indicator = report.program.indicators.first()
    return reporting.save_report(
        report,
        actor=actor,
        expected_version=report.version if version is None else version,
        milestone_percents={m.pk: p for m, p in zip(milestones, percents, strict=True)},
        indicator_values={indicator.pk: value} if indicator else {},
        supporting_factors="Dukungan pimpinan",
    )


@pytest.mark.parametrize("how", ["assign_owner", "admin save"])
def test_writing_follows_the_programs_current_owner(
    how, make_program, period_2022, dkiss_user, django_user_model, unit, bappeda_user
):
    """Issue 11: after a change of owner the old unit still saved drafts."""
    program = make_program()
    dinkes_user = django_user_model.objects.get(username="dinkes")
    report = reporting.start_report(program, period_2022(1), actor=dkiss_user)
    assert policy.can_change(dkiss_user, report)
    assert not policy.can_change(dinkes_user, report)

    if how == "assign_owner":
        services.assign_owner(program, actor=bappeda_user, unit=unit("DINKES"), reason="Alih tugas")
        last = program.history.order_by("-history_id").first()
        assert (last.history_user, last.history_change_reason) == (bappeda_user, "Alih tugas")
    else:
        program.owner_unit = unit("DINKES")
        program.save()

    assert not policy.can_change(dkiss_user, report)
    assert policy.can_change(dinkes_user, report)
    assert not selectors.programs_visible_to(dkiss_user).filter(pk=program.pk).exists()
    with pytest.raises(PermissionDenied):
        _fill(report, dkiss_user)
    assert _fill(report, dinkes_user).version == report.version + 1


def test_no_per_user_grants_are_created_for_a_program(make_program, unit):
    from programs.models import ProgramUserObjectPermission

    program = make_program(supporting=["BAPPEDA"])
    services.assign_owner(program, actor=None, unit=unit("DINKES"), reason="Alih tugas")
    assert not ProgramUserObjectPermission.objects.filter(content_object=program).exists()


def test_supporting_units_see_the_program_only_while_they_support_it(
    make_program, period_2022, dkiss_user, django_user_model, unit
):
    program = make_program()
    report = reporting.start_report(program, period_2022(1), actor=dkiss_user)
    dinkes_user = django_user_model.objects.get(username="dinkes")

    def sees():
        return (
            selectors.programs_visible_to(dinkes_user).filter(pk=program.pk).exists(),
            policy.visible(dinkes_user, ProgressReport.objects.filter(pk=report.pk)).exists(),
        )

    assert sees() == (False, False)
    program.supporting_units.add(unit("DINKES"))
    assert sees() == (True, True)
    assert not policy.can_change(dinkes_user, report)  # supporting units only read
    program.supporting_units.remove(unit("DINKES"))
    assert sees() == (False, False)


def test_milestone_weights_must_add_up_to_100(make_program, bappeda_user):
    program = make_program()
    other = Program.objects.create(
        commitment=program.commitment,
        owner_unit=program.owner_unit,
        title="X",
        horizon="short",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    rows = [
        {
            "title": "A",
            "planned_start": datetime.date(2022, 1, 1),
            "planned_finish": datetime.date(2022, 6, 30),
            "weight": D("60"),
        },
        {
            "title": "B",
            "planned_start": datetime.date(2022, 7, 1),
            "planned_finish": datetime.date(2022, 12, 31),
            "weight": D("30"),
        },
    ]
    with pytest.raises(ValidationError) as error:
        services.add_milestones(other, actor=bappeda_user, milestones=rows)
    assert "90" in error.value.messages[0]
    assert not Milestone.objects.filter(program=other).exists()


@pytest.mark.parametrize(
    "start, finish",
    [
        (datetime.date(2022, 6, 1), datetime.date(2022, 5, 1)),  # finishes before it starts
        (datetime.date(2021, 12, 1), datetime.date(2022, 5, 1)),  # before the program
        (datetime.date(2022, 6, 1), datetime.date(2023, 1, 31)),  # after the program
    ],
)
def test_milestone_dates_are_checked(make_program, bappeda_user, start, finish):
    program = make_program()
    other = Program.objects.create(
        commitment=program.commitment,
        owner_unit=program.owner_unit,
        title="X",
        horizon="short",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    with pytest.raises(ValidationError):
        services.add_milestones(
            other,
            actor=bappeda_user,
            milestones=[
                {"title": "A", "planned_start": start, "planned_finish": finish, "weight": D("100")}
            ],
        )
    assert not Milestone.objects.filter(program=other).exists()


def test_the_whole_workflow_with_history_and_email(
    make_program, period_2022, dkiss_user, bappeda_user, django_capture_on_commit_callbacks
):
    bappeda_user.email, dkiss_user.email = "monev@bappeda.example", "kepala@dkiss.example"
    bappeda_user.save()
    dkiss_user.save()
    program = make_program()
    period = period_2022(1)
    assert period.submission_deadline == datetime.date(2022, 4, 7)  # 5 working days
    assert period.verification_deadline == datetime.date(2022, 4, 14)
    report = reporting.start_report(program, period, actor=dkiss_user)
    report = _fill(report, dkiss_user)
    with django_capture_on_commit_callbacks(execute=True):
        report = reporting.submit_report(report, actor=dkiss_user)
    assert report.state == "submitted" and report.is_late  # today is long after April 2022
    assert mail.outbox[-1].to == ["monev@bappeda.example"]

    with pytest.raises(ValidationError):
        reporting.return_report(report, actor=bappeda_user, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        report = reporting.return_report(report, actor=bappeda_user, reason="Lampirkan bukti")
    assert mail.outbox[-1].to == ["kepala@dkiss.example"]
    assert "Lampirkan bukti" in mail.outbox[-1].body
    assert report.state == "returned" and report.return_reason == "Lampirkan bukti"

    report = _fill(report, dkiss_user, percents=(D("60"), D("0"), D("0")))
    report = reporting.submit_report(report, actor=dkiss_user)
    report = reporting.verify_report(report, actor=bappeda_user)
    assert report.state == "verified" and report.verified_by == bappeda_user

    history = list(report.history.order_by("history_id"))
    moves = [(h.state, h.history_user, h.history_change_reason) for h in history]
    assert ("returned", bappeda_user, "Lampirkan bukti") in moves
    assert moves[-1][:2] == ("verified", bappeda_user)
    assert [m[0] for m in moves if m[0] == "submitted"] == ["submitted", "submitted"]


def test_a_verified_report_is_read_only(make_program, period_2022, dkiss_user, bappeda_user):
    program = make_program()
    report = reporting.start_report(program, period_2022(1), actor=dkiss_user)
    report = reporting.submit_report(_fill(report, dkiss_user), actor=dkiss_user)
    with pytest.raises(ValidationError):  # submitted: not editable
        _fill(report, dkiss_user)
    report = reporting.verify_report(report, actor=bappeda_user)
    with pytest.raises(ValidationError):
        _fill(report, dkiss_user)
    with pytest.raises(ValidationError):
        reporting.return_report(report, actor=bappeda_user, reason="Terlambat sadar")


def test_only_bappeda_verifies(make_program, period_2022, dkiss_user, django_user_model):
    program = make_program()
    report = reporting.start_report(program, period_2022(1), actor=dkiss_user)
    report = reporting.submit_report(_fill(report, dkiss_user), actor=dkiss_user)
    for username in ["dkiss", "walikota", "asda1"]:
        with pytest.raises(PermissionDenied):
            reporting.verify_report(report, actor=django_user_model.objects.get(username=username))
    report.refresh_from_db()
    assert report.state == "submitted"


def test_another_unit_cannot_write_the_report(
    make_program, period_2022, dkiss_user, django_user_model
):
    program = make_program()
    report = reporting.start_report(program, period_2022(1), actor=dkiss_user)
    dinkes = django_user_model.objects.get(username="dinkes")
    with pytest.raises(PermissionDenied):
        _fill(report, dinkes)
    with pytest.raises(PermissionDenied):
        reporting.submit_report(report, actor=dinkes)
    report.refresh_from_db()
    assert report.state == "draft" and report.version == 1


@pytest.mark.parametrize("bad", [D("-1"), D("100.01")])
def test_progress_outside_0_100_is_refused(make_program, period_2022, dkiss_user, bad):
    program = make_program()
    report = reporting.start_report(program, period_2022(1), actor=dkiss_user)
    with pytest.raises(ValidationError):
        _fill(report, dkiss_user, percents=(bad, D("0"), D("0")))
    assert not MilestoneProgress.objects.filter(report=report, percent=bad).exists()
    report.refresh_from_db()
    assert report.version == 1


def test_progress_cannot_fall_below_the_last_verified_quarter(
    make_program, period_2022, dkiss_user, bappeda_user
):
    program = make_program()
    q1 = reporting.start_report(program, period_2022(1), actor=dkiss_user)
    q1 = reporting.submit_report(_fill(q1, dkiss_user, (D("80"), D("0"), D("0"))), actor=dkiss_user)
    reporting.verify_report(q1, actor=bappeda_user)
    q2 = reporting.start_report(program, period_2022(2), actor=dkiss_user)
    first = q2.milestone_rows.get(milestone__title="KAK")
    assert first.percent == D("80")  # pre-filled from the last verified quarter
    with pytest.raises(ValidationError) as error:
        _fill(q2, dkiss_user, (D("70"), D("10"), D("0")))
    assert "80" in str(error.value)


def test_a_stale_form_is_refused_and_nothing_is_overwritten(make_program, period_2022, dkiss_user):
    program = make_program()
    report = reporting.start_report(program, period_2022(1), actor=dkiss_user)
    opened_version = report.version
    _fill(report, dkiss_user, (D("40"), D("0"), D("0")), version=opened_version)  # colleague
    with pytest.raises(reporting.StaleReportError):
        _fill(report, dkiss_user, (D("20"), D("0"), D("0")), version=opened_version)
    assert report.milestone_rows.get(milestone__title="KAK").percent == D("40")


def test_a_locked_period_accepts_no_writes(make_program, period_2022, dkiss_user, bappeda_user):
    program = make_program()
    period = period_2022(1)
    report = reporting.start_report(program, period, actor=dkiss_user)
    report = reporting.submit_report(_fill(report, dkiss_user), actor=dkiss_user)
    with pytest.raises(ValidationError):  # a submitted report still waits
        services.lock_period(period, actor=bappeda_user)
    reporting.verify_report(report, actor=bappeda_user)
    services.lock_period(period, actor=bappeda_user)
    other = make_program(title="Program lain")
    with pytest.raises(ValidationError):
        reporting.start_report(other, period, actor=dkiss_user)
    assert not ProgressReport.objects.filter(program=other).exists()


def test_bulk_verify_is_all_or_nothing(make_program, period_2022, dkiss_user, bappeda_user):
    period = period_2022(1)
    reports = []
    for title in ["A", "B"]:
        report = reporting.start_report(make_program(title=title), period, actor=dkiss_user)
        reports.append(reporting.submit_report(_fill(report, dkiss_user), actor=dkiss_user))
    reporting.bulk_verify(reports, actor=bappeda_user)
    assert {r.state for r in ProgressReport.objects.filter(pk__in=[r.pk for r in reports])} == {
        "verified"
    }
    draft = reporting.start_report(make_program(title="C"), period, actor=dkiss_user)
    submitted = reporting.start_report(make_program(title="D"), period, actor=dkiss_user)
    submitted = reporting.submit_report(_fill(submitted, dkiss_user), actor=dkiss_user)
    with pytest.raises(ValidationError):
        reporting.bulk_verify([submitted, draft], actor=bappeda_user)
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_only_verified_figures_count_toward_achievement(
    make_program, period_2022, dkiss_user, bappeda_user, cilegon
):
    from programs.models import Indicator

    spbe = Indicator.objects.get(plan__government=cilegon, code="IKU-1.1")
    program = make_program()
    q1 = reporting.start_report(program, period_2022(1), actor=dkiss_user)
    q1 = reporting.submit_report(_fill(q1, dkiss_user, value=D("3.50")), actor=dkiss_user)
    assert indicator_achievements([spbe], 2022, programs=[program])[spbe.pk]["realisation"] is None
    reporting.verify_report(q1, actor=bappeda_user)
    q2 = reporting.start_report(program, period_2022(2), actor=dkiss_user)
    reporting.submit_report(
        _fill(q2, dkiss_user, (D("50"), D("10"), D("0")), value=D("3.90")), actor=dkiss_user
    )  # submitted, not verified
    result = indicator_achievements([spbe], 2022, programs=[program])[spbe.pk]
    assert result["realisation"] == D("3.50")  # non-cumulative: latest verified value
    assert result["target"] is None  # 2022 is outside the RPJMD 2016-2021
    assert result["achievement"] is None


def test_a_new_member_of_the_owner_unit_writes_without_a_grant(
    make_program, period_2022, unit, cilegon
):
    from tracker import services as org_services

    program = make_program()
    newcomer = org_services.create_user(
        actor=None,
        username="operator.dkiss",
        password="x-Operator-2022",
        government=cilegon,
        unit=unit("DKISS"),
    )
    report = reporting.start_report(program, period_2022(1), actor=newcomer)
    report = _fill(report, newcomer)
    assert reporting.submit_report(report, actor=newcomer).state == "submitted"
