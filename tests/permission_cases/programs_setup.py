"""Permission-matrix cases: programs_setup pages (creating and editing programs, their
milestones, owner and state, and opening a quarter with its confirmation).

Setting a program up is Bappeda's (and the superuser's): a unit member who sees
the program gets 403, one who does not 404; Pimpinan and the Administrator
write nothing (403); Serang's Bappeda gets 404 on Cilegon's programs and
commitments. Each page is tried with GET and with a valid POST.
"""

from programs.models import Category, Program
from programs.program_forms import adoption_rows, budget_rows, milestone_rows
from tests.permission_roles import (
    LOGGED_IN,
    SEES_DKISS,
    _commitment,
    _dinkes_unit,
    changers,
    only,
)

# P01 (the 112 line) is DKISS's, supported by BPBD and Satpol PP (Asda I's units).
SEES_P01 = (*SEES_DKISS, "asda1")
SETS_UP = ("admin", "bappeda")
# Everyone reaches the program list and the period page; the government's
# Bappeda (Cilegon's or Serang's) and the superuser act on them.
BAPPEDAS = ("admin", "bappeda", "serang")


def _p01():
    return Program.objects.get(commitment=_commitment(), title="Layanan Panggilan Darurat 112")


def _period_2022q1():
    """An open quarter after P01 ended (2021): P01 has no report to write in it."""
    from programs import services
    from programs.models import ReportingPeriod

    government = _commitment().government
    return ReportingPeriod.objects.filter(
        government=government, year=2022, quarter=1
    ).first() or services.open_period(actor=None, government=government, year=2022, quarter=1)


def _formset(prefix, rows, extra=0):
    """POST data of a formset whose first ``len(rows)`` forms are the initial ones."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": str(len(rows)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = "" if value is None else str(value)
    return data


def _new_program(_args):
    return {
        "commitment": _commitment().pk,
        "title": "Program uji matriks",
        "owner_unit": _dinkes_unit().pk,
        "categories": [Category.objects.get(code="living").pk],
        "horizon": "short",
        "start_date": "2022-01-01",
        "end_date": "2022-12-31",
        **_formset("budget", [{"year": 2022, "amount": "1000000"}]),
        **_formset("adoption", []),
    }


def _edited_p01(args):
    program = Program.objects.get(pk=args[0])
    return {
        "title": program.title,
        "code": program.code,
        "description": program.description,
        "supporting_units": list(program.supporting_units.values_list("pk", flat=True)),
        "categories": list(program.categories.values_list("pk", flat=True)),
        "horizon": program.horizon,
        "start_date": program.start_date.isoformat(),
        "end_date": program.end_date.isoformat(),
        "indicators": list(program.indicators.values_list("pk", flat=True)),
        "reason": "Uraian diperbarui",
        **_formset("budget", budget_rows(program, first_year=None)),
        **_formset("adoption", adoption_rows(program)),
    }


def _same_milestones(args):
    return _formset("milestone", milestone_rows(Program.objects.get(pk=args[0])))


CASES = {
    "program-create": (
        "program-create",
        lambda: [],
        "get",
        changers(200, visible=LOGGED_IN, allowed=BAPPEDAS),
    ),
    # A Cilegon commitment: Serang's Bappeda does not see it.
    "program-create post": (
        "program-create",
        lambda: [],
        "post",
        changers(302, visible=LOGGED_IN, allowed=SETS_UP) | {"serang": 404},
        _new_program,
    ),
    "program-edit": (
        "program-edit",
        lambda: [_p01().pk],
        "get",
        changers(200, visible=SEES_P01, allowed=SETS_UP),
    ),
    "program-edit post": (
        "program-edit",
        lambda: [_p01().pk],
        "post",
        changers(302, visible=SEES_P01, allowed=SETS_UP),
        _edited_p01,
    ),
    "program-milestones": (
        "program-milestones",
        lambda: [_p01().pk],
        "get",
        changers(200, visible=SEES_P01, allowed=SETS_UP),
    ),
    "program-milestones post": (
        "program-milestones",
        lambda: [_p01().pk],
        "post",
        changers(302, visible=SEES_P01, allowed=SETS_UP),
        _same_milestones,
    ),
    "program-owner": (
        "program-owner",
        lambda: [_p01().pk],
        "get",
        changers(200, visible=SEES_P01, allowed=SETS_UP),
    ),
    "program-owner post": (
        "program-owner",
        lambda: [_p01().pk],
        "post",
        changers(302, visible=SEES_P01, allowed=SETS_UP),
        lambda _args: {"owner_unit": _dinkes_unit().pk, "reason": "Alih tugas"},
    ),
    "program-state": (
        "program-state",
        lambda: [_p01().pk],
        "get",
        changers(200, visible=SEES_P01, allowed=SETS_UP),
    ),
    "program-state post": (
        "program-state",
        lambda: [_p01().pk],
        "post",
        changers(302, visible=SEES_P01, allowed=SETS_UP),
        lambda _args: {"state": "stopped", "on": "2021-12-31", "reason": "Anggaran dialihkan"},
    ),
    "program-state missing": ("program-state", lambda: [999999], "get", only()),
    # A program that does not run in the quarter has no report to write: its writers
    # are sent back to the program with a message, the others refused as before.
    "report-edit program not running": (
        "report-edit",
        lambda: [_p01().pk, _period_2022q1().pk],
        "get",
        changers(302, visible=SEES_P01, allowed=("admin", "dkiss")),
    ),
    # Opening a quarter: the first POST only shows what it would create (200); the
    # superuser has no government to open one for (the page says so, 200).
    "period-list open preview": (
        "period-list",
        lambda: [],
        "post",
        changers(200, visible=LOGGED_IN, allowed=BAPPEDAS),
        lambda _args: {"year": "2023", "quarter": "1"},
    ),
    "period-list open confirmed": (
        "period-list",
        lambda: [],
        "post",
        changers(302, visible=LOGGED_IN, allowed=BAPPEDAS) | {"admin": 200},
        lambda _args: {"year": "2023", "quarter": "1", "confirm": "1"},
    ),
}
