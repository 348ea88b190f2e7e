"""The party who performed (被告/被执行人) is the one the list names, with its own consents:
an agent (a lawyer) applies for the defendant company with the company's credit code and a
power of attorney; a plaintiff cannot consent for the debtor; a revoked certificate takes
the party off the list (or opens a correction of a published batch). Through the public
form (POST /apply/certificate/), the review and the status page; and the rule migration
0006 applied to applications stored before."""

import importlib

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.utils import timezone

from bench.sample_application import ID_NUMBER
from honorroll import corrections, publishing
from honorroll.models import ListBatch, Nomination, Objection
from intake import review
from intake.models import Application, ApplicationEvent, Certificate, EvidenceFile, ReviewerCourt
from portal import crypto
from portal.models import Court
from tests.factories import UserFactory
from tests.intake.test_apply import (
    APPLY,
    CREDIT_CODE,
    STATUS,
    field_errors,
    form_data,
    private_files,
    receipt,
)
from tests.intake.test_review import confirm

pytestmark = pytest.mark.django_db

COMPANY = "七台河市某煤业有限公司"
LAWYER, LAWYER_ID = "刘明", "23092119780707789X"
PLAINTIFF_ID = "230902199002154560"
NO_LIST_BY_PLAINTIFF = (
    "申请人为原告（申请执行人），列入诚信履行名单须由履行义务的当事人本人同意，故不列入名单。"
)


@pytest.fixture
def reviewer():
    user = UserFactory(username="shencha", groups=["立案审查"])
    ReviewerCourt.objects.create(user=user).courts.set([Court.objects.get(code="黑0902")])
    return user


def agent_for_company(**overrides):
    """A lawyer applies for the defendant company, which gave both consents."""
    return form_data(
        **{
            "defendant_name": COMPANY,
            "defendant_kind": "organisation",
            "applicant_role": "agent",
            "applicant_name": LAWYER,
            "applicant_kind": "person",
            "id_number": LAWYER_ID,
            "performer_id_number": CREDIT_CODE.lower(),
            "authorization": receipt("授权委托书.pdf"),
            "consent_identity": "on",
            **overrides,
        }
    )


def plaintiff_applies(**overrides):
    return form_data(
        **{
            "applicant_role": "plaintiff",
            "applicant_name": "李某",
            "id_number": PLAINTIFF_ID,
            "consent_list": None,
            **overrides,
        }
    )


def submit(client, data):
    """(tracking number, access code) from the receipt page."""
    response = client.post(APPLY, data)
    soup = BeautifulSoup(response.content, "html.parser")
    number = soup.select_one("[data-tracking-number]")
    assert number is not None, [e.get_text(strip=True) for e in soup.select(".error-text")]
    return number.get_text(strip=True), soup.select_one("[data-access-code]").get_text(strip=True)


def approved(application, reviewer):
    confirm(application, reviewer)
    return review.approve(application, actor=reviewer)


def status_page(client, number, code):
    return BeautifulSoup(
        client.post(STATUS, {"tracking_number": number, "access_code": code}).content, "html.parser"
    )


def assert_nothing_stored():
    assert not Application.objects.exists()
    assert not EvidenceFile.objects.exists() and private_files() == []


# ---------------------------------------------------------------------------
# An agent applies for the company that performed
# ---------------------------------------------------------------------------


def test_a_lawyer_applying_for_a_company_nominates_the_company(client, reviewer):
    submit(client, agent_for_company())
    application = Application.objects.get()
    assert (application.performer_name, application.performer_kind) == (COMPANY, "organisation")
    assert application.performer_id == CREDIT_CODE and application.id_number == LAWYER_ID
    assert sorted(application.evidence.values_list("kind", flat=True)) == ["authorization", "evidence"]

    certificate = approved(application, reviewer)

    nomination = Nomination.objects.get()
    assert (nomination.party_name, nomination.party_kind, nomination.credit_code) == (
        COMPANY,
        "organisation",
        CREDIT_CODE,
    )
    assert nomination.identity == CREDIT_CODE and nomination.identity_consented_at is not None
    assert (nomination.certificate_serial, nomination.reference) == (
        certificate.serial,
        application.tracking_number,
    )
    assert list(publishing.candidates(application.court)) == [nomination]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"performer_id_number": None},
            "performer_id_number",
            "请填写被代理人的身份证号码或统一社会信用代码",
        ),
        ({"performer_id_number": "91350100M000100Y44"}, "performer_id_number", "校验位不正确"),
        ({"authorization": None}, "authorization", "委托代理人申请的，请上传授权委托书"),
        ({"performer_name": "某某贸易有限公司"}, "performer_name", f"应为本案被告（被执行人）“{COMPANY}”"),
    ],
)
def test_an_agent_must_name_the_principal_and_file_the_authorization(client, overrides, field, message):
    response = client.post(APPLY, agent_for_company(**overrides))

    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, field)), field_errors(response, field)
    assert_nothing_stored()


