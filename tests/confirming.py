"""The confirmation step of an irreversible admin action (portal/admin_ui.py `confirmation`),
as staff go through it: `facts(page)` reads what the page names, label → text;
`confirm(client, page)` sends the page's form as the browser would (every hidden input,
the marker included) and follows the redirect."""

from bs4 import BeautifulSoup


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


def is_confirmation(response):
    return response.status_code == 200 and _soup(response).select_one("[data-confirmation]") is not None


def facts(response):
    soup = _soup(response)
    assert soup.select_one("[data-confirmation]"), "not a confirmation page"
    return {
        row.th.get_text(strip=True): row.td.get_text(" ", strip=True)
        for row in soup.select("[data-confirmation] table tr")
    }


def text(response):
    """Everything the confirmation page says, the summary and the consequences included."""
    return _soup(response).select_one("[data-confirmation]").get_text(" ", strip=True)


def confirm(client, response):
    form = _soup(response).select_one("[data-confirmation] form")
    data = {}
    for field in form.select("input[type=hidden]"):
        if field["name"] != "csrfmiddlewaretoken":
            data.setdefault(field["name"], []).append(field.get("value", ""))
    return client.post(form.get("action") or response.wsgi_request.path, data, follow=True)
