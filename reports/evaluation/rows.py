"""The rows of the evaluation table, as both renderers (PDF, Excel) read them."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from programs.models import Indicator, Program
from tracker.achievement import mean_percent, predicate_label

TWO_PLACES = Decimal("0.01")
# A quarter whose report exists but is not verified (yet): printed as a mark.
UNVERIFIED = "unverified"
QUARTERS = (1, 2, 3, 4)


@dataclass
class Figures:
    """One line's figures in the form's columns 5-15, for K or for Rp."""

    final_target: Decimal | None = None  # 5
    before: Decimal | None = None  # 6
    year_target: Decimal | None = None  # 7
    quarters: dict = field(default_factory=dict)  # 8-11: quarter -> value, UNVERIFIED or None
    year_realisation: Decimal | None = None  # 12
    year_achievement: Decimal | None = None  # 13
    cumulative: Decimal | None = None  # 14
    cumulative_achievement: Decimal | None = None  # 15

    def values(self, report_quarter):
        """The eleven figures in column order; quarters after the report's are ``None``."""
        return [
            self.final_target,
            self.before,
            self.year_target,
            *[self.quarters.get(q) if q <= report_quarter else None for q in QUARTERS],
            self.year_realisation,
            self.year_achievement,
            self.cumulative,
            self.cumulative_achievement,
        ]


# Index of the two achievement columns among the eleven figures (13 and 15).
ACHIEVEMENT_INDEXES = (8, 10)


@dataclass
class IndicatorLine:
    """An RPJMD indicator as one program reports it (K)."""

    indicator: Indicator
    objective: str  # the sasaran (or tujuan) the indicator measures
    k: Figures
    notes: list


@dataclass
class ProgramBlock:
    """A program: its budget (Rp) beside the first of its indicator lines."""

    number: str
    program: Program
    rp: Figures
    lines: list  # IndicatorLine, at least one row is printed even when empty
    notes: list  # about the program's reports and budget


@dataclass
class UnitSection:
    unit: object
    programs: list
    average_k: Decimal | None
    predicate_k: str
    average_rp: Decimal | None
    predicate_rp: str
    supporting_factors: list  # (program title, text)
    obstacles: list
    follow_up: list
    follow_up_next_plan: list


@dataclass
class IndicatorEvaluation:
    """An RPJMD indicator evaluated as a whole: its programs combined by its rule."""

    number: str
    indicator: Indicator
    objective: str
    rule: str  # the combining rule, as printed
    programs: list  # the programs that report it in this report
    k: Figures
    predicate: str
    notes: list
    # The plan's pagu against the reporting programs' verified budget realisations.
    rp: Figures = field(default_factory=Figures)
    responsible_unit: object = None  # the RPJMD's unit in charge (tracker.Unit) or None


@dataclass
class EvaluationTable:
    year: int
    quarter: int
    plan_end_year: int | None
    sections: list
    indicators: list  # IndicatorEvaluation; empty in a unit's report
    average_k: Decimal | None
    predicate_k: str
    average_rp: Decimal | None
    predicate_rp: str

    @property
    def plan_average_k(self):
        """Average achievement against the end-of-RPJMD targets (column 15)."""
        return average_of(e.k.cumulative_achievement for e in self.indicators)


def figure_columns(year, plan_end_year=None):
    """(number, heading, formula) of the form's eleven figure columns, for both renderers."""
    end = plan_end_year or ""
    return [
        (5, _("Target at the end of the RPJMD %(year)s") % {"year": end}, ""),
        (6, _("Realisation up to %(year)s") % {"year": year - 1}, ""),
        (7, _("Target %(year)s") % {"year": year}, ""),
        (8, _("Realisation Q I"), ""),
        (9, _("Realisation Q II"), ""),
        (10, _("Realisation Q III"), ""),
        (11, _("Realisation Q IV"), ""),
        (12, _("Realisation %(year)s evaluated") % {"year": year}, "12 = 8+9+10+11"),
        (13, _("Achievement %(year)s (%%)") % {"year": year}, "13 = 12/7 × 100%"),
        (14, _("Realisation up to %(year)s") % {"year": year}, "14 = 6 + 12"),
        (
            15,
            _("Achievement against the RPJMD up to %(year)s (%%)") % {"year": year},
            "15 = 14/5 × 100%",
        ),
    ]


