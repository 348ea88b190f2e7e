"""Rotating FIELD_ENCRYPTION_KEYS as the README says (new key first, `rotate_field_keys`,
old key removed) keeps every applicant reachable: the lookup hashes have their own key
(FIELD_HASH_KEY) that does not rotate."""

import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command

from intake.models import Application
from portal import crypto
from tests.intake.test_apply import APPLY, STATUS, form_data, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(settings):
    def use(*keys):
        settings.FIELD_ENCRYPTION_KEYS = list(keys)
        crypto.reset_caches()

    yield use
    crypto.reset_caches()


def test_rotating_the_encryption_keys_keeps_every_applicant_reachable(client, settings, keys):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    number, code = submitted(client)
    before = Application.objects.get()
    id_number, phone = before.id_number, before.phone

    new = Fernet.generate_key().decode()
    keys(new, old)
    out = io.StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "1 行已重新加密" in out.getvalue() and "旧密钥现在可以移除" in out.getvalue()
    keys(new)  # the old key is gone

    application = Application.objects.get()
    with pytest.raises(InvalidToken):
        Fernet(old.encode()).decrypt(application.id_number_encrypted.encode())
    assert application.id_number == id_number and application.phone == phone
    # The applicant still follows the application with the same number and code ...
    status = client.post(STATUS, {"tracking_number": number, "access_code": code})
    assert status.status_code == 200 and "受理编号或查询码不正确" not in status.content.decode()
    assert "（2025）黑0902民初123号" in status.content.decode()
    # ... and a second application for the same case and ID number is still recognised.
    again = client.post(APPLY, form_data())
    assert Application.objects.count() == 1 and "请勿重复提交" in again.content.decode()


def test_the_hash_key_of_an_older_deployment_is_what_it_always_used(settings):
    """Deployments before FIELD_HASH_KEY hashed under a key derived from their newest
    encryption key: `field_hash_key --legacy` gives exactly that key."""
    out = io.StringIO()
    call_command("field_hash_key", "--legacy", stdout=out)
    assert out.getvalue().strip() == settings.FIELD_HASH_KEY  # the test settings use it
    fresh = io.StringIO()
    call_command("field_hash_key", stdout=fresh)
    assert fresh.getvalue().strip() != settings.FIELD_HASH_KEY and len(fresh.getvalue().strip()) == 44
