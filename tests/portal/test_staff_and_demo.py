"""Staff groups, the admin in Chinese, and the idempotent demo loader."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Page

from portal.management.commands.load_demo import DEMO_ACCOUNTS
from portal.models import StandardPage
from tests.factories import UserFactory
from tests.staff import log_in_verified

pytestmark = pytest.mark.django_db


def test_the_three_staff_groups_exist_with_admin_access():
    for name in ("宣传", "立案审查", "名单管理"):
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists()


def test_the_admin_speaks_chinese(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="zh-hans"' in body
    assert "登录" in body and "用户名" in body and "密码" in body
    assert "Password" not in body  # every label a member of staff reads is Chinese


def test_propaganda_staff_may_write_pages_but_intake_staff_may_not(client, home_page):
    writer = UserFactory(username="writer", groups=["宣传"])
    reviewer = UserFactory(username="reviewer", groups=["立案审查"])
    client.force_login(writer)
    assert client.get(f"/admin/pages/add/portal/standardpage/{home_page.pk}/").status_code == 200
    log_in_verified(client, reviewer)
    response = client.get(f"/admin/pages/add/portal/standardpage/{home_page.pk}/")
    assert response.status_code in (302, 403)
    assert client.get("/admin/").status_code == 200  # but they do reach the admin


def test_propaganda_staff_cannot_publish_directly(home_page):
    writer = UserFactory(username="writer", groups=["宣传"])
    perms = home_page.permissions_for_user(writer)
    assert perms.can_add_subpage() and perms.can_edit()
    assert not perms.can_publish()


def test_load_demo_twice_neither_duplicates_nor_overwrites(demo_content):
    User = get_user_model()
    pages_before = Page.objects.count()
    users_before = User.objects.count()
    assert pages_before >= 5 and users_before == len(DEMO_ACCOUNTS)

    about = StandardPage.objects.get(slug="about")
    about.title = "关于本平台（编辑后）"
    about.save_revision().publish()
    xuanchuan = User.objects.get(username="xuanchuan")
    xuanchuan.set_password("a-new-password-chosen-by-staff")
    xuanchuan.save()

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "演示内容已存在，未作改动" in out.getvalue()
    assert Page.objects.count() == pages_before
    assert User.objects.count() == users_before
    assert StandardPage.objects.get(slug="about").title == "关于本平台（编辑后）"
    assert User.objects.get(username="xuanchuan").check_password("a-new-password-chosen-by-staff")


def test_load_demo_prints_the_demo_accounts_that_log_in(db, client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    for username, password, group, _role in DEMO_ACCOUNTS:
        assert username in out.getvalue() and password in out.getvalue()
        signed_in = client.post("/admin/login/", {"username": username, "password": password})
        assert signed_in.status_code == 302 and "_auth_user_id" in client.session
        client.logout()
        user = get_user_model().objects.get(username=username)
        if group:
            assert list(user.groups.values_list("name", flat=True)) == [group]
        else:
            assert user.is_superuser


@override_settings(PORTAL_DEMO_ALLOWED=False)
def test_load_demo_refuses_to_create_demo_accounts_in_production(db):
    with pytest.raises(CommandError, match="生产环境禁止使用 load_demo"):
        call_command("load_demo", stdout=io.StringIO())
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_a_court_in_use_is_not_deleted_and_no_500(client):
    from honorroll.models import ListBatch
    from portal.models import Court

    court = Court.objects.get(code="黑0921")
    ListBatch.objects.create(court=court, year=2025, number=1)
    log_in_verified(client, UserFactory(username="root", is_superuser=True, is_staff=True))
    from django.contrib.messages import get_messages

    response = client.post(f"/admin/snippets/portal/court/delete/{court.pk}/")
    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("不能删除" in text for text in shown), (shown, response.get("Location"))
    assert Court.objects.filter(pk=court.pk).exists()
