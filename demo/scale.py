"""Synthetic governments shaped like the Cilegon demo, for the benchmark.

Each government gets ~45 units with their heads, an RPJMD with 150
indicators and yearly targets, two commitments with their signatures, 150
programs with 900 milestones, and nine quarters of progress reports in a
realistic mix of states, every row with its history row. Rows are written
with ``bulk_create_with_history`` (not through the services, which would
take hours at national scale) in one transaction per government, so an
interrupted run leaves no half-written government.

Synthetic governments have region codes ``99.NNN`` (no real Indonesian
region uses 99), which is how the tools tell them from real data.
"""

import datetime
import functools
import random
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from commitments.models import Commitment, CommitmentPoint, Signatory, Signature
from commitments.services import new_signature
from demo.progress_seed import LOCKED_UP_TO, QUARTERS, indicator_value, report_outcome
from programs import models, status
from programs.services import quarter_deadlines
from tracker import policy
from tracker.models import Government, Official, Profile, Unit
from tracker.services import ensure_role_groups

SYNTHETIC_PREFIX = "99."
PASSWORD = "sintetis2019"
REASON = "seed_scale"
PLAN_YEARS = range(2016, 2022)
OPD_COUNT = 32
KECAMATAN_COUNT = 8
PROGRAMS_PER_COMMITMENT = 75
MILESTONES_PER_PROGRAM = 6


def region_code(index):
    return f"{SYNTHETIC_PREFIX}{index:03d}"


def synthetic_governments():
    return Government.objects.filter(region_code__startswith=SYNTHETIC_PREFIX)


def real_governments():
    return Government.objects.exclude(region_code__startswith=SYNTHETIC_PREFIX)


def username(kind, index):
    """Accounts of synthetic government ``index``: bappeda-001, walikota-001, opd-001."""
    return f"{kind}-{index:03d}"


def _money(value):
    return Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _value(value):
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@functools.cache
def _password_hash():
    # Hashing is slow on purpose; every synthetic account shares one password.
    return make_password(PASSWORD)


