"""Per-client limits behind the real nginx count each visitor, not nginx: one visitor who
exhausts a limit (wrong certificate codes, wrong staff passwords, wrong status look-ups)
does not lock out another, and a visitor cannot choose the address it is counted under by
sending its own X-Forwarded-For. Two visitors are two loopback source addresses."""

import re

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.deploy.conftest import DEPLOY
from tests.factories import UserFactory

pytestmark = DEPLOY
PASSWORD = "correct-horse-battery"


class FromAddress(HTTPAdapter):
    """Connections from one source address (127.0.0.2, 127.0.0.3 …: all loopback)."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


@pytest.fixture
def visitor(proxy, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # as production behind this nginx

    def visitor(address):
        session = requests.Session()
        session.mount("http://", FromAddress(address))
        session.base = proxy.base
        return session

    return visitor


def verify(session, **headers):
    return session.get(
        session.base + "/verify/",
        params={"serial": "（2099）黑09证1号", "code": "WRONG1"},
        headers=headers,
        timeout=30,
    )


def test_one_visitor_exhausting_verification_does_not_block_a_bank(visitor):
    guesser, bank = visitor("127.0.0.2"), visitor("127.0.0.3")
    answers = [verify(guesser).status_code for _ in range(21)]
    assert answers[:20] == [200] * 20 and answers[20] == 429
    assert "查询次数过多" in verify(guesser).text
    # A forged header does not make the guesser someone else.
    assert verify(guesser, **{"X-Forwarded-For": "203.0.113.77"}).status_code == 429
    assert verify(bank).status_code == 200 and "查询次数过多" not in verify(bank).text


def sign_in(session, username, password, **headers):
    page = session.get(session.base + "/admin/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        session.base + "/admin/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": session.base + "/admin/login/", **headers},
        allow_redirects=False,
        timeout=30,
    )


def test_failed_sign_ins_from_one_visitor_do_not_lock_out_the_staff(visitor, db):
    UserFactory(username="xuanchuan", groups=["宣传"])
    attacker, clerk = visitor("127.0.0.2"), visitor("127.0.0.3")
    answers = [sign_in(attacker, f"guess{number}", "wrong-guess").status_code for number in range(6)]
    assert answers[-1] == 429
    assert sign_in(attacker, "xuanchuan", PASSWORD).status_code == 429  # this address is locked
    forged = sign_in(attacker, "xuanchuan", PASSWORD, **{"X-Forwarded-For": "203.0.113.77"})
    assert forged.status_code == 429
    assert sign_in(clerk, "xuanchuan", PASSWORD).status_code == 302


def test_nginx_limits_posts_to_the_forms_per_visitor(visitor):
    """limit_req in the shipped config: a burst of posts to /apply/ from one address is cut
    off with 429 by nginx itself; another visitor still reaches the application."""
    flooder, applicant = visitor("127.0.0.2"), visitor("127.0.0.3")
    answers = [
        flooder.post(flooder.base + "/apply/status/", data={}, timeout=30).status_code for _ in range(15)
    ]
    assert 429 in answers and answers[0] != 429
    assert applicant.post(applicant.base + "/apply/status/", data={}, timeout=30).status_code != 429
    # Reading the forms is not counted.
    assert flooder.get(flooder.base + "/apply/certificate/", timeout=30).status_code == 200


def test_production_config_redirects_plain_http_and_speaks_modern_tls():
    from deploy.nginx.render import render

    text = render(
        {"SERVER_NAME": "www.qthzy.example", "TLS_CERTIFICATE": "/c.pem", "TLS_CERTIFICATE_KEY": "/k.pem"}
    )
    assert 'if ($scheme = "http") { return 301 https://$host$request_uri; }' in text
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in text
    media = text[text.index("location /media/ {") :]
    assert "X-Content-Type-Options nosniff" in media[: media.index("}")]
