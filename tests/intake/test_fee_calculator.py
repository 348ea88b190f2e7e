"""The public fee calculator page and GET /api/v1/fee/ (the arithmetic: test_fees.py)."""

import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from intake.models import FeePolicySettings

pytestmark = pytest.mark.django_db
API = "/api/v1/fee/"
PAGE = "/fee-calculator/"


def test_the_api_answers_the_worked_example_with_money_as_strings(client):
    response = client.get(API, {"kind": "property", "claim": "150000"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["fee"] == "3300.00" and data["payable"] == "3300.00"
    assert data["fee_in_words"] == "叁仟叁佰元整"
    assert [line["amount"] for line in data["breakdown"]] == ["50.00", "2250.00", "1000.00"]
    assert all(isinstance(line["amount"], str) for line in data["breakdown"])
    assert "第十三条" in data["basis"]
    assert "叁仟叁佰元整" in response.content.decode()  # readable Chinese, not \\u escapes


@pytest.mark.parametrize(
    ("params", "payable", "halvings"),
    [
        ({"mediated": "1"}, "1650.00", 1),
        ({"summary": "1"}, "1650.00", 1),
        ({"mediated": "1", "summary": "1"}, "1650.00", 1),  # default: halve once
    ],
)
def test_halving_flags(client, params, payable, halvings):
    data = client.get(API, {"kind": "property", "claim": "150000", **params}).json()
    assert data["fee"] == "3300.00" and data["payable"] == payable and len(data["halvings"]) == halvings


def test_the_courts_settings_decide_the_figures(client):
    policy = FeePolicySettings.current()
    policy.divorce = Decimal("200")
    policy.halvings_stack = True
    policy.save()
    assert client.get(API, {"kind": "divorce"}).json()["fee"] == "200.00"
    stacked = client.get(API, {"kind": "property", "claim": "150000", "mediated": "1", "summary": "1"}).json()
    assert stacked["payable"] == "825.00"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "缺少参数 kind"),
        ({"kind": "lottery", "claim": "100"}, "未知的案件类型"),
        ({"kind": "property"}, "须填写"),
        ({"kind": "property", "claim": "-5"}, "不能为负数"),
        ({"kind": "property", "claim": "0"}, "必须大于0元"),
        ({"kind": "property", "claim": "abc"}, "不是有效的数字"),
        ({"kind": "property", "claim": "10000000000001"}, "上限"),
        ({"kind": "property", "claim": "100.001"}, "两位小数"),
        ({"kind": "property", "claim": "NaN"}, "金额"),
        ({"kind": "labour", "claim": "5000"}, "不需要填写金额"),
        ({"kind": "enforcement", "claim": "5000", "mediated": "1"}, "减半"),
        ({"kind": "property", "claim": "100", "mediated": "yes"}, "只能为 1 或 0"),
    ],
)
def test_bad_parameters_get_400_with_a_chinese_message(client, params, message):
    response = client.get(API, params)
    assert response.status_code == 400
    error = json.loads(response.content)["error"]
    assert message in error, error


def test_the_api_is_read_only(client):
    assert client.post(API, {"kind": "property", "claim": "100"}).status_code == 405


def test_the_calculator_page_shows_the_fee_and_the_breakdown(client):
    response = client.get(PAGE, {"kind": "property", "amount": "342,000", "mediated": "on"})
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("[data-fee]").get_text(strip=True) == "6430.00 元（陆仟肆佰叁拾元整）"
    assert soup.select_one("[data-payable]").get_text(strip=True) == "3215.00 元（叁仟贰佰壹拾伍元整）"
    rows = soup.select(".breakdown tbody tr")
    assert len(rows) == 4 and "2.5%" in rows[1].get_text()
    assert soup.find("label", attrs={"for": soup.find(attrs={"name": "amount"})["id"]})


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "property", "amount": "-1"}, "不能为负数"),
        ({"kind": "property", "amount": "1e5"}, "科学计数法"),
        ({"kind": "property", "amount": ""}, "须填写"),
        ({"kind": "nothing", "amount": "100"}, "请从列表中选择案件类型"),
        ({"kind": "preservation", "amount": "100", "summary": "on"}, "减半"),
    ],
)
def test_the_calculator_page_explains_bad_input(client, params, message):
    response = client.get(PAGE, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BeautifulSoup(response.content, "html.parser").select_one("[data-fee-result]")


def test_the_empty_calculator_page(client):
    response = client.get(PAGE)
    assert response.status_code == 200 and "诉讼费用计算器" in response.content.decode()
    assert not BeautifulSoup(response.content, "html.parser").select_one("[data-fee-result]")
