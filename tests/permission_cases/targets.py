"""Permission-matrix cases: the programs' own targets (``rpjmd.program_target_views``).

Whoever sets a program up sets its own targets (Bappeda and the superuser): a
unit member, Pimpinan or the Administrator who sees the program gets 403, one
who does not 404. The government's targets workbook is Bappeda's too: anyone
else gets 403; Serang's Bappeda works on its own government's (another's: 404).
"""

from programs.models import Program
from rpjmd.program_target_forms import ProgramTargetsForm
from tests.permission_cases.programs_setup import SEES_P01, SETS_UP, _p01
from tests.permission_roles import _commitment, changers, only

# The workbook: the superuser (who first picks the government), and each government's Bappeda.
WORKBOOK = ("admin", "bappeda", "serang")


def _p01_args():
    return [_p01().pk]


def _targets_post(args):
    """The target form of P01 as it stands (every year empty), with a reason."""
    program = Program.objects.get(pk=args[0])
    indicators = list(program.indicators.select_related("plan").order_by("code"))
    form = ProgramTargetsForm(program=program, indicators=indicators)
    data = {name: "" for name in form.fields if name.startswith("target_")}
    data.update({name: "renja" for name in form.fields if name.startswith("source_")})
    data["reason"] = "Renja 2021"
    return data


def _cilegon_apply(_args):
    return {"government": _commitment().government_id, "token": "0" * 32, "action": "apply"}


CASES = {
    "program-targets": (
        "program-targets",
        _p01_args,
        "get",
        changers(200, visible=SEES_P01, allowed=SETS_UP),
    ),
    "program-targets post": (
        "program-targets",
        _p01_args,
        "post",
        changers(302, visible=SEES_P01, allowed=SETS_UP),
        _targets_post,
    ),
    # The superuser picks the government first (there are two): 200.
    "program-targets-template": (
        "program-targets-template",
        lambda: [],
        "get",
        only(*WORKBOOK, otherwise=403),
    ),
    "program-targets-import": (
        "program-targets-import",
        lambda: [],
        "get",
        only(*WORKBOOK, otherwise=403),
    ),
    # Posted without a file: the form again, with its error.
    "program-targets-import post": (
        "program-targets-import",
        lambda: [],
        "post",
        only(*WORKBOOK, otherwise=403),
    ),
    # No preview waiting: back to the upload page; Serang's Bappeda may not name Cilegon.
    "program-targets-import-apply": (
        "program-targets-import-apply",
        lambda: [],
        "post",
        {**only("admin", "bappeda", ok=302, otherwise=403), "serang": 404},
        _cilegon_apply,
    ),
}
