"""Anonymous submissions are limited per client (portal/throttle.py SubmissionLimit): 5
accepted applications an hour and 100 MB of evidence a day from one address; beyond that a
clear Chinese message, nothing stored, and other visitors are not affected."""

from pathlib import Path

import pytest

from intake.models import Application, EvidenceFile
from tests.intake.test_apply import APPLY, PDF, form_data, private_files, receipt

pytestmark = pytest.mark.django_db


def application(number, **overrides):
    return form_data(case_number=f"（2025）黑0902民初{200 + number}号", **overrides)


def test_a_sixth_application_within_the_hour_is_refused_and_nothing_stored(client):
    for number in range(5):
        accepted = client.post(APPLY, application(number))
        assert "data-tracking-number" in accepted.content.decode(), number
    files = private_files()
    refused = client.post(APPLY, application(5))
    assert refused.status_code == 429
    assert "提交申请过于频繁，请 1 小时后再试" in refused.content.decode()
    assert Application.objects.count() == 5 and private_files() == files
    # What was typed is still in the form.
    assert "（2025）黑0902民初205号" in refused.content.decode()
    # Another visitor applies as usual.
    other = client.post(APPLY, application(6), REMOTE_ADDR="10.20.30.40")
    assert "data-tracking-number" in other.content.decode()


def test_the_evidence_a_client_may_store_in_a_day_is_capped(client, monkeypatch):
    from intake import views

    monkeypatch.setattr(views.UPLOADS, "max_bytes", 3 * len(PDF) + 10)
    for number in range(3):
        assert "data-tracking-number" in client.post(APPLY, application(number)).content.decode()
    refused = client.post(APPLY, application(3))
    assert refused.status_code == 429 and "上传的材料已超过" in refused.content.decode()
    assert Application.objects.count() == 3 and EvidenceFile.objects.count() == 3
    assert client.post(APPLY, application(4, evidence=[receipt()]), REMOTE_ADDR="10.9.8.7").status_code == 200


def test_evidence_files_are_readable_by_the_application_only(client):
    client.post(APPLY, application(0))
    stored = Path(EvidenceFile.objects.get().file.path)
    assert stored.stat().st_mode & 0o777 == 0o600
    assert stored.parent.stat().st_mode & 0o777 == 0o700
