"""Court case fees under 《诉讼费用交纳办法》 (State Council Decree No. 481, 2007).

Pure Python on purpose: no Django, so the calculator can be tested without a database,
timed in-process, and reused by the public page, the admin and scripts alike.

Money is `Decimal` throughout and the fee is rounded once, at the end, to the fen with
ROUND_HALF_UP: rounding each band separately would let the bands drift a fen or two away
from the figure a court clerk computes by hand from the whole claim.
"""

from __future__ import annotations

import enum
import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "AMOUNT_LABELS",
    "AMOUNT_REQUIRED",
    "DEFAULT_SCHEDULE",
    "KIND_LABELS",
    "MAX_AMOUNT",
    "SCHEDULE_LABELS",
    "SCHEDULE_RANGES",
    "BandShare",
    "CaseKind",
    "FeeError",
    "FeeResult",
    "FeeSchedule",
    "amount_in_words",
    "calculate",
    "parse_amount",
]

# Far above any real claim, yet small enough that amount × rate stays exact within the
# default 28-digit decimal context (15 digits to the fen plus 3 for the rate).
MAX_AMOUNT = Decimal("10000000000000")

_CENT = Decimal("0.01")
_ZERO = Decimal(0)
_HALF = Decimal("0.5")
_QUARTER = Decimal("0.25")


class FeeError(ValueError):
    """Input the calculator cannot use; `str(error)` is a Chinese sentence for the user."""


class CaseKind(enum.StrEnum):
    PROPERTY = "property"
    DIVORCE = "divorce"
    PERSONALITY = "personality"
    NON_PROPERTY = "non_property"
    IP = "ip"
    LABOUR = "labour"
    ADMINISTRATIVE = "administrative"
    ADMINISTRATIVE_SPECIAL = "administrative_special"
    JURISDICTION_OBJECTION = "jurisdiction_objection"
    ENFORCEMENT = "enforcement"
    PRESERVATION = "preservation"


KIND_LABELS: dict[CaseKind, str] = {
    CaseKind.PROPERTY: "财产案件",
    CaseKind.DIVORCE: "离婚案件",
    CaseKind.PERSONALITY: "侵害人格权案件",
    CaseKind.NON_PROPERTY: "其他非财产案件",
    CaseKind.IP: "知识产权民事案件（无争议金额）",
    CaseKind.LABOUR: "劳动争议案件",
    CaseKind.ADMINISTRATIVE: "行政案件",
    CaseKind.ADMINISTRATIVE_SPECIAL: "商标、专利、海事行政案件",
    CaseKind.JURISDICTION_OBJECTION: "管辖权异议不成立",
    CaseKind.ENFORCEMENT: "申请执行",
    CaseKind.PRESERVATION: "申请保全",
}

AMOUNT_LABELS: dict[CaseKind, str] = {
    CaseKind.PROPERTY: "诉讼请求金额（元）",
    CaseKind.DIVORCE: "分割财产总额（元）",
    CaseKind.PERSONALITY: "损害赔偿金额（元）",
    CaseKind.ENFORCEMENT: "执行金额（元）",
    CaseKind.PRESERVATION: "保全财产数额（元）",
}

# Only a property case has no fee without its amount; the other kinds in AMOUNT_LABELS
# have a per-case fee the amount (when there is one) adds to or replaces.
AMOUNT_REQUIRED: frozenset[CaseKind] = frozenset({CaseKind.PROPERTY})

# Art. 15 and 16 halve the 案件受理费 (Art. 13); Art. 14 application fees are not one.
_APPLICATION_KINDS = frozenset({CaseKind.ENFORCEMENT, CaseKind.PRESERVATION})
# Art. 14 application fees: not case acceptance fees, so neither halved nor reduced here.
APPLICATION_FEE_KINDS = _APPLICATION_KINDS

_KINDS: dict[str, CaseKind] = {kind.value: kind for kind in CaseKind}

_DECREE = "《诉讼费用交纳办法》"

# --- the court's settings --------------------------------------------------------------

SCHEDULE_RANGES: dict[str, tuple[Decimal, Decimal]] = {
    "divorce": (Decimal("50"), Decimal("300")),
    "personality": (Decimal("100"), Decimal("500")),
    "non_property": (Decimal("50"), Decimal("100")),
    "ip": (Decimal("500"), Decimal("1000")),
    "jurisdiction_objection": (Decimal("50"), Decimal("100")),
    "enforcement_without_amount": (Decimal("50"), Decimal("500")),
}

