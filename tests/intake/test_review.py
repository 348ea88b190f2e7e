"""Review, certificate, PDF, verification, revocation."""

import datetime
import subprocess

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission

from honorroll.models import Nomination
from intake import review
from intake.documents import certificate_pdf
from intake.models import Application, ApplicationEvent, Certificate, ReviewerCourt
from portal.models import Court
from tests.factories import UserFactory
from tests.intake.test_apply import APPLY, form_data

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def reviewer():
    user = UserFactory(username="reviewer", groups=["立案审查"])
    ReviewerCourt.objects.create(user=user).courts.set([Court.objects.get(code="黑0902")])
    return user


@pytest.fixture
def application(client):
    client.post(APPLY, form_data())
    return Application.objects.get()


def confirm(application, reviewer):
    return review.record_confirmation(
        application, actor=reviewer, method="phone", confirmed_by="李某", confirmed_on=TODAY
    )


def test_approval_needs_the_creditors_confirmation_first(application, reviewer):
    with pytest.raises(review.ReviewError, match="须先记录原告确认"):
        review.approve(application, actor=reviewer)
    confirm(application, reviewer)
    certificate = review.approve(application, actor=reviewer)
    application.refresh_from_db()
    assert application.status == "approved"
    assert certificate.serial == f"{TODAY.year}-0902-00001"
    assert len(certificate.verification_code) == 8
    assert [e.action for e in application.events.all()] == ["submitted", "confirmed", "approved"]
    assert all(e.actor == reviewer for e in application.events.filter(action__in=["confirmed", "approved"]))
    with pytest.raises(review.ReviewError, match="不能批准"):
        review.approve(application, actor=reviewer)  # approve twice
    assert Certificate.objects.count() == 1


def test_serials_are_unique_per_court_and_year(client, reviewer):
    for n in range(3):
        client.post(APPLY, form_data(case_number=f"（2025）黑0902民初{200 + n}号"))
    serials = []
    for application in Application.objects.order_by("pk"):
        confirm(application, reviewer)
        serials.append(review.approve(application, actor=reviewer).serial)
    assert serials == [f"{TODAY.year}-0902-0000{n}" for n in (1, 2, 3)]


def test_staff_of_another_court_cannot_act(application):
    other = UserFactory(username="other", groups=["立案审查"])
    ReviewerCourt.objects.create(user=other).courts.set([Court.objects.get(code="黑0921")])
    with pytest.raises(review.ReviewError, match="无权办理七台河市新兴区人民法院"):
        confirm(application, other)
    with pytest.raises(review.ReviewError, match="无权办理"):
        review.reject(application, actor=other, reason="材料不全")
    application.refresh_from_db()
    assert application.status == "submitted"
    assert not application.events.filter(action__in=["confirmed", "rejected"]).exists()
    other.user_permissions.add(Permission.objects.get(codename="review_any_court"))
    del other._perm_cache, other._user_perm_cache
    confirm(application, other)


def test_rejection_needs_a_reason_the_applicant_then_sees(client, application, reviewer):
    with pytest.raises(review.ReviewError, match="请填写不予批准的理由"):
        review.reject(application, actor=reviewer, reason="  ")
    review.reject(application, actor=reviewer, reason="原告称尚有 2000 元未支付。")
    with pytest.raises(review.ReviewError):
        confirm(application, reviewer)


def test_consent_to_the_list_nominates_the_party(application, reviewer):
    confirm(application, reviewer)
    review.approve(application, actor=reviewer)
    nomination = Nomination.objects.get()
    assert nomination.party_name == "杨某" and nomination.case_number == "（2025）黑0902民初123号"
    assert application.tracking_number in nomination.source


def test_no_consent_no_nomination(client, reviewer):
    client.post(APPLY, form_data(consent_list=None))
    application = Application.objects.get()
    confirm(application, reviewer)
    review.approve(application, actor=reviewer)
    assert not Nomination.objects.exists()


def test_viewing_the_full_id_number_is_audited(application, reviewer):
    assert review.record_id_view(application, actor=reviewer) == "11010519491231002X"
    event = application.events.get(action=ApplicationEvent.Action.VIEWED_ID)
    assert event.actor == reviewer


@pytest.fixture
def certificate(application, reviewer):
    confirm(application, reviewer)
    return review.approve(application, actor=reviewer)


