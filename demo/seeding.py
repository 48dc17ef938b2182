"""Load a government's reference data (units, officials, RPJMD) and demo accounts.

Everything goes through the apps' services, so the seed writes the same
history as a person would. Rows that already exist (by their natural key) are
left alone, which makes seeding idempotent and never overwrites later edits.
"""

import datetime
import io
from contextlib import contextmanager
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments import services as commitment_services
from commitments.models import Commitment
from demo import rows as r
from demo.progress_seed import seed_programs
from demo.targets_seed import seed_program_targets
from programs import models
from programs import services as plan_services
from tracker import services as org_services
from tracker.formatting import format_date_id
from tracker.models import Government, Official, Unit

REASON = "seed_demo"

# What the summary line calls each kind of row (shown to the person running the command).
COUNT_LABELS = {
    "government": _("governments"),
    "units": _("units"),
    "officials": _("officials"),
    "plan": _("RPJMD plans"),
    "missions": _("missions"),
    "goals": _("goals"),
    "objectives": _("objectives"),
    "plan programs": _("RPJMD programs"),
    "indicators": _("indicators"),
    "targets": _("yearly targets"),
    "accounts": _("accounts"),
    "commitments": _("commitments"),
    "programs": _("programs"),
}
CILEGON_DATA = Path(__file__).resolve().parent / "data" / "cilegon"


@contextmanager
def row_errors(file_name, row_number):
    """Report a model validation error as the file, row and field it came from."""
    try:
        yield
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            field, messages = next(iter(error.message_dict.items()))
        else:
            field, messages = "-", error.messages
        raise r.SeedDataError(file_name, row_number, field, " ".join(messages)) from error


def _lookup(mapping, code, file_name, row_number, field, what):
    if not code:
        return None
    try:
        return mapping[code]
    except KeyError:
        raise r.SeedDataError(file_name, row_number, field, f"unknown {what} {code!r}") from None


# The invented second commitment of the demo (commitment_stunting.csv).
STUNTING_COMMITMENT = "Komitmen Bersama Percepatan Penurunan Stunting Kota Cilegon"


