"""Demo programs, milestones and nine quarters of progress (2019 TW IV - 2021 TW IV), of the
Smart City commitment and of the invented stunting commitment.

The program list is data (``programs.csv``); milestones and progress are
generated from it with a fixed random seed, so every demo looks the same:
mostly verified quarters, and recent ones with returned, waiting, late and
missing reports. Indicator figures respect the rules a unit's report must pass
(the indicator's decimal places, a percentage at most 100) and a summed count
is shared among the programs that report it; a rate or an index moves smoothly
from quarter to quarter toward the year's target. Everything goes through the
services, as the people who would do it: a unit's own account writes and
submits its report where the demo has one, a Bappeda member outside the unit
verifies or returns it, and each step happens after the one before.
"""

import datetime
import random
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from commitments.models import Commitment
from programs import indicator_values, reporting, selectors, services, status
from programs.models import Indicator, IndicatorTarget
from tracker import policy

REASON = "seed_demo"
QUARTERS = [(2019, 4)] + [(y, q) for y in (2020, 2021) for q in (1, 2, 3, 4)]
LOCKED_UP_TO = (2021, 2)
SUM = Indicator.Combination.SUM

MILESTONE_STEPS = [
    ("Penyusunan KAK dan rencana kerja", "Dokumen KAK"),
    ("Pengadaan dan pengembangan", "Sistem terpasang"),
    ("Uji coba terbatas", "Berita acara uji coba"),
    ("Peluncuran layanan", "Layanan beroperasi"),
    ("Sosialisasi kepada masyarakat", "Laporan sosialisasi"),
    ("Evaluasi pemanfaatan", "Laporan evaluasi"),
]
FOLLOW_UP_NEXT_PLAN = [
    "Mengusulkan tambahan anggaran pemeliharaan sistem dan pelatihan operator dalam Renja "
    "tahun berikutnya.",
    "Memasukkan integrasi layanan dengan aplikasi perangkat daerah lain ke dalam Renja "
    "tahun berikutnya.",
    "Menganggarkan sosialisasi di seluruh kelurahan dan survei kepuasan pengguna pada Renja "
    "tahun berikutnya.",
    "Menyusun kebutuhan SDM teknis dan pengadaan perangkat sebagai usulan Renja tahun berikutnya.",
]
# Now and then a unit explains a figure in the note (keterangan) of the indicator.
INDICATOR_NOTES = [
    "Angka sementara; angka final menunggu hasil verifikasi data akhir tahun.",
    "Termasuk data susulan dari triwulan sebelumnya yang baru selesai diverifikasi.",
    "Data dihimpun dari laporan kelurahan; dua kelurahan terlambat menyampaikan data.",
    "Dihitung dari rekapitulasi aplikasi pada hari kerja terakhir triwulan.",
]
NOTE_CHANCE = 0.12
RETURN_REASONS = [
    "Bukti dukung belum dilampirkan; lampirkan foto kegiatan atau berita acara.",
    "Realisasi anggaran tidak sesuai dengan SP2D; periksa kembali angkanya.",
    "Capaian tahapan melonjak tanpa penjelasan; uraikan di faktor pendorong.",
]


