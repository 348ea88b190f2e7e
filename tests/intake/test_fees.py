"""The court fee calculator (《诉讼费用交纳办法》), a pure module: no database here."""

import ast
import dataclasses
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from intake import fees
from intake.fees import (
    AMOUNT_LABELS,
    AMOUNT_REQUIRED,
    DEFAULT_SCHEDULE,
    KIND_LABELS,
    MAX_AMOUNT,
    SCHEDULE_LABELS,
    SCHEDULE_RANGES,
    CaseKind,
    FeeError,
    FeeSchedule,
    amount_in_words,
    calculate,
    parse_amount,
)

D = Decimal
CENT = D("0.01")
CJK = re.compile(r"[\u4e00-\u9fff]")

# Enough examples to find a band off by one fen, few enough that the file runs in seconds.
quick = settings(deadline=None, max_examples=150)

PROPERTY_EDGES = [
    "10000",
    "100000",
    "200000",
    "500000",
    "1000000",
    "2000000",
    "5000000",
    "10000000",
    "20000000",
]
ENFORCEMENT_EDGES = ["10000", "500000", "5000000", "10000000"]
PRESERVATION_EDGES = ["1000", "100000", "896000"]  # 896,000 is where the 5,000 cap starts to bite
DIVORCE_EDGES = ["200000"]
PERSONALITY_EDGES = ["50000", "100000"]
SCALED = {
    CaseKind.PROPERTY: PROPERTY_EDGES,
    CaseKind.ENFORCEMENT: ENFORCEMENT_EDGES,
    CaseKind.PRESERVATION: PRESERVATION_EDGES,
    CaseKind.DIVORCE: DIVORCE_EDGES,
    CaseKind.PERSONALITY: PERSONALITY_EDGES,
}


def fee(kind, amount, **kwargs):
    return calculate(kind, None if amount is None else D(amount), **kwargs).fee


def round_fen(value):
    return value.quantize(CENT, ROUND_HALF_UP)


def reference_property_fee(amount):
    """Art. 13(一) band by band, written independently of the module's precomputed tables."""
    bands = [
        (D(10000), D(100000), D("0.025")),
        (D(100000), D(200000), D("0.02")),
        (D(200000), D(500000), D("0.015")),
        (D(500000), D(1000000), D("0.01")),
        (D(1000000), D(2000000), D("0.009")),
        (D(2000000), D(5000000), D("0.008")),
        (D(5000000), D(10000000), D("0.007")),
        (D(10000000), D(20000000), D("0.006")),
        (D(20000000), MAX_AMOUNT, D("0.005")),
    ]
    total = D(50)
    for lower, upper, rate in bands:
        if amount > lower:
            total += (min(amount, upper) - lower) * rate
    return round_fen(total)


# Claims in fen: hypothesis's own Decimal strategy rarely tries small sums, so edges and a
# small range are mixed in with the full range.
edge_amounts = st.sampled_from(
    sorted({D(edge) + delta for edges in SCALED.values() for edge in edges for delta in (-CENT, 0, CENT)})
)
fen_amounts = st.one_of(
    edge_amounts,
    st.integers(1, 100_000_00).map(lambda fen: D(fen).scaleb(-2)),
    st.integers(1, int(MAX_AMOUNT * 100)).map(lambda fen: D(fen).scaleb(-2)),
)


# --- property cases (Art. 13(一)) -----------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        ("0.01", "50.00"),
        ("10000", "50.00"),
        ("50000", "1050.00"),
        ("100000", "2300.00"),
        ("150000", "3300.00"),
        ("200000", "4300.00"),
        ("342000", "6430.00"),
        ("1000000", "13800.00"),
        ("2000000", "22800.00"),
        ("5000000", "46800.00"),
        ("10000000", "81800.00"),
        ("20000000", "141800.00"),
        ("10000000000000", "50000041800.00"),
    ],
)
def test_property_fee_worked_examples(claim, expected):
    result = calculate("property", D(claim))
    assert result.fee == D(expected)
    assert str(result.fee) == expected  # to the fen, for display
    assert result.payable == result.fee
    assert result.halvings == ()
    assert result.basis == "《诉讼费用交纳办法》第十三条第（一）项"


@quick
@given(fen_amounts)
def test_property_fee_matches_an_independent_reference(claim):
    assert fee("property", claim) == reference_property_fee(claim)


