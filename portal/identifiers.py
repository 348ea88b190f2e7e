"""Identifier rules every app validates against (domain/README.md §2, §4).

Plain Python, no Django: case numbers (案号), resident ID numbers (居民身份证号码),
unified social credit codes (统一社会信用代码) and mainland mobile numbers.
Every function normalises what a person typed (full-width digits, spaces,
half-width brackets, lower-case letters) and raises ``IdentifierError`` with a
Chinese message that tells the person what to fix.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "CASE_TYPE_CODES",
    "CaseNumber",
    "IdentifierError",
    "normalise_case_number",
    "parse_case_number",
    "validate_credit_code",
    "validate_mobile",
    "validate_resident_id",
]

CASE_NUMBER_EXAMPLE = "（2025）黑09民初123号"


# What a spreadsheet reads as a formula at the start of a cell (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_NAME_MESSAGE = "名称不能以 = + - @ 开头，请填写全称。"


def reads_as_formula(text: str) -> bool:
    """True for text that Excel or WPS would run as a formula when it opens the file:
    a party's name like this is refused wherever one is entered, and escaped on export."""
    return isinstance(text, str) and text[:1] in FORMULA_PREFIXES


def formula_safe(value):
    """A cell for a spreadsheet: text that would run as a formula gets a leading apostrophe
    (shown as text by Excel and WPS); anything else unchanged. Every file the portal writes
    (the list's files, the typical-case export) passes its cells through this."""
    return "'" + value if reads_as_formula(value) else value


class IdentifierError(ValueError):
    """An identifier a person typed is not valid; ``message`` is Chinese and user-facing."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _clean(value: str) -> str:
    """NFKC turns full-width digits, letters and brackets into ASCII; whitespace goes."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------------------
# Case numbers: 法〔2015〕137号, amended by 法〔2018〕335号.
# ---------------------------------------------------------------------------

# Whitelist from domain/README.md §2 (civil and enforcement are the daily ones).
CASE_TYPE_CODES = (
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
)
# Special-trial marks that may stand between the court code and the type code.
SPECIAL_TRIAL_MARKS = ("知", "环")
PROVINCE_ABBREVIATIONS = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵"
FIRST_YEAR_OF_CURRENT_FORM = 2016

# Loose shape first, so that each part can get its own message.
_CASE_SHAPE = re.compile(
    r"^[(\[〔【](?P<year>\d+)[)\]〕】]"
    r"(?P<province>\D)(?P<digits>\d*)"
    r"(?P<middle>\D+?)(?P<serial>\d+)号$",
    re.ASCII,  # digits are 0-9 only: other scripts' digits would leak into the canonical form
)
_LEGACY_SHAPE = re.compile(
    r"^[(\[〔【](?P<year>\d{4})[)\]〕】](?P<middle>\D+?)字第(?P<serial>[1-9]\d*)号$", re.ASCII
)


@dataclass(frozen=True)
class CaseNumber:
    """A parsed case number; ``str()`` gives the one canonical form that is stored."""

    year: int
    court_code: str  # e.g. "黑09" or "黑0902"
    type_code: str  # e.g. "民初", "执"
    serial: int
    special_mark: str = ""
    legacy_text: str = ""  # the whole canonical text of a pre-2016 number

    def __str__(self) -> str:
        if self.legacy_text:
            return self.legacy_text
        return f"（{self.year}）{self.court_code}{self.special_mark}{self.type_code}{self.serial}号"

    @property
    def is_legacy(self) -> bool:
        return bool(self.legacy_text)

    @property
    def is_enforcement(self) -> bool:
        return self.type_code.startswith("执") or self.type_code == "财保"

    @property
    def is_civil(self) -> bool:
        return self.type_code.startswith("民")


