"""Migration intake/0007: candidates made before the performing party was recorded are
linked to their certificates (so a later revocation reaches them), and those that cannot
stand are withdrawn — with a correction registered where they were already published."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from honorroll import publishing
from honorroll.models import Nomination, Objection
from intake import review
from tests import factories as f

pytestmark = pytest.mark.django_db

link_and_check = importlib.import_module("intake.migrations.0007_link_and_check_nominations").link_and_check


def as_before_the_upgrade(nomination):
    """What the old code stored: no certificate serial, the applicant's name."""
    Nomination.objects.filter(pk=nomination.pk).update(certificate_serial="")


def test_the_upgrade_links_withdraws_and_opens_corrections(capsys):
    reviewer = f.ReviewerFactory()
    valid = f.CertificateFactory(issued_by=reviewer)
    revoked = f.CertificateFactory(issued_by=reviewer)
    valid_candidate = Nomination.objects.get(reference=valid.application.tracking_number)
    revoked_candidate = Nomination.objects.get(reference=revoked.application.tracking_number)
    # The revoked one was published before the upgrade, and revoked without reaching it.
    batch = f.ListBatchFactory()
    publishing.add_nominations(batch, [revoked_candidate])
    publishing.publish(batch, actor=f.UserFactory(groups=["名单管理"]))
    for candidate in (valid_candidate, revoked_candidate):
        as_before_the_upgrade(candidate)
    revoked.revoked_at, revoked.revocation_reason = timezone.now(), "原告反映尚有欠款。"
    revoked.save()
    # An agent's application nominated the agent (王某律师) under the old code.
    agent = f.ApplicationFactory(applicant_role="agent", applicant_name="王某律师")
    agent.performer_name, agent.performer_kind = agent.defendant_name, "person"
    agent.save()
    agents_candidate = Nomination.objects.create(
        party_name="王某律师",
        party_kind="person",
        court=agent.court,
        case_number=agent.case_number,
        cause=agent.cause,
        performed_on=agent.performed_on,
        source=f"自动履行证明书申请 {agent.tracking_number}",
        reference=agent.tracking_number,
        consented_at=timezone.now(),
    )

    link_and_check(apps, None)

    valid_candidate.refresh_from_db()
    assert valid_candidate.certificate_serial == valid.serial and valid_candidate.withdrawn_at is None
    agents_candidate.refresh_from_db()
    assert agents_candidate.withdrawn_at is not None and "代理人或原告" in agents_candidate.withdrawal_reason
    assert agents_candidate not in publishing.candidates()
    revoked_candidate.refresh_from_db()
    assert revoked_candidate.withdrawn_at is not None
    correction = Objection.objects.get(entry__nomination=revoked_candidate)
    assert correction.origin == "revocation" and correction.decision == "pending"
    assert "撤回 2 个" in capsys.readouterr().out
    # From now on a revocation reaches a linked candidate.
    review.revoke(valid, actor=reviewer, reason="经核实撤销。")
    valid_candidate.refresh_from_db()
    assert valid_candidate.withdrawn_at is not None


def test_a_fee_reduction_after_the_revocation_does_not_list_the_party_again():
    reviewer = f.ReviewerFactory()
    certificate = f.CertificateFactory(issued_by=reviewer)
    application = certificate.application
    review.revoke(certificate, actor=reviewer, reason="原告反映尚有欠款。")

    fee = f.FeeReductionApplicationFactory(
        court=application.court,
        case_number=application.case_number,
        defendant_name=application.defendant_name,
        id_number=application.id_number,
    )
    f.FeeDecisionFactory(application=fee, issued_by=reviewer)

    assert not publishing.candidates().filter(case_number=application.case_number).exists()
    # A new certificate for the case (performance completed after all) lists it again.
    again = f.ApplicationFactory(
        court=application.court,
        case_number=application.case_number,
        defendant_name=application.defendant_name,
        id_number=application.id_number,
    )
    renewed = f.CertificateFactory(application=again, issued_by=reviewer)
    assert (
        publishing.candidates().get(case_number=application.case_number).certificate_serial == renewed.serial
    )