def _aware(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class GovernmentBuilder:
    """Builds synthetic government number ``index``; the same seed gives the same data."""

    def __init__(self, index, seed):
        self.index = index
        self.rng = random.Random(seed * 100_003 + index)

    def build(self):
        with transaction.atomic():
            self.government = self._create(
                Government,
                [
                    Government(
                        name=f"Pemerintah Kota Sintetis {self.index:03d}",
                        kind=Government.Kind.KOTA,
                        region_code=region_code(self.index),
                        place_name=f"Sintetis {self.index:03d}",
                    )
                ],
            )[0]
            self._units()
            self._officials()
            self._accounts()
            self._plan()
            self._commitments()
            self._programs()
            self._progress()
        return self.government

    def _create(self, model, objects, date=None):
        return bulk_create_with_history(
            objects,
            model,
            batch_size=2000,
            default_change_reason=REASON,
            default_date=date or _aware(datetime.date(2019, 10, 1)),
        )

    # --- Organisation ---------------------------------------------------------------------

    def _units(self):
        government = self.government
        top = self._create(
            Unit,
            [
                Unit(
                    government=government,
                    kind=Unit.Kind.KEPALA_DAERAH,
                    code="KDH",
                    name="Walikota dan Wakil Walikota",
                    abbreviation="Walikota",
                ),
                Unit(
                    government=government,
                    kind=Unit.Kind.SETDA,
                    code="SETDA",
                    name="Sekretariat Daerah",
                    abbreviation="Setda",
                ),
            ],
        )
        self.kdh = top[0]
        self.asdas = self._create(
            Unit,
            [
                Unit(
                    government=government,
                    kind=Unit.Kind.ASDA,
                    code=f"ASDA{n}",
                    name=f"Asisten Daerah {n}",
                    abbreviation=f"Asda {n}",
                    parent=top[1],
                )
                for n in (1, 2, 3)
            ],
        )
        opds = [
            Unit(
                government=government,
                kind=Unit.Kind.OPD,
                opd_type=Unit.OpdType.BADAN,
                code="BAPPEDA",
                name="Badan Perencanaan Pembangunan Daerah",
                abbreviation="Bappeda",
                coordinator=self.asdas[1],
            )
        ]
        opds += [
            Unit(
                government=government,
                kind=Unit.Kind.OPD,
                opd_type=Unit.OpdType.DINAS,
                code=f"OPD{n:02d}",
                name=f"Dinas Sintetis {n:02d}",
                abbreviation=f"Dinas {n:02d}",
                coordinator=self.asdas[n % 3],
            )
            for n in range(1, OPD_COUNT)
        ]
        opds += [
            Unit(
                government=government,
                kind=Unit.Kind.KECAMATAN,
                code=f"KEC{n}",
                name=f"Kecamatan Sintetis {n}",
                abbreviation=f"Kec. {n}",
                coordinator=self.asdas[0],
            )
            for n in range(1, KECAMATAN_COUNT + 1)
        ]
        self.units = self._create(Unit, opds)
        self.bappeda = self.units[0]
        self.signatory_units = self.asdas + self.units

    def _nip(self):
        rng = self.rng
        born = datetime.date(rng.randint(1965, 1985), rng.randint(1, 12), rng.randint(1, 28))
        return (
            f"{born:%Y%m%d}{born.year + 25}{rng.randint(1, 12):02d}"
            f"{rng.choice('12')}{rng.randint(1, 999):03d}"
        )

    def _officials(self):
        start = datetime.date(2018, 1, 2)
        officials = [
            Official(
                unit=self.kdh,
                name=f"Walikota Sintetis {self.index:03d}",
                position="Walikota",
                is_head=True,
                start_date=datetime.date(2016, 2, 17),
            ),
            Official(
                unit=self.kdh,
                name=f"Wakil Walikota Sintetis {self.index:03d}",
                position="Wakil Walikota",
                is_head=False,
                start_date=datetime.date(2016, 2, 17),
            ),
        ]
        officials += [
            Official(
                unit=unit,
                name=f"Kepala {unit.name}",
                nip=self._nip(),
                rank="Pembina Tk. I / IV/b",
                position=f"Kepala {unit.name}",
                is_head=True,
                start_date=start,
            )
            for unit in self.signatory_units
        ]
        self.heads = {o.unit_id: o for o in self._create(Official, officials) if o.is_head}

    def _accounts(self):
        groups = ensure_role_groups()
        User = get_user_model()
        password = _password_hash()
        self.program_unit = self.units[1]  # the unit member's OPD
        people = [
            ("bappeda", self.bappeda, policy.BAPPEDA_GROUP),
            ("walikota", self.kdh, policy.PIMPINAN_GROUP),
            ("opd", self.program_unit, None),
        ]
        users = User.objects.bulk_create(
            [User(username=username(kind, self.index), password=password) for kind, *_ in people]
        )
        if not users[0].pk:  # backends that return no keys
            users = list(User.objects.filter(username__in=[u.username for u in users]))
        by_name = {u.username: u for u in users}
        self._create(
            Profile,
            [
                Profile(
                    user=by_name[username(kind, self.index)], government=self.government, unit=unit
                )
                for kind, unit, _group in people
            ],
        )
        for kind, _unit, group in people:
            if group:
                by_name[username(kind, self.index)].groups.add(groups[group])
        self.member = by_name[username("opd", self.index)]

    # --- RPJMD ----------------------------------------------------------------------------

    def _plan(self):
        rng = self.rng
        plan = self._create(
            models.Plan,
            [
                models.Plan(
                    government=self.government,
                    name="RPJMD 2016-2021",
                    start_year=2016,
                    end_year=2021,
                    legal_basis="Perda RPJMD",
                    vision="Kota cerdas sejahtera",
                )
            ],
        )[0]
        self.plan = plan
        missions = self._create(
            models.Mission,
            [models.Mission(plan=plan, number=n, text=f"Misi {n}") for n in range(1, 6)],
        )
        goals = self._create(
            models.Goal,
            [
                models.Goal(mission=m, code=f"{m.number}.{k}", text=f"Tujuan {m.number}.{k}")
                for m in missions
                for k in (1, 2)
            ],
        )
        objectives = self._create(
            models.Objective,
            [
                models.Objective(goal=g, code=f"{g.code}.{k}", text=f"Sasaran {g.code}.{k}")
                for g in goals
                for k in (1, 2)
            ],
        )
        plan_programs = self._create(
            models.PlanProgram,
            [
                models.PlanProgram(
                    objective=o,
                    code=f"{o.code}.{k}",
                    name=f"Program RPJMD {o.code}.{k}",
                    responsible_unit=rng.choice(self.units),
                )
                for o in objectives
                for k in (1, 2)
            ],
        )
        levels = (
            [("goal", g) for g in goals]
            + [("objective", o) for o in objectives for _ in (1, 2)]
            + [
                ("plan_program", p)
                for number, p in enumerate(plan_programs)
                for _ in range(2 + number % 2)
            ]
        )[:150]
        indicators = []
        for number, (level, owner) in enumerate(levels, start=1):
            cumulative = rng.random() < 0.3
            lower = rng.random() < 0.15
            base = Decimal(rng.randint(20, 80))
            indicators.append(
                models.Indicator(
                    plan=plan,
                    code=f"IK-{number:03d}",
                    name=f"Indikator sintetis {number:03d}",
                    unit_of_measure="persen" if not cumulative else "unit",
                    direction=models.Indicator.Direction.LOWER
                    if lower
                    else models.Indicator.Direction.HIGHER,
                    is_cumulative=cumulative,
                    decimal_places=0 if cumulative else 2,
                    combination=models.Indicator.Combination.SUM
                    if cumulative
                    else models.Indicator.Combination.AVERAGE,
                    baseline_value=base,
                    baseline_year=2015,
                    final_target=base * (Decimal("0.7") if lower else Decimal("1.3")),
                    responsible_unit=rng.choice(self.units),
                    **{level: owner},
                )
            )
        self.indicators = self._create(models.Indicator, indicators)
        targets = []
        for indicator in self.indicators:
            step = (indicator.final_target - indicator.baseline_value) / len(PLAN_YEARS)
            for offset, year in enumerate(PLAN_YEARS, start=1):
                targets.append(
                    models.IndicatorTarget(
                        indicator=indicator,
                        year=year,
                        target=_value(indicator.baseline_value + step * offset),
                        budget=_money(rng.randint(200, 5000) * 1_000_000)
                        if indicator.plan_program_id
                        else None,
                        realisation=_value(
                            indicator.baseline_value + step * offset * Decimal("0.95")
                        )
                        if year < 2019
                        else None,
                    )
                )
        self._create(models.IndicatorTarget, targets)
        self.targets = {(t.indicator_id, t.year): t.target for t in targets}

    # --- Commitments ----------------------------------------------------------------------

    def _commitments(self):
        rng = self.rng
        self.scheme = models.ClassificationScheme.objects.get(
            government=None, name="Gerakan Menuju 100 Smart City"
        )
        dates = [datetime.date(2019, 10, 11), datetime.date(2020, 2, 20)]
        self.commitments = self._create(
            Commitment,
            [
                Commitment(
                    government=self.government,
                    title=title,
                    theme=theme,
                    scheme=self.scheme,
                    date=day,
                    place="Aula Bappeda",
                    legal_basis="Perwal Smart City",
                    state=Commitment.State.OPEN,
                )
                for (title, theme), day in zip(
                    (
                        ("Komitmen Bersama Smart City", "Smart City"),
                        ("Komitmen Bersama Satu Data", "Satu Data"),
                    ),
                    dates,
                    strict=True,
                )
            ],
        )
        self._create(
            CommitmentPoint,
            [
                CommitmentPoint(commitment=c, number=n, text=f"Butir komitmen {n}.")
                for c in self.commitments
                for n in range(1, 6)
            ],
        )
        signatories, signatures = [], []
        for commitment in self.commitments:
            for unit in self.signatory_units:
                signatories.append(Signatory(commitment=commitment, unit=unit))
                if rng.random() < 0.92:
                    signatures.append(
                        new_signature(
                            commitment,
                            (unit, self.heads[unit.pk]),
                            signed_at=_aware(commitment.date),
                            method=Signature.Method.WET_INK,
                            actor=None,
                            evidence_name="scale/tanda-tangan.pdf",
                            evidence_sha256="0" * 64,
                        )
                    )
        self._create(Signatory, signatories)
        self._create(Signature, signatures)

    # --- Programs and progress ------------------------------------------------------------

    def _programs(self):
        rng = self.rng
        # The seeded Smart City scheme: its categories by code, as the dimensions were.
        categories = list(models.Category.objects.filter(scheme=self.scheme).order_by("code"))
        owners = [u for u in self.units if u.kind in (Unit.Kind.OPD, Unit.Kind.KECAMATAN)]
        programs = []
        # Nothing here may depend on primary keys: they differ between runs.
        for number, commitment in enumerate(self.commitments, start=1):
            for n in range(PROGRAMS_PER_COMMITMENT):
                start = commitment.date + datetime.timedelta(days=rng.randint(0, 200))
                owner = self.program_unit if n % 4 == 0 else rng.choice(owners)
                programs.append(
                    models.Program(
                        commitment=commitment,
                        owner_unit=owner,
                        code=f"9.99.{number:02d}.2.{n + 1:02d}",
                        title=f"Program sintetis {number}-{n + 1:03d}",
                        horizon=rng.choice(["quick_win", "short", "medium"]),
                        start_date=start,
                        end_date=datetime.date(2021, 12, 31),
                    )
                )
        self.programs = self._create(models.Program, programs)
        through = [
            (models.Program.categories.through, "category"),
            (models.Program.indicators.through, "indicator"),
            (models.Program.supporting_units.through, "unit"),
        ]
        links = {model: [] for model, _name in through}
        for program in self.programs:
            program.pace = rng.choice([1.05, 1.0, 0.95, 0.9, 0.85, 0.7, 0.5])
            program.linked = rng.sample(self.indicators, rng.randint(1, 3))
            for category in rng.sample(categories, rng.randint(1, 2)):
                links[through[0][0]].append(through[0][0](program=program, category=category))
            for indicator in program.linked:
                links[through[1][0]].append(through[1][0](program=program, indicator=indicator))
            supporting = rng.sample(owners, rng.randint(0, 2))
            for unit in supporting:
                links[through[2][0]].append(through[2][0](program=program, unit=unit))
        for model, rows in links.items():
            model.objects.bulk_create(rows, batch_size=2000)
        budgets, milestones, adoption = [], [], []
        for program in self.programs:
            amount = _money(rng.randint(100, 3000) * 1_000_000)
            budgets += [
                models.ProgramBudget(program=program, year=year, amount=amount)
                for year in range(program.start_date.year, 2022)
            ]
            days = (program.end_date - program.start_date).days
            for k in range(MILESTONES_PER_PROGRAM):
                begin = program.start_date + datetime.timedelta(days=days * k // 6)
                finish = program.start_date + datetime.timedelta(days=days * (k + 1) // 6 - 1)
                milestones.append(
                    models.Milestone(
                        program=program,
                        title=f"Tahapan {k + 1}",
                        planned_start=begin,
                        planned_finish=max(begin, finish),
                        weight=Decimal("16.70") if k == 5 else Decimal("16.66"),
                        order=k + 1,
                    )
                )
            adoption.append(
                models.AdoptionIndicator(
                    program=program,
                    name="Pengguna aktif",
                    unit_of_measure="orang",
                    quarterly_target=Decimal(rng.randint(100, 5000)),
                )
            )
        self._create(models.ProgramBudget, budgets)
        self.milestones = self._create(models.Milestone, milestones)
        self.adoption = {a.program_id: a for a in self._create(models.AdoptionIndicator, adoption)}
        self.budgets = {(b.program_id, b.year): b.amount for b in budgets}

    def _progress(self):
        rng = self.rng
        government = self.government
        periods = []
        for year, quarter in QUARTERS:
            periods.append(
                models.ReportingPeriod(
                    government=government,
                    year=year,
                    quarter=quarter,
                    **quarter_deadlines(government, year, quarter),
                    state=models.ReportingPeriod.State.LOCKED
                    if (year, quarter) <= LOCKED_UP_TO
                    else models.ReportingPeriod.State.OPEN,
                )
            )
        self.periods = self._create(models.ReportingPeriod, periods)
        by_program = {}
        for milestone in self.milestones:
            by_program.setdefault(milestone.program_id, []).append(milestone)
        rows = []
        for period in self.periods:
            end = status.quarter_end(period.year, period.quarter)
            for program in self.programs:
                if program.start_date > end:
                    continue
                outcome = report_outcome(rng, period.year, period.quarter)
                if outcome == "missing":
                    continue
                report = _report(rng, period, outcome)
                report.program = program
                budget = self.budgets.get((program.pk, period.year))
                if budget:
                    report.budget_realisation = _money(budget / 4 * Decimal(str(program.pace)))
                rows.append((report, program, end))
        self._create(models.ProgressReport, [r for r, *_ in rows])
        milestone_rows, indicator_rows, adoption_rows = [], [], []
        for report, program, end in rows:
            for milestone in by_program[program.pk]:
                planned = status.expected_percent(
                    milestone.planned_start, milestone.planned_finish, end
                )
                milestone_rows.append(
                    models.MilestoneProgress(
                        report=report,
                        milestone=milestone,
                        percent=min(Decimal(100), _value(planned * Decimal(str(program.pace)))),
                    )
                )
            for indicator in program.linked:
                target = self.targets.get((indicator.pk, report.period.year))
                if target is None:
                    continue
                factor = Decimal(str(rng.uniform(0.8, 1.08)))
                value = target / 4 * factor if indicator.is_cumulative else target * factor
                indicator_rows.append(
                    models.IndicatorRealisation(
                        report=report, indicator=indicator, value=indicator_value(indicator, value)
                    )
                )
            adoption_rows.append(
                models.AdoptionRealisation(
                    report=report,
                    indicator=self.adoption[program.pk],
                    value=_value(
                        self.adoption[program.pk].quarterly_target
                        * Decimal(str(rng.uniform(0.3, 1.1)))
                    ),
                )
            )
        self._create(models.MilestoneProgress, milestone_rows)
        self._create(models.IndicatorRealisation, indicator_rows)
        self._create(models.AdoptionRealisation, adoption_rows)
        return len(rows)


def _report(rng, period, outcome):
    state = outcome.removesuffix("_late")
    report = models.ProgressReport(
        period=period,
        state=state,
        supporting_factors="Dukungan pimpinan dan koordinasi lintas OPD berjalan baik.",
        obstacles="Keterbatasan SDM teknis di perangkat daerah.",
        follow_up="Menambah pendampingan teknis.",
        follow_up_next_plan="Mengusulkan pelatihan operator dalam Renja tahun berikutnya.",
    )
    if state != "draft":
        late = outcome.endswith("_late")
        delay = rng.randint(2, 12) if late else -rng.randint(0, 4)
        report.submitted_at = _aware(period.submission_deadline + datetime.timedelta(days=delay))
        report.is_late = late
    if state == "verified":
        report.verified_at = _aware(period.verification_deadline, 14)
    if state == "returned":
        report.return_reason = "Bukti dukung belum dilampirkan."
    return report
