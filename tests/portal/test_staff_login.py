"""Staff sign-in is throttled: repeated failures lock the account for a while, logged."""

import logging

import pytest
from django.core.cache import cache

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def test_five_failures_lock_the_account_even_with_the_right_password(client, caplog):
    UserFactory(username="lian", groups=["立案审查"])  # password: correct-horse-battery
    with caplog.at_level(logging.WARNING, logger="portal.forms"):
        for _ in range(5):
            response = client.post(LOGIN, {"username": "lian", "password": "wrong-guess"})
            assert response.status_code == 200
    assert "Staff login locked: account 'lian'" in caplog.text
    locked = client.post(LOGIN, {"username": "LIAN", "password": "correct-horse-battery"})
    assert locked.status_code == 200 and "账号已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from elsewhere is not affected.
    UserFactory(username="mingdan", groups=["名单管理"])
    other = client.post(LOGIN, {"username": "mingdan", "password": "correct-horse-battery"})
    assert other.status_code == 302


def test_a_success_clears_earlier_failures(client):
    UserFactory(username="lian", groups=["立案审查"])
    for _ in range(4):
        client.post(LOGIN, {"username": "lian", "password": "wrong-guess"})
    assert client.post(LOGIN, {"username": "lian", "password": "correct-horse-battery"}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post(LOGIN, {"username": "lian", "password": "wrong-guess"})
    assert client.post(LOGIN, {"username": "lian", "password": "correct-horse-battery"}).status_code == 302
