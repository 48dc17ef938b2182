import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tracker.validators import normalize_nip, validate_nip


def test_accepts_the_written_form_and_returns_digits():
    assert validate_nip("19860926 201505 1 001") == "198609262015051001"
    assert validate_nip("198609262015051001") == "198609262015051001"


@pytest.mark.parametrize(
    "value, code",
    [
        ("1986092620150510", "nip_length"),
        ("1986092620150510011", "nip_length"),
        ("19860926 2015O5 1 001", "nip_not_digits"),
        ("19860231 201505 1 001", "nip_birth_date"),  # 31 February
        ("19861326 201505 1 001", "nip_birth_date"),
        ("19860926 201513 1 001", "nip_tmt"),  # month 13
        ("19860926 198001 1 001", "nip_tmt_before_birth"),
        ("19860926 198609 1 001", "nip_tmt_before_birth"),  # same month as birth
        ("19860926 201505 3 001", "nip_gender"),
        ("19860926 201505 0 001", "nip_gender"),
    ],
)
def test_rejects_with_a_message_naming_the_problem(value, code):
    with pytest.raises(ValidationError) as error:
        validate_nip(value)
    assert error.value.code == code
    assert error.value.messages[0]


dates = st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2005, 12, 31))


@given(
    birth=dates,
    years_later=st.integers(min_value=1, max_value=40),
    month=st.integers(min_value=1, max_value=12),
    gender=st.sampled_from("12"),
    serial=st.integers(min_value=0, max_value=999),
)
def test_every_well_formed_nip_is_accepted_with_or_without_spaces(
    birth, years_later, month, gender, serial
):
    tmt = f"{birth.year + years_later}{month:02d}"
    digits = f"{birth:%Y%m%d}{tmt}{gender}{serial:03d}"
    spaced = f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
    assert validate_nip(digits) == digits
    assert validate_nip(spaced) == digits


@given(st.text(max_size=30))
def test_anything_accepted_is_18_digits_with_a_real_birth_date(value):
    try:
        digits = validate_nip(value)
    except ValidationError:
        return
    assert digits == normalize_nip(value)
    assert len(digits) == 18 and digits.isdigit()
    datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    assert digits[14] in "12"
