"""A DKISS report of 2022 to talk about, with people who have email addresses."""

from decimal import Decimal as D

import pytest

from programs import reporting
from tests.programs.conftest import (  # noqa: F401 (fixtures)
    bappeda_user,
    dkiss_user,
    make_program,
    period_2022,
)


def fill_and_submit(report, writer, percent=D("30")):
    milestone = report.program.milestones.order_by("planned_start").first()
    report = reporting.save_report(
        report,
        actor=writer,
        expected_version=report.version,
        milestone_percents={milestone.pk: percent},
    )
    return reporting.submit_report(report, actor=writer)


@pytest.fixture
def people(django_user_model, bappeda_user, dkiss_user):  # noqa: F811
    """Email addresses for Bappeda's staff and DKISS's head (the demo has none)."""
    bappeda_user.email = "monev@bappeda.example"
    bappeda_user.save()
    dkiss_user.email = "kepala@dkiss.example"
    dkiss_user.save()
    adpem = django_user_model.objects.get(username="monev.adpem")
    adpem.email = "adpem@bappeda.example"
    adpem.save()
    walikota = django_user_model.objects.get(username="walikota")
    walikota.email = "walikota@cilegon.example"
    walikota.save()
    return {"bappeda": bappeda_user, "dkiss": dkiss_user, "adpem": adpem, "walikota": walikota}


@pytest.fixture
def report(make_program, period_2022, people):  # noqa: F811
    """DKISS's submitted report for 2022 TW I (a program supported by Dinkes)."""
    program = make_program(supporting=("DINKES",))
    draft = reporting.start_report(program, period_2022(1), actor=people["dkiss"])
    return fill_and_submit(draft, people["dkiss"])
