"""The public fee calculator (/fee-calculator/) and its JSON API (/api/v1/fee/).

Both read the same pure module (intake/fees.py) with the court's figures from
FeePolicySettings; the API answers money as strings, never floats, and bad parameters with
HTTP 400 and a Chinese message.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from intake import fees
from intake.forms import MoneyField
from intake.views import fee_schedule

FLAG_VALUES = {"1": True, "true": True, "on": True, "0": False, "false": False, "": False}


class CalculatorForm(forms.Form):
    kind = forms.ChoiceField(
        label="案件类型",
        choices=[(kind.value, label) for kind, label in fees.KIND_LABELS.items()],
        initial=fees.CaseKind.PROPERTY.value,
        error_messages={"required": "请选择案件类型。", "invalid_choice": "请从列表中选择案件类型。"},
    )
    amount = MoneyField(
        label="金额（元）",
        required=False,
        help_text="财产案件填写诉讼请求金额；离婚案件填写分割财产总额；申请执行填写执行金额（选填时可留空）。",
    )
    mediated = forms.BooleanField(label="调解结案或者撤诉（减半交纳）", required=False)
    summary = forms.BooleanField(label="适用简易程序（减半交纳）", required=False)

    def __init__(self, *args, schedule, **kwargs):
        super().__init__(*args, **kwargs)
        self.schedule = schedule
        self.result = None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.result = fees.calculate(
                data["kind"],
                data.get("amount"),
                mediated=data.get("mediated", False),
                summary=data.get("summary", False),
                schedule=self.schedule,
            )
        except fees.FeeError as error:
            self.add_error(None, str(error))
        return data


def fee_calculator(request):
    form = CalculatorForm(request.GET or None, schedule=fee_schedule())
    result = form.result if form.is_bound and form.is_valid() else None
    return render(
        request,
        "intake/fee_calculator.html",
        {
            "form": form,
            "result": result,
            "kind_label": fees.KIND_LABELS[result.kind] if result else "",
            "fee_in_words": fees.amount_in_words(result.fee) if result else "",
            "payable_in_words": fees.amount_in_words(result.payable) if result else "",
        },
    )


def _money(value):
    # Half up, as the fee itself is rounded (f"{value:.2f}" would round a Decimal half-even).
    return None if value is None else str(value.quantize(Decimal("0.01"), ROUND_HALF_UP))


def _error(message):
    return JsonResponse({"error": message}, status=400, json_dumps_params={"ensure_ascii": False})


@require_GET
@cache_control(public=True, max_age=300)
def fee_api(request):
    """GET /api/v1/fee/?kind=property&claim=150000[&mediated=1][&summary=1]"""
    params = request.GET
    kind = params.get("kind", "").strip()
    if not kind:
        return _error("缺少参数 kind（案件类型），例如 kind=property。")
    flags = {}
    for name in ("mediated", "summary"):
        value = params.get(name, "").strip().lower()
        if value not in FLAG_VALUES:
            return _error(f"参数 {name} 只能为 1 或 0。")
        flags[name] = FLAG_VALUES[value]
    claim = params.get("claim", "").strip()
    try:
        amount = fees.parse_amount(claim) if claim else None
        result = fees.calculate(kind, amount, schedule=fee_schedule(), **flags)
    except fees.FeeError as error:
        return _error(str(error))
    return JsonResponse(
        {
            "kind": result.kind.value,
            "kind_label": fees.KIND_LABELS[result.kind],
            "claim": _money(result.amount),
            "fee": _money(result.fee),
            "fee_in_words": fees.amount_in_words(result.fee),
            "breakdown": [
                {
                    "lower": _money(share.lower),
                    "upper": _money(share.upper),
                    "rate": None if share.rate is None else str(share.rate),
                    "base": _money(share.base),
                    "amount": _money(share.amount),
                    "description": share.description,
                }
                for share in result.breakdown
            ],
            "halvings": list(result.halvings),
            "payable": _money(result.payable),
            "payable_in_words": fees.amount_in_words(result.payable),
            "basis": result.basis,
        },
        json_dumps_params={"ensure_ascii": False},
    )