@quick
@given(fen_amounts, fen_amounts)
def test_property_fee_never_falls_as_the_claim_grows(a, b):
    low, high = sorted([a, b])
    assert fee("property", low) <= fee("property", high)


@pytest.mark.parametrize(("kind", "edge"), [(kind, edge) for kind, edges in SCALED.items() for edge in edges])
def test_fees_are_continuous_at_every_band_edge(kind, edge):
    edge = D(edge)
    assert fee(kind, edge + CENT) - fee(kind, edge) <= CENT
    assert fee(kind, edge) - fee(kind, edge - CENT) <= CENT


@quick
@given(st.sampled_from(sorted(SCALED)), fen_amounts)
def test_one_more_fen_of_claim_adds_at_most_one_fen_of_fee(kind, claim):
    if claim + CENT <= MAX_AMOUNT:
        assert D(0) <= fee(kind, claim + CENT) - fee(kind, claim) <= CENT


@quick
@given(st.sampled_from(sorted(SCALED)), fen_amounts)
def test_breakdown_lines_add_up_to_the_fee(kind, claim):
    result = calculate(kind, claim)
    assert round_fen(sum(line.amount for line in result.breakdown)) == result.fee
    for line in result.breakdown:
        assert CJK.search(line.description)
        if line.rate is not None:
            assert line.amount == line.base * line.rate
            assert line.lower < line.lower + line.base <= (line.upper or MAX_AMOUNT)


def test_breakdown_describes_each_band():
    result = calculate("property", D("50000"))
    assert [line.description for line in result.breakdown] == [
        "不超过1万元的部分：50元",
        "超过1万元至10万元的部分 40,000.00元 × 2.5% = 1,000.00元",
    ]
    flat, band = result.breakdown
    assert (flat.lower, flat.upper, flat.rate, flat.base, flat.amount) == (0, 10000, None, 0, 50)
    assert (band.lower, band.upper, band.rate, band.base, band.amount) == (
        10000,
        100000,
        D("0.025"),
        40000,
        1000,
    )
    top = calculate("property", D("25000000.37")).breakdown[-1]
    assert top.upper is None
    assert top.description == "超过2000万元的部分 5,000,000.37元 × 0.5% ≈ 25,000.00元"


# --- halving (Art. 15, 16) -------------------------------------------------------------


@quick
@given(fen_amounts, st.sampled_from([(True, False), (False, True), (True, True)]))
def test_one_halving_halves_the_fee_rounded_to_the_fen(claim, flags):
    mediated, summary = flags
    result = calculate("property", claim, mediated=mediated, summary=summary)
    assert result.fee == fee("property", claim)
    assert result.payable == round_fen(result.fee / 2)
    assert len(result.halvings) == 1


@quick
@given(fen_amounts)
def test_stacked_halvings_quarter_the_fee(claim):
    result = calculate(
        "property", claim, mediated=True, summary=True, schedule=FeeSchedule(halvings_stack=True)
    )
    assert result.payable == round_fen(result.fee / 4)
    assert len(result.halvings) == 2


def test_halving_names_its_article():
    assert calculate("property", D("50000"), mediated=True).halvings == (
        "调解结案或撤诉，减半交纳（第十五条）",
    )
    assert calculate("property", D("50000"), summary=True).halvings == ("适用简易程序，减半交纳（第十六条）",)
    both = calculate("property", D("50000"), mediated=True, summary=True)
    assert both.payable == D("525.00")
    assert "第十五条" in both.halvings[0] and "第十六条" in both.halvings[0]
    stacked = calculate(
        "property", D("50000"), mediated=True, summary=True, schedule=FeeSchedule(halvings_stack=True)
    )
    assert stacked.halvings == ("调解结案或撤诉，减半交纳（第十五条）", "适用简易程序，减半交纳（第十六条）")
    assert stacked.payable == D("262.50")


def test_halving_rounds_half_a_fen_up():
    # 50 + 0.40 × 2.5% = 50.01, and half of an odd fen is where half-even would round down.
    result = calculate("property", D("10000.40"), summary=True)
    assert result.fee == D("50.01")
    assert result.payable == D("25.01")  # 25.005 half-up, not half-even


@pytest.mark.parametrize("kind", [kind for kind in CaseKind if kind not in {"enforcement", "preservation"}])
def test_every_case_acceptance_fee_can_be_halved(kind):
    amount = D("300000") if kind in AMOUNT_REQUIRED else None
    result = calculate(kind, amount, mediated=True)
    assert result.payable == round_fen(result.fee / 2)


