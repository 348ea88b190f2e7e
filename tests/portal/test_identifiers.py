"""Identifier rules (portal/identifiers.py): case numbers, resident IDs, credit codes, mobiles.

Plain Python, no database. Valid resident IDs and credit codes are built here with helpers that
implement GB 11643-1999 and GB 32100-2015 independently of the module, so a wrong weight or check
table in the module makes these tests fail.
"""

import datetime

import pytest

from portal.identifiers import (
    CASE_TYPE_CODES,
    CaseNumber,
    IdentifierError,
    normalise_case_number,
    parse_case_number,
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
)

TODAY = datetime.date(2025, 6, 15)
EXAMPLE = "（2025）黑09民初123号"


def parse(value, **kwargs):
    kwargs.setdefault("today", TODAY)
    return parse_case_number(value, **kwargs)


def rejection(call, *args, **kwargs) -> str:
    """The Chinese message of the IdentifierError that ``call`` raises."""
    with pytest.raises(IdentifierError) as caught:
        call(*args, **kwargs)
    message = caught.value.message
    assert message == str(caught.value)
    assert any("\u4e00" <= char <= "\u9fff" for char in message), message
    return message


# ---------------------------------------------------------------------------
# Independent implementations of the two check-character standards.
# ---------------------------------------------------------------------------

GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
GB11643_CHECK = "10X98765432"


def id_check(first17: str) -> str:
    total = 0
    for position, digit in enumerate(first17):
        total += int(digit) * GB11643_WEIGHTS[position]
    return GB11643_CHECK[total % 11]


def make_id(area="230902", birth="19850317", sequence="123") -> str:
    first17 = area + birth + sequence
    assert len(first17) == 17
    return first17 + id_check(first17)


def id_with_check(target: str) -> str:
    """A valid resident ID whose check character is ``target``."""
    for number in range(1000):
        candidate = make_id(sequence=f"{number:03d}")
        if candidate[-1] == target:
            return candidate
    raise AssertionError(target)


GB32100_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
GB32100_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_check(first17: str) -> str:
    total = 0
    for position, char in enumerate(first17):
        total += GB32100_ALPHABET.index(char) * GB32100_WEIGHTS[position]
    value = 31 - total % 31
    if value == 31:
        value = 0
    return GB32100_ALPHABET[value]


def credit_with_check(target: str) -> str:
    """A valid credit code (company in 七台河, 230900) whose check character is ``target``."""
    for last in GB32100_ALPHABET:
        first17 = "91230900MA1BCDEF" + last
        if credit_check(first17) == target:
            return first17 + target
    raise AssertionError(target)


def test_independent_helpers_agree_with_published_examples():
    assert id_check("11010519491231002") == "X"
    assert credit_check("91350100M000100Y4") == "3"


# ---------------------------------------------------------------------------
# Case numbers: normalisation and parsed fields.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "（2025）黑09民初123号",
        "(2025)黑09民初123号",
        "（２０２５）黑０９民初１２３号",
        "（2025) 黑 09 民初 123 号",
        " (2025)黑09民初123号 ",
        "〔2025〕黑09民初123号",
        "(2025)黑09民初123",
        "（2025）黑09民初123",
        "（ 2025 ）\u3000黑09\t民初123",
    ],
)
def test_accepted_spellings_normalise_to_the_canonical_form(typed):
    assert normalise_case_number(typed) == EXAMPLE
    assert str(parse(typed)) == EXAMPLE


@pytest.mark.parametrize(
    "canonical",
    [
        "（2025）黑09民初123号",
        "（2024）黑0902执456号",
        "（2025）黑09民终78号",
        "（2016）黑09民申1号",
        "（2023）黑0903执恢12号",
        "（2025）黑09知民初5号",
        "（2022）京0105刑初300号",
        "（2025）兵09行终2号",
    ],
)
def test_canonical_numbers_round_trip(canonical):
    parsed = parse(canonical)
    assert str(parsed) == canonical
    assert parse(str(parsed)) == parsed
    assert normalise_case_number(canonical) == canonical


def test_intermediate_court_civil_first_instance_fields():
    parsed = parse("(2025)黑09民初123号")
    assert parsed == CaseNumber(year=2025, court_code="黑09", type_code="民初", serial=123)
    assert parsed.special_mark == ""
    assert parsed.is_civil
    assert not parsed.is_enforcement
    assert not parsed.is_legacy


