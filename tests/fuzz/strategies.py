"""Hypothesis strategies: near-valid values (case numbers, ID numbers, credit codes, phones,
dates, amounts, Chinese names) with mutations, and hostile values of every kind."""

import datetime
from urllib.parse import quote

from hypothesis import strategies as st

from portal.identifiers import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_character,
    resident_id_check_character,
)

TODAY = datetime.date.today()
FULL_WIDTH = str.maketrans("0123456789()", "０１２３４５６７８９（）")

# --- hostile ------------------------------------------------------------------------------
HOSTILE_CONSTANTS = [
    "",
    " ",
    "\u3000",
    " \t\r\n ",
    "\x00",
    "a\x00b",
    "\x1b[31m\x07\x08",
    "\x7f\x85\u2028\u2029",
    "\u202e\u200b\ufeff",
    "😀",
    "👨\u200d👩\u200d👧\u200d👦",
    "\U0010ffff",
    "' OR 1=1 --",
    '"; DROP TABLE intake_application; --',
    "1; SELECT * FROM auth_user",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}{% debug %}",
    "${jndi:ldap://x}",
    '{"a": [1, 2, {"b": null}]}',
    "[]",
    "null",
    "None",
    "true",
    "*",
    '"',
    "'",
    "\\",
    "OR AND NOT",
    "NOT",
    "AND (",
    ")(*",
    '"unterminated',
    "NEAR/2",
    "col:value",
    "^",
    "-",
    "%",
    "_",
    "%00",
    "%s%s%n",
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/etc/passwd\x00.pdf",
    "NaN",
    "-Infinity",
    "1e309",
    "0x1F",
    "-1",
    "0",
    "99999999999999999999999999",
    "１２３",
    "٣",
    "²",
    "〇",
]
ALPHABETS = st.sampled_from(
    [
        st.characters(codec="utf-8"),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0, max_codepoint=0x7F),
        st.characters(min_codepoint=0, max_codepoint=0x1F),
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),  # full-width forms
        st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),  # emoji
    ]
)


@st.composite
def random_text(draw, max_size=40):
    return draw(st.text(alphabet=draw(ALPHABETS), max_size=max_size))


LONG_TEXT = st.builds(
    lambda unit, n: (unit * n)[: n * 2],
    st.sampled_from(["x", "中", "1", "😀", "a ", "\x00", "（", "<b>", "' OR "]),
    st.sampled_from([101, 256, 321, 1001, 4097, 10_000]),
)
HOSTILE = st.one_of(st.sampled_from(HOSTILE_CONSTANTS), random_text(), LONG_TEXT)

# Raw query-string fragments that are not valid UTF-8 (a lone surrogate encoded as UTF-8,
# stray continuation bytes, overlong NUL): only expressible as percent-escapes.
BAD_UTF8 = st.sampled_from(["%ED%A0%80", "%C0%80", "%FF%FE", "%80", "%E4%B8", "%F4%90%80%80", "%"])


def cjk_text(min_size=1, max_size=8):
    return st.text(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=min_size, max_size=max_size
    )


# --- near-valid ---------------------------------------------------------------------------
BRACKETS = st.sampled_from([("（", "）"), ("(", ")"), ("〔", "〕"), ("[", "]"), ("【", "】")])
CASE_TYPES = ["民初", "民终", "执", "执恢", "民特", "财保", "知民初"]