# --- the other Art. 13 kinds ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected", "basis"),
    [
        ("divorce", "50", "第十三条第（二）项第1目"),
        ("personality", "100", "第十三条第（二）项第2目"),
        ("non_property", "50", "第十三条第（二）项第3目"),
        ("ip", "500", "第十三条第（三）项"),
        ("labour", "10", "第十三条第（四）项"),
        ("administrative_special", "100", "第十三条第（五）项第1目"),
        ("administrative", "50", "第十三条第（五）项第2目"),
        ("jurisdiction_objection", "50", "第十三条第（六）项"),
        ("enforcement", "50", "第十四条第（一）项第1目"),
        ("preservation", "30", "第十四条第（二）项"),
    ],
)
def test_per_case_fees_without_an_amount(kind, expected, basis):
    result = calculate(kind)
    assert result.fee == D(expected)
    assert result.kind is CaseKind(kind)
    assert result.amount is None
    assert result.basis == f"《诉讼费用交纳办法》{basis}"
    (line,) = result.breakdown
    assert line.amount == D(expected) and line.rate is None and line.base == 0
    assert line.description.endswith(f"：{expected}元")


def test_per_case_fees_follow_the_courts_schedule():
    schedule = FeeSchedule(
        divorce=D("300"),
        personality=D("500"),
        non_property=D("100"),
        ip=D("1000"),
        jurisdiction_objection=D("75.50"),
        enforcement_without_amount=D("500"),
    )
    assert fee("divorce", None, schedule=schedule) == D("300")
    assert fee("personality", None, schedule=schedule) == D("500")
    assert fee("non_property", None, schedule=schedule) == D("100")
    assert fee("ip", None, schedule=schedule) == D("1000")
    assert fee("jurisdiction_objection", None, schedule=schedule) == D("75.50")
    assert fee("enforcement", None, schedule=schedule) == D("500")
    # The fixed figures are the decree's, not the court's.
    assert fee("labour", None, schedule=schedule) == D("10")
    assert fee("preservation", None, schedule=schedule) == D("30")


@pytest.mark.parametrize(
    ("division", "expected"),
    [
        ("100000", "50.00"),
        ("200000", "50.00"),  # up to 200,000 nothing is added
        ("200000.01", "50.00"),  # 0.00005 more
        ("200001", "50.01"),  # 0.005 more, rounded half-up
        ("300000", "550.00"),
        ("1200000", "5050.00"),
    ],
)
def test_divorce_property_division_above_200000(division, expected):
    assert fee("divorce", division) == D(expected)
    assert fee("divorce", division, schedule=FeeSchedule(divorce=D("300"))) == D(expected) + 250


@pytest.mark.parametrize(
    ("damages", "expected"),
    [
        ("30000", "100.00"),
        ("50000", "100.00"),  # up to 50,000 nothing is added
        ("80000", "400.00"),  # 1% of 30,000
        ("100000", "600.00"),
        ("150000", "850.00"),  # 500 + 0.5% of 50,000
        ("1000000", "5100.00"),
    ],
)
def test_personality_damages_bands(damages, expected):
    assert fee("personality", damages) == D(expected)


# --- applications (Art. 14) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0.01", "50.00"),
        ("10000", "50.00"),
        ("10000.01", "50.00"),
        ("20000", "200.00"),
        ("500000", "7400.00"),
        ("5000000", "52400.00"),
        ("10000000", "77400.00"),
        ("12000000", "79400.00"),
    ],
)
def test_enforcement_bands(amount, expected):
    result = calculate("enforcement", D(amount))
    assert result.fee == D(expected)
    assert result.basis == "《诉讼费用交纳办法》第十四条第（一）项第2目"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1", "30.00"),
        ("1000", "30.00"),
        ("2000", "40.00"),
        ("100000", "1020.00"),
        ("800000", "4520.00"),
        ("895000", "4995.00"),
        ("896000", "5000.00"),
        ("896000.01", "5000.00"),
        ("100000000", "5000.00"),
        ("10000000000000", "5000.00"),
    ],
)
def test_preservation_bands_and_the_5000_cap(amount, expected):
    assert fee("preservation", amount) == D(expected)


def test_the_preservation_cap_shows_in_the_breakdown():
    result = calculate("preservation", D("2000000"))
    assert result.fee == D("5000")
    cap = result.breakdown[-1]
    assert cap.amount == D("-5520")
    assert "5000元" in cap.description and "5,520.00" in cap.description


