"""Fuzzing the honor-roll JSON API for recipient agencies (see tests/fuzz/__init__.py)."""

from urllib.parse import quote

from django.urls import Resolver404, resolve
from hypothesis import given
from hypothesis import strategies as st

from honorroll.models import ApiKeyUse, Delivery
from tests.fuzz import strategies as s
from tests.fuzz.conftest import (
    FUZZ,
    assert_chinese_json_error,
    assert_chinese_page,
    assert_not_500,
    counts,
    example_state,
)

# Header values as a WSGI server hands them over: bytes read as Latin-1.
HEADER_TEXT = st.one_of(
    st.binary(max_size=80).map(lambda raw: raw.decode("latin-1")),
    s.HOSTILE.map(lambda text: text.encode("utf-8", "replace").decode("latin-1")),
)
NUMBERS = st.one_of(st.integers(-5, 3000).map(str), st.integers(-(2**70), 2**70).map(str), s.HOSTILE)


@st.composite
def headers(draw, world):
    good, revoked = world.api_key, world.revoked_key
    key = draw(
        st.sampled_from(
            [
                good,
                good,
                good,
                revoked,
                good[:-1],
                good + "x",
                good.upper(),
                f" {good} ",
                "hr_",
                "",
                good + "\t",
            ]
        )
        | HEADER_TEXT
    )
    scheme = draw(st.sampled_from(["Bearer", "bearer", "BEARER", "Basic", "Token", "", "Bearer  "]))
    result = {}
    where = draw(st.integers(0, 4))
    if where in (0, 1):
        result["HTTP_AUTHORIZATION"] = f"{scheme} {key}"
    elif where == 2:
        result["HTTP_X_API_KEY"] = key
    elif where == 3:
        result["HTTP_AUTHORIZATION"] = draw(HEADER_TEXT)
        result["HTTP_X_API_KEY"] = key
    if draw(st.booleans()):
        result["HTTP_IF_NONE_MATCH"] = draw(
            st.sampled_from(
                ['"abc"', "*", 'W/"x"', '"', "W/", ",,,", '"a", "b", *', 'W/"' + "a" * 5000 + '"']
            )
            | HEADER_TEXT
        )
    if draw(st.integers(0, 5)) == 0:
        result["HTTP_HOST"] = draw(
            st.sampled_from(["testserver", "evil.example", "[::1]", "a" * 300, "testserver:99999"])
        )
    return result


def is_api_route(response):
    """Whether one of the API's URL patterns matches the path asked for."""
    try:
        match = resolve(response.wsgi_request.path_info)
    except Resolver404:
        return False
    return (match.url_name or "").startswith("honorroll_api")


PARAMS = {
    "page": NUMBERS,
    "page_size": NUMBERS,
    "since": s.HOSTILE,
    "key": st.sampled_from(["hr_x", ""]),
    "token": s.HOSTILE,
}


def fuzz_api(client, world, path_strategy, *, records_delivery=False):
    @FUZZ
    @given(
        path=path_strategy,
        query=s.query_string({k: v for k, v in PARAMS.items() if k not in ("key", "token")})
        | s.query_string(PARAMS),
        extra=headers(world),
        method=st.sampled_from(["GET"] * 9 + ["POST", "PUT", "DELETE", "PATCH"]),
    )
    def run(path, query, extra, method):
        with example_state():
            before = counts(ApiKeyUse, Delivery)
            response = client.generic(method, f"{path}?{query}", **extra)
            assert_not_500(response)
            after = counts(ApiKeyUse, Delivery)
            if response.status_code == 304:
                assert method == "GET" and "HTTP_IF_NONE_MATCH" in extra
            elif not response["Content-Type"].startswith("application/json"):
                # Django refuses a bad Host before the view (400); a path the API's routes do
                # not match (an empty id, an id with "/") is no API endpoint: it gets the
                # site's Chinese 404 page. Every path an API route matches answers JSON.
                assert response.status_code in (400, 404), response.status_code
                assert "HTTP_HOST" in extra or not is_api_route(response), (path, response.status_code)
                assert_chinese_page(response)
                return
            else:
                assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
                if response.status_code >= 400:
                    assert_chinese_json_error(response)
            # Stored: one use-log row for an authenticated call; a Delivery at most once.
            used = after["ApiKeyUse"] - before["ApiKeyUse"]
            if response.status_code in (401, 405) or method != "GET":
                assert used == 0 and after["Delivery"] == before["Delivery"]
            else:
                # A key in the URL is refused (400) whether or not the key is good.
                assert used == 1 or (used == 0 and response.status_code == 400)
                assert after["Delivery"] - before["Delivery"] in ((0, 1) if records_delivery else (0,))
            for row in ApiKeyUse.objects.order_by("-pk")[:used]:
                assert len(row.path) <= 300 and world.api_key not in row.path

    run()


def test_api_batches(fuzz_client, world):
    fuzz_api(fuzz_client, world, st.just("/api/v1/honor-roll/batches/"))


def test_api_entries(fuzz_client, world):
    ids = st.one_of(
        st.sampled_from(
            [str(world.batch_id)] * 4 + [str(world.draft_batch_id), "0", "9" * 18, "9" * 19, "1" * 30]
        ),
        st.integers(-(2**70), 2**70).map(str),
        s.HOSTILE.map(lambda text: quote(text, safe="")),
    )
    fuzz_api(
        fuzz_client,
        world,
        ids.map(lambda batch: f"/api/v1/honor-roll/batches/{batch}/entries/"),
        records_delivery=True,
    )


def test_api_deliveries(fuzz_client, world):
    fuzz_api(fuzz_client, world, st.just("/api/v1/honor-roll/deliveries/"))