# ---------------------------------------------------------------------------
# The consents are the performing party's
# ---------------------------------------------------------------------------


def test_a_plaintiff_cannot_consent_for_the_debtor(client):
    response = client.post(APPLY, plaintiff_applies(consent_list="on"))

    errors = field_errors(response, "consent_list")
    assert any("原告（申请执行人）不能代履行义务的当事人同意列入名单" in error for error in errors), errors
    assert_nothing_stored()


def test_a_plaintiffs_application_is_approved_without_a_nomination_and_says_why(client, reviewer):
    number, code = submit(client, plaintiff_applies())
    application = Application.objects.get()
    assert (application.performer_name, application.consents_to_list) == ("杨某", False)

    approved(application, reviewer)

    assert not Nomination.objects.exists()
    application.refresh_from_db()
    assert application.list_consent_problem == NO_LIST_BY_PLAINTIFF
    page = status_page(client, number, code)
    assert page.select_one("[data-status]").get_text(strip=True) == "已批准，证明书已出具"
    assert NO_LIST_BY_PLAINTIFF in page.get_text()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"consent_list": None, "consent_identity": "on"},
            "consent_identity",
            "须以同意列入诚信履行名单为前提",
        ),
        (
            {
                "defendant_name": COMPANY,
                "defendant_kind": "organisation",
                "applicant_name": COMPANY,
                "applicant_kind": "organisation",
                "id_number": CREDIT_CODE,
                "handler_name": "  ",
            },
            "handler_name",
            "单位申请的，请填写经办人姓名",
        ),
        ({"applicant_name": "杨某某"}, "applicant_name", "申请人应为本案被告“杨某”"),
    ],
)
def test_the_form_refuses_what_the_performing_party_did_not_give(client, overrides, field, message):
    response = client.post(APPLY, form_data(**overrides))

    assert any(message in error for error in field_errors(response, field)), field_errors(response, field)
    assert_nothing_stored()


def test_without_the_second_consent_the_identity_is_not_kept(client, reviewer):
    submit(client, agent_for_company(consent_identity=None))
    approved(Application.objects.get(), reviewer)

    nomination = Nomination.objects.get()
    assert nomination.party_name == COMPANY and nomination.credit_code == CREDIT_CODE  # public anyway
    assert (nomination.identity_encrypted, nomination.identity_consented_at) == ("", None)


# ---------------------------------------------------------------------------
# Revocation
# ---------------------------------------------------------------------------


def revoked_on(certificate):
    certificate.refresh_from_db()
    day = timezone.localtime(certificate.revoked_at).date()
    return f"证明书已于{day.year}年{day.month}月{day.day}日撤销"


def test_revoking_withdraws_the_candidate_and_the_status_says_revoked_only(client, reviewer):
    number, code = submit(client, form_data())
    application = Application.objects.get()
    certificate = approved(application, reviewer)
    assert len(publishing.candidates(application.court)) == 1

    review.revoke(certificate, actor=reviewer, reason="原告反映款项被退回。")

    nomination = Nomination.objects.get()
    assert nomination.withdrawn_at is not None and "原告反映款项被退回" in nomination.withdrawal_reason
    assert list(publishing.candidates(application.court)) == []
    assert not Objection.objects.exists()  # nothing was published
    page = status_page(client, number, code)
    assert page.select_one("[data-status]").get_text(strip=True) == revoked_on(certificate)
    assert "已批准" not in page.get_text()
    assert "下载自动履行证明书" not in page.get_text()


def test_revoking_takes_the_party_off_a_draft_batch(client, reviewer):
    submit(client, form_data())
    certificate = approved(Application.objects.get(), reviewer)
    batch = ListBatch.objects.create(court=Court.objects.get(code="黑0902"), year=2025, number=1)
    publishing.add_nominations(batch, publishing.candidates(batch.court))
    assert batch.entries.count() == 1

    review.revoke(certificate, actor=reviewer, reason="原告反映款项被退回。")

    assert not batch.entries.exists() and not Objection.objects.exists()