def test_basic_court_enforcement_fields():
    parsed = parse("（2024）黑0902执456号")
    assert parsed.year == 2024
    assert parsed.court_code == "黑0902"
    assert parsed.type_code == "执"
    assert parsed.serial == 456
    assert parsed.is_enforcement
    assert not parsed.is_civil


def test_civil_second_instance_fields():
    parsed = parse("（2025）黑09民终78号")
    assert (parsed.court_code, parsed.type_code, parsed.serial) == ("黑09", "民终", 78)
    assert parsed.is_civil
    assert not parsed.is_enforcement


# The whitelist of 法〔2015〕137号 as the court uses it, written out here rather than imported.
TYPE_CODES = [
    "民初",
    "民终",
    "民申",
    "民再",
    "民特",
    "民催",
    "民督",
    "民破",
    "民辖",
    "民撤",
    "执",
    "执恢",
    "执保",
    "执异",
    "执复",
    "执监",
    "执协",
    "执他",
    "财保",
    "刑初",
    "刑终",
    "行初",
    "行终",
]


def test_module_whitelist_is_exactly_the_documented_one():
    assert sorted(CASE_TYPE_CODES) == sorted(TYPE_CODES)


@pytest.mark.parametrize("type_code", TYPE_CODES)
def test_every_whitelisted_type_code_is_accepted(type_code):
    parsed = parse(f"（2025）黑09{type_code}7号")
    assert parsed.type_code == type_code
    assert parsed.special_mark == ""
    assert str(parsed) == f"（2025）黑09{type_code}7号"
    assert parsed.is_civil == type_code.startswith("民")
    if type_code.startswith("执"):
        assert parsed.is_enforcement
    if type_code.startswith(("民", "刑", "行")):
        assert not parsed.is_enforcement


@pytest.mark.parametrize("type_code", ["执恢", "执保", "执异", "执复", "执监", "执协", "执他"])
def test_two_character_enforcement_codes_are_read_whole(type_code):
    parsed = parse(f"（2024）黑0902{type_code}45号")
    assert parsed.type_code == type_code
    assert parsed.serial == 45
    assert parsed.is_enforcement


def test_intellectual_property_mark_is_kept_apart_from_the_type_code():
    parsed = parse("(2025)黑09知民初5")
    assert parsed.special_mark == "知"
    assert parsed.type_code == "民初"
    assert parsed.court_code == "黑09"
    assert parsed.is_civil
    assert str(parsed) == "（2025）黑09知民初5号"


def test_serial_is_the_number_without_leading_zeros_and_large_serials_are_fine():
    assert parse("（2025）黑09民初1号").serial == 1
    assert parse("（2025）黑09民初10250号").serial == 10250


def test_this_year_is_accepted_and_the_first_year_of_the_form_too():
    assert parse("（2025）黑09民初1号", today=datetime.date(2025, 1, 1)).year == 2025
    assert parse("（2016）黑09民初1号").year == 2016


# ---------------------------------------------------------------------------
# Case numbers: rejections and their messages.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["", "   ", "\u3000", None])
def test_empty_case_number_asks_for_one(typed):
    message = rejection(parse, typed)
    assert "请填写案号" in message
    assert EXAMPLE in message


@pytest.mark.parametrize(
    "typed",
    [
        "abc",
        "黑09民初123号",  # no year
        "2025黑09民初123号",  # year without brackets
        "（2025）09民初123号",  # no province abbreviation
        "（2025）黑09民初号",  # no serial
        "（2025）黑09民初123号号",
        "（2025）黑09民初123号之一",
        "（2025）黑09民初12a3号",
        "案号：（2025）黑09民初123号",
    ],
)
def test_malformed_case_numbers_are_rejected_with_the_example(typed):
    assert EXAMPLE in rejection(parse, typed)


def test_future_year_is_rejected():
    message = rejection(parse, "（2026）黑09民初1号", today=datetime.date(2025, 12, 31))
    assert "2026" in message
    assert "晚于今年" in message


def test_year_2015_in_the_current_form_points_to_the_old_form():
    message = rejection(parse, "（2015）黑09民初1号")
    assert "2015" in message
    assert "旧格式" in message


@pytest.mark.parametrize("typed", ["（202）黑09民初123号", "（20255）黑09民初123号", "（25）黑09民初123号"])
def test_year_must_have_four_digits(typed):
    message = rejection(parse, typed)
    assert "四位收案年度" in message
    assert EXAMPLE in message


@pytest.mark.parametrize("digits", ["", "9", "009", "09020", "090201"])
def test_court_code_needs_two_or_four_digits(digits):
    message = rejection(parse, f"（2025）黑{digits}民初123号")
    assert f"黑{digits}" in message
    assert "2 位" in message
    assert "4 位" in message