SCHEDULE_LABELS: dict[str, str] = {
    "divorce": "离婚案件每件受理费",
    "personality": "侵害人格权案件每件受理费",
    "non_property": "其他非财产案件每件受理费",
    "ip": "知识产权民事案件（无争议金额）每件受理费",
    "jurisdiction_objection": "管辖权异议不成立每件受理费",
    "enforcement_without_amount": "申请执行（无执行金额）每件申请费",
    "halvings_stack": "调解（撤诉）与简易程序减半可叠加",
}


@dataclass(frozen=True)
class FeeSchedule:
    """The figures a court picks where the decree gives a range; defaults are the minimums."""

    divorce: Decimal = Decimal("50")
    personality: Decimal = Decimal("100")
    non_property: Decimal = Decimal("50")
    ip: Decimal = Decimal("500")
    jurisdiction_objection: Decimal = Decimal("50")
    enforcement_without_amount: Decimal = Decimal("50")
    # The decree is silent on a mediated case heard under summary procedure; courts
    # commonly halve once, so stacking the two halvings is opt-in.
    halvings_stack: bool = False

    def __post_init__(self):
        # Whole yuan from an integer form field are as good as Decimals; the arithmetic
        # below needs Decimal methods, so they are converted once here.
        for name in SCHEDULE_RANGES:
            value = getattr(self, name)
            if isinstance(value, int) and not isinstance(value, bool):
                object.__setattr__(self, name, Decimal(value))

    def validate(self) -> None:
        for name, (low, high) in SCHEDULE_RANGES.items():
            value = getattr(self, name)
            label = SCHEDULE_LABELS[name]
            if not isinstance(value, Decimal):
                raise FeeError(f"{label}须为数字。")
            if not value.is_finite() or value != value.quantize(_CENT):
                raise FeeError(f"{label}须为确定的金额，最多保留两位小数（到分）。")
            if not low <= value <= high:
                raise FeeError(
                    f"{label}应在{_plain(low)}元至{_plain(high)}元之间（{_DECREE}规定的幅度），"
                    f"当前设置为{_plain(value)}元。"
                )
        if not isinstance(self.halvings_stack, bool):
            raise FeeError(f"“{SCHEDULE_LABELS['halvings_stack']}”须为是或否。")


DEFAULT_SCHEDULE = FeeSchedule()

# --- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BandShare:
    """One line of a fee's breakdown."""

    lower: Decimal
    upper: Decimal | None
    rate: Decimal | None  # None for a flat or fixed part
    base: Decimal  # the part of the amount in this band; 0 for a flat or fixed part
    amount: Decimal  # this line's fee, unrounded
    description: str


@dataclass(frozen=True)
class FeeResult:
    kind: CaseKind
    amount: Decimal | None
    fee: Decimal  # the full fee, rounded to the fen
    breakdown: tuple[BandShare, ...]
    halvings: tuple[str, ...]  # one entry per halving actually applied
    payable: Decimal  # after the halvings, rounded to the fen
    basis: str


# --- formatting ------------------------------------------------------------------------


def format_money(value: Decimal) -> str:
    """Yuan to the fen with thousands separators, half-up: Decimal's own format rounds half-even."""
    return f"{value.quantize(_CENT, ROUND_HALF_UP):,}"


def _plain(value: Decimal) -> str:
    """Whole yuan without decimals ("50"), else to the fen: per-case figures read like the decree."""
    value = Decimal(value)
    return f"{value:.0f}" if value == value.to_integral_value() else format_money(value)


def _bound(value: Decimal) -> str:
    """A band edge as the decree writes it: "1000元", "1万元", "2000万元"."""
    if value >= 10000 and value % 10000 == 0:
        return f"{value / 10000:f}万元"
    return f"{value:f}元"


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


# --- progressive tables ----------------------------------------------------------------


