"""The demo programs' own targets (invented, like the demo's figures): each summed RPJMD
indicator that several programs report gets its yearly target split among the
programs running that year, as a unit's Renja would give its share, so the
demo report grades every program row instead of leaving the shared ones blank.
"""

from decimal import ROUND_HALF_UP, Decimal

from programs.models import Indicator, IndicatorTarget, Program
from rpjmd import program_targets
from rpjmd.models import ProgramTarget


def seed_program_targets(government, *, reason):
    """Split each shared summed indicator's yearly targets evenly (the last program takes
    the rounding remainder, so they add up). Returns how many targets were written;
    nothing on a second run."""
    programs = list(
        Program.objects.filter(commitment__government=government)
        .prefetch_related("indicators")
        .order_by("pk")
    )
    sharing = {}
    for program in programs:
        for indicator in program.indicators.all():
            if indicator.combination == Indicator.Combination.SUM:
                sharing.setdefault(indicator, []).append(program)
    written = 0
    for indicator, linked in sharing.items():
        if len(linked) < 2:
            continue
        step = Decimal(1).scaleb(-indicator.decimal_places)
        for row in IndicatorTarget.objects.filter(indicator=indicator).order_by("year"):
            running = [p for p in linked if p.start_date.year <= row.year <= p.end_date.year]
            if not running:
                continue
            share = (row.target / len(running)).quantize(step, rounding=ROUND_HALF_UP)
            for position, program in enumerate(running):
                last = position == len(running) - 1
                target = row.target - share * (len(running) - 1) if last else share
                written += program_targets.set_program_target(
                    actor=None,
                    program=program,
                    indicator=indicator,
                    year=row.year,
                    target=target,
                    source=ProgramTarget.Source.RENJA,
                    reason=reason,
                )
    return written
