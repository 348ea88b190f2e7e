"""Django adapters for the identifier rules (portal/validators.py): form fields and validators.

Needs Django settings (pytest-django sets them up) but no database.
"""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db.migrations.writer import MigrationWriter

from portal import validators
from portal.validators import CaseNumberField, CreditCodeField, MobileField, ResidentIdField


def gb11643(first17: str) -> str:
    """A full resident ID number: ``first17`` plus its GB 11643-1999 check character."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(digit) * weight for digit, weight in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


RESIDENT_ID = gb11643("23090219850317123")
CREDIT_CODE = "91350100M000100Y43"


def messages_of(field, value):
    with pytest.raises(ValidationError) as caught:
        field.clean(value)
    return caught.value.messages, [error.code for error in caught.value.error_list]


# (field class, typed value, cleaned value, invalid value, fragment of the Chinese message, error code)
FIELDS = [
    pytest.param(
        CaseNumberField,
        " (2025)黑09 民初123 ",
        "（2025）黑09民初123号",
        "（2025）黑09民X123号",
        "案件类型“民X”不正确",
        "case_number",
        id="case-number",
    ),
    pytest.param(
        ResidentIdField,
        "11010519491231002x",
        "11010519491231002X",
        "110105194912310020",
        "校验位不正确",
        "resident_id",
        id="resident-id",
    ),
    pytest.param(
        CreditCodeField,
        "91350100m000100y43",
        CREDIT_CODE,
        "91350100M000100O43",
        "不应出现“O”",
        "credit_code",
        id="credit-code",
    ),
    pytest.param(
        MobileField,
        "+86 139-1234-5678",
        "13912345678",
        "12345678901",
        "手机号码应为 11 位数字",
        "mobile",
        id="mobile",
    ),
]


def test_case_number_field_cleans_half_width_brackets_to_the_canonical_form():
    assert CaseNumberField().clean("(2025)黑09民初123号") == "（2025）黑09民初123号"


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        ("（２０２５）黑０９民初１２３号", "（2025）黑09民初123号"),
        ("〔2024〕黑0902执恢45", "（2024）黑0902执恢45号"),
        ("(2025)黑09知民初5号", "（2025）黑09知民初5号"),
    ],
)
def test_case_number_field_normalises_other_spellings(typed, cleaned):
    assert CaseNumberField().clean(typed) == cleaned


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("（2015）黑09民初1号", "旧格式"),
        ("（2999）黑09民初1号", "晚于今年"),
        ("（2025）黑009民初1号", "黑009"),
        ("（2025）黑09民初0123号", "序号"),
        ("（2014）七民初字第12号", "（2025）黑09民初123号"),
        ("garbage", "（2025）黑09民初123号"),
    ],
)
def test_case_number_field_rejects_with_the_chinese_message(typed, fragment):
    messages, codes = messages_of(CaseNumberField(), typed)
    assert len(messages) == 1
    assert fragment in messages[0]
    assert codes == ["case_number"]


def test_case_number_field_has_a_chinese_help_text_with_the_example():
    assert "（2025）黑09民初123号" in CaseNumberField().help_text
    assert CaseNumberField(help_text="自定义").help_text == "自定义"


@pytest.mark.parametrize(("field_class", "typed", "cleaned", "invalid", "fragment", "code"), FIELDS)
def test_field_cleans_to_the_canonical_form(field_class, typed, cleaned, invalid, fragment, code):
    assert field_class().clean(typed) == cleaned
    assert field_class().clean(cleaned) == cleaned


@pytest.mark.parametrize(("field_class", "typed", "cleaned", "invalid", "fragment", "code"), FIELDS)
def test_field_rejects_invalid_input_with_the_chinese_message(
    field_class, typed, cleaned, invalid, fragment, code
):
    messages, codes = messages_of(field_class(), invalid)
    assert len(messages) == 1
    assert fragment in messages[0]
    assert codes == [code]


@pytest.mark.parametrize(("field_class", "typed", "cleaned", "invalid", "fragment", "code"), FIELDS)
@pytest.mark.parametrize("empty", ["", "   ", None])
def test_required_field_left_empty_gives_the_required_error(
    field_class, typed, cleaned, invalid, fragment, code, empty
):
    messages, codes = messages_of(field_class(), empty)
    assert codes == ["required"]
    assert messages == [str(forms.Field.default_error_messages["required"])]


@pytest.mark.parametrize(("field_class", "typed", "cleaned", "invalid", "fragment", "code"), FIELDS)
@pytest.mark.parametrize("empty", ["", "   ", None])
def test_optional_field_left_empty_cleans_to_empty_string(
    field_class, typed, cleaned, invalid, fragment, code, empty
):
    assert field_class(required=False).clean(empty) == ""


@pytest.mark.parametrize(("field_class", "typed", "cleaned", "invalid", "fragment", "code"), FIELDS)
def test_optional_field_still_validates_what_was_typed(field_class, typed, cleaned, invalid, fragment, code):
    field = field_class(required=False)
    assert field.clean(typed) == cleaned
    messages, codes = messages_of(field, invalid)
    assert fragment in messages[0]
    assert codes == [code]


@pytest.mark.parametrize(("field_class", "typed", "cleaned", "invalid", "fragment", "code"), FIELDS)
def test_field_renders_a_max_length_the_typed_spelling_fits_in(
    field_class, typed, cleaned, invalid, fragment, code
):
    attrs = field_class().widget_attrs(forms.TextInput())
    assert int(attrs["maxlength"]) >= len(typed)


def test_resident_id_field_rejects_a_birth_date_in_the_future():
    next_year = datetime.date.today().year + 1
    messages, codes = messages_of(ResidentIdField(), gb11643(f"230902{next_year}0101123"))
    assert "出生日期" in messages[0]
    assert codes == ["resident_id"]


def test_resident_id_field_accepts_a_computed_id_with_spaces():
    spaced = f"{RESIDENT_ID[:6]} {RESIDENT_ID[6:14]} {RESIDENT_ID[14:]}"
    assert ResidentIdField().clean(spaced) == RESIDENT_ID


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("110105491231002", "15 位"),
        ("11010519490230002X", "出生日期"),
        ("00010519491231002X", "省份代码"),
        ("1101051949123100", "18 位"),
    ],
)
def test_resident_id_field_messages(typed, fragment):
    messages, codes = messages_of(ResidentIdField(), typed)
    assert fragment in messages[0]
    assert codes == ["resident_id"]


@pytest.mark.parametrize(("typed", "fragment"), [("91350100M000100Y44", "校验位"), ("9135", "18 位")])
def test_credit_code_field_messages(typed, fragment):
    messages, codes = messages_of(CreditCodeField(), typed)
    assert fragment in messages[0]
    assert codes == ["credit_code"]


@pytest.mark.parametrize("typed", ["1234", "0464-8251234", "010-12345678"])
def test_mobile_field_rejects_landlines_and_short_numbers(typed):
    messages, codes = messages_of(MobileField(), typed)
    assert "11 位" in messages[0]
    assert codes == ["mobile"]


class ApplicationForm(forms.Form):
    case_number = CaseNumberField()
    resident_id = ResidentIdField()
    credit_code = CreditCodeField(required=False)
    mobile = MobileField()


def test_form_cleaned_data_holds_canonical_values_and_errors_hold_chinese_messages():
    form = ApplicationForm(
        data={
            "case_number": "(2025)黑09民初123",
            "resident_id": "11010519491231002x",
            "credit_code": "",
            "mobile": "0086 139 1234 5678",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "case_number": "（2025）黑09民初123号",
        "resident_id": "11010519491231002X",
        "credit_code": "",
        "mobile": "13912345678",
    }

    form = ApplicationForm(
        data={
            "case_number": "（2025）黑09民初0123号",
            "resident_id": "11010519491231002",
            "credit_code": "91350100M000100Y44",
            "mobile": "",
        }
    )
    assert not form.is_valid()
    assert "序号" in form.errors["case_number"][0]
    assert "18 位" in form.errors["resident_id"][0]
    assert "校验位" in form.errors["credit_code"][0]
    assert form.has_error("mobile", code="required")


# ---------------------------------------------------------------------------
# Model-field validators.
# ---------------------------------------------------------------------------

VALIDATORS = [
    pytest.param(
        validators.validate_case_number,
        "(2025)黑09民初123",
        "（2025）黑09民X123号",
        "case_number",
        id="case-number",
    ),
    pytest.param(validators.validate_resident_id, RESIDENT_ID, "X" + RESIDENT_ID[1:], "resident_id", id="id"),
    pytest.param(
        validators.validate_credit_code, CREDIT_CODE, CREDIT_CODE[:17] + "4", "credit_code", id="credit"
    ),
    pytest.param(validators.validate_mobile, "13912345678", "12345678901", "mobile", id="mobile"),
]


@pytest.mark.parametrize(("validator", "valid", "invalid", "code"), VALIDATORS)
def test_validator_accepts_valid_and_raises_validation_error_with_code(validator, valid, invalid, code):
    validator(valid)
    with pytest.raises(ValidationError) as caught:
        validator(invalid)
    assert caught.value.code == code
    assert any("\u4e00" <= char <= "\u9fff" for char in caught.value.messages[0])


@pytest.mark.parametrize(("validator", "valid", "invalid", "code"), VALIDATORS)
def test_validator_can_be_written_into_a_migration(validator, valid, invalid, code):
    # makemigrations writes a model field's validators as importable dotted paths.
    serialized, imports = MigrationWriter.serialize(validator)
    assert serialized == f"portal.validators.validate_{code}"
    assert imports == {"import portal.validators"}
