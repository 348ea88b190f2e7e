"""Staff sign-in is locked out by django-axes inside `authenticate`: repeated failures lock
the account (and the client address) for a while, whatever page the password is tried on,
logged; there is one sign-in page."""

import logging

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"
PASSWORD = "correct-horse-battery"


def test_five_failures_lock_the_account_even_with_the_right_password(client, caplog):
    UserFactory(username="lian", groups=["立案审查"])  # password: correct-horse-battery
    with caplog.at_level(logging.WARNING, logger="axes"):
        for attempt in range(5):
            response = client.post(LOGIN, {"username": "lian", "password": "wrong-guess"})
            assert response.status_code == (429 if attempt == 4 else 200)
    assert "Locking out" in caplog.text and "lian" in caplog.text
    assert "wrong-guess" not in caplog.text
    locked = client.post(LOGIN, {"username": "lian", "password": PASSWORD})
    assert locked.status_code == 429 and "账号已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account, from another address, is not affected.
    UserFactory(username="mingdan", groups=["名单管理"])
    other = client.post(LOGIN, {"username": "mingdan", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


def test_a_success_clears_earlier_failures(client):
    UserFactory(username="lian", groups=["立案审查"])
    for _ in range(4):
        client.post(LOGIN, {"username": "lian", "password": "wrong-guess"})
    assert client.post(LOGIN, {"username": "lian", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post(LOGIN, {"username": "lian", "password": "wrong-guess"})
    assert client.post(LOGIN, {"username": "lian", "password": PASSWORD}).status_code == 302


def test_the_front_end_login_is_the_staff_sign_in_page(client):
    """Wagtail's /_util/login/ used to be a second form with no lock-out: now it only leads
    to the staff sign-in page, keeping a return path on this site and nothing else."""
    UserFactory(username="shenhe", groups=["宣传审核"])
    for _ in range(5):
        client.post(LOGIN, {"username": "shenhe", "password": "wrong-guess"})
    answer = client.post("/_util/login/", {"username": "shenhe", "password": PASSWORD})
    assert answer.status_code == 302 and answer.url == LOGIN
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/pages/").status_code == 302
    assert client.get("/_util/login/?next=/cases/").url == LOGIN + "?next=%2Fcases%2F"
    assert client.get("/_util/login/?next=https://evil.example/").url == LOGIN


def test_any_form_that_authenticates_is_locked_out_too():
    """The lock-out is in `authenticate` itself, not in one form: a form added later (or
    Django's own) is refused just the same once the account is locked."""
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    UserFactory(username="xuanchuan", groups=["宣传"])
    request = RequestFactory().post("/somewhere/", REMOTE_ADDR="192.0.2.7")
    for _ in range(5):
        assert authenticate(request, username="xuanchuan", password="wrong-guess") is None
    assert authenticate(RequestFactory().post("/x/"), username="xuanchuan", password=PASSWORD) is None


def test_many_accounts_tried_from_one_address_lock_that_address_only(client):
    UserFactory(username="lian", groups=["立案审查"])
    for number in range(5):
        client.post(
            LOGIN, {"username": f"guess{number}", "password": "wrong-guess"}, REMOTE_ADDR="198.51.100.9"
        )
    refused = client.post(LOGIN, {"username": "lian", "password": PASSWORD}, REMOTE_ADDR="198.51.100.9")
    assert refused.status_code == 429
    assert (
        client.post(
            LOGIN, {"username": "lian", "password": PASSWORD}, REMOTE_ADDR="198.51.100.10"
        ).status_code
        == 302
    )