@st.composite
def case_number(draw, court_code="黑0902", year=None, valid=True):
    """A case number of the court; `valid=False` may alter any part."""
    year = year or draw(st.integers(2016, TODAY.year))
    left, right = draw(BRACKETS)
    kind = draw(st.sampled_from(CASE_TYPES))
    serial = draw(st.integers(1, 99_999))
    text = f"{left}{year}{right}{court_code}{kind}{serial}号"
    if draw(st.booleans()):
        text = text.replace("号", "") if draw(st.booleans()) else f" {text} "
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    if valid:
        return text
    mutation = draw(
        st.sampled_from(
            [
                lambda t: t.replace(
                    str(year), draw(st.sampled_from(["2015", "2099", "25", "二〇二五", "0000"]))
                ),
                lambda t: t.replace(
                    court_code, draw(st.sampled_from(["黑0903", "黑09", "京01", "X0902", "黑9", ""]))
                ),
                lambda t: t.replace(kind, draw(st.sampled_from(["民X", "刑初", "", "民初民初", "字第"]))),
                lambda t: t.replace(
                    str(serial), draw(st.sampled_from(["0", "0123", "", "1" * 40, "一二三"]))
                ),
                lambda t: t.replace(left, "").replace(right, ""),
                lambda t: t + draw(HOSTILE),
                lambda t: "（2014）七民初字第12号",
                lambda t: t[: draw(st.integers(0, len(t)))],
            ]
        )
    )
    return mutation(text)


@st.composite
def resident_id(draw, valid=True):
    province = draw(st.sampled_from(["11", "23", "31", "44", "65", "81"]))
    area = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    birth = draw(st.dates(datetime.date(1920, 1, 1), datetime.date(2007, 12, 31)))
    sequence = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    first17 = f"{province}{area}{birth:%Y%m%d}{sequence}"
    check = resident_id_check_character(first17)
    text = first17 + check
    if valid:
        return draw(st.sampled_from([text, text.lower(), f" {text} ", text.translate(FULL_WIDTH)]))
    wrong = draw(st.sampled_from([c for c in "0123456789X" if c != check]))
    return draw(
        st.sampled_from(
            [
                first17 + wrong,  # bad checksum
                text[:15],  # the old 15-digit form
                text[:-1],
                text + "0",
                "99" + text[2:],  # no such province
                f"{province}{area}{birth.year}1340{sequence}{check}",  # no such date
                text.replace(text[6:10], "2999"),
                text[:17] + "Y",
            ]
        )
    )


@st.composite
def credit_code(draw, valid=True):
    body = draw(st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17))
    check = credit_code_check_character(body)
    if valid:
        return draw(st.sampled_from([body + check, (body + check).lower()]))
    wrong = draw(st.sampled_from([c for c in CREDIT_CODE_ALPHABET if c != check]))
    return draw(
        st.sampled_from([body + wrong, body, body + check + "1", body[:16] + "I" + check, body + "O"])
    )


@st.composite
def phone(draw, valid=True):
    number = "1" + draw(st.sampled_from("3456789")) + draw(st.from_regex(r"[0-9]{9}", fullmatch=True))
    if valid:
        return draw(
            st.sampled_from(
                [
                    number,
                    "+86" + number,
                    f"{number[:3]}-{number[3:7]}-{number[7:]}",
                    number.translate(FULL_WIDTH),
                ]
            )
        )
    return draw(
        st.sampled_from([number[:10], number + "1", "12" + number[2:], "+1" + number, "0" + number, "86"])
    )


def iso(date):
    return date.isoformat()


BAD_DATES = st.sampled_from(
    [
        "2025-02-30",
        "2025-13-01",
        "0000-00-00",
        "9999-12-31",
        "2099-01-01",
        "1900-01-01",
        "2025/06/18",
        "20250618",
        "18-06-2025",
        "２０２５-０６-１８",
        "2025年6月18日",
        "2025-06-18T00:00:00",
        "-2025-06-18",
        "2025-6-1",
        "today",
    ]
)


