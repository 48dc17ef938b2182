from decimal import Decimal as D

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from tracker.achievement import (
    achievement_percent,
    aggregate_realisation,
    combine_programs,
    mean_percent,
    predicate_band,
    predicate_label,
    spbe_predicate,
)

positive = st.decimals(min_value="0.01", max_value="1000000", places=2)


def test_higher_is_better():
    assert achievement_percent(D("3.27"), D("2.95")) == D("110.85")
    assert achievement_percent(D("45"), D("60")) == D("75.00")


def test_lower_is_better_rewards_being_under_the_target():
    # stunting target 20 %: 18 % is better than the target, 25 % is worse
    assert achievement_percent(D("18"), D("20"), direction="lower") == D("110.00")
    assert achievement_percent(D("25"), D("20"), direction="lower") == D("75.00")
    assert achievement_percent(D("0"), D("20"), direction="lower") == D("200.00")


def test_missing_figures_and_zero_targets_have_no_achievement():
    assert achievement_percent(None, D("10")) is None
    assert achievement_percent(D("10"), None) is None
    assert achievement_percent(D("10"), D("0")) is None


def test_unknown_direction_is_an_error():
    with pytest.raises(ValueError):
        achievement_percent(D("1"), D("1"), direction="sideways")


@given(target=positive, realisation=positive)
def test_meeting_the_target_is_100_percent_either_way(target, realisation):
    assert achievement_percent(target, target) == D("100.00")
    assert achievement_percent(target, target, direction="lower") == D("100.00")
    higher = achievement_percent(realisation, target)
    lower = achievement_percent(realisation, target, direction="lower")
    # a realisation above target is good for "higher", bad for "lower", symmetrically,
    # until "lower" reaches its floor of 0 at twice the target
    if realisation <= 2 * target:
        assert abs((higher - 100) + (lower - 100)) <= D("0.02")
    else:
        assert lower == 0


@given(target=positive, a=positive, b=positive)
def test_achievement_is_monotone_in_the_realisation(target, a, b):
    low, high = sorted([a, b])
    assert achievement_percent(low, target) <= achievement_percent(high, target)
    assert achievement_percent(low, target, direction="lower") >= achievement_percent(
        high, target, direction="lower"
    )


def test_cumulative_sums_and_non_cumulative_takes_the_latest():
    quarters = [D("10"), None, D("15"), D("5")]
    assert aggregate_realisation(quarters, cumulative=True) == D("30")
    assert aggregate_realisation(quarters, cumulative=False) == D("5")
    assert aggregate_realisation([D("3.1"), None], cumulative=False) == D("3.1")
    assert aggregate_realisation([None, None], cumulative=True) is None


@pytest.mark.parametrize(
    "percent, band",
    [
        ("150", 1),
        ("100", 1),
        ("91", 1),
        ("90.01", 1),
        ("90", 2),
        ("76", 2),
        ("75.5", 2),
        ("75", 3),
        ("66", 3),
        ("65", 4),
        ("51", 4),
        ("50", 5),
        ("0", 5),
        ("-10", 5),
    ],
)
def test_predicate_bands_follow_permendagri_86_2017(percent, band):
    assert predicate_band(D(percent)) == band


@given(st.decimals(min_value="-100", max_value="500", places=2))
def test_bands_never_get_better_as_achievement_falls(percent):
    assert predicate_band(percent) <= predicate_band(percent - D("0.01"))


def test_labels_are_configurable_but_bands_are_not():
    with override_settings(LANGUAGE_CODE="en"):
        from django.utils import translation

        with translation.override("en"):
            assert str(predicate_label(D("95"), "tinggi")) == "Very high"
            assert str(predicate_label(D("95"), "baik")) == "Very good"
            with override_settings(ACHIEVEMENT_LABELS="baik"):
                assert str(predicate_label(D("40"))) == "Very poor"
            assert predicate_label(None) == ""


def test_labels_are_indonesian_by_default():
    from django.utils import translation

    with translation.override("id"):
        assert str(predicate_label(D("95"), "tinggi")) == "Sangat Tinggi"
        assert str(predicate_label(D("70"), "baik")) == "Cukup"


@pytest.mark.parametrize(
    "index, label",
    [
        ("4.2", "Satisfactory"),
        ("3.5", "Very good"),
        ("3.27", "Good"),
        ("2.6", "Good"),
        ("1.8", "Fair"),
        ("1.79", "Poor"),
    ],
)
def test_spbe_predicate(index, label):
    from django.utils import translation

    with translation.override("en"):
        assert str(spbe_predicate(D(index))) == label


def test_lower_is_better_achievement_is_floored_at_zero():
    # Three times the target: (2 x 20 - 60) / 20 would be -100 %.
    assert achievement_percent(D("60"), D("20"), direction="lower") == D("0.00")
    assert achievement_percent(D("40"), D("20"), direction="lower") == D("0.00")


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("sum", D("60")),
        ("average", D("20.0000")),
        ("min", D("10")),
        ("max", D("30")),
        ("latest", D("20")),  # the value verified last, not the largest
        ("designated", D("20")),
    ],
)
def test_programs_combine_by_the_stored_rule(rule, expected):
    assert combine_programs([D("10"), None, D("30"), D("20")], rule) == expected


def test_an_average_of_programs_keeps_four_places_and_nobody_reporting_is_none():
    assert combine_programs([D("1"), D("1"), D("2")], "average") == D("1.3333")
    assert combine_programs([None, None], "sum") is None
    with pytest.raises(ValueError):
        combine_programs([D("1")], "median")


# --- Rounding half-up and the bands' edges ----------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Half-to-even would give 93.98 and 90.50: a calculator and Excel's ROUND do not.
        ([D("93.98"), D("93.99")], D("93.99")),
        ([D("90.50"), D("90.51")], D("90.51")),
        ([D("10.005")], D("10.01")),
        ([D("10.004")], D("10.00")),
        ([D("0"), D("0.01")], D("0.01")),
        ([None, D("50"), None], D("50.00")),
    ],
)
def test_averages_round_half_up(values, expected):
    assert mean_percent(values) == expected


def test_an_average_of_nothing_is_none():
    assert mean_percent([]) is None
    assert mean_percent([None]) is None


def test_achievement_rounds_half_up():
    # 0.00125 / 1 x 100 = 0.125 % -> 0.13, not the even 0.12
    assert achievement_percent(D("0.00125"), D("1")) == D("0.13")


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        (D("90.004"), 2),  # prints 90,00 %: not above 90
        (D("90.005"), 1),  # prints 90,01 %
        (D("90.50"), 1),
        (D("90"), 2),
        (D("75.00"), 3),
        (D("75.005"), 2),
        (D("65.004"), 4),
        (D("50.00"), 5),
        (D("50.005"), 4),
        (D("250"), 1),  # over 100 % is possible and graded at the top
    ],
)
def test_the_band_grades_the_value_as_printed(percent, band):
    assert predicate_band(percent) == band
