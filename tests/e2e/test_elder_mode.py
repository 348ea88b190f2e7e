"""Elder mode: larger text and higher contrast, switched on by the visitor, kept across pages."""

from playwright.sync_api import expect

from tests.e2e.conftest import E2E

pytestmark = E2E


def root_font_size(page):
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def test_elder_mode_switches_on_persists_and_switches_off(page, site, assert_accessible):
    page.goto(site + "/")
    toggle = page.get_by_role("button", name="长辈模式")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    normal_size = root_font_size(page)

    toggle.click()
    expect(page.locator("html")).to_have_class("elder-mode")
    assert root_font_size(page) >= normal_size * 1.2
    expect(page.get_by_role("button", name="退出长辈模式")).to_have_attribute("aria-pressed", "true")
    assert_accessible(page)  # still 0 serious violations with the larger, darker style

    # Another page, and a reload: the choice stays.
    page.goto(site + "/notice/")
    expect(page.locator("html")).to_have_class("elder-mode")
    page.reload()
    expect(page.locator("html")).to_have_class("elder-mode")
    assert root_font_size(page) >= normal_size * 1.2

    page.get_by_role("button", name="退出长辈模式").click()
    expect(page.locator("html")).not_to_have_class("elder-mode")
    page.goto(site + "/")
    expect(page.get_by_role("button", name="长辈模式")).to_have_attribute("aria-pressed", "false")
    assert root_font_size(page) == normal_size


def test_elder_mode_does_not_change_the_html_the_server_sends(page, site):
    """The choice is applied in the browser; the server's page stays cacheable for all."""
    first = page.request.get(site + "/").text()
    page.goto(site + "/")
    page.get_by_role("button", name="长辈模式").click()
    second = page.request.get(site + "/").text()
    assert first == second
    assert "elder-mode" not in first.split("<body", 1)[0].split("<html", 1)[1].split(">", 1)[0]
