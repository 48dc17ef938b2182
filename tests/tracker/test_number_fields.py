"""Numbers typed as people write them: "1.000,5" and "1000.5"; "1.234" is asked about."""

from decimal import Decimal

import pytest
from django import forms

from tracker.number_fields import IndonesianDecimalField, format_number, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11,11", "11.11"),
        ("170.625.000", "170625000"),
        ("1.000,5", "1000.5"),
        ("1000.5", "1000.5"),
        ("1,000.5", "1000.5"),
        ("1,000,000", "1000000"),
        ("11.1100", "11.1100"),
        ("170625000.00", "170625000.00"),
        ("0.125", "0.125"),
        ("1234.567", "1234.567"),
        (" 1 000,5 ", "1000.5"),
        ("-5,5", "-5.5"),
        (",5", "0.5"),
        ("50", "50"),
    ],
)
def test_parses_both_conventions(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "1.00.000", "1,2,3", "1.2.3,4", "1,000,5.5", "-", "1e5"])
def test_refuses_what_is_no_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("11.1100"), "11,11"),
        (Decimal("170625000.00"), "170.625.000"),
        (Decimal("50.00"), "50"),
        (Decimal("0"), "0"),
        (Decimal("-1234.5"), "-1.234,5"),
        ("1.000,5 typed", "1.000,5 typed"),
        (None, ""),
    ],
)
def test_shows_numbers_as_people_write_them(value, shown):
    assert format_number(value) == shown


class NumberForm(forms.Form):
    amount = IndonesianDecimalField(
        required=False, min_value=0, max_value=100, max_digits=5, decimal_places=2
    )


def test_field_keeps_decimal_and_limits():
    form = NumberForm({"amount": "12,5"})
    assert form.is_valid()
    assert form.cleaned_data["amount"] == Decimal("12.5")
    assert isinstance(form.cleaned_data["amount"], Decimal)
    assert not NumberForm({"amount": "100,5"}).is_valid()
    assert not NumberForm({"amount": "1,125"}).is_valid()  # three decimals: two allowed
    assert NumberForm({"amount": ""}).is_valid()


def test_ambiguous_input_says_what_to_write():
    form = NumberForm({"amount": "1.234"})
    assert not form.is_valid()
    message = form.errors["amount"][0]
    assert "1234" in message and "1,234" in message


def test_invalid_input_stays_in_the_input():
    form = NumberForm({"amount": "1.00.000"})
    assert not form.is_valid()
    html = str(form["amount"])
    assert 'value="1.00.000"' in html
    assert 'inputmode="decimal"' in html and 'type="text"' in html


def test_initial_value_is_shown_indonesian_style():
    form = NumberForm(initial={"amount": Decimal("11.1100")})
    assert 'value="11,11"' in str(form["amount"])


# --- Issue 22: every number typed is the number meant -------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("71,90", "71.90"),
        ("2,50", "2.50"),
        ("1.500.000", "1500000"),
        ("1.500.000,50", "1500000.50"),
        ("1.240", "1240"),
        ("12.500", "12500"),
        ("-1.240", "-1240"),
        ("1.5", "1.5"),  # not three digits after the point: still a decimal point
        ("1234.567", "1234.567"),
    ],
)
def test_whole_number_fields_read_a_lone_point_before_three_digits_as_thousands(text, expected):
    assert parse_number(text, whole_number=True) == Decimal(expected)


@pytest.mark.parametrize("text", ["1.240", "0.125x", "12.500"])
def test_fields_with_decimals_still_refuse_the_ambiguous_point(text):
    with pytest.raises(ValueError):
        parse_number(text)