def test_certificate_pdf_has_annex_4_wording_and_an_embedded_chinese_font(certificate, tmp_path):
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(certificate_pdf(certificate))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = fonts.splitlines()[2:]  # the subset of Noto Serif CJK SC (portal/documents.py)
    assert cjk and all(" yes " in line for line in cjk), fonts  # embedded
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    squeezed = "".join(text.split())
    expected = (
        "李某与杨某（民间借贷纠纷）一案中，本院于2025年6月10日制作（2025）黑0902民初123号民事调解书，"
        "现已发生法律效力。经原告确认，被告已于2025年6月18日履行完毕上述法律文书确定的义务。特此证明。"
    )
    assert expected in squeezed
    assert "七台河市新兴区人民法院" in squeezed and "自动履行证明书" in squeezed and "（院印）" in squeezed
    assert certificate.serial in squeezed and certificate.verification_code in squeezed
    # The page really shows glyphs: rendered at 50 dpi, the title area is not blank.
    subprocess.run(
        ["pdftoppm", "-r", "50", "-gray", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
    )
    image = next(tmp_path.glob("p*.pgm")).read_bytes()
    pixels = image.split(b"\n", 3)[3]
    dark = sum(1 for value in pixels if value < 128)
    assert dark > 2000


def test_verify_valid_then_revoked(client, certificate, reviewer):
    url = "/verify/"
    response = client.get(url, {"serial": certificate.serial, "code": certificate.verification_code.lower()})
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("[data-verify-result]").get_text(strip=True) == "有效"
    text = soup.get_text()
    assert "杨某" in text and "七台河市新兴区人民法院" in text and "（2025）黑0902民初123号" in text
    assert "11010519491231002X" not in text and "13912345678" not in text
    wrong = client.get(url, {"serial": certificate.serial, "code": "WRONG123"})
    assert "未找到" in wrong.content.decode() and "杨某" not in wrong.content.decode()
    assert "未找到" not in client.get(url).content.decode()  # nothing asked, nothing said

    review.revoke(certificate, actor=reviewer, reason="原告反映款项被退回。")
    revoked = client.get(url, {"serial": certificate.serial, "code": certificate.verification_code})
    assert (
        BeautifulSoup(revoked.content, "html.parser").select_one("[data-verify-result]").get_text(strip=True)
        == "已撤销"
    )
    with pytest.raises(review.ReviewError, match="已撤销"):
        review.revoke(certificate, actor=reviewer, reason="再次")


def test_verify_masks_a_person_and_shows_an_organisation(client, reviewer):
    client.post(APPLY, form_data(defendant_name="欧阳娜娜", applicant_name="欧阳娜娜"))
    application = Application.objects.get()
    confirm(application, reviewer)
    certificate = review.approve(application, actor=reviewer)
    page = client.get("/verify/", {"serial": certificate.serial, "code": certificate.verification_code})
    assert "欧阳某某" in page.content.decode() and "欧阳娜娜" not in page.content.decode()


def test_applicant_downloads_the_pdf_from_the_status_page(client, reviewer):
    response = client.post(APPLY, form_data())
    soup = BeautifulSoup(response.content, "html.parser")
    number = soup.select_one("[data-tracking-number]").get_text(strip=True)
    code = soup.select_one("[data-access-code]").get_text(strip=True)
    application = Application.objects.get()
    before = client.post("/apply/status/certificate.pdf", {"tracking_number": number, "access_code": code})
    assert before.status_code == 404 and "没有可下载的有效证明书" in before.content.decode()
    confirm(application, reviewer)
    review.approve(application, actor=reviewer)
    status = client.post("/apply/status/", {"tracking_number": number, "access_code": code})
    assert "下载自动履行证明书" in status.content.decode()
    pdf = client.post("/apply/status/certificate.pdf", {"tracking_number": number, "access_code": code})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    stolen = client.post(
        "/apply/status/certificate.pdf", {"tracking_number": number, "access_code": "WRONG123"}
    )
    assert stolen.status_code == 200 and not stolen.content.startswith(b"%PDF")


def test_verification_attempts_are_throttled(client, certificate):
    from django.core.cache import cache

    cache.clear()
    for _ in range(20):
        client.get("/verify/", {"serial": certificate.serial, "code": "WRONG123"})
    blocked = client.get("/verify/", {"serial": certificate.serial, "code": certificate.verification_code})
    assert blocked.status_code == 429 and "查询次数过多" in blocked.content.decode()
    assert "有效" not in BeautifulSoup(blocked.content, "html.parser").get_text()
    cache.clear()


@pytest.mark.parametrize("code", ["验证码", "\x80", "ＡＢＣ１２３"])
def test_verification_with_a_non_ascii_code_is_not_found(client, certificate, code):
    """hmac.compare_digest raised TypeError on str with non-ASCII characters: a 500."""
    response = client.get("/verify/", {"serial": certificate.serial, "code": code})
    assert response.status_code == 200 and "未找到" in response.content.decode()