@pytest.mark.parametrize("province", ["港", "中", "A", "法"])
def test_unknown_province_abbreviation_is_named_in_the_message(province):
    message = rejection(parse, f"（2025）{province}09民初123号")
    assert f"“{province}”" in message
    assert "省份简称" in message


@pytest.mark.parametrize("middle", ["民X", "民", "执恢恢", "执X", "民初字", "知", "法民初", "知民X"])
def test_unknown_type_code_is_named_in_the_message(middle):
    message = rejection(parse, f"（2025）黑09{middle}123号")
    assert f"“{middle}”" in message
    assert "案件类型" in message


@pytest.mark.parametrize("serial", ["0123", "0", "00"])
def test_serial_with_leading_zero_is_rejected(serial):
    message = rejection(parse, f"（2025）黑09民初{serial}号")
    assert "序号" in message
    assert "0 开头" in message


@pytest.mark.parametrize(
    "typed",
    [
        "（2025）黑٠٩民初123号",  # Arabic-Indic digits are not 0-9 and must not reach the stored form
        "（2025）黑09民初١٢٣号",
        "（٢٠٢٥）黑09民初123号",
    ],
)
def test_digits_of_other_scripts_are_rejected(typed):
    rejection(parse, typed)


# ---------------------------------------------------------------------------
# Case numbers: the pre-2016 “……字第……号” form.
# ---------------------------------------------------------------------------


def test_legacy_form_is_refused_without_allow_legacy():
    message = rejection(parse, "（2014）七民初字第12号")
    assert "字第" in message
    assert "旧案号" in message
    assert EXAMPLE in message


@pytest.mark.parametrize(
    "typed",
    [
        "（2014）七民初字第12号",
        "(2014)七民初字第12号",
        "（２０１４）七 民初字第 １２ 号",
        "〔2014〕七民初字第12",
    ],
)
def test_legacy_form_with_allow_legacy_is_accepted_and_normalised(typed):
    parsed = parse(typed, allow_legacy=True)
    assert str(parsed) == "（2014）七民初字第12号"
    assert normalise_case_number(typed, allow_legacy=True) == "（2014）七民初字第12号"
    assert parsed.is_legacy
    assert parsed.year == 2014
    assert parsed.serial == 12


def test_legacy_round_trip():
    canonical = "（2009）黑七法民初字第305号"
    assert normalise_case_number(normalise_case_number(canonical, allow_legacy=True), allow_legacy=True) == (
        canonical
    )


@pytest.mark.parametrize("year", [2016, 2020, 2025])
def test_legacy_form_is_not_accepted_for_years_of_the_current_form(year):
    message = rejection(parse, f"（{year}）七民初字第12号", allow_legacy=True)
    assert EXAMPLE in message


def test_legacy_form_future_year_is_rejected():
    message = rejection(parse, "（2030）七民初字第12号", allow_legacy=True)
    assert "2030" in message


def test_allow_legacy_does_not_relax_the_current_form():
    rejection(parse, "（2015）黑09民初1号", allow_legacy=True)
    rejection(parse, "（2025）黑09民X1号", allow_legacy=True)
    assert str(parse("(2025)黑09民初123", allow_legacy=True)) == EXAMPLE


# ---------------------------------------------------------------------------
# Resident ID numbers (GB 11643-1999).
# ---------------------------------------------------------------------------

VALID_ID = make_id()


def test_published_example_id_is_accepted():
    assert validate_resident_id("11010519491231002X", today=TODAY) == "11010519491231002X"


@pytest.mark.parametrize("check", list("0123456789X"))
def test_ids_with_every_check_character_are_accepted(check):
    number = id_with_check(check)
    assert validate_resident_id(number, today=TODAY) == number


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("11010519491231002x", "11010519491231002X"),
        ("110105 19491231 002X", "11010519491231002X"),
        (" 110105\u300019491231\t002x ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
    ],
)
def test_id_is_normalised(typed, expected):
    assert validate_resident_id(typed, today=TODAY) == expected


def test_id_born_today_is_accepted():
    number = make_id(birth="20250615")
    assert validate_resident_id(number, today=TODAY) == number


def test_id_born_on_29_february_of_a_leap_year_is_accepted():
    number = make_id(birth="20000229")
    assert validate_resident_id(number, today=TODAY) == number


