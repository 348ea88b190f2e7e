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


@pytest.mark.parametrize(
    "content_type,body",
    [
        # No boundary: the multipart parser cannot start (MultiPartParserError).
        ("multipart/form-data", b"x=1"),
        # A file name longer than the parser accepts.
        (
            "multipart/form-data; boundary=b",
            b'--b\r\nContent-Disposition: form-data; name="x"; filename="'
            + b"a" * 5000
            + b'"\r\n\r\nx\r\n--b--\r\n',
        ),
    ],
)
def test_a_malformed_upload_gets_a_chinese_400_page(home_page, content_type, body):
    response = Client(raise_request_exception=False).generic(
        "POST", "/apply/certificate/", body, content_type=content_type
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请求无法处理" in page and "未被保存" in page
    assert "Bad Request" not in page


def test_too_many_fields_get_a_chinese_400_page(home_page, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = Client(raise_request_exception=False).post(
        "/apply/certificate/", "&".join(f"f{n}=1" for n in range(20)), "application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "请求无法处理" in response.content.decode()


def test_an_expired_form_gets_a_chinese_page_and_nothing_is_stored(home_page):
    from intake.models import Application

    # A form opened long ago (or with cookies blocked): the CSRF check fails.
    response = Client(enforce_csrf_checks=True).post("/apply/certificate/", {"party_name": "张三"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期" in page and "未被保存" in page and "刷新页面" in page
    assert "Forbidden" not in page and "CSRF" not in page
    assert Application.objects.count() == 0


@override_settings(ROOT_URLCONF="tests.portal.urls_failing", DEBUG=False)
def test_a_forbidden_page_is_chinese(demo_content):
    response = Client(raise_request_exception=False).get("/forbidden/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "无权访问" in page and "12368" in page
    assert "Forbidden" not in page


@pytest.mark.parametrize(
    "return_url", ["abc", "wagtailadmin_home", "https://evil.example/", "//evil.example/"]
)
def test_password_forms_keep_a_tampered_return_url_on_the_site(home_page, return_url):
    """Wagtail's password forms passed any `return_url` to redirect(): "abc" was taken for
    a URL name (NoReverseMatch, a 500) and an off-site one went to a page that does not exist."""
    from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction, PageViewRestriction

    password = BaseViewRestriction.PASSWORD
    page_restriction = PageViewRestriction.objects.create(
        page=home_page, restriction_type=password, password="s3cret-pass"
    )
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=Collection.get_first_root_node(), restriction_type=password, password="s3cret-pass"
    )
    for url in (
        f"/_util/authenticate_with_password/{page_restriction.pk}/{home_page.pk}/",
        f"/documents/authenticate_with_password/{collection_restriction.pk}/",
    ):
        client = Client()
        response = client.post(url, {"password": "s3cret-pass", "return_url": return_url})
        assert response.status_code == 302 and response["Location"] == "/", (url, response["Location"])
        # A path on the site is still where the visitor goes back to.
        response = client.post(url, {"password": "s3cret-pass", "return_url": "/news/?page=2"})
        assert response["Location"] == "/news/?page=2"
        # A wrong password changes nothing: the form again, with a Chinese message.
        response = Client().post(url, {"password": "wrong", "return_url": return_url})
        assert response.status_code == 200 and "密码错误" in response.content.decode()


def test_guessing_a_page_password_is_cut_off_after_ten_tries(home_page):
    """Password-protected pages were open to unlimited guessing: 10 wrong passwords from one
    client in 15 minutes, then even the right one is refused for the rest of the window."""
    from wagtail.models import BaseViewRestriction, PageViewRestriction

    restriction = PageViewRestriction.objects.create(
        page=home_page, restriction_type=BaseViewRestriction.PASSWORD, password="s3cret-pass"
    )
    url = f"/_util/authenticate_with_password/{restriction.pk}/{home_page.pk}/"
    guesser = Client()
    for _ in range(10):
        assert guesser.post(url, {"password": "guess", "return_url": "/"}).status_code == 200
    refused = guesser.post(url, {"password": "s3cret-pass", "return_url": "/"})
    assert refused.status_code == 429 and "密码错误次数过多" in refused.content.decode()
    other = Client(REMOTE_ADDR="10.0.0.8").post(url, {"password": "s3cret-pass", "return_url": "/"})
    assert other.status_code == 302
