"""ID numbers (P-01) and their masking (P-04)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from directory import services
from directory.idnumbers import (
    build_id_number,
    mask_id_number,
    mask_id_numbers_in,
    validate_id_number,
    validate_uscc,
)
from directory.models import Person

VALID = "110105199001010029"
VALID_X = "11010519850307006X"


@pytest.mark.parametrize("number", [VALID, VALID_X, VALID_X.lower(), " 110105 19900101 0029 "])
def test_valid_id_numbers_are_accepted_and_normalised(number):  # rule P-01
    assert validate_id_number(number) in {VALID, VALID_X}


def test_check_digit_x_is_accepted():  # rule P-01
    assert validate_id_number("11010519850307006x") == VALID_X


@pytest.mark.parametrize(
    ("number", "code", "words"),
    [
        ("110105199001010028", "id_number_checksum", "check digit"),
        ("11010519850307006", "id_number_length", "18 characters"),
        ("1101051990010100291", "id_number_length", "18 characters"),
        ("11010519900101002A", "id_number_format", "17 digits"),
    ],
)
def test_invalid_id_numbers_get_a_clear_message(number, code, words):  # rule P-01
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_id_number(number)
    error = caught.value.error_list[0]
    assert error.code == code
    assert words in caught.value.messages[0]


def test_messages_speak_the_users_language():  # rule P-01
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_id_number("110105199001010028")
    assert "校验" in caught.value.messages[0]


def _with_check_digit(first17: str) -> str:
    from stdnum.cn import ric

    return first17 + ric.calc_check_digit(first17 + "0")


def test_impossible_birth_date_is_named():  # rule P-01
    number = _with_check_digit("11010519900230001")  # 30 February
    with pytest.raises(ValidationError) as caught:
        validate_id_number(number)
    assert caught.value.error_list[0].code == "id_number_birth_date"
    assert "19900230" in caught.value.messages[0]


def test_birth_date_in_the_future_is_impossible():  # rule P-01
    number = _with_check_digit("11010520991231001")
    with pytest.raises(ValidationError) as caught:
        validate_id_number(number)
    assert caught.value.error_list[0].code == "id_number_birth_date"


def test_unknown_region_is_named():  # rule P-01
    number = _with_check_digit("99999919900101002")
    with pytest.raises(ValidationError) as caught:
        validate_id_number(number)
    assert caught.value.error_list[0].code == "id_number_region"


def test_region_created_after_the_birth_year_is_accepted():  # rule P-01, docs/decisions.md
    # Tianhe district (440106) dates from 1985; people born before carry its code too.
    number = build_id_number("440106", datetime.date(1980, 5, 1), 11)
    assert validate_id_number(number) == number


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad", ["110105199001010028", "11010519850307006", _with_check_digit("11010519900230001")]
)
def test_person_with_a_bad_id_number_is_not_stored(bad):  # rule P-01
    with pytest.raises(ValidationError):
        services.person_create(id_number=bad, name="王五", actor=None)
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_birth_date_and_sex_come_from_the_id_number():  # rule P-01
    person = services.person_create(id_number=VALID_X.lower(), name="张伟", actor=None)
    assert person.id_number == VALID_X
    assert person.birth_date == datetime.date(1985, 3, 7)
    assert person.sex == "F"  # the 17th digit, 6, is even


@pytest.mark.django_db
def test_odd_17th_digit_means_male():  # rule P-01
    number = build_id_number("110105", datetime.date(1979, 12, 31), 1)
    person = services.person_create(id_number=number, name="李雷", actor=None)
    assert person.sex == "M"


@pytest.mark.django_db
def test_one_person_per_id_number():  # rule P-01
    services.person_create(id_number=VALID, name="李娜", actor=None)
    with pytest.raises(ValidationError) as caught:
        services.person_create(id_number=VALID, name="李娜二", actor=None)
    assert "P-01" in caught.value.messages[0]
    assert Person.objects.count() == 1


def test_id_number_is_masked_to_region_and_last_four():  # rule P-04
    assert mask_id_number(VALID_X) == "110105********006X"
    assert mask_id_number("") == ""


def test_id_numbers_in_free_text_are_masked():  # rule P-04
    text = f"login failed for {VALID} and {VALID_X.lower()}; order 12345678901234567890"
    masked = mask_id_numbers_in(text)
    assert VALID not in masked and VALID_X.lower() not in masked
    assert "110105********0029" in masked and "110105********006X" in masked
    assert "12345678901234567890" in masked  # a longer number is not an ID number


def test_unified_social_credit_codes_are_validated():
    assert validate_uscc("91110000100000001W") == "91110000100000001W"
    with pytest.raises(ValidationError) as caught:
        validate_uscc("91110000100000001A")
    assert caught.value.error_list[0].code == "uscc_checksum"
    with pytest.raises(ValidationError):
        validate_uscc("9111000010000")