def average_of(values):
    """The mean of the achievements to two places, half-up (``mean_percent``), or ``None``."""
    return mean_percent(values)


def row_notes(block, position, line):
    """The Keterangan of a program block's ``position``-th row: the program's own notes
    on its first row, then the indicator line's. A gap named for both the budget
    and the indicator ("Rp: no data for 2019" and "no data for 2019") is written
    once, as "K and Rp: ...", instead of twice in one cell."""
    line_notes = list(line.notes) if line is not None else []
    if position != 0:
        return line_notes
    notes = []
    for note in block.notes:
        plain = note.removeprefix(rp_prefix()) if note.startswith(rp_prefix()) else None
        if plain is not None and plain in line_notes:
            line_notes.remove(plain)
            notes.append(_("K and Rp: %(note)s") % {"note": plain})
        else:
            notes.append(note)
    return notes + line_notes


def rp_prefix():
    """The prefix of a program's notes about its budget figures."""
    return _("Rp: ")


def grouped_texts(entries):
    """[(text, "title; title")]: a text that several programs share is given once,
    naming them, in the order the texts first appear."""
    by_text = {}
    for title, text in entries:
        by_text.setdefault(text, []).append(title)
    return [(text, "; ".join(titles)) for text, titles in by_text.items()]


def graded(average_k, average_rp):
    """The four average and predicate fields of a unit section or the whole table."""
    return {
        "average_k": average_k,
        "predicate_k": str(predicate_label(average_k)),
        "average_rp": average_rp,
        "predicate_rp": str(predicate_label(average_rp)),
    }


def closing_rows(unit_section):
    """(caption, [(program title, text)]) of the form's four rows under a unit's table."""
    return [
        (_("Supporting factors"), unit_section.supporting_factors),
        (_("Obstacles"), unit_section.obstacles),
        (_("Follow-up needed in the next quarter"), unit_section.follow_up),
        (
            _("Follow-up needed in the next annual work plan (Renja)"),
            unit_section.follow_up_next_plan,
        ),
    ]


def legend():
    """How to read the table: the marks, the formulas and what the predicate grades."""
    return (
        _(
            "K: performance; Rp: budget. Only verified reports count. – : nothing verified; "
            "† : a report exists but is not verified; blank: the quarter has not come yet. "
            "Column 12 adds the quarters of a cumulative indicator and takes the latest quarter "
            "of any other (a rate, an index); column 14 adds column 6 only for a cumulative "
            "indicator. For an indicator where lower is better, achievement is "
            "(2 × target − realisation) / target × 100%, never below 0. Averages and "
            "achievements are rounded half-up to two decimals, and the predicate grades column "
            "13, the achievement of the year evaluated, as rounded: above 90 (to 100 and over): "
            "very high; above 75 to 90: high; above 65 to 75: medium; above 50 to 65: low; 50 "
            "and below: very low. Where several programs report a rate and the latest counts, "
            "reports verified at the same moment are ordered by submission time, then report "
            "number, and Notes names the one taken. Missing years and quarters are named under "
            "Notes."
        )
        + " "
        + _(
            "Columns 5 and 7 of a program's row hold the program's own targets (from its "
            "unit's Renstra or Renja) where it has them, as Notes says: column 7 the year's, "
            "column 5 the last plan year's for a rate or the sum of its years for a cumulative "
            "indicator. Otherwise they hold the RPJMD's, except for a summed indicator shared "
            "by several programs, which is graded only as a whole."
        )
    )