def parse_case_number(
    value: str, *, allow_legacy: bool = False, today: datetime.date | None = None
) -> CaseNumber:
    """Parse and validate a case number in any accepted shape.

    ``allow_legacy`` admits pre-2016 numbers of the form （2014）七民初字第12号, which
    only staff enter by hand.
    """
    text = _clean(value)
    if not text:
        raise IdentifierError(f"请填写案号，例如{CASE_NUMBER_EXAMPLE}。")
    today = today or datetime.date.today()
    if text[-1].isdigit():
        text += "号"  # people often leave out the final 号

    legacy = _LEGACY_SHAPE.match(text)
    if legacy:
        year = int(legacy["year"])
        if not allow_legacy:
            raise IdentifierError(
                "“……字第……号”是 2016 年以前的旧案号格式，网上申请请使用新格式"
                f"（如{CASE_NUMBER_EXAMPLE}），或联系法院工作人员录入。"
            )
        if year > today.year:
            raise IdentifierError(f"案号年份 {year} 晚于今年，请核对。")
        if year >= FIRST_YEAR_OF_CURRENT_FORM:
            raise IdentifierError(
                f"{FIRST_YEAR_OF_CURRENT_FORM} 年起的案号不再使用“……字第……号”格式，应为{CASE_NUMBER_EXAMPLE}这样的形式。"
            )
        canonical = f"（{year}）{legacy['middle']}字第{int(legacy['serial'])}号"
        return CaseNumber(
            year=year,
            court_code="",
            type_code="",
            serial=int(legacy["serial"]),
            legacy_text=canonical,
        )

    match = _CASE_SHAPE.match(text)
    if not match:
        raise IdentifierError(f"案号格式不正确，应为{CASE_NUMBER_EXAMPLE}这样的形式。")

    year_text = match["year"]
    if len(year_text) != 4:
        raise IdentifierError(f"案号括号内应为四位收案年度，例如{CASE_NUMBER_EXAMPLE}。")
    year = int(year_text)
    if year > today.year:
        raise IdentifierError(f"案号年份 {year} 晚于今年，请核对。")
    if year < FIRST_YEAR_OF_CURRENT_FORM:
        raise IdentifierError(
            f"{year} 年的案号应为旧格式（如（2015）七民初字第12号），请核对，或联系法院工作人员录入。"
        )

    province, digits = match["province"], match["digits"]
    if province not in PROVINCE_ABBREVIATIONS:
        raise IdentifierError(f"案号中的法院代字“{province}”不正确，应为省份简称，例如“黑09”。")
    if len(digits) not in (2, 4):
        raise IdentifierError(
            f"案号中的法院代字“{province}{digits}”不正确：省份简称后应为 2 位（中级法院，如黑09）"
            "或 4 位（基层法院，如黑0902）数字。"
        )

    middle = match["middle"]
    special = ""
    if middle[:1] in SPECIAL_TRIAL_MARKS and middle[1:] in CASE_TYPE_CODES:
        special, middle = middle[:1], middle[1:]
    if middle not in CASE_TYPE_CODES:
        raise IdentifierError(f"案号中的案件类型“{middle}”不正确，应为民初、民终、执、执恢、财保等类型代字。")

    serial_text = match["serial"]
    if serial_text.startswith("0"):
        raise IdentifierError("案号中的序号应为不以 0 开头的正整数，例如 123。")

    return CaseNumber(
        year=year,
        court_code=f"{province}{digits}",
        special_mark=special,
        type_code=middle,
        serial=int(serial_text),
    )


def normalise_case_number(value: str, *, allow_legacy: bool = False) -> str:
    """The canonical string to store and compare: full-width brackets, no spaces."""
    return str(parse_case_number(value, allow_legacy=allow_legacy))


# ---------------------------------------------------------------------------
# Resident ID numbers: GB 11643-1999.
# ---------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# First two digits: province-level division codes (GB/T 2260), 71/81/82 for 台港澳.
_ID_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)


def resident_id_check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_resident_id(value: str, *, today: datetime.date | None = None) -> str:
    """Return the normalised 18-character resident ID number or raise IdentifierError."""
    text = _clean(value).upper()
    if not text:
        raise IdentifierError("请填写居民身份证号码。")
    if len(text) == 15 and text.isdigit():
        raise IdentifierError("请填写 18 位居民身份证号码（15 位的旧号码已停止使用）。")
    if len(text) != 18:
        raise IdentifierError(f"居民身份证号码应为 18 位，您填写的是 {len(text)} 位。")
    if not re.fullmatch(r"[0-9]{17}[0-9X]", text):
        raise IdentifierError("居民身份证号码前 17 位应为数字，最后一位为数字或字母 X。")
    if text[:2] not in _ID_PROVINCES:
        raise IdentifierError("居民身份证号码的前两位（省份代码）不正确，请核对。")
    try:
        birth = datetime.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise IdentifierError("居民身份证号码中的出生日期（第 7–14 位）不是有效日期，请核对。") from None
    today = today or datetime.date.today()
    if birth > today or birth.year < 1900:
        raise IdentifierError("居民身份证号码中的出生日期（第 7–14 位）不正确，请核对。")
    if resident_id_check_character(text[:17]) != text[17]:
        raise IdentifierError("居民身份证号码校验位不正确，请逐位核对后重新填写。")
    return text


# ---------------------------------------------------------------------------
# Unified social credit codes: GB 32100-2015.
# ---------------------------------------------------------------------------

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I O Z S V
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, _CREDIT_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    """Return the normalised 18-character unified social credit code or raise IdentifierError."""
    text = _clean(value).upper()
    if not text:
        raise IdentifierError("请填写统一社会信用代码。")
    if len(text) != 18:
        raise IdentifierError(f"统一社会信用代码应为 18 位，您填写的是 {len(text)} 位。")
    wrong = sorted({char for char in text if char not in CREDIT_CODE_ALPHABET})
    if wrong:
        raise IdentifierError(
            f"统一社会信用代码中不应出现“{'、'.join(wrong)}”（代码只用数字和除 I、O、Z、S、V 以外的大写字母）。"
        )
    if credit_code_check_character(text[:17]) != text[17]:
        raise IdentifierError("统一社会信用代码校验位不正确，请逐位核对后重新填写。")
    return text


# ---------------------------------------------------------------------------
# Mainland mobile numbers.
# ---------------------------------------------------------------------------

_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def validate_mobile(value: str) -> str:
    """Return the 11-digit mobile number (country code and separators removed)."""
    text = _clean(value).replace("-", "")
    if not text:
        raise IdentifierError("请填写手机号码。")
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    else:
        if len(text) == 13 and text.startswith("86"):
            text = text[2:]
    if not _MOBILE.match(text):
        raise IdentifierError("手机号码应为 11 位数字，以 13–19 开头，例如 13912345678。")
    return text
