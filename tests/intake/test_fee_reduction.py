"""Applying for a fee reduction, the staff decision and its PDF (same intake machinery)."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from bench.sample_application import fee_reduction_fields
from intake import review
from intake.models import Application, FeeDecision, FeePolicySettings, FeeReductionRequest, ReviewerCourt
from portal.models import Court
from tests import confirming
from tests.factories import UserFactory
from tests.intake.test_apply import field_errors, form_data, private_files, receipt
from tests.staff import log_in_verified

pytestmark = pytest.mark.django_db
APPLY = "/apply/fee-reduction/"
TODAY = datetime.date.today()


def fee_data(**overrides):
    # A judgment: the full fee (a mediated case pays half).
    return form_data(**fee_reduction_fields(**{"document_type": "judgment", **overrides}))


@pytest.fixture
def reviewer():
    user = UserFactory(username="reviewer", groups=["立案审查"])
    ReviewerCourt.objects.create(user=user).courts.set([Court.objects.get(code="黑0902")])
    return user


def submitted(client, **overrides):
    response = client.post(APPLY, fee_data(**overrides))
    soup = BeautifulSoup(response.content, "html.parser")
    return (
        soup.select_one("[data-tracking-number]").get_text(strip=True),
        soup.select_one("[data-access-code]").get_text(strip=True),
    )


def confirmed(client, reviewer, **overrides):
    submitted(client, **overrides)
    application = Application.objects.get(kind="fee_reduction")
    review.record_confirmation(
        application, actor=reviewer, method="phone", confirmed_by="李某", confirmed_on=TODAY
    )
    return application


def test_the_form_has_the_fee_fields_and_the_case_fields(client):
    soup = BeautifulSoup(client.get(APPLY).content, "html.parser")
    assert soup.h1.get_text() == "申请减免诉讼费用"
    for name in (
        "case_number",
        "id_number",
        "evidence",
        "case_kind",
        "claim_amount",
        "fee_assessed",
        "fee_borne",
    ):
        field = soup.find(attrs={"name": name})
        assert soup.find("label", attrs={"for": field["id"]}), name
    assert soup.select_one("[data-fee-estimator]")["data-api"] == "/api/v1/fee/"


def test_applying_stores_the_fee_request_with_the_same_tracking_machinery(client):
    number, code = submitted(client)
    assert number.startswith("JM")
    application = Application.objects.get()
    assert application.kind == "fee_reduction"
    request = application.fee_request
    assert (request.fee_assessed, request.fee_borne, request.claim_amount) == (
        Decimal("3300.00"),
        Decimal("1650.00"),
        Decimal("150000.00"),
    )
    assert application.evidence.count() == 1
    status = client.post("/apply/status/", {"tracking_number": number, "access_code": code})
    assert "减免诉讼费用" in status.content.decode() and "已提交，待审查" in status.content.decode()


def test_a_certificate_application_for_the_same_case_is_not_a_duplicate(client):
    client.post("/apply/certificate/", form_data())
    submitted(client)
    assert sorted(Application.objects.values_list("kind", flat=True)) == ["certificate", "fee_reduction"]
    # But a second pending fee reduction for the same case and applicant is.
    response = client.post(APPLY, fee_data())
    assert "请勿重复提交" in response.content.decode()
    assert Application.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("fee_assessed", "-100", "不能为负数"),
        ("fee_assessed", "0", "必须大于0元"),
        ("fee_assessed", "三千", "数字"),
        ("fee_assessed", "12345678901234", "超过"),
        ("fee_assessed", "3300.005", "两位小数"),
        ("fee_assessed", "", "请填写案件受理费"),
        ("fee_borne", "5000", "不能超过案件受理费"),
        ("claim_amount", "abc", "数字"),
        ("case_kind", "lottery", "请从列表中选择案件类型"),
        ("reason", "", "请填写申请理由"),
    ],
)
def test_bad_fee_input_is_named_next_to_the_field_and_nothing_is_stored(client, field, value, message):
    response = client.post(APPLY, fee_data(**{field: value}))
    errors = field_errors(response, field)
    assert any(message in error for error in errors), errors
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("input", attrs={"name": "applicant_name"})["value"] == "杨某"  # the rest is kept
    assert not Application.objects.exists() and not FeeReductionRequest.objects.exists()
    assert private_files() == []


def test_an_amount_for_a_kind_charged_per_case_is_refused(client):
    response = client.post(APPLY, fee_data(case_kind="labour", claim_amount="5000"))
    assert any("不需要填写金额" in error for error in field_errors(response, "claim_amount"))
    assert not Application.objects.exists()


def test_the_form_shows_the_calculators_fee_when_it_comes_back(client):
    response = client.post(APPLY, fee_data(fee_borne="99999"))
    estimate = BeautifulSoup(response.content, "html.parser").select_one("[data-fee-estimate]").get_text()
    assert "本案受理费应为 3300.00 元" in estimate


def test_a_mediated_case_is_estimated_at_half(client):
    response = client.post(APPLY, fee_data(document_type="mediation", fee_borne="99999"))
    estimate = BeautifulSoup(response.content, "html.parser").select_one("[data-fee-estimate]").get_text()
    assert "本案受理费应为 1650.00 元（3300.00 元，调解结案减半交纳）" in estimate


def test_the_plaintiff_cannot_apply_for_the_defendants_reduction(client):
    response = client.post(APPLY, fee_data(applicant_role="plaintiff", applicant_name="李某"))
    assert any(
        "只能由被告（被执行人）或其委托代理人申请" in e for e in field_errors(response, "applicant_role")
    )
    assert not Application.objects.exists()


def test_an_ip_claim_is_sent_to_the_property_kind(client):
    response = client.post(APPLY, fee_data(case_kind="ip", claim_amount="80000"))
    assert any("财产案件" in error for error in field_errors(response, "claim_amount"))


def test_staff_decide_within_the_legal_bounds(client, reviewer):
    application = confirmed(client, reviewer)
    with pytest.raises(review.ReviewError, match="不得低于 30%"):
        review.approve(application, actor=reviewer, granted_amount=Decimal("400"), legal_basis="依据")
    with pytest.raises(review.ReviewError, match="不能超过"):
        review.approve(application, actor=reviewer, granted_amount=Decimal("1650.01"), legal_basis="依据")
    with pytest.raises(review.ReviewError, match="法律依据"):
        review.approve(application, actor=reviewer, granted_amount=Decimal("825"), legal_basis=" ")
    assert not FeeDecision.objects.exists()
    decision = review.approve(application, actor=reviewer, granted_amount=Decimal("825"), legal_basis="依据")
    assert decision.serial == f"{TODAY.year}-0902-J00001"
    assert decision.remaining == Decimal("825.00") and not decision.is_waiver
    application.refresh_from_db()
    assert application.status == "approved"
    assert f"决定书编号：{decision.serial}，准予减交 825" in application.events.last().note


@pytest.mark.parametrize(
    "applicant",
    [
        {
            "applicant_kind": "organisation",
            "applicant_name": "某建设集团有限公司",
            "id_number": "91350100M000100Y43",
            "handler_name": "陈某",
        },
        # A natural person acting as agent for the company does not make it a natural person.
        {
            "applicant_role": "agent",
            "applicant_name": "王某",
            "performer_id_number": "91350100M000100Y43",
            "authorization": receipt("委托书.pdf"),
        },
    ],
)
def test_a_waiver_is_for_natural_persons_only(client, reviewer, applicant):
    application = confirmed(
        client, reviewer, defendant_kind="organisation", defendant_name="某建设集团有限公司", **applicant
    )
    policy = FeePolicySettings.current()
    policy.reduction_percent = Decimal("100")
    policy.save()
    # The policy never proposes what the law refuses.
    assert application.fee_request.proposed_reduction(policy.reduction_percent) == Decimal("1649.99")
    with pytest.raises(review.ReviewError, match="第四十四条第二款"):
        review.approve(application, actor=reviewer, granted_amount=Decimal("1650"), legal_basis="依据")
    assert review.approve(application, actor=reviewer, granted_amount=Decimal("1000"), legal_basis="依据")


def test_the_30_percent_floor_is_rounded_up(client, reviewer):
    application = confirmed(client, reviewer, fee_assessed="2000", fee_borne="1234.78")
    assert application.fee_request.minimum_reduction == Decimal("370.44")  # 370.434 → up
    with pytest.raises(review.ReviewError, match="不得低于 30%"):
        review.approve(application, actor=reviewer, granted_amount=Decimal("370.43"), legal_basis="依据")
    assert review.approve(application, actor=reviewer, granted_amount=Decimal("370.44"), legal_basis="依据")


def test_a_fee_application_has_no_certificate_to_revoke(client, reviewer):
    application = confirmed(client, reviewer)
    review.approve(application, actor=reviewer, granted_amount=Decimal("825"), legal_basis="依据")
    log_in_verified(client, reviewer)
    response = client.post(
        f"/admin/intake/applications/{application.pk}/review/",
        {"action": "revoke", "reason": "误操作"},
        follow=True,
    )
    assert response.status_code == 200 and "没有出具证明书" in response.content.decode()


def test_one_nomination_per_party_and_case_whatever_the_applications(client, reviewer):
    from honorroll.models import Nomination

    client.post("/apply/certificate/", form_data())
    certificate_application = Application.objects.get()
    review.record_confirmation(
        certificate_application, actor=reviewer, method="phone", confirmed_by="李某", confirmed_on=TODAY
    )
    review.approve(certificate_application, actor=reviewer)
    application = confirmed(client, reviewer)  # the same case and party, now for the fee
    review.approve(application, actor=reviewer, granted_amount=Decimal("825"), legal_basis="依据")
    assert Nomination.objects.count() == 1


def test_approval_needs_confirmation_and_the_right_court(client, reviewer):
    submitted(client)
    application = Application.objects.get()
    with pytest.raises(review.ReviewError, match="须先记录原告确认"):
        review.approve(application, actor=reviewer, granted_amount=Decimal("825"), legal_basis="依据")
    stranger = UserFactory(username="stranger", groups=["立案审查"])
    ReviewerCourt.objects.create(user=stranger).courts.set([Court.objects.get(code="黑0921")])
    with pytest.raises(review.ReviewError, match="无权办理"):
        review.record_confirmation(
            application, actor=stranger, method="phone", confirmed_by="李某", confirmed_on=TODAY
        )


def test_the_review_page_proposes_the_policys_reduction(client, reviewer):
    policy = FeePolicySettings.current()
    policy.reduction_percent = Decimal("60")
    policy.save()
    application = confirmed(client, reviewer)
    log_in_verified(client, reviewer)
    page = client.get(f"/admin/intake/applications/{application.pk}/review/")
    soup = BeautifulSoup(page.content, "html.parser")
    assert "990.00" in soup.select_one("[data-proposal]").get_text()  # 60% of 1,650
    assert soup.find("input", attrs={"name": "granted_amount"})["value"] == "990.00"
    assert "应为 3300.00 元" in soup.select_one("[data-fee-assessed]").get_text()

    bad = client.post(
        f"/admin/intake/applications/{application.pk}/review/",
        {"action": "approve", "granted_amount": "-1", "legal_basis": "依据"},
    )
    assert bad.status_code == 200 and "金额不能为负数" in bad.content.decode()
    low = client.post(
        f"/admin/intake/applications/{application.pk}/review/",
        {"action": "approve", "granted_amount": "100", "legal_basis": "我写的依据"},
    )
    soup = BeautifulSoup(low.content, "html.parser")
    assert "减交比例不得低于 30%" in low.content.decode() and not confirming.is_confirmation(low)
    assert soup.find("textarea", attrs={"name": "legal_basis"}).get_text(strip=True) == "我写的依据"
    asked = client.post(
        f"/admin/intake/applications/{application.pk}/review/",
        {"action": "approve", "granted_amount": "990", "legal_basis": "《诉讼费用交纳办法》第四十四条"},
    )
    assert confirming.facts(asked)["准予减免"] == "减交 990.00 元"
    assert not FeeDecision.objects.exists()
    confirming.confirm(client, asked)
    assert FeeDecision.objects.get().granted_amount == Decimal("990.00")


def test_the_fee_decision_is_named_before_it_is_made(client, reviewer):
    application = confirmed(client, reviewer)
    log_in_verified(client, reviewer)
    url = f"/admin/intake/applications/{application.pk}/review/"
    basis = "《诉讼费用交纳办法》第四十四条\n本院自动履行激励机制第十条"
    asked = client.post(url, {"action": "approve", "granted_amount": "1650", "legal_basis": basis})
    assert confirming.facts(asked) == {
        "决定法院": "七台河市新兴区人民法院（决定书编号按本院年度顺序分配）",
        "案号": application.case_number,
        "减免当事人（被告）": application.defendant_name,
        "申请人": f"{application.applicant_name}（{application.get_applicant_role_display()}）",
        "申请人负担的受理费": "1650.00 元",
        "准予减免": "免交 1650.00 元",
        "减免后仍须交纳": "0.00 元",
        "法律依据": "《诉讼费用交纳办法》第四十四条 本院自动履行激励机制第十条",
    }
    assert "将作出减免诉讼费用决定：准予免交 1650.00 元" in confirming.text(asked)
    application.refresh_from_db()
    assert application.status == "confirmed" and not FeeDecision.objects.exists()

    decided = confirming.confirm(client, asked)
    assert "已作出减免决定，决定书编号" in decided.content.decode()
    decision = FeeDecision.objects.get()
    assert decision.is_waiver and decision.legal_basis == basis  # the line break carried over


def test_a_confirmed_fee_decision_is_checked_like_the_first_post(client, reviewer):
    application = confirmed(client, reviewer)
    log_in_verified(client, reviewer)
    url = f"/admin/intake/applications/{application.pk}/review/"
    low = client.post(
        url, {"action": "approve", "granted_amount": "100", "legal_basis": "依据", "confirmed": "1"}
    )
    assert low.status_code == 200 and "减交比例不得低于 30%" in low.content.decode()
    no_basis = client.post(
        url, {"action": "approve", "granted_amount": "990", "legal_basis": " ", "confirmed": "1"}
    )
    assert "请填写减免的法律依据" in no_basis.content.decode()
    application.refresh_from_db()
    assert application.status == "confirmed" and not FeeDecision.objects.exists()


def pdf_text(pdf, tmp_path):
    path = tmp_path / "decision.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return fonts.splitlines()[2:], "".join(text.split())


def test_the_applicant_downloads_the_decision_with_amounts_in_capitals(client, reviewer, tmp_path):
    number, code = submitted(client)
    application = Application.objects.get()
    before = client.post("/apply/status/decision.pdf", {"tracking_number": number, "access_code": code})
    assert before.status_code == 404 and "没有可下载的有效减免决定书" in before.content.decode()
    review.record_confirmation(
        application, actor=reviewer, method="phone", confirmed_by="李某", confirmed_on=TODAY
    )
    review.approve(
        application,
        actor=reviewer,
        granted_amount=Decimal("1650"),
        legal_basis="《诉讼费用交纳办法》第四十四条",
    )

    status = client.post("/apply/status/", {"tracking_number": number, "access_code": code}).content.decode()
    assert "已批准，减免决定书已出具" in status and "准予免交案件受理费 1650.00 元" in status
    wrong = client.post("/apply/status/decision.pdf", {"tracking_number": number, "access_code": "WRONG123"})
    assert wrong.status_code == 200 and not wrong.content.startswith(b"%PDF")
    response = client.post("/apply/status/decision.pdf", {"tracking_number": number, "access_code": code})
    assert response["Content-Type"] == "application/pdf"
    fonts, text = pdf_text(response.content, tmp_path)
    assert fonts and all(" yes " in line for line in fonts)
    assert "七台河市新兴区人民法院" in text and "减免诉讼费用决定书" in text
    assert "本案案件受理费3,300.00元（叁仟叁佰元整），其中申请人负担1,650.00元（壹仟陆佰伍拾元整）" in text
    assert "准予申请人免交其负担的案件受理费1,650.00元（壹仟陆佰伍拾元整）" in text
    assert "依照《诉讼费用交纳办法》第四十四条" in text and "（院印）" in text


def test_a_partial_reduction_states_what_remains(client, reviewer, tmp_path):
    from intake.documents import fee_decision_pdf

    application = confirmed(client, reviewer)
    decision = review.approve(
        application, actor=reviewer, granted_amount=Decimal("825.50"), legal_basis="依据"
    )
    _, text = pdf_text(fee_decision_pdf(decision), tmp_path)
    assert (
        "准予申请人减交案件受理费825.50元（捌佰贰拾伍元伍角），申请人尚应负担824.50元（捌佰贰拾肆元伍角）"
        in text
    )


def test_rejection_gives_the_applicant_written_reasons(client, reviewer):
    number, code = submitted(client)
    application = Application.objects.get()
    with pytest.raises(review.ReviewError, match="理由"):
        review.reject(application, actor=reviewer, reason="  ")
    review.reject(application, actor=reviewer, reason="经核实，被告未在履行期限内履行。")
    status = client.post("/apply/status/", {"tracking_number": number, "access_code": code}).content.decode()
    assert "未予批准" in status and "经核实，被告未在履行期限内履行。" in status
