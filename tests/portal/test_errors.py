import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="tests.portal.urls_failing", DEBUG=False)
def test_server_error_is_a_chinese_page_without_traceback(demo_content):
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务暂时出现问题" in body
    assert "12368" in body
    assert "Traceback" not in body
    assert "secret-internal-detail" not in body
    assert "230902199001011234" not in body


def test_health_check_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
