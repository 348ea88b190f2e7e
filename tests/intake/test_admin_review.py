"""The review queue and review page in the Wagtail admin (group 立案审查)."""

import pytest
from bs4 import BeautifulSoup

from intake.models import Application, ApplicationEvent, EvidenceFile, ReviewerCourt
from portal.models import Court
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
    early = client.post(url, {"action": "approve"}, follow=True)
    assert "须先记录原告确认" in early.content.decode()
    client.post(
        url, {"action": "confirm", "method": "phone", "confirmed_by": "李某", "confirmed_on": "2025-06-20"}
    )
    approved = client.post(url, {"action": "approve"}, follow=True)
    assert "已批准，证明书编号" in approved.content.decode()
    application.refresh_from_db()
    assert application.status == "approved"
    pdf = client.post(f"/admin/intake/applications/{application.pk}/document.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


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
