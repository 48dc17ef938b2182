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
