"""`manage.py performing_party_report`: what migration intake/0006 left for staff to check,
by tracking number only."""

import io

import pytest
from django.core.management import call_command

from honorroll.models import Nomination
from intake.models import Application
from portal.models import CauseOfAction, Court
from tests.intake.test_apply import APPLY, form_data

pytestmark = pytest.mark.django_db


def report():
    out = io.StringIO()
    try:
        call_command("performing_party_report", stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return out.getvalue(), code


def test_it_lists_agent_applications_without_the_principals_number_and_wrong_candidates(client):
    client.post(APPLY, form_data())  # the defendant 杨某 applies: nothing to report
    assert report() == (
        "由代理人或原告提出、未登记履行义务的当事人证件号码的申请：0 件\n"
        "名单候选中当事人与履行义务的当事人不一致、需要人工核对的：0 个\n",
        0,
    )
    # A row as migration 0006 leaves one that an agent filed before the form asked.
    old = Application.objects.get()
    Application.objects.filter(pk=old.pk).update(
        applicant_role="agent", applicant_name="王某律师", performer_id_encrypted=""
    )
    # ... and the candidate the old code nominated: the agent, not the party.
    Nomination.objects.create(
        party_name="王某律师",
        party_kind="person",
        court=Court.objects.get(code="黑0902"),
        case_number=old.case_number,
        cause=CauseOfAction.objects.get(name="民间借贷纠纷"),
        performed_on=old.performed_on,
        source=f"自动履行证明书申请 {old.tracking_number}",
        reference=old.tracking_number,
    )
    text, code = report()
    assert code == 1
    assert f"{old.tracking_number}（委托代理人）" in text and "申请：1 件" in text
    assert "需要人工核对的：1 个" in text and "尚未列入批次" in text
    # Tracking numbers only: no name or number of anyone on the terminal.
    assert "王某律师" not in text and "杨某" not in text and old.id_number not in text
