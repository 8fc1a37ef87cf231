import pytest
from django.core.exceptions import ValidationError

from accounts.validators import credit_code_check_character, validate_credit_code


def refusal(code: str) -> str | None:
    """Why the validator refuses the code ("checksum", "length", ...), or None if it accepts it."""
    try:
        validate_credit_code(code)
    except ValidationError as error:
        return error.code
    return None


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the example printed with GB 32100-2015
        "91110000600037341L",
        "12330100470000001D",
    ],
)
def test_it_accepts_codes_whose_check_character_matches(code):
    assert credit_code_check_character(code[:17]) == code[17]
    assert refusal(code) is None


def test_it_accepts_lower_case_input():
    assert refusal("91350100m000100y43") is None


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "checksum"),
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y433", "length"),
        ("91350100M0001O0Y43", "characters"),  # the letter O is not allowed
        ("", "length"),
    ],
)
def test_it_refuses_wrong_codes_with_the_reason(code, reason):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == reason


def test_the_check_character_can_be_zero():
    # Find a prefix whose weighted sum is a multiple of 31: the check must be "0", not "31".
    prefix = next(
        f"9133010000000{n:04d}"
        for n in range(10000)
        if credit_code_check_character(f"9133010000000{n:04d}") == "0"
    )
    assert refusal(prefix + "0") is None
    assert refusal(prefix + "1") == "checksum"