class CountForm(forms.Form):
    count = IndonesianDecimalField(required=False, max_digits=20, decimal_places=0)
    money = IndonesianDecimalField(
        required=False, max_digits=18, decimal_places=2, whole_number=True
    )
    rate = IndonesianDecimalField(required=False, max_digits=20, decimal_places=4)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("count", "1.240", "1240"),
        ("money", "1.240", "1240"),
        ("money", "1.500.000", "1500000"),
        ("money", "1.500.000,50", "1500000.50"),
        ("rate", "71,90", "71.90"),
        ("rate", "2,50", "2.50"),
        ("rate", "1.500.000", "1500000"),
        ("rate", "1.500.000,50", "1500000.50"),
    ],
)
def test_each_kind_of_field_reads_what_people_mean(name, text, expected):
    form = CountForm({name: text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data[name] == Decimal(expected)


def test_a_count_field_follows_its_decimal_places_and_refuses_a_fraction():
    assert IndonesianDecimalField(decimal_places=0).whole_number
    assert not IndonesianDecimalField(decimal_places=2).whole_number
    assert not CountForm({"count": "1,24"}).is_valid()


def test_the_ambiguous_point_in_a_decimal_field_says_how_to_write_it():
    form = CountForm({"rate": "1.240"})
    assert not form.is_valid()
    message = form.errors["rate"][0]
    assert "1240" in message and "1,24 " in message
    assert form.errors["rate"].as_data()[0].code == "ambiguous"


@pytest.mark.parametrize(
    ("value", "places", "whole_number", "shown"),
    [
        (Decimal("71.9000"), 2, False, "71,90"),
        (Decimal("2.5"), 2, False, "2,50"),
        (Decimal("1500000.00"), 0, True, "1.500.000"),
        (Decimal("1500000.50"), 0, True, "1.500.000,5"),
        (Decimal("1240"), 0, True, "1.240"),
        # In a field with decimals "1.240" would be refused on the way back: no grouping.
        (Decimal("1240"), 0, False, "1240"),
        (Decimal("1240"), 2, False, "1.240,00"),
        (Decimal("1500000"), 0, False, "1.500.000"),
        (Decimal("0.125"), 2, False, "0,125"),  # never rounded
    ],
)
def test_edit_forms_show_what_reads_back_as_the_same_number(value, places, whole_number, shown):
    assert format_number(value, places, whole_number=whole_number) == shown
    assert parse_number(shown, whole_number=whole_number) == value


def test_the_widget_is_a_text_input_with_the_decimal_keyboard():
    form = CountForm(initial={"count": Decimal("1240"), "rate": Decimal("1240")})
    count, rate = str(form["count"]), str(form["rate"])
    assert 'type="text"' in count and 'inputmode="decimal"' in count
    assert 'value="1.240"' in count and 'value="1240"' in rate
    assert "step" not in count


# --- A number far off its neighbours ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "neighbour", "far"),
    [
        ("100", "1", True),
        ("10", "1", False),
        ("10.01", "1", True),
        ("0.05", "1", True),
        ("0.1", "1", False),
        ("0", "5", False),
        ("5", "0", False),
        ("5", None, False),
        ("-500", "5", False),
    ],
)
def test_times_off_is_more_than_ten_times_either_way(value, neighbour, far):
    from tracker.plausibility import times_off

    neighbour = None if neighbour is None else Decimal(neighbour)
    assert (times_off(Decimal(value), neighbour) is not None) is far


def test_the_comparison_names_the_neighbour():
    from django.utils import translation

    from tracker.plausibility import Neighbour, with_notes

    translation.activate("en")  # the words are composed the same way in every language
    up = Neighbour("t", Decimal("7190"), Decimal("71.9"), "the target of 2019", 2)
    assert "100x the target of 2019" in up.warning() and "(71,90)" in up.warning()
    assert up.note() == "confirmed: 100x the target of 2019"
    down = Neighbour("t", Decimal("0.719"), Decimal("71.9"), "the target of 2019")
    assert down.note() == "confirmed: 1/100 of the target of 2019"
    assert with_notes("Perubahan", [up.note()]) == "Perubahan; confirmed: 100x the target of 2019"
    assert with_notes("", [up.note()]) == "confirmed: 100x the target of 2019"