@pytest.mark.parametrize("typed", ["", "  ", None])
def test_empty_id_asks_for_one(typed):
    assert "请填写居民身份证号码" in rejection(validate_resident_id, typed, today=TODAY)


def test_id_with_wrong_check_character_is_rejected():
    wrong = "1" if VALID_ID[-1] != "1" else "2"
    message = rejection(validate_resident_id, VALID_ID[:17] + wrong, today=TODAY)
    assert "校验位" in message


def test_published_example_with_a_digit_instead_of_x_is_rejected():
    assert "校验位" in rejection(validate_resident_id, "110105194912310020", today=TODAY)


@pytest.mark.parametrize("birth", ["19850230", "19851301", "19850000", "19850132", "19000229", "20230229"])
def test_id_with_impossible_birth_date_is_rejected(birth):
    message = rejection(validate_resident_id, make_id(birth=birth), today=TODAY)
    assert "出生日期" in message


@pytest.mark.parametrize("birth", ["20250616", "20260101", "20990101"])
def test_id_born_in_the_future_is_rejected(birth):
    message = rejection(validate_resident_id, make_id(birth=birth), today=TODAY)
    assert "出生日期" in message


def test_fifteen_digit_old_number_is_rejected():
    message = rejection(validate_resident_id, "110105491231002", today=TODAY)
    assert "18 位" in message
    assert "15 位的旧号码" in message


@pytest.mark.parametrize("typed", [VALID_ID[:17], VALID_ID + "1", VALID_ID[:10], "1234"])
def test_id_of_wrong_length_says_how_many_characters_were_typed(typed):
    message = rejection(validate_resident_id, typed, today=TODAY)
    assert "18 位" in message
    assert f"{len(typed)} 位" in message


@pytest.mark.parametrize(
    "typed",
    [
        VALID_ID[:8] + "A" + VALID_ID[9:],
        VALID_ID[:16] + "X" + VALID_ID[17:],
        "X" + VALID_ID[1:],
        VALID_ID[:17] + "Y",
        VALID_ID[:5] + "-" + VALID_ID[6:],
        VALID_ID[:3] + "٣" + VALID_ID[4:],  # Arabic-Indic three
    ],
)
def test_id_with_letters_or_symbols_in_the_digits_is_rejected(typed):
    message = rejection(validate_resident_id, typed, today=TODAY)
    assert "17 位应为数字" in message


@pytest.mark.parametrize("province", ["00", "10", "20", "24", "38", "47", "55", "66", "70", "90", "99"])
def test_id_with_invalid_province_prefix_is_rejected(province):
    message = rejection(validate_resident_id, make_id(area=province + "0902"), today=TODAY)
    assert "省份代码" in message


@pytest.mark.parametrize("province", ["11", "23", "44", "65", "71", "81", "82"])
def test_id_with_real_province_prefix_is_accepted(province):
    number = make_id(area=province + "0101")
    assert validate_resident_id(number, today=TODAY) == number


@pytest.mark.parametrize("position", range(18))
@pytest.mark.parametrize("base", [VALID_ID, "11010519491231002X"])
def test_every_single_character_change_of_an_id_is_rejected(base, position):
    alphabet = "0123456789X" if position == 17 else "0123456789"
    accepted = []
    for char in alphabet:
        if char == base[position]:
            continue
        changed = base[:position] + char + base[position + 1 :]
        try:
            validate_resident_id(changed, today=TODAY)
        except IdentifierError as error:
            # Outside the province (1-2) and birth date (7-14) positions only the check catches it.
            if position not in range(0, 2) and position not in range(6, 14):
                assert "校验位" in error.message, changed
        else:
            accepted.append(changed)
    assert accepted == []


@pytest.mark.parametrize(
    "position", [position for position in range(17) if VALID_ID[position] != VALID_ID[position + 1]]
)
def test_every_adjacent_transposition_of_an_id_is_rejected(position):
    base = VALID_ID
    swapped = base[:position] + base[position + 1] + base[position] + base[position + 2 :]
    rejection(validate_resident_id, swapped, today=TODAY)


# ---------------------------------------------------------------------------
# Unified social credit codes (GB 32100-2015).
# ---------------------------------------------------------------------------

VALID_CODE = credit_with_check("0")  # check value 31 must become 0


def test_published_example_credit_code_is_accepted():
    assert validate_credit_code("91350100M000100Y43") == "91350100M000100Y43"