def quantize(value, places="0.01"):
    return Decimal(value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def indicator_value(indicator, value):
    """``value`` as the indicator means it: rounded to its decimal places and kept
    within the bounds its unit implies (a percentage at most 100, a count whole
    and not negative, an index within its scale), so the demo passes the same
    checks as a unit's report (``indicator_values.indicator_value_errors``)."""
    low, high = indicator_values.natural_bounds(indicator)
    if indicator.is_percentage:
        high = min(high, Decimal(100)) if high is not None else Decimal(100)
    if high is not None:
        value = min(value, high)
    if low is not None:
        value = max(value, low)
    return quantize(value, Decimal(1).scaleb(-indicator.decimal_places))


def _milestones(program, count):
    """Evenly spread milestones over the program, weights adding up to 100."""
    days = (program.end_date - program.start_date).days
    base = 100 // count
    rows = []
    for index in range(count):
        title, deliverable = MILESTONE_STEPS[index if count == 6 else min(index, 5)]
        start = program.start_date + datetime.timedelta(days=days * index // count)
        finish = program.start_date + datetime.timedelta(days=days * (index + 1) // count - 1)
        rows.append(
            {
                "title": title,
                "deliverable": deliverable,
                "planned_start": start,
                "planned_finish": max(finish, start),
                "weight": Decimal(base + (100 - base * count if index == count - 1 else 0)),
            }
        )
    return rows


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class People:
    """Who acts in the seeded workflow: each unit's own account (its head first, else
    an operator) and the Bappeda reviewers, from the demo accounts of the government.

    Without demo accounts (``seed_demo`` with DEBUG off) nobody is found and the
    system (``actor=None``) acts, as before.
    """

    def __init__(self, government):
        users = (
            get_user_model()
            .objects.filter(is_active=True, profile__government=government)
            .select_related("profile")
            .order_by("-profile__is_unit_head", "username")
        )
        self.writers, self.reviewers = {}, []
        for user in users:
            role = policy.role_of(user)
            if role == policy.Role.BAPPEDA:
                self.reviewers.append(user)
            elif role in policy.UNIT_ROLES:
                self.writers.setdefault(user.profile.unit_id, user)

    def writer(self, program):
        """An account of the program's unit, or None (the system) if the demo has none."""
        return self.writers.get(program.owner_unit_id)

    def reviewer(self, program):
        """The first Bappeda member outside the program's unit (separation of duties:
        nobody reviews their own unit's report), or None if the demo has none."""
        return next((u for u in self.reviewers if u.profile.unit_id != program.owner_unit_id), None)


def rate_value(indicator, year, quarter, targets, *, reach, draw):
    """A rate or index (a non-cumulative indicator) at the end of a quarter.

    The plan expects it to move from the previous year's target to this year's over
    the four quarters; the program gets ``reach`` of the way from the baseline to
    there (below 1 for a program that lags), give or take a quarter of a percent of
    that way (``draw``, from 0.8 to 1.08). So a value moves a little each quarter,
    within and across years, instead of jumping around the target.
    """
    target = targets[(indicator.pk, year)]
    before = targets.get((indicator.pk, year - 1))
    if before is None:
        before = indicator.baseline_value if indicator.baseline_value is not None else target
    expected = before + (target - before) * quarter / 4
    start = indicator.baseline_value if indicator.baseline_value is not None else before
    jitter = (Decimal(str(draw)) - Decimal("0.94")) / Decimal("0.14") * Decimal("0.0025")
    return start + (expected - start) * (reach + jitter)


def seed_programs(seeder, program_rows, extra=()):
    """Create the programs, milestones, periods and progress; returns how many programs.

    ``program_rows`` are the Smart City commitment's; ``extra`` lists (commitment, file
    name, rows) of other commitments, whose programs report in the same quarters.
    """
    government = seeder.government
    commitment = Commitment.objects.get(government=government, date=datetime.date(2019, 10, 11))
    if commitment.programs.exists():
        return 0
    rng = random.Random(20191011)
    programs = _create_programs(seeder, commitment, program_rows, rng, "programs.csv")
    # Other commitments' programs draw from generators of their own, so the draws of
    # ``rng`` (the Smart City programs' outcomes and figures) stay what they were.
    other_rng, other_texts = random.Random(20200830), random.Random(20200831)
    others = [
        program
        for other, file_name, rows in extra
        for program in _create_programs(seeder, other, rows, other_rng, file_name)
    ]

    targets = {
        (t.indicator_id, t.year): t.target
        for t in IndicatorTarget.objects.filter(indicator__plan__government=government)
    }
    # How many programs report each indicator: a summed count is shared among them.
    reporters = Counter(i.pk for p in programs + others for i in p.indicators.all())
    # Notes come from a second generator, so the draws of ``rng`` (outcomes, figures)
    # stay what they were before notes existed.
    texts = random.Random(20191012)
    groups = [(programs, rng, texts), (others, other_rng, other_texts)]
    people = People(government)
    for year, quarter in QUARTERS:
        period = services.open_period(
            actor=None, government=government, year=year, quarter=quarter, reason=REASON
        )
        for group, draws, notes in groups:
            for number, program in enumerate(group):
                # A report is due only in the quarters the program runs.
                if not selectors.is_active_in(program, (year, quarter)):
                    continue
                _report(
                    program,
                    period,
                    draws,
                    targets,
                    reporters=reporters,
                    texts=notes,
                    people=people,
                    follow_up_next_plan=FOLLOW_UP_NEXT_PLAN[
                        (number + quarter) % len(FOLLOW_UP_NEXT_PLAN)
                    ],
                )
        if (year, quarter) <= LOCKED_UP_TO:
            services.lock_period(period, actor=None, reason=REASON)
    return len(programs) + len(others)


def _create_programs(seeder, commitment, rows, rng, file_name):
    """The programs of ``rows`` (programs.csv's columns) under ``commitment``, with their
    milestones and a pace drawn from ``rng``."""
    government = seeder.government
    categories = {c.code: c for c in commitment.scheme.categories.all()}
    indicators = {i.code: i for i in Indicator.objects.filter(plan__government=government)}
    programs = []
    for index, (row_number, data) in enumerate(rows):
        units = seeder.units
        years = range(data["start_date"].year, data["end_date"].year + 1)
        adoption = []
        if data["adoption_name"]:
            adoption.append(
                {
                    "name": data["adoption_name"],
                    "unit_of_measure": data["adoption_unit"],
                    "quarterly_target": data["adoption_target"],
                }
            )
        program = services.create_program(
            actor=None,
            commitment=commitment,
            owner_unit=seeder.lookup(
                units, data["owner_unit"], file_name, row_number, "owner_unit"
            ),
            code=data["code"],
            title=data["title"],
            horizon=data["horizon"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            categories=[
                seeder.lookup(categories, c, file_name, row_number, "categories")
                for c in data["categories"]
            ],
            indicators=[
                seeder.lookup(indicators, c, file_name, row_number, "indicators")
                for c in data["indicators"]
            ],
            supporting_units=[
                seeder.lookup(units, c, file_name, row_number, "supporting_units")
                for c in data["supporting_units"]
            ],
            budgets=dict.fromkeys(years, data["budget"]),
            adoption_indicators=adoption,
            reason=REASON,
        )
        services.add_milestones(
            program, actor=None, milestones=_milestones(program, 3 + index % 4), reason=REASON
        )
        # How well this program does: most keep pace, a few lag badly.
        program.pace = rng.choice([1.05, 1.0, 0.95, 0.9, 0.85, 0.7, 0.5])
        programs.append(program)
    return programs


def report_outcome(rng, year, quarter):
    """What happened to a program's report in a quarter."""
    if (year, quarter) <= LOCKED_UP_TO:
        return rng.choices(["verified", "verified_late", "missing"], [85, 10, 5])[0]
    if (year, quarter) == (2021, 3):
        return rng.choices(["verified", "returned", "submitted", "missing"], [60, 15, 15, 10])[0]
    return rng.choices(
        ["verified", "submitted", "submitted_late", "returned", "draft", "missing"],
        [20, 25, 10, 10, 20, 15],
    )[0]


def _report(program, period, rng, targets, *, reporters, texts, people, follow_up_next_plan):
    """One program's report for ``period``: figures near the year's target, through the
    services up to the outcome ``report_outcome`` draws.

    The draws of ``rng`` (their number and order) decide which reports are verified,
    returned or missing; keep them as they are, or the demo's mix changes.
    """
    outcome = report_outcome(rng, period.year, period.quarter)
    if outcome == "missing":
        return
    writer, reviewer = people.writer(program), people.reviewer(program)
    report = reporting.start_report(program, period, actor=writer)
    end = status.quarter_end(period.year, period.quarter)
    previous = reporting.previous_verified_percents(program, period)
    percents = {}
    for milestone in program.milestones.all():
        planned = status.expected_percent(milestone.planned_start, milestone.planned_finish, end)
        value = min(Decimal(100), quantize(planned * Decimal(str(program.pace))))
        percents[milestone.pk] = max(value, previous.get(milestone.pk, Decimal(0)))
    values, notes = {}, {}
    for indicator in program.indicators.all():
        target = targets.get((indicator.pk, period.year))
        if target is None:
            continue
        draw = rng.uniform(0.8, 1.08)
        if indicator.is_cumulative:
            # Each program adds its share of the quarter, so the indicator's sum stays near
            # the target however many programs report it.
            factor = Decimal(str(draw))
            if indicator.direction == Indicator.Direction.LOWER:
                factor = Decimal(2) - factor
            share = reporters[indicator.pk] if indicator.combination == SUM else 1
            value = target / share / 4 * factor
        else:
            # A lagging program gets less far (pace 0.5: 75 % of the way, pace 1: all).
            reach = (1 + Decimal(str(program.pace))) / 2
            value = rate_value(
                indicator, period.year, period.quarter, targets, reach=reach, draw=draw
            )
        values[indicator.pk] = indicator_value(indicator, value)
        if texts.random() < NOTE_CHANCE:
            notes[indicator.pk] = texts.choice(INDICATOR_NOTES)
    adoption = {
        a.pk: quantize(a.quarterly_target * Decimal(str(rng.uniform(0.3, 1.1))), "1")
        for a in program.adoption_indicators.all()
    }
    budget = program.budgets.filter(year=period.year).first()
    reporting.save_report(
        report,
        actor=writer,
        expected_version=report.version,
        milestone_percents=percents,
        indicator_values=values,
        indicator_notes=notes,
        adoption_values=adoption,
        budget_realisation=quantize(budget.amount / 4 * Decimal(str(program.pace)), "1")
        if budget
        else None,
        supporting_factors="Dukungan pimpinan dan koordinasi lintas OPD berjalan baik.",
        obstacles=rng.choice(
            [
                "Keterbatasan SDM teknis di perangkat daerah.",
                "Proses pengadaan barang dan jasa memakan waktu lebih lama dari rencana.",
                "Sosialisasi kepada masyarakat belum merata di semua kelurahan.",
            ]
        ),
        follow_up="Menambah pendampingan teknis dan memperluas sosialisasi.",
        follow_up_next_plan=follow_up_next_plan,
        reason=REASON,
    )
    if outcome == "draft":
        return
    late = outcome.endswith("_late")
    day = datetime.timedelta(days=1)
    submitted = (
        period.submission_deadline + day * rng.randint(2, 12)
        if late
        else period.submission_deadline - day * rng.randint(0, 4)
    )
    # Never within the quarter it reports on (a short deadline could reach back into it).
    submitted = max(submitted, end + day)
    report = reporting.submit_report(report, actor=writer, reason=REASON, at=_at(submitted))
    if outcome in ("submitted", "submitted_late"):
        return
    if outcome == "returned":
        # return_report takes no date: the return is dated when the seed runs, after the
        # submission.
        reporting.return_report(report, actor=reviewer, reason=rng.choice(RETURN_REASONS))
        return
    wait = rng.randint(0, 3)
    verified = period.verification_deadline - day * wait
    if verified <= submitted:
        # A late report is verified a few days after it arrives, not before.
        verified = submitted + day * (1 + wait)
    reporting.verify_report(report, actor=reviewer, reason=REASON, at=_at(verified, 14))
