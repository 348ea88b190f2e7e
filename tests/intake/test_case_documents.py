"""The notice (Annex 2) and commitment letter (Annex 3) staff print for a case."""

import subprocess

import pytest

from intake.models import ReviewerCourt
from portal.models import Court
from portal.notice_text import NOTICE_SECTIONS
from tests.factories import UserFactory
from tests.staff import log_in_verified

pytestmark = pytest.mark.django_db
URL = "/admin/intake/case-documents/"


def case(**overrides):
    data = {
        "court": Court.objects.get(code="黑0902").pk,
        "case_number": "(2025)黑0902民初88号",
        "document_type": "mediation",
        "plaintiff_name": "李某",
        "defendant_name": "欧阳某某",
        "committer_kind": "person",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff(client):
    user = UserFactory(username="lian", groups=["立案审查"])
    ReviewerCourt.objects.create(user=user).courts.set(Court.objects.all())
    log_in_verified(client, user)
    return user


def text_and_fonts(pdf, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(text.split()), fonts.splitlines()[2:]


def test_the_notice_is_annex_2_word_for_word(client, staff, tmp_path):
    response = client.post(URL, {**case(), "document": "notice"})
    assert response["Content-Type"] == "application/pdf"
    text, fonts = text_and_fonts(response.content, tmp_path)
    assert fonts and all(" yes " in line for line in fonts)
    assert text.startswith("七台河市新兴区人民法院自动履行告知书")
    for title, items in NOTICE_SECTIONS:
        assert title in text
        for item in items:
            assert "".join(item.split()) in text, item
    assert "（2025）黑0902民初88号" in text and "李某、欧阳某某" in text


def test_the_commitment_letter_is_annex_3_with_the_case_filled(client, staff, tmp_path):
    response = client.post(URL, {**case(), "document": "commitment"})
    text, _ = text_and_fonts(response.content, tmp_path)
    assert (
        "本人郑重承诺：原告（申请执行人）李某与被告（被执行人）欧阳某某一案，双方达成调解协议，"
        "法院对于调解协议予以确认，并制作（2025）黑0902民初88号民事调解书。本人郑重承诺将按约履行该调解协议。"
        "如违反承诺，本人自愿承担相应的法律责任。此致七台河市新兴区人民法院承诺人：年月日"
    ) in text


def test_an_organisation_commits_as_本单位_to_an_enforcement_ruling(client, staff, tmp_path):
    response = client.post(
        URL,
        {
            **case(
                case_number="（2025）黑0902执12号",
                document_type="enforcement_ruling",
                committer_kind="organisation",
            ),
            "document": "commitment",
        },
    )
    text, _ = text_and_fonts(response.content, tmp_path)
    assert text.startswith("七台河市新兴区人民法院自动履行承诺书本单位郑重承诺")
    assert "制作（2025）黑0902执12号执行裁定书。本单位郑重承诺" in text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"case_number": "（2025）黑0921民初5号"}, "不一致"),
        ({"case_number": "123"}, "案号"),
        ({"plaintiff_name": "　"}, "请填写原告"),
        ({"court": ""}, "请选择法院"),
        ({"document_type": "enforcement_ruling"}, "执行案件（案号含“执”）对应执行裁定书"),
    ],
)
def test_bad_case_details_are_named(client, staff, overrides, message):
    response = client.post(URL, {**case(**overrides), "document": "notice"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def test_only_intake_staff_produce_them(client):
    client.force_login(UserFactory(username="xuanchuan", groups=["宣传"]))
    response = client.post(URL, {**case(), "document": "notice"})
    assert response.status_code == 302 and not response.content.startswith(b"%PDF")
    client.logout()
    assert client.get(URL).status_code == 302  # to the login page


def test_the_page_is_in_the_menu_for_intake_staff_only(client, staff):
    assert URL in client.get("/admin/").content.decode()  # the sidebar's menu data
    client.force_login(UserFactory(username="xuanchuan", groups=["宣传"]))
    assert URL not in client.get("/admin/").content.decode()


def test_a_reviewer_produces_documents_only_for_their_courts(client):
    user = UserFactory(username="reviewer", groups=["立案审查"])
    ReviewerCourt.objects.create(user=user).courts.set([Court.objects.get(code="黑0921")])
    log_in_verified(client, user)
    response = client.post(URL, {**case(), "document": "notice"})  # a 黑0902 case
    assert (
        response["Content-Type"].startswith("text/html") and "选择一个有效的选项" in response.content.decode()
    )
