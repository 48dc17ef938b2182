"""Achievement (capaian) of an indicator and its predicate band.

Pure functions on ``Decimal``: no database, no floats. The rules are those of
the Permendagri 86/2017 evaluation as used in LKjIP reports:

* higher is better: achievement = realisation / target x 100
* lower is better (e.g. stunting rate): achievement =
  (2 x target - realisation) / target x 100, i.e. every point below the
  target counts as much as a point above it would for a "higher" indicator.
  This form (rather than target / realisation) also works for a realisation
  of zero.
* a cumulative indicator adds its period realisations up; a non-cumulative
  one (a rate, an index, a level) takes the latest reported value.

Achievement over 100 % is possible and kept; the predicate of anything over
90 % is the top band.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

HIGHER = "higher"
LOWER = "lower"

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")

# Lower bounds (exclusive) of each band, best first, per Permendagri 86/2017:
# 91-100 % very high, 76-90 % high, 66-75 % medium, 51-65 % low, <= 50 % very low.
# The published bands are written in whole percents; a value such as 90.5 %
# falls in the band above 90, hence "greater than" the previous band's top.
BANDS = (
    (Decimal(90), 1),
    (Decimal(75), 2),
    (Decimal(65), 3),
    (Decimal(50), 4),
)
LOWEST_BAND = 5

LABEL_SETS = {
    "tinggi": {
        1: _("Very high"),
        2: _("High"),
        3: _("Medium"),
        4: _("Low"),
        5: _("Very low"),
    },
    "baik": {
        1: _("Very good"),
        2: _("Good"),
        3: _("Fair"),
        4: _("Poor"),
        5: _("Very poor"),
    },
}


def aggregate_realisation(values, *, cumulative):
    """Combine period realisations (oldest first) into one figure.

    Cumulative indicators sum their periods; non-cumulative ones take the
    latest reported value. ``None`` means "not reported" and is skipped.
    Returns ``None`` when nothing was reported.
    """
    reported = [Decimal(v) for v in values if v is not None]
    if not reported:
        return None
    if cumulative:
        return sum(reported, Decimal(0))
    return reported[-1]


# How the figures of several programs reporting one indicator in the same quarter
# combine (the values of ``programs.Indicator.Combination``; a designated program
# is chosen before combining, so it reaches here as a single value).
SUM = "sum"
AVERAGE = "average"
LATEST = "latest"
MINIMUM = "min"
MAXIMUM = "max"
DESIGNATED = "designated"
FOUR_PLACES = Decimal("0.0001")


def combine_programs(values, rule):
    """One figure from several programs' figures for the same quarter.

    ``values`` are in the order they were verified (oldest first), ``None``
    for a program that reported nothing. ``LATEST`` and ``DESIGNATED`` take
    the last value; an average keeps four decimal places (the precision of
    stored indicator values). Returns ``None`` when no program reported.
    """
    reported = [Decimal(v) for v in values if v is not None]
    if not reported:
        return None
    if rule == SUM:
        return sum(reported, Decimal(0))
    if rule == AVERAGE:
        return (sum(reported, Decimal(0)) / len(reported)).quantize(
            FOUR_PLACES, rounding=ROUND_HALF_UP
        )
    if rule == MINIMUM:
        return min(reported)
    if rule == MAXIMUM:
        return max(reported)
    if rule in (LATEST, DESIGNATED):
        return reported[-1]
    raise ValueError(f"unknown combining rule {rule!r}")


def mean_percent(values):
    """The mean of Decimal percentages to two places, rounded half-up as a calculator
    and Excel's ROUND do (never half-to-even); ``None`` values are skipped.

    Returns ``None`` when there is nothing to average.
    """
    reported = [Decimal(v) for v in values if v is not None]
    if not reported:
        return None
    return (sum(reported, Decimal(0)) / len(reported)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def achievement_percent(realisation, target, *, direction=HIGHER):
    """Achievement of ``realisation`` against ``target`` in percent, 2 decimals.

    Returns ``None`` when either figure is missing or the target is zero (an
    achievement against a zero target is undefined, not infinite).
    """
    if realisation is None or target is None:
        return None
    realisation = Decimal(realisation)
    target = Decimal(target)
    if target == 0:
        return None
    if direction == HIGHER:
        percent = realisation / target * HUNDRED
    elif direction == LOWER:
        # Floored at 0: a realisation of twice the target or worse earns nothing,
        # not a negative achievement (PermenPANRB 6/2022's "special condition").
        percent = max((2 * target - realisation) / target * HUNDRED, Decimal(0))
    else:
        raise ValueError(f"unknown indicator direction {direction!r}")
    return percent.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def predicate_band(percent):
    """The band number (1 best .. 5 worst) of an achievement percentage.

    The value is graded as printed: rounded half-up to two decimals first, so
    90,004 % is 90,00 % and "Tinggi", while 90,005 % prints 90,01 % and is
    "Sangat Tinggi". The bands have no gaps: > 90, > 75, > 65, > 50, the rest.
    """
    percent = Decimal(percent).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    for lower_bound, band in BANDS:
        if percent > lower_bound:
            return band
    return LOWEST_BAND


def predicate_label(percent, label_set=None):
    """The predicate of an achievement percentage, in the configured wording.

    ``label_set`` is "tinggi" or "baik"; by default ``settings.ACHIEVEMENT_LABELS``.
    Returns ``""`` for a missing achievement.
    """
    if percent is None:
        return ""
    labels = LABEL_SETS[label_set or settings.ACHIEVEMENT_LABELS]
    return labels[predicate_band(percent)]


SPBE_BANDS = (
    (Decimal("4.2"), _("Satisfactory")),
    (Decimal("3.5"), _("Very good")),
    (Decimal("2.6"), _("Good")),
    (Decimal("1.8"), _("Fair")),
)


def spbe_predicate(index):
    """Predicate of an SPBE (e-government) index on its 1-5 scale, per PermenPANRB."""
    index = Decimal(index)
    for lower_bound, label in SPBE_BANDS:
        if index >= lower_bound:
            return label
    return _("Poor")
