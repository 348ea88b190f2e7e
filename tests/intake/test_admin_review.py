"""The review queue and review page in the Wagtail admin (group 立案审查)."""

import pytest
from bs4 import BeautifulSoup

from intake.models import Application, ApplicationEvent, Certificate, EvidenceFile, ReviewerCourt
from portal.models import Court
from tests import confirming
from tests.factories import UserFactory
from tests.intake.test_apply import APPLY, PDF, form_data
from tests.staff import log_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    user = UserFactory(username="reviewer", groups=["立案审查"])
    ReviewerCourt.objects.create(user=user).courts.set([Court.objects.get(code="黑0902")])
    return user


@pytest.fixture
def applications(client):
    client.post(APPLY, form_data())
    client.post(
        APPLY,
        form_data(
            court=Court.objects.get(code="黑0921").pk,
            case_number="（2025）黑0921民初5号",
            id_number="91350100M000100Y43",
            defendant_kind="organisation",
            defendant_name="某建设集团有限公司",
            applicant_kind="organisation",
            applicant_name="某建设集团有限公司",
            handler_name="陈某",
        ),
    )
    return Application.objects.order_by("pk")


def test_the_queue_shows_only_my_courts_with_masked_numbers(client, reviewer, applications):
    log_in_verified(client, reviewer)
    response = client.get("/admin/intake/applications/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "（2025）黑0902民初123号" in body and "（2025）黑0921民初5号" not in body
    assert "1101**********002X" in body and "11010519491231002X" not in body
    filtered = client.get("/admin/intake/applications/", {"status": "approved"})
    assert "（2025）黑0902民初123号" not in filtered.content.decode()


def test_the_full_id_number_is_shown_on_request_and_audited(client, reviewer, applications):
    log_in_verified(client, reviewer)
    application = applications[0]
    page = client.get(f"/admin/intake/applications/{application.pk}/review/")
    assert "11010519491231002X" not in page.content.decode()
    shown = client.post(f"/admin/intake/applications/{application.pk}/review/", {"action": "show_id"})
    assert (
        BeautifulSoup(shown.content, "html.parser").select_one("[data-full-id]").get_text()
        == "11010519491231002X"
    )
    assert application.events.filter(action=ApplicationEvent.Action.VIEWED_ID, actor=reviewer).count() == 1


def test_review_page_of_another_court_is_refused(client, reviewer, applications):
    log_in_verified(client, reviewer)
    other = applications[1]
    refused = client.get(f"/admin/intake/applications/{other.pk}/review/")
    # Wagtail answers a refused admin view by sending the user back to the dashboard.
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    response = client.post(f"/admin/intake/applications/{other.pk}/review/", {"action": "show_id"})
    assert response.status_code == 302 and "11010519491231002X" not in response.content.decode()
    assert not other.events.filter(action="viewed_id").exists()
    evidence = EvidenceFile.objects.get(application=other)
    assert client.get(f"/admin/intake/evidence/{evidence.pk}/")["Location"] == "/admin/"


def test_confirm_then_approve_through_the_admin(client, reviewer, applications):
    log_in_verified(client, reviewer)
    application = applications[0]
    url = f"/admin/intake/applications/{application.pk}/review/"
    early = confirming.confirm(client, client.post(url, {"action": "approve"}))
    assert "须先记录原告确认" in early.content.decode() and not Certificate.objects.exists()
    client.post(
        url, {"action": "confirm", "method": "phone", "confirmed_by": "李某", "confirmed_on": "2025-06-20"}
    )
    approved = confirming.confirm(client, client.post(url, {"action": "approve"}))
    assert "已批准，证明书编号" in approved.content.decode()
    application.refresh_from_db()
    assert application.status == "approved"
    pdf = client.post(f"/admin/intake/applications/{application.pk}/document.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def confirmed_application(client, reviewer, application):
    log_in_verified(client, reviewer)
    url = f"/admin/intake/applications/{application.pk}/review/"
    client.post(
        url, {"action": "confirm", "method": "phone", "confirmed_by": "李某", "confirmed_on": "2025-06-20"}
    )
    return url


def test_approval_first_names_the_certificate_and_changes_nothing(client, reviewer, applications):
    application = applications[0]
    url = confirmed_application(client, reviewer, application)
    asked = client.post(url, {"action": "approve"})
    assert confirming.facts(asked) == {
        "出具法院": "七台河市新兴区人民法院（证书编号按本院年度顺序分配）",
        "案号": "（2025）黑0902民初123号",
        "案由": "民间借贷纠纷",
        "原告（申请执行人）": application.plaintiff_name,
        "被告（被执行人）": application.defendant_name,
        "申请人": f"{application.applicant_name}（{application.get_applicant_role_display()}）",
        "履行义务的当事人": "杨某",
        "履行完毕日期": f"{application.performed_on:%Y-%m-%d}",
    }
    said = confirming.text(asked)
    assert "为七台河市新兴区人民法院编号出具自动履行证明书" in said
    assert "申请人即可凭受理编号和查询码下载证明书" in said and "名单候选人" in said
    application.refresh_from_db()
    assert application.status == "confirmed" and not Certificate.objects.exists()

    approved = confirming.confirm(client, asked)
    assert "已批准，证明书编号" in approved.content.decode()
    application.refresh_from_db()
    assert application.status == "approved" and Certificate.objects.get().application == application
    # The same confirmation sent again issues nothing more.
    again = confirming.confirm(client, asked)
    assert "不能批准" in again.content.decode() and Certificate.objects.count() == 1


def test_revocation_first_names_the_certificate_and_what_the_public_will_see(client, reviewer, applications):
    application = applications[0]
    url = confirmed_application(client, reviewer, application)
    confirming.confirm(client, client.post(url, {"action": "approve"}))
    certificate = Certificate.objects.get()

    blank = client.post(url, {"action": "revoke", "reason": "  "})
    assert blank.status_code == 200 and not confirming.is_confirmation(blank)
    assert "必需字段" in blank.content.decode()

    asked = client.post(url, {"action": "revoke", "reason": "原告反映款项被银行退回。"})
    assert confirming.facts(asked) == {
        "证书编号": certificate.serial,
        "撤销理由（申请人可见）": "原告反映款项被银行退回。",
    }
    said = confirming.text(asked)
    assert "核验页面将显示该证明书“已撤销”" in said and "撤销不能恢复" in said
    certificate.refresh_from_db()
    assert not certificate.is_revoked

    revoked = confirming.confirm(client, asked)
    assert "证明书已撤销" in revoked.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revocation_reason == "原告反映款项被银行退回。"
    verify = client.get("/verify/", {"serial": certificate.serial, "code": certificate.verification_code})
    assert (
        "已撤销" in BeautifulSoup(verify.content, "html.parser").select_one("[data-verify-result]").get_text()
    )

    again = client.post(url, {"action": "revoke", "reason": "再撤一次", "confirmed": "1"}, follow=True)
    assert "该证明书已撤销" in again.content.decode()


def test_a_confirmed_revocation_without_a_reason_is_refused(client, reviewer, applications):
    url = confirmed_application(client, reviewer, applications[0])
    confirming.confirm(client, client.post(url, {"action": "approve"}))
    refused = client.post(url, {"action": "revoke", "reason": "", "confirmed": "1"})
    assert refused.status_code == 200 and "必需字段" in refused.content.decode()
    assert not Certificate.objects.get().is_revoked


def test_evidence_is_served_only_to_staff(client, reviewer, applications):
    evidence = EvidenceFile.objects.get(application=applications[0])
    assert client.get(f"/admin/intake/evidence/{evidence.pk}/").status_code == 302  # to the login page
    client.force_login(UserFactory(username="writer", groups=["宣传"]))
    refused = client.get(f"/admin/intake/evidence/{evidence.pk}/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    log_in_verified(client, reviewer)
    response = client.get(f"/admin/intake/evidence/{evidence.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]
    assert not evidence.file.name.startswith("/") and "media" not in evidence.file.path.split("/")[-4:]


def test_opening_a_file_its_evidence_and_its_document_is_on_the_audit_trail(client):
    from tests.factories import CertificateFactory, EvidenceFileFactory, ReviewerFactory

    certificate = CertificateFactory()
    application = certificate.application
    evidence = EvidenceFileFactory(application=application)
    reviewer = ReviewerFactory()
    log_in_verified(client, reviewer)
    Action = ApplicationEvent.Action

    assert client.get(f"/admin/intake/applications/{application.pk}/review/").status_code == 200
    assert client.get(f"/admin/intake/evidence/{evidence.pk}/").status_code == 200
    assert client.post(f"/admin/intake/applications/{application.pk}/document.pdf").status_code == 200
    trail = list(application.events.filter(actor=reviewer).values_list("action", "note"))
    assert trail == [
        (Action.VIEWED, ""),
        (Action.VIEWED_EVIDENCE, "转账凭证.pdf"),
        (Action.DOWNLOADED, certificate.serial),
    ]
    # Staff-internal: the applicant's status page does not list them.
    assert not set(ApplicationEvent.PUBLIC_ACTIONS) & {
        Action.VIEWED,
        Action.VIEWED_EVIDENCE,
        Action.DOWNLOADED,
    }