# --- the court's schedule -------------------------------------------------------------


def test_schedule_defaults_are_the_decrees_minimums():
    assert set(SCHEDULE_RANGES) | {"halvings_stack"} == {
        field.name for field in dataclasses.fields(FeeSchedule)
    }
    assert set(SCHEDULE_LABELS) == {field.name for field in dataclasses.fields(FeeSchedule)}
    for name, (low, _high) in SCHEDULE_RANGES.items():
        assert getattr(DEFAULT_SCHEDULE, name) == low
    assert DEFAULT_SCHEDULE.halvings_stack is False
    DEFAULT_SCHEDULE.validate()


@pytest.mark.parametrize(("name", "bounds"), sorted(SCHEDULE_RANGES.items()))
def test_schedule_accepts_its_range_and_refuses_outside_it(name, bounds):
    low, high = bounds
    for value in (low, (low + high) / 2, high):
        FeeSchedule(**{name: value}).validate()
    for value in (low - CENT, high + CENT, low + D("0.001"), D("NaN"), "100", 1.5):
        schedule = FeeSchedule(**{name: value})
        with pytest.raises(FeeError) as error:
            schedule.validate()
        assert CJK.search(str(error.value))
        assert SCHEDULE_LABELS[name] in str(error.value)


def test_schedule_takes_whole_yuan_as_integers():
    schedule = FeeSchedule(divorce=300, ip=800)
    schedule.validate()
    assert schedule.divorce == D("300") and isinstance(schedule.divorce, Decimal)
    assert fee("divorce", "300000", schedule=schedule) == D("800")
    assert fee("ip", None, schedule=schedule) == D("800")
    with pytest.raises(FeeError):
        FeeSchedule(divorce=True).validate()


def test_schedule_message_names_the_range():
    with pytest.raises(FeeError, match=r"离婚案件每件受理费应在50元至300元之间.*当前设置为400元"):
        FeeSchedule(divorce=D("400")).validate()
    with pytest.raises(FeeError):
        FeeSchedule(halvings_stack="yes").validate()


def test_calculate_refuses_a_schedule_outside_the_decree():
    with pytest.raises(FeeError, match="离婚"):
        calculate("labour", schedule=FeeSchedule(divorce=D("20")))


# --- input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("150000", "150000.00"),
        ("150,000.5", "150000.50"),
        (" 1500 ", "1500.00"),
        ("１５００", "1500.00"),
        ("１５，０００．５０", "15000.50"),
        ("1,234,567.89", "1234567.89"),
        ("+20", "20.00"),
        ("1.000", "1.00"),  # trailing zeros are still whole fen
        ("0.01", "0.01"),
        ("10000000000000", "10000000000000.00"),
        (D("342000"), "342000.00"),
        (D("1E+5"), "100000.00"),
        (1650, "1650.00"),
    ],
)
def test_parse_amount_accepts(text, expected):
    parsed = parse_amount(text)
    assert isinstance(parsed, Decimal)
    assert str(parsed) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "请填写金额"),
        ("   ", "请填写金额"),
        ("abc", "不是有效的数字"),
        ("一万", "不是有效的数字"),
        ("1 500", "不是有效的数字"),
        ("1,5", "不是有效的数字"),  # a decimal comma, not a thousands separator
        ("15,00.0", "不是有效的数字"),
        ("100元", "不是有效的数字"),
        ("1e5", "科学计数法"),  # Decimal would read 100000; a person writing it is likely mistaken
        ("NaN", "不是有效的数字"),
        ("Infinity", "不是有效的数字"),
        ("-inf", "不是有效的数字"),
        ("-100", "不能为负数"),
        ("－5", "不能为负数"),
        ("0", "大于0"),
        ("0.00", "大于0"),
        ("-0", "大于0"),
        ("1.234", "两位小数"),
        ("0.001", "两位小数"),
        ("10000000000000.01", "上限"),
        ("99999999999999", "上限"),
        (D("NaN"), "确定的数字"),
        (D("sNaN"), "确定的数字"),
        (D("Infinity"), "确定的数字"),
        (D("-1"), "不能为负数"),
        (D("1.001"), "两位小数"),
        (0, "大于0"),
        (1.5, "数字"),  # a float has already lost the fen
        (True, "数字"),
        (None, "数字"),
    ],
)
def test_parse_amount_refuses_with_a_chinese_message(text, message):
    with pytest.raises(FeeError) as error:
        parse_amount(text)
    assert CJK.search(str(error.value))
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("lawsuit", D("100")), {}, "未知的案件类型"),
        (("", None), {}, "未知的案件类型"),
        ((None, None), {}, "未知的案件类型"),
        ((["property"], D("1")), {}, "未知的案件类型"),
        (("PROPERTY", D("100")), {}, "未知的案件类型"),
        (("property", None), {}, "须填写诉讼请求金额"),
        (("labour", D("5000")), {}, "不需要填写金额"),
        (("labour", D("-5")), {}, "不需要填写金额"),
        (("administrative", D("1")), {}, "不需要填写金额"),
        (("ip", D("100000")), {}, "财产案件"),
        (("enforcement", D("100000")), {"mediated": True}, "不适用减半"),
        (("enforcement", None), {"summary": True}, "不适用减半"),
        (("preservation", D("100000")), {"summary": True}, "不适用减半"),
        (("property", D("-1")), {}, "不能为负数"),
        (("property", D("0")), {}, "大于0"),
        (("property", D("100.001")), {}, "两位小数"),
        (("property", D("NaN")), {}, "确定的数字"),
        (("property", D("Infinity")), {}, "确定的数字"),
        (("property", MAX_AMOUNT + CENT), {}, "上限"),
        (("property", "1e5"), {}, "科学计数法"),
        (("property", 1.5), {}, "数字"),
    ],
)
def test_calculate_refuses_with_a_chinese_message(args, kwargs, message):
    with pytest.raises(FeeError) as error:
        calculate(*args, **kwargs)
    assert isinstance(error.value, ValueError)
    assert CJK.search(str(error.value))
    assert message in str(error.value)


