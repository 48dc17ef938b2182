"""Everything the evaluation table is computed from, read in a fixed number of queries."""

from django.db.models import Count

from programs import selectors as program_selectors
from programs.models import IndicatorTarget, Program, ProgramBudget, ProgressReport
from rpjmd import program_targets


class Facts:
    """Everything the table is computed from, read in a fixed number of queries."""

    def __init__(self, programs, year, quarter):
        self.year, self.quarter = year, quarter
        self.indicators = {i.pk: i for p in programs for i in p.indicators.all()}
        first_year = min(
            [i.plan.start_year for i in self.indicators.values()]
            + [p.start_date.year for p in programs],
            default=year,
        )
        rows = program_selectors.verified_indicator_rows(
            programs, self.indicators.values(), years=(first_year, year), up_to=(year, quarter)
        )
        self.by_program = program_selectors.values_by_program(rows)
        self.combined = program_selectors.combined_values(self.indicators.values(), rows)
        # Quarters where "latest" chose between reports verified at one moment.
        self.ties = program_selectors.latest_ties(self.indicators.values(), rows)
        self.program_titles = {p.pk: p.title for p in programs}
        self.notes = {}
        for row in rows:
            if row.year == year and row.note.strip():
                self.notes.setdefault((row.program_id, row.indicator_id), []).append(
                    (row.quarter, row.note.strip())
                )
        self.targets = {
            (row["indicator_id"], row["year"]): row
            for row in IndicatorTarget.objects.filter(indicator__in=list(self.indicators)).values(
                "indicator_id", "year", "target", "realisation", "budget"
            )
        }
        # How many programs of the government share each indicator: a summed
        # indicator's target belongs to all of them together, not to one.
        self.sharing = dict(
            Program.indicators.through.objects.filter(indicator_id__in=list(self.indicators))
            .order_by()
            .values("indicator_id")
            .annotate(n=Count("program_id"))
            .values_list("indicator_id", "n")
        )
        # The programs' own targets (Renstra/Renja): a program is graded against its
        # own where it has one. A summed indicator whose programs' own targets for
        # the year do not make the plan's is named in its evaluation.
        self.own_targets = program_targets.own_targets(programs)
        self.mismatches = {}
        for found in program_targets.summed_mismatches(self.indicators.values(), years=[year]):
            self.mismatches.setdefault(found.indicator.pk, []).append(found)
        self.budgets = {}  # program id -> {year: Rupiah}
        for program_id, budget_year, amount in ProgramBudget.objects.filter(
            program__in=programs
        ).values_list("program_id", "year", "amount"):
            self.budgets.setdefault(program_id, {})[budget_year] = amount
        # Every report up to the quarter: (program, year, quarter) -> (state, Rp, texts).
        self.reports = {}
        for report in (
            ProgressReport.objects.filter(program__in=programs, period__year__lte=year)
            .exclude(period__year=year, period__quarter__gt=quarter)
            .values(
                "program_id",
                "period__year",
                "period__quarter",
                "state",
                "budget_realisation",
                "supporting_factors",
                "obstacles",
                "follow_up",
                "follow_up_next_plan",
            )
        ):
            key = (report["program_id"], report["period__year"], report["period__quarter"])
            self.reports[key] = report