class Seeder:
    """Reads one government's folder of CSV files and creates what is missing."""

    def __init__(self, data_dir, *, log=lambda message: None):
        self.dir = Path(data_dir)
        self.log = log
        self.created = {}

    def _count(self, key):
        label = str(COUNT_LABELS[key])
        self.created[label] = self.created.get(label, 0) + 1

    def rows(self, file_name, form_class):
        return r.read_rows(self.dir / file_name, form_class)

    def run(self, *, accounts=False, password=None):
        self.government = self.load_government()
        self.units = self.load_units()
        self.load_officials()
        self.plan = self.load_plan()
        if accounts:
            self.load_accounts(password)
        self.load_commitments()
        self.load_programs()
        self.settle_notices()
        return self.created

    def settle_notices(self):
        """The past quarters' notices count as read but each account's three newest."""
        from notices.services import mark_older_read

        for profile in self.government.profiles.select_related("user"):
            mark_older_read(actor=profile.user, keep_unread=3)

    def lookup(self, mapping, code, file_name, row_number, field):
        """``mapping[code]``, or a SeedDataError naming the file, row and field."""
        return _lookup(mapping, code, file_name, row_number, field, field)

    def load_programs(self):
        """~30 programs with milestones and nine quarters of progress (demo/progress_seed.py).

        The file is optional: without it a government gets no programs.
        """
        if not (self.dir / "programs.csv").exists():
            return
        rows = list(self.rows("programs.csv", r.ProgramRow))
        # The invented stunting commitment's programs, if its files are there.
        extra = []
        if (self.dir / "programs_stunting.csv").exists():
            commitment = Commitment.objects.get(
                government=self.government, title=STUNTING_COMMITMENT
            )
            rows_of = list(self.rows("programs_stunting.csv", r.ProgramRow))
            extra.append((commitment, "programs_stunting.csv", rows_of))
        with row_errors("programs.csv", rows[0][0] if rows else 1):
            created = seed_programs(self, rows, extra=extra)
        if created:
            label = str(COUNT_LABELS["programs"])
            self.created[label] = created
        # Invented Renja shares of the summed indicators that several programs report.
        seed_program_targets(self.government, reason=REASON)

    def load_government(self):
        for row_number, data in self.rows("government.csv", r.GovernmentRow):
            government = Government.objects.filter(region_code=data["region_code"]).first()
            if government is None:
                with row_errors("government.csv", row_number):
                    government = org_services.create_government(actor=None, reason=REASON, **data)
                self._count("government")
            return government
        raise r.SeedDataError("government.csv", 2, "-", "no government row")

    def load_units(self):
        units = {u.code: u for u in Unit.objects.filter(government=self.government)}
        for row_number, data in self.rows("units.csv", r.UnitRow):
            if data["code"] in units:
                continue
            coordinator = _lookup(
                units,
                data.pop("coordinator_code"),
                "units.csv",
                row_number,
                "coordinator_code",
                "unit",
            )
            parent = _lookup(
                units, data.pop("parent_code"), "units.csv", row_number, "parent_code", "unit"
            )
            with row_errors("units.csv", row_number):
                units[data["code"]] = org_services.create_unit(
                    actor=None,
                    government=self.government,
                    coordinator=coordinator,
                    parent=parent,
                    reason=REASON,
                    **data,
                )
            self._count("units")
        return units

    def load_officials(self):
        for row_number, data in self.rows("officials.csv", r.OfficialRow):
            unit = _lookup(
                self.units, data.pop("unit_code"), "officials.csv", row_number, "unit_code", "unit"
            )
            exists = Official.objects.filter(
                unit=unit, name=data["name"], start_date=data["start_date"]
            ).exists()
            if exists:
                continue
            with row_errors("officials.csv", row_number):
                org_services.appoint_official(actor=None, unit=unit, reason=REASON, **data)
            self._count("officials")

    def load_plan(self):
        plan = None
        for row_number, data in self.rows("plan.csv", r.PlanRow):
            plan = models.Plan.objects.filter(
                government=self.government, start_year=data["start_year"]
            ).first()
            if plan is None:
                with row_errors("plan.csv", row_number):
                    plan = plan_services.create_plan(
                        actor=None, government=self.government, reason=REASON, **data
                    )
                self._count("plan")
        if plan is None:
            raise r.SeedDataError("plan.csv", 2, "-", "no plan row")

        missions = {m.number: m for m in models.Mission.objects.filter(plan=plan)}
        for row_number, data in self.rows("missions.csv", r.MissionRow):
            if data["number"] not in missions:
                with row_errors("missions.csv", row_number):
                    missions[data["number"]] = plan_services.add_mission(
                        actor=None, plan=plan, reason=REASON, **data
                    )
                self._count("missions")

        goals = {g.code: g for g in models.Goal.objects.filter(mission__plan=plan)}
        for row_number, data in self.rows("goals.csv", r.GoalRow):
            mission = _lookup(
                missions,
                data.pop("mission_number"),
                "goals.csv",
                row_number,
                "mission_number",
                "mission",
            )
            if data["code"] not in goals:
                with row_errors("goals.csv", row_number):
                    goals[data["code"]] = plan_services.add_goal(
                        actor=None, mission=mission, reason=REASON, **data
                    )
                self._count("goals")

        objectives = {o.code: o for o in models.Objective.objects.filter(goal__mission__plan=plan)}
        for row_number, data in self.rows("objectives.csv", r.ObjectiveRow):
            goal = _lookup(
                goals, data.pop("goal_code"), "objectives.csv", row_number, "goal_code", "goal"
            )
            if data["code"] not in objectives:
                with row_errors("objectives.csv", row_number):
                    objectives[data["code"]] = plan_services.add_objective(
                        actor=None, goal=goal, reason=REASON, **data
                    )
                self._count("objectives")

        programs = {
            p.code: p
            for p in models.PlanProgram.objects.filter(objective__goal__mission__plan=plan)
        }
        for row_number, data in self.rows("plan_programs.csv", r.PlanProgramRow):
            objective = _lookup(
                objectives,
                data.pop("objective_code"),
                "plan_programs.csv",
                row_number,
                "objective_code",
                "objective",
            )
            unit = _lookup(
                self.units,
                data.pop("responsible_unit_code"),
                "plan_programs.csv",
                row_number,
                "responsible_unit_code",
                "unit",
            )
            if data["code"] not in programs:
                with row_errors("plan_programs.csv", row_number):
                    programs[data["code"]] = plan_services.add_plan_program(
                        actor=None,
                        objective=objective,
                        responsible_unit=unit,
                        reason=REASON,
                        **data,
                    )
                self._count("plan programs")

        levels = {"goal": goals, "objective": objectives, "program": programs}
        indicators = {i.code: i for i in models.Indicator.objects.filter(plan=plan)}
        for row_number, data in self.rows("indicators.csv", r.IndicatorRow):
            level = _lookup(
                levels[data.pop("level")],
                data.pop("level_code"),
                "indicators.csv",
                row_number,
                "level_code",
                "level",
            )
            unit = _lookup(
                self.units,
                data.pop("responsible_unit_code"),
                "indicators.csv",
                row_number,
                "responsible_unit_code",
                "unit",
            )
            if data["code"] in indicators:
                continue
            data["is_cumulative"] = data.pop("cumulative")
            with row_errors("indicators.csv", row_number):
                indicators[data["code"]] = plan_services.add_indicator(
                    actor=None,
                    plan=plan,
                    level=level,
                    responsible_unit=unit,
                    reason=REASON,
                    **data,
                )
            self._count("indicators")

        existing = set(
            models.IndicatorTarget.objects.filter(indicator__plan=plan).values_list(
                "indicator__code", "year"
            )
        )
        for row_number, data in self.rows("targets.csv", r.TargetRow):
            code = data.pop("indicator_code")
            indicator = _lookup(
                indicators, code, "targets.csv", row_number, "indicator_code", "indicator"
            )
            if (code, data["year"]) in existing:
                continue
            with row_errors("targets.csv", row_number):
                plan_services.set_indicator_target(
                    actor=None, indicator=indicator, reason=REASON, **data
                )
            self._count("targets")
        return plan

    def load_accounts(self, password):
        User = get_user_model()
        existing = set(User.objects.values_list("username", flat=True))
        for row_number, data in self.rows("accounts.csv", r.AccountRow):
            if data["username"] in existing:
                continue
            unit = _lookup(
                self.units, data["unit_code"], "accounts.csv", row_number, "unit_code", "unit"
            )
            groups = [g.strip() for g in data["groups"].split(";") if g.strip()]
            with row_errors("accounts.csv", row_number):
                org_services.create_user(
                    actor=None,
                    username=data["username"],
                    password=password,
                    full_name=data["full_name"],
                    is_superuser=data["is_superuser"],
                    government=None if data["is_superuser"] else self.government,
                    unit=unit,
                    is_unit_head=data["is_unit_head"],
                    groups=groups,
                    reason=REASON,
                )
            self._count("accounts")

    def load_commitments(self):
        """The 11 October 2019 Smart City commitment and, if its files are there, the
        invented stunting commitment (``commitment_stunting*.csv``)."""
        self.load_commitment()
        if (self.dir / "commitment_stunting.csv").exists():
            self.load_commitment("commitment_stunting")

    def load_commitment(self, name="commitment"):
        """A commitment from ``<name>.csv`` with its points (``<name>_points.csv``) and
        the expected signatories who did not sign (``<name>_absent.csv``, optional):
        the units the row names, or all Asda, OPD and Kecamatan; most signed.

        The signing ceremony's scan is a generated placeholder PDF, not a real document.
        """
        file_name = f"{name}.csv"
        rows = list(self.rows(file_name, r.CommitmentRow))
        if not rows:
            return
        row_number, data = rows[0]
        if Commitment.objects.filter(
            government=self.government, title=data["title"], date=data["date"]
        ).exists():
            return
        points = [
            p["text"]
            for _n, p in sorted(
                self.rows(f"{name}_points.csv", r.PointRow), key=lambda item: item[1]["number"]
            )
        ]
        absent = set()
        absent_file = f"{name}_absent.csv"
        if not (self.dir / absent_file).exists():
            absent_file = None
        for number, row in self.rows(absent_file, r.UnitCodeRow) if absent_file else []:
            absent.add(
                _lookup(
                    self.units,
                    row["unit_code"],
                    absent_file,
                    number,
                    "unit_code",
                    "unit",
                ).pk
            )
        signed_time = data.pop("signed_time")
        schemes = {s.name: s for s in models.ClassificationScheme.objects.filter(government=None)}
        data["scheme"] = self.lookup(schemes, data["scheme"], file_name, row_number, "scheme")
        codes = data.pop("signatories")
        if codes:
            expected = [
                self.lookup(self.units, code, file_name, row_number, "signatories")
                for code in codes
            ]
        else:
            expected = commitment_services.units_of_kinds(
                self.government, [Unit.Kind.ASDA, Unit.Kind.OPD, Unit.Kind.KECAMATAN]
            )
        with row_errors(file_name, row_number):
            commitment = commitment_services.create_commitment(
                actor=None,
                government=self.government,
                points=points,
                signatories=list(expected),
                reason=REASON,
                **data,
            )
            commitment_services.open_for_signing(commitment, actor=None, reason=REASON)
            signed_at = timezone.make_aware(datetime.datetime.combine(data["date"], signed_time))
            heads = commitment_services.heads_for_signing(commitment, data["date"])
            signers = [
                (unit, heads[unit.pk])
                for unit in expected
                if unit.pk not in absent and unit.pk in heads
            ]
            scan = placeholder_scan(data["title"], data["date"])
            commitment_services.record_signing_event(
                commitment,
                actor=None,
                signed_at=signed_at,
                place=data["place"],
                scan=scan,
                signers=signers,
                reason=REASON,
            )
            # The same sheet is the scan of the whole signed document.
            commitment_services.attach_scan(commitment, actor=None, scan=scan, reason=REASON)
        self.plan.commitments.add(commitment)
        self._count("commitments")


def placeholder_scan(title, date):
    """A one-page PDF that says it stands in for the real scan."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    width, height = A4
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawCentredString(width / 2, height - 120, "DOKUMEN PENGGANTI (PLACEHOLDER)")
    pdf.setFont("Helvetica", 11)
    lines = [
        title,
        f"Tanggal: {format_date_id(date)}",
        "",
        "Berkas ini dibuat oleh seed_demo sebagai pengganti pindaian lembar",
        "tanda tangan yang asli. Ganti dengan pindaian dokumen yang sebenarnya.",
    ]
    for index, line in enumerate(lines):
        pdf.drawCentredString(width / 2, height - 170 - index * 18, line)
    pdf.showPage()
    pdf.save()
    return ContentFile(buffer.getvalue(), name=f"komitmen-{date.isoformat()}-placeholder.pdf")