@pytest.mark.parametrize("check", ["0", "1", "9", "A", "H", "J", "N", "P", "R", "T", "U", "W", "Y"])
def test_credit_codes_with_various_check_characters_are_accepted(check):
    code = credit_with_check(check)
    assert validate_credit_code(code) == code


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("91350100m000100y43", "91350100M000100Y43"),
        ("9135 0100 M000 100Y 43", "91350100M000100Y43"),
        ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),
        ("９１３５０１００ｍ０００１００ｙ４３", "91350100M000100Y43"),
    ],
)
def test_credit_code_is_normalised(typed, expected):
    assert validate_credit_code(typed) == expected


@pytest.mark.parametrize("typed", ["", " ", None])
def test_empty_credit_code_asks_for_one(typed):
    assert "请填写统一社会信用代码" in rejection(validate_credit_code, typed)


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_forbidden_letter_is_named_in_the_message(letter):
    typed = VALID_CODE[:9] + letter + VALID_CODE[10:]
    message = rejection(validate_credit_code, typed)
    assert f"“{letter}”" in message
    assert "I、O、Z、S、V" in message


def test_forbidden_letters_typed_in_lower_case_are_named_in_upper_case():
    message = rejection(validate_credit_code, "91350100m000100o4s")
    assert "“O、S”" in message


@pytest.mark.parametrize("symbol", ["-", "#", "_"])
def test_symbols_in_a_credit_code_are_named_in_the_message(symbol):
    message = rejection(validate_credit_code, VALID_CODE[:9] + symbol + VALID_CODE[10:])
    assert symbol in message


def test_credit_code_with_wrong_check_character_is_rejected():
    message = rejection(validate_credit_code, "91350100M000100Y44")
    assert "校验位" in message


def test_credit_code_check_31_is_written_as_0_not_rejected_or_y():
    assert VALID_CODE.endswith("0")
    assert validate_credit_code(VALID_CODE) == VALID_CODE
    assert "校验位" in rejection(validate_credit_code, VALID_CODE[:17] + "Y")


@pytest.mark.parametrize(
    "typed", ["91350100M000100Y4", "91350100M000100Y430", "9135", "91350100M000100Y43" * 2]
)
def test_credit_code_of_wrong_length_says_how_many_characters_were_typed(typed):
    message = rejection(validate_credit_code, typed)
    assert "18 位" in message
    assert f"{len(typed)} 位" in message


@pytest.mark.parametrize("position", range(18))
@pytest.mark.parametrize("base", ["91350100M000100Y43", VALID_CODE])
def test_every_single_character_substitution_of_a_credit_code_is_rejected(base, position):
    accepted = []
    for char in GB32100_ALPHABET:
        if char == base[position]:
            continue
        changed = base[:position] + char + base[position + 1 :]
        try:
            validate_credit_code(changed)
        except IdentifierError as error:
            assert "校验位" in error.message, changed
        else:
            accepted.append(changed)
    assert accepted == []


# ---------------------------------------------------------------------------
# Mobile numbers.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "13912345678",
        " 139 1234 5678 ",
        "139-1234-5678",
        "+8613912345678",
        "+86 139 1234 5678",
        "+86-139-1234-5678",
        "0086 13912345678",
        "008613912345678",
        "8613912345678",
        "１３９１２３４５６７８",
        "＋８６ １３９１２３４５６７８",
    ],
)
def test_accepted_mobile_spellings_normalise_to_eleven_digits(typed):
    assert validate_mobile(typed) == "13912345678"


@pytest.mark.parametrize("second", "3456789")
def test_every_mobile_prefix_13_to_19_is_accepted(second):
    number = f"1{second}012345678"
    assert validate_mobile(number) == number


@pytest.mark.parametrize(
    "typed",
    [
        "12345678901",  # 12 is not a mobile prefix
        "10012345678",
        "1234",
        "1391234567",  # 10 digits
        "139123456789",  # 12 digits
        "0464-8251234",  # 七台河 landline
        "04648251234",
        "010-12345678",
        "(0464)8251234",
        "+86 464 8251234",
        "+1 139 1234 5678",
        "139 1234 567X",
        "139１２３４５６７a",
        "13٩١٢٣٤٥٦٧٨",  # Arabic-Indic digits after 13
        "23912345678",
    ],
)
def test_non_mobile_numbers_are_rejected(typed):
    message = rejection(validate_mobile, typed)
    assert "11 位" in message
    assert "13912345678" in message


@pytest.mark.parametrize("typed", ["", " ", "-", None])
def test_empty_mobile_asks_for_one(typed):
    assert "请填写手机号码" in rejection(validate_mobile, typed)