@st.composite
def amount(draw, valid=True, minimum=1, maximum=10_000_000):
    if valid:
        fen = draw(st.integers(minimum * 100, maximum * 100))
        text = f"{fen // 100}.{fen % 100:02d}" if draw(st.booleans()) else str(fen // 100)
        return draw(st.sampled_from([text, f"{int(text.split('.')[0]):,}", text.translate(FULL_WIDTH)]))
    return draw(
        st.one_of(
            st.sampled_from(
                [
                    "0",
                    "0.00",
                    "0.001",
                    "0.004",
                    "-1",
                    "-0",
                    "+5",
                    "1e309",
                    "1e5",
                    "NaN",
                    "nan",
                    "Infinity",
                    "-inf",
                    "∞",
                    "1.2.3",
                    "1,0000",
                    "10000000000000.01",
                    "9999999999999.999",
                    "1" * 40,
                    "0." + "1" * 38,
                    "１２３．４５",
                    "壹佰元",
                    "150,000.50",
                    "$100",
                    "100元",
                ]
            ),
            st.decimals(allow_nan=True, allow_infinity=True).map(str),
            st.floats().map(repr),
        )
    )


def query_value():
    """Anything a query-string parameter may hold."""
    return st.one_of(HOSTILE, st.integers(-(2**70), 2**70).map(str), st.sampled_from(["1", "2", "0", "-1"]))


@st.composite
def query_string(draw, params):
    """A raw query string: `params` {name: strategy}; names may repeat, be unknown or
    missing, and values may be invalid UTF-8 escapes."""
    pairs = []
    for name, strategy in params.items():
        for _ in range(draw(st.sampled_from([1, 1, 1, 0, 2]))):
            pairs.append((name, draw(strategy)))
    if draw(st.integers(0, 4)) == 0:
        pairs.append((draw(st.sampled_from(["unknown", "q[]", "page[]", "", "a=b", "%00"])), draw(HOSTILE)))
    draw(st.randoms()).shuffle(pairs)
    parts = [f"{quote(str(name), safe='[]')}={quote(str(value), safe='')}" for name, value in pairs]
    if draw(st.integers(0, 9)) == 0:
        parts.append(f"{draw(st.sampled_from(list(params) or ['x']))}={draw(BAD_UTF8)}")
    if draw(st.integers(0, 14)) == 0:
        parts.append(draw(st.sampled_from(["&&&", "=", "==", ";", "page", "%ZZ"])))
    return "&".join(parts)


# --- files --------------------------------------------------------------------------------
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
GOOD_FILES = st.sampled_from([("receipt.pdf", PDF), ("付款凭证.png", PNG), ("photo.jpg", JPEG)])
TOO_BIG = PDF + b"\x00" * (10 * 1024 * 1024)
BAD_FILE_CONTENTS = st.sampled_from(
    [
        b"",
        b"MZ\x90\x00" + b"\x00" * 64,  # an executable
        b"<html><script>alert(1)</script></html>",
        b"PK\x03\x04" + b"\x00" * 64,  # a zip
        b"GIF89a" + b"\x00" * 32,
        "中文文本".encode(),
        b"%PDF",  # a truncated PDF still sniffs as PDF: accepted
        TOO_BIG,
    ]
)
FILE_NAMES = st.one_of(
    st.sampled_from(
        [
            "receipt.pdf",
            "../../../etc/passwd",
            "..\\..\\boot.ini",
            "/absolute/path.pdf",
            "..",
            ".",
            ".htaccess",
            "a" * 300 + ".pdf",
            "x." + "p" * 200,
            "receipt.pdf\x00.exe",
            "凭证 （1）.PDF",
            "con.pdf",
            "😀.png",
            "a\r\nContent-Type: text/html.pdf",
            'q"uote.pdf',
            "",
        ]
    ),
    random_text(max_size=60).map(lambda name: name + ".pdf"),
)


@st.composite
def evidence_files(draw):
    """[(name, bytes)]: mostly good, sometimes hostile, from none to too many."""
    choice = draw(st.integers(0, 5))
    if choice <= 2:
        return [draw(GOOD_FILES) for _ in range(draw(st.integers(1, 2)))]
    if choice == 3:
        return [(draw(FILE_NAMES), draw(st.one_of(GOOD_FILES.map(lambda f: f[1]), BAD_FILE_CONTENTS)))]
    if choice == 4:
        return [draw(GOOD_FILES) for _ in range(draw(st.integers(5, 7)))]
    return [draw(GOOD_FILES), (draw(FILE_NAMES), draw(BAD_FILE_CONTENTS))]
