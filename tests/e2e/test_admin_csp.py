"""The admin under its own Content-Security-Policy (portal/admin_csp.py): the page editor,
its preview panel and its choosers work, and the browser reports no violation."""

from playwright.sync_api import expect

from publicity.models import TypicalCasePage
from tests.e2e.conftest import E2E
from tests.e2e.staff import log_in_to_admin

pytestmark = E2E


def test_the_editor_and_its_preview_work_under_the_admin_policy(page, site):
    violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and violations.append(message.text),
    )
    log_in_to_admin(page, site, "xuanchuan", "demo-xuanchuan-2025")
    case = TypicalCasePage.objects.live().first()
    response = page.goto(f"{site}/admin/pages/{case.pk}/edit/")
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    page.get_by_role("button", name="预览").first.click()
    preview = page.frame_locator("iframe[title]").first
    expect(preview.locator("h1")).to_contain_text(case.title[:6], timeout=15000)
    # The editor's inline scripts (date pickers, inline panels) ran: no violation reported.
    assert violations == []
