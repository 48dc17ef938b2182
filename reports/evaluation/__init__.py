"""The evaluation table of the quarterly report (Permendagri 86/2017), read once for
both renderers.

Every figure column of the form is a pair, performance (K) and budget (Rp), on
the same line. A program's block shows that program's own verified figures:
its budget (Rp) and, for each RPJMD indicator it reports, its own realisations
(K), never another program's. Where the RPJMD indicator itself is evaluated
(the section after the units), the programs' figures of each quarter are
combined by the rule stored on the indicator (``Indicator.combination``).

The form's columns, numbered as printed::

    5  target at the end of the RPJMD        6  realisation up to last year
    7  target of the year                    8-11  realisation in quarters I-IV
    12 realisation of the year (8+9+10+11, or the latest for a rate)
    13 achievement of the year (12 / 7)      14 realisation up to this year (6 + 12)
    15 achievement against the RPJMD (14 / 5)

The predicate grades column 13, the year being evaluated. A year or quarter
without data is named in the line's notes (Keterangan), never filled in from
another year.
"""

from django.db.models import Prefetch

from programs.models import Indicator
from reports.evaluation.facts import Facts
from reports.evaluation.figures import indicator_evaluation, program_block, unit_section
from reports.evaluation.rows import EvaluationTable, average_of, graded


def evaluation_table(programs, *, year, quarter, whole_government):
    """The evaluation table of ``programs`` for ``year`` up to ``quarter``.

    ``programs`` is a queryset already narrowed to the report and its reader.
    ``whole_government`` adds the section that evaluates each RPJMD indicator
    as a whole. A fixed number of queries whatever the number of units,
    programs and indicators.
    """
    indicators_qs = Indicator.objects.select_related(
        "plan",
        "objective",
        "goal",
        "plan_program__objective",
        "designated_program",
        "responsible_unit",
    ).order_by("code")
    programs = list(
        programs.select_related("owner_unit")
        .prefetch_related(Prefetch("indicators", queryset=indicators_qs))
        .order_by("owner_unit__name", "title")
    )
    facts = Facts(programs, year, quarter)

    sections = {}
    for program in programs:
        blocks = sections.setdefault(program.owner_unit, [])
        blocks.append(program_block(program, f"{len(blocks) + 1}", facts))
    unit_sections = [unit_section(unit, blocks, facts) for unit, blocks in sections.items()]

    evaluations = []
    if whole_government:
        reporters = {}
        for program in programs:
            for indicator in program.indicators.all():
                reporters.setdefault(indicator, []).append(program)
        ordered = sorted(reporters.items(), key=lambda item: item[0].code)
        budgets = {block.program.pk: block.rp for blocks in sections.values() for block in blocks}
        for number, (indicator, reporting) in enumerate(ordered, start=1):
            evaluations.append(
                indicator_evaluation(indicator, str(number), reporting, facts, budgets=budgets)
            )
        k_scores = [e.k.year_achievement for e in evaluations]
    else:
        k_scores = [s.average_k for s in unit_sections]
    all_blocks = [block for blocks in sections.values() for block in blocks]
    plan_ends = [i.plan.end_year for i in facts.indicators.values()]
    return EvaluationTable(
        year=year,
        quarter=quarter,
        plan_end_year=max(plan_ends) if plan_ends else None,
        sections=unit_sections,
        indicators=evaluations,
        **graded(
            average_of(k_scores),
            average_of(block.rp.year_achievement for block in all_blocks),
        ),
    )