class _Scale:
    """A table that charges `flat` up to its first edge, then each band at its own rate.

    The fee below each band and the breakdown line of every fully used band are worked
    out once here, so a calculation is a bisect, one multiplication and one new line.
    """

    def __init__(self, flat: str, edges: list[str], rates: list[str], *, subject: str = ""):
        self.flat = Decimal(flat)
        self.uppers = tuple(Decimal(edge) for edge in edges)
        self.lowers = (_ZERO, *self.uppers)
        self.rates = (None, *(Decimal(rate) for rate in rates))
        assert len(self.rates) == len(self.lowers) == len(self.uppers) + 1
        self.prefixes = (None,) + tuple(
            f"{subject}超过{_bound(lower)}" + (f"至{_bound(upper)}" if upper is not None else "") + "的部分 "
            for lower, upper in zip(self.lowers[1:], (*self.uppers[1:], None), strict=True)
        )
        self.percents = (None,) + tuple(_percent(rate) for rate in self.rates[1:])
        flat_text = f"{_plain(self.flat)}元" if self.flat else "不另行交纳"
        self.flat_line = BandShare(
            lower=_ZERO,
            upper=self.uppers[0],
            rate=None,
            base=_ZERO,
            amount=self.flat,
            description=f"{subject}不超过{_bound(self.uppers[0])}的部分：{flat_text}",
        )
        cumulative = [_ZERO, self.flat]
        full_lines = [self.flat_line]
        for band in range(1, len(self.uppers)):
            base = self.uppers[band] - self.lowers[band]
            share = base * self.rates[band]
            cumulative.append(cumulative[-1] + share)
            full_lines.append(self._line(band, base, share))
        self.cumulative = tuple(cumulative)
        self.full_lines = tuple(full_lines)

    def fee(self, amount: Decimal) -> Decimal:
        """The unrounded fee for `amount`."""
        band = bisect_left(self.uppers, amount)  # an edge belongs to the band below it
        if band == 0:
            return self.flat
        return self.cumulative[band] + (amount - self.lowers[band]) * self.rates[band]

    def lines(self, amount: Decimal) -> tuple[BandShare, ...]:
        band = bisect_left(self.uppers, amount)
        if band == 0:
            return (self.flat_line,)
        base = amount - self.lowers[band]
        return (*self.full_lines[:band], self._line(band, base, base * self.rates[band]))

    def _line(self, band: int, base: Decimal, share: Decimal) -> BandShare:
        shown = share.quantize(_CENT, ROUND_HALF_UP)
        equals = "=" if shown == share else "≈"
        return BandShare(
            lower=self.lowers[band],
            upper=self.uppers[band] if band < len(self.uppers) else None,
            rate=self.rates[band],
            base=base,
            amount=share,
            description=f"{self.prefixes[band]}{format_money(base)}元 × {self.percents[band]} {equals} {shown:,}元",
        )


# Art. 13(一)
_PROPERTY = _Scale(
    "50",
    ["10000", "100000", "200000", "500000", "1000000", "2000000", "5000000", "10000000", "20000000"],
    ["0.025", "0.02", "0.015", "0.01", "0.009", "0.008", "0.007", "0.006", "0.005"],
)
# Art. 13(二)1: on top of the per-case fee
_DIVORCE = _Scale("0", ["200000"], ["0.005"], subject="财产总额")
# Art. 13(二)2: on top of the per-case fee
_PERSONALITY = _Scale("0", ["50000", "100000"], ["0.01", "0.005"], subject="赔偿金额")
# Art. 14(一)2
_ENFORCEMENT = _Scale(
    "50", ["10000", "500000", "5000000", "10000000"], ["0.015", "0.01", "0.005", "0.001"], subject="执行金额"
)
# Art. 14(二)
_PRESERVATION = _Scale("30", ["1000", "100000"], ["0.01", "0.005"], subject="财产数额")
_PRESERVATION_CAP = Decimal("5000")


def _fixed(description: str, amount: Decimal) -> BandShare:
    return BandShare(
        lower=_ZERO,
        upper=None,
        rate=None,
        base=_ZERO,
        amount=amount,
        description=f"{description}：{_plain(amount)}元",
    )


# --- amounts ---------------------------------------------------------------------------

# What people paste from Chinese input methods and spreadsheets.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－＋\u3000", "0123456789.,-+ ")
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
_MAX_TEXT = "10万亿元"


def parse_amount(text: str | Decimal | int) -> Decimal:
    """The amount a person typed, as a `Decimal` to the fen, or FeeError saying what to fix."""
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int) and not isinstance(text, bool):
        value = Decimal(text)
    elif isinstance(text, str):
        value = _parse_text(text)
    else:
        # A float has already lost the fen (0.1 + 0.2), so it is refused rather than guessed.
        raise FeeError("金额须为数字或数字文本（如 150000 或 150,000.50）。")
    return _check_amount(value).quantize(_CENT)


