"""Two-step moderation: 宣传 drafts and submits; only 宣传审核 publishes."""

import pytest
from wagtail.models import Page, WorkflowState

from publicity.models import TypicalCaseIndexPage, TypicalCasePage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def case_form(index, **overrides):
    """The page editor's POST for a new typical case."""
    from portal.models import CauseOfAction, Court
    from publicity.models import PerformanceMethod

    data = {
        "title": "庚某诉辛某赡养纠纷案",
        "slug": "gengmou-support",
        "case_number": "(2025)黑0904民初66号",
        "court": Court.objects.get(code="黑0904").pk,
        "cause": CauseOfAction.objects.get(name="赡养纠纷").pk,
        "method": PerformanceMethod.objects.get(name="当庭履行").pk,
        "judgment_date": "2025-09-01",
        "performance_date": "2025-09-01",
        "amount": "",
        "keywords": "赡养、当庭履行",
        "body-count": "1",
        "body-0-type": "section",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "body-0-value-heading": "基本案情",
        "body-0-value-text": '{"blocks":[{"key":"a","text":"子女当庭支付赡养费。","type":"unstyled","depth":0,'
        '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "search_description": "",
        "seo_title": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def index(demo_content):
    return TypicalCaseIndexPage.objects.get()


@pytest.fixture
def editor():
    return UserFactory(username="editor", groups=["宣传"])


@pytest.fixture
def approver():
    return UserFactory(username="approver", groups=["宣传审核"])


def add_url(index):
    return f"/admin/pages/add/publicity/typicalcasepage/{index.pk}/"


def test_editor_cannot_publish_directly(client, index, editor):
    client.force_login(editor)
    assert not index.permissions_for_user(editor).can_publish_subpage()
    response = client.post(add_url(index), case_form(index, **{"action-publish": "publish"}))
    assert response.status_code in (302, 403)
    page = TypicalCasePage.objects.filter(title="庚某诉辛某赡养纠纷案").first()
    assert page is None or not page.live
    assert "庚某诉辛某赡养纠纷案" not in client.get("/cases/").content.decode()


def test_editor_submits_and_approver_publishes(client, index, editor, approver):
    client.force_login(editor)
    response = client.post(add_url(index), case_form(index, **{"action-submit": "submit"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = TypicalCasePage.objects.get(title="庚某诉辛某赡养纠纷案")
    assert not page.live
    assert page.case_number == "（2025）黑0904民初66号"
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "宣传审核流程"

    # The editor cannot approve their own submission.
    task_state = state.current_task_state
    approve_url = f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"
    client.post(approve_url, {"comment": ""})
    page.refresh_from_db()
    assert not page.live

    client.force_login(approver)
    response = client.post(approve_url, {"comment": "同意发布"})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    client.logout()
    listing = client.get("/cases/").content.decode()
    assert "庚某诉辛某赡养纠纷案" in listing


def test_approver_may_publish_and_intake_staff_may_not_edit_cases(index, approver):
    intake = UserFactory(username="intake", groups=["立案审查"])
    assert index.permissions_for_user(approver).can_publish_subpage()
    case = TypicalCasePage.objects.live().first()
    assert not case.permissions_for_user(intake).can_edit()
    assert not case.permissions_for_user(intake).can_unpublish()


def test_the_workflow_governs_every_page_of_the_site(index):
    home = Page.objects.get(depth=2)
    assert home.get_workflow().name == "宣传审核流程"
    assert TypicalCasePage.objects.first().get_workflow().name == "宣传审核流程"


def test_a_bad_case_number_in_the_editor_is_refused_in_chinese(client, index, editor):
    client.force_login(editor)
    response = client.post(add_url(index), case_form(index, case_number="（2025）黑0904民X66号"))
    assert response.status_code == 200
    assert "案件类型“民X”不正确" in response.content.decode()
    assert not TypicalCasePage.objects.filter(title="庚某诉辛某赡养纠纷案").exists()
