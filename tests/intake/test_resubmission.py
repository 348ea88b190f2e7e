"""The same application form sent twice: the answer to the first was lost on the way (a
dropped connection after the commit) or the applicant clicked twice. They must get their
tracking number again, not a refusal that sends them to a code they never saw, and the
court must not get a second application."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client

from intake.models import Application, ApplicationEvent
from tests.intake.test_apply import APPLY, STATUS, form_data

pytestmark = pytest.mark.django_db


def opened_form(client):
    """The form as a browser gets it: the key in its hidden field."""
    page = BeautifulSoup(client.get(APPLY).content, "html.parser")
    return page.find("input", attrs={"name": "submission_key"})["value"]


def receipt(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return (
        soup.select_one("[data-tracking-number]").get_text(strip=True),
        soup.select_one("[data-access-code]").get_text(strip=True),
    )


def status_of(number, code):
    return Client().post(STATUS, {"tracking_number": number, "access_code": code}).content.decode()


def test_every_opened_form_has_its_own_key(client):
    first, second = opened_form(client), opened_form(client)
    assert first != second and len(first) >= 16


def test_the_same_form_sent_again_gives_the_receipt_again_with_a_new_code(
    client, django_capture_on_commit_callbacks
):
    key = opened_form(client)
    with django_capture_on_commit_callbacks(execute=True):
        number, first_code = receipt(client.post(APPLY, form_data(submission_key=key)))
    # The answer never arrived; the applicant sends the same page again.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(APPLY, form_data(submission_key=key))
    assert again.status_code == 200
    page = again.content.decode()
    assert "该申请此前已提交成功" in page and "原查询码不再有效" in page
    same_number, new_code = receipt(again)
    assert same_number == number and new_code != first_code
    assert Application.objects.count() == 1
    assert "已提交，待审查" in status_of(number, new_code)
    assert "受理编号或查询码不正确" in status_of(number, first_code)
    # The new code is also what the applicant's mailbox now holds, and staff see why.
    assert new_code in mail.outbox[-1].body and number in mail.outbox[-1].body
    application = Application.objects.get()
    assert application.events.filter(action=ApplicationEvent.Action.RESUBMITTED).count() == 1


def test_the_same_case_from_another_form_is_still_refused(client):
    receipt(client.post(APPLY, form_data(submission_key=opened_form(client))))
    other = Client().post(APPLY, form_data(submission_key=opened_form(client)))
    assert "请勿重复提交" in other.content.decode()
    assert BeautifulSoup(other.content, "html.parser").select_one("[data-access-code]") is None
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    "key", ["", "short", "x" * 65, "含中文的标识符号码一二三四五六七八", "a b c d e f g h i j k"]
)
def test_a_missing_or_malformed_key_never_blocks_an_application(client, key):
    response = client.post(APPLY, form_data(submission_key=key))
    assert response.status_code == 200 and "申请已提交" in response.content.decode()
    # Without a usable key a second send is the ordinary duplicate: refused, nothing stored.
    again = client.post(APPLY, form_data(submission_key=key))
    assert "请勿重复提交" in again.content.decode()
    assert Application.objects.count() == 1