def _parse_text(text: str) -> Decimal:
    cleaned = text.translate(_FULL_WIDTH).strip()
    if not cleaned:
        raise FeeError("请填写金额。")
    if _NUMBER.fullmatch(cleaned) is None:
        if re.fullmatch(r"[+-]?[0-9.]+[eE][+-]?[0-9]+", cleaned):
            # "1e5" would be read as 100000 by Decimal; a person writing it on a court form
            # is more likely mistaken than terse, so the figure must be spelled out.
            raise FeeError("金额请直接填写数字，不要使用科学计数法（如 1e5），例如 100000。")
        shown = cleaned if len(cleaned) <= 20 else cleaned[:20] + "…"
        raise FeeError(
            f"金额“{shown}”不是有效的数字：请只填写阿拉伯数字，可带小数点和千位分隔符，"
            "例如 150000 或 150,000.50。"
        )
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise FeeError("金额不是有效的数字。") from None


def _check_amount(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise FeeError("金额必须是一个确定的数字（不能是 NaN 或无穷大）。")
    if value <= 0:
        raise FeeError("金额不能为负数。" if value < 0 else "金额必须大于0元。")
    if value > MAX_AMOUNT:
        raise FeeError(f"金额超过可计算的上限（{_MAX_TEXT}），请核对是否多填了位数。")
    # The exponent settles the common case without a quantize; "1.000" still passes.
    if value.as_tuple().exponent < -2 and value != value.quantize(_CENT):
        raise FeeError("金额最多保留两位小数（到分）。")
    return value


def amount_in_words(amount: Decimal) -> str:
    """Chinese capital numerals for a sum of money: 1650 → "壹仟陆佰伍拾元整"."""
    # cn2an takes ~0.2 s to import; only receipts and notices need it.
    import cn2an

    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise FeeError("金额须为数字。")
    amount = Decimal(amount)
    if not amount.is_finite() or amount < 0:
        raise FeeError("大写金额只能用于零或正数的金额。")
    if amount > MAX_AMOUNT:
        raise FeeError(f"金额超过可计算的上限（{_MAX_TEXT}）。")
    if amount != amount.quantize(_CENT):
        raise FeeError("金额最多保留两位小数（到分），请先取整到分再转换为大写。")
    return cn2an.an2cn(f"{amount.quantize(_CENT):f}", "rmb")


# --- the calculator --------------------------------------------------------------------

_MEDIATED = "调解结案或撤诉，减半交纳（第十五条）"
_SUMMARY = "适用简易程序，减半交纳（第十六条）"
_BOTH_ONCE = "调解结案或撤诉且适用简易程序，减半交纳一次（第十五条、第十六条，不重复减半）"

_BASIS = {
    CaseKind.PROPERTY: f"{_DECREE}第十三条第（一）项",
    CaseKind.DIVORCE: f"{_DECREE}第十三条第（二）项第1目",
    CaseKind.PERSONALITY: f"{_DECREE}第十三条第（二）项第2目",
    CaseKind.NON_PROPERTY: f"{_DECREE}第十三条第（二）项第3目",
    CaseKind.IP: f"{_DECREE}第十三条第（三）项",
    CaseKind.LABOUR: f"{_DECREE}第十三条第（四）项",
    CaseKind.ADMINISTRATIVE_SPECIAL: f"{_DECREE}第十三条第（五）项第1目",
    CaseKind.ADMINISTRATIVE: f"{_DECREE}第十三条第（五）项第2目",
    CaseKind.JURISDICTION_OBJECTION: f"{_DECREE}第十三条第（六）项",
    CaseKind.ENFORCEMENT: f"{_DECREE}第十四条第（一）项",
    CaseKind.PRESERVATION: f"{_DECREE}第十四条第（二）项",
}
_ENFORCEMENT_BASIS = (f"{_DECREE}第十四条第（一）项第1目", f"{_DECREE}第十四条第（一）项第2目")

_FIXED = {
    CaseKind.LABOUR: Decimal("10"),
    CaseKind.ADMINISTRATIVE: Decimal("50"),
    CaseKind.ADMINISTRATIVE_SPECIAL: Decimal("100"),
}
_FIXED_LINES = {kind: _fixed(f"{KIND_LABELS[kind]}每件", fee) for kind, fee in _FIXED.items()}
_PRESERVATION_NO_AMOUNT = _fixed("不涉及财产数额的，每件", Decimal("30"))
_SCHEDULED = {
    CaseKind.NON_PROPERTY: "non_property",
    CaseKind.IP: "ip",
    CaseKind.JURISDICTION_OBJECTION: "jurisdiction_objection",
}


def _unknown_kind(kind: object) -> FeeError:
    known = "；".join(f"{label}（{kind.value}）" for kind, label in KIND_LABELS.items())
    shown = str(kind)
    shown = shown if len(shown) <= 30 else shown[:30] + "…"
    return FeeError(f"未知的案件类型“{shown}”。可选的类型：{known}。")


def calculate(
    kind: CaseKind | str,
    amount: Decimal | None = None,
    *,
    mediated: bool = False,
    summary: bool = False,
    schedule: FeeSchedule = DEFAULT_SCHEDULE,
) -> FeeResult:
    """The fee for one case or application, with its breakdown and legal basis."""
    try:
        kind = _KINDS[kind]
    except (KeyError, TypeError):
        raise _unknown_kind(kind) from None
    if schedule is not DEFAULT_SCHEDULE:
        schedule.validate()
    label = KIND_LABELS[kind]
    # Which inputs belong to the kind is checked before their values: "labour takes no
    # amount" is the useful answer even when the stray amount is also malformed.
    if amount is not None and kind not in AMOUNT_LABELS:
        if kind is CaseKind.IP:
            raise FeeError("知识产权民事案件有争议金额的，按财产案件标准交纳，请选择“财产案件”。")
        raise FeeError(f"{label}按件交纳，不需要填写金额。")
    if amount is None and kind in AMOUNT_REQUIRED:
        raise FeeError(f"{label}须填写{AMOUNT_LABELS[kind].removesuffix('（元）')}。")
    if (mediated or summary) and kind in _APPLICATION_KINDS:
        raise FeeError(
            f"{label}的申请费不适用减半交纳：调解结案、撤诉和简易程序减半"
            "（第十五条、第十六条）只适用于案件受理费。"
        )
    if amount is not None:
        amount = _check_amount(amount) if type(amount) is Decimal else parse_amount(amount)

    basis = _BASIS[kind]
    if kind is CaseKind.PROPERTY:
        total = _PROPERTY.fee(amount)
        breakdown = _PROPERTY.lines(amount)
    elif kind in _FIXED:
        total = _FIXED[kind]
        breakdown = (_FIXED_LINES[kind],)
    elif kind in _SCHEDULED:
        total = getattr(schedule, _SCHEDULED[kind])
        breakdown = (_fixed(f"{label}每件", total),)
    elif kind is CaseKind.DIVORCE or kind is CaseKind.PERSONALITY:
        per_case = schedule.divorce if kind is CaseKind.DIVORCE else schedule.personality
        extra = _DIVORCE if kind is CaseKind.DIVORCE else _PERSONALITY
        breakdown = (_fixed(f"{label}每件", per_case),)
        total = per_case
        if amount is not None:
            total += extra.fee(amount)
            breakdown += extra.lines(amount)
    elif kind is CaseKind.ENFORCEMENT:
        basis = _ENFORCEMENT_BASIS[amount is not None]
        if amount is None:
            total = schedule.enforcement_without_amount
            breakdown = (_fixed("没有执行金额或者价额的，每件", total),)
        else:
            total = _ENFORCEMENT.fee(amount)
            breakdown = _ENFORCEMENT.lines(amount)
    else:  # CaseKind.PRESERVATION
        if amount is None:
            total = _PRESERVATION_NO_AMOUNT.amount
            breakdown = (_PRESERVATION_NO_AMOUNT,)
        else:
            total = _PRESERVATION.fee(amount)
            breakdown = _PRESERVATION.lines(amount)
            if total > _PRESERVATION_CAP:
                # A negative line keeps "the lines add up to the fee" true for a capped fee.
                breakdown += (
                    BandShare(
                        lower=_ZERO,
                        upper=None,
                        rate=None,
                        base=_ZERO,
                        amount=_PRESERVATION_CAP - total,
                        description=(
                            f"申请保全措施交纳的费用最多不超过{_plain(_PRESERVATION_CAP)}元，"
                            f"核减{format_money(total - _PRESERVATION_CAP)}元"
                        ),
                    ),
                )
                total = _PRESERVATION_CAP

    fee = total.quantize(_CENT, ROUND_HALF_UP)
    if not (mediated or summary):
        halvings = ()
        payable = fee
    elif mediated and summary and schedule.halvings_stack:
        halvings = (_MEDIATED, _SUMMARY)
        # One rounding of fee/4: halving, rounding and halving again could land a fen off.
        payable = (fee * _QUARTER).quantize(_CENT, ROUND_HALF_UP)
    else:
        halvings = ((_BOTH_ONCE if summary else _MEDIATED),) if mediated else (_SUMMARY,)
        payable = (fee * _HALF).quantize(_CENT, ROUND_HALF_UP)
    return FeeResult(
        kind=kind,
        amount=amount,
        fee=fee,
        breakdown=breakdown,
        halvings=halvings,
        payable=payable,
        basis=basis,
    )