def test_revoking_a_published_party_opens_a_correction_for_the_list(client, reviewer):
    number, code = submit(client, form_data())
    application = Application.objects.get()
    certificate = approved(application, reviewer)
    list_manager = UserFactory(username="mingdan", groups=["名单管理"])
    UserFactory(username="fuhe", groups=["名单管理"])
    batch = ListBatch.objects.create(court=application.court, year=2025, number=1)
    publishing.add_nominations(batch, publishing.candidates(batch.court))
    publishing.publish(batch, actor=list_manager)
    entry = batch.entries.get()
    assert entry.public_name == "杨某"

    review.revoke(certificate, actor=reviewer, reason="原告反映款项被退回。")

    objection = Objection.objects.get()
    assert (objection.entry, objection.origin, objection.decision) == (
        entry,
        Objection.Origin.REVOCATION,
        Objection.Decision.PENDING,
    )
    assert objection.recorded_by is None
    assert "原告反映款项被退回" in objection.reason
    assert application.events.filter(action=ApplicationEvent.Action.LIST_CORRECTION).exists()
    assert [e.pk for e in publishing.public_entries(batch)] == [entry.pk]  # until 名单管理 decides
    page = status_page(client, number, code)
    assert page.select_one("[data-status]").get_text(strip=True) == revoked_on(certificate)
    assert "已批准" not in page.get_text()

    # Registered by the system: any member of 名单管理 may decide it.
    corrections.decide_objection(objection, outcome="remove", note="证明书已撤销，撤下。", actor=list_manager)
    batch.refresh_from_db()
    assert batch.revision == 2 and not publishing.public_entries(batch).exists()
    assert Certificate.objects.get().is_revoked


# ---------------------------------------------------------------------------
# Migration 0006: the performing party of applications stored before
# ---------------------------------------------------------------------------


def test_the_migration_rule_fills_the_performing_party(client, capsys):
    fill = importlib.import_module("intake.migrations.0006_performing_party").fill_performing_party
    submit(client, form_data())
    submit(client, plaintiff_applies())
    submit(client, agent_for_company(consent_identity=None))
    by_role = {a.applicant_role: a for a in Application.objects.all()}
    # As stored before 0006: no performing party, and whatever consent the form took.
    Application.objects.update(
        performer_name="", performer_kind="", performer_id_encrypted="", performer_id_hash=""
    )
    Application.objects.filter(pk=by_role["plaintiff"].pk).update(consents_to_list=True)

    fill(apps, None)

    defendant, plaintiff, agent = (
        Application.objects.get(pk=by_role[r].pk) for r in ("defendant", "plaintiff", "agent")
    )
    assert (defendant.performer_name, defendant.performer_kind, defendant.consents_to_list) == (
        "杨某",
        "person",
        True,
    )
    assert defendant.performer_id == ID_NUMBER and defendant.performer_id_hash == crypto.keyed_hash(ID_NUMBER)
    assert (plaintiff.performer_name, plaintiff.performer_kind, plaintiff.consents_to_list) == (
        "杨某",
        "person",
        False,
    )
    assert (agent.performer_name, agent.performer_kind, agent.consents_to_list) == (
        COMPANY,
        "organisation",
        False,
    )
    assert agent.performer_id == "" and plaintiff.performer_id == ""
    printed = capsys.readouterr().out
    assert "2 件申请由代理人或原告提出" in printed and "其中 2 件的列入名单同意已清除" in printed


def test_a_new_certificate_after_a_revocation_nominates_the_party_again(client, reviewer):
    submit(client, form_data())
    first = approved(Application.objects.get(), reviewer)
    review.revoke(first, actor=reviewer, reason="原告反映款项被退回。")
    # The party pays again and applies again: a second certificate for the same case.
    submit(client, form_data(evidence=[receipt("再次付款凭证.pdf")]))
    second = approved(Application.objects.exclude(certificate=first).get(), reviewer)

    offered = list(publishing.candidates(Court.objects.get(code="黑0902")))

    assert [(n.party_name, n.certificate_serial) for n in offered] == [("杨某", second.serial)]
    withdrawn = Nomination.objects.get(withdrawn_at__isnull=False)
    assert withdrawn.certificate_serial == first.serial  # the revoked one stays as it was