def test_unknown_kind_lists_the_known_kinds_in_chinese():
    with pytest.raises(FeeError) as error:
        calculate("lawsuit")
    for kind, label in KIND_LABELS.items():
        assert f"{label}（{kind.value}）" in str(error.value)


def test_calculate_takes_an_enum_a_string_or_amount_text():
    by_enum = calculate(CaseKind.PROPERTY, D("150000"))
    by_text = calculate("property", "150,000")
    assert by_enum.fee == by_text.fee == D("3300")
    assert by_text.kind is CaseKind.PROPERTY
    assert calculate("property", 150000).fee == D("3300")


def test_every_kind_has_labels_and_a_basis():
    assert set(KIND_LABELS) == set(CaseKind)
    assert set(AMOUNT_REQUIRED) <= set(AMOUNT_LABELS)
    assert set(AMOUNT_LABELS) == {"property", "divorce", "personality", "enforcement", "preservation"}
    for kind in CaseKind:
        amount = D("1000") if kind in AMOUNT_REQUIRED else None
        assert calculate(kind, amount).basis.startswith("《诉讼费用交纳办法》第十")
        assert CJK.search(KIND_LABELS[kind])


def test_results_are_immutable():
    result = calculate("property", D("100"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.fee = D(0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.breakdown[0].amount = D(0)


# --- amounts in words -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1650", "壹仟陆佰伍拾元整"),
        ("1650.00", "壹仟陆佰伍拾元整"),
        ("1650.50", "壹仟陆佰伍拾元伍角"),
        ("1650.05", "壹仟陆佰伍拾元零伍分"),
        ("2300.45", "贰仟叁佰元肆角伍分"),
        ("100010.10", "壹拾万零壹拾元壹角"),
        ("0.05", "伍分"),
        ("0", "零元整"),
        ("1E+3", "壹仟元整"),
        ("10000000000000", "壹拾万亿元整"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(D(amount)) == words


@example(D("6430"))
@quick
@given(st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2))
def test_amount_in_words_is_always_chinese_money(amount):
    words = amount_in_words(amount)
    assert words.endswith(("元整", "角", "分"))
    assert not re.search(r"[0-9]", words)


@pytest.mark.parametrize("amount", [D("1.005"), D("-1"), D("NaN"), MAX_AMOUNT + 1, "100", 1.5])
def test_amount_in_words_refuses(amount):
    with pytest.raises(FeeError) as error:
        amount_in_words(amount)
    assert CJK.search(str(error.value))


def test_the_module_imports_no_django():
    tree = ast.parse(Path(fees.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported and not any(name.split(".")[0] == "django" for name in imported)
