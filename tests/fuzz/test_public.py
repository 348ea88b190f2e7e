"""Fuzzing the public read-only pages: search, typical cases, news, feeds, the honor roll
and its downloads, documents, the health check and any path (see tests/fuzz/__init__.py)."""

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from honorroll.models import ApiKeyUse, Delivery, ListBatch, ListEntry, Objection
from intake.models import Application
from tests.fuzz import strategies as s
from tests.fuzz.conftest import (
    FUZZ,
    assert_chinese_errors,
    assert_chinese_page,
    assert_not_500,
    counts,
    example_state,
)

STORED = (Application, ListBatch, ListEntry, Delivery, ApiKeyUse, Objection)
NUMBERS = st.one_of(st.integers(-5, 50).map(str), st.integers(-(2**70), 2**70).map(str), s.HOSTILE)


def fuzz_get(client, url, params, *, statuses=(200,), check_errors=False):
    @FUZZ
    @given(query=s.query_string(params))
    def run(query):
        with example_state(clear_cache=False):
            before = counts(*STORED)
            response = client.get(f"{url}?{query}")
            assert_not_500(response)
            assert response.status_code in statuses, response.status_code
            assert counts(*STORED) == before
            if response.status_code >= 400:
                assert_chinese_page(response)
            elif check_errors:
                assert_chinese_errors(response, required=False)

    run()


def test_search(fuzz_client, world):
    params = {
        "q": st.one_of(
            st.sampled_from(
                ["履行", "民间借贷", "七台河 调解", '"自动履行"', "履行*", "OR", "NOT 履行", "AND OR NOT"]
            ),
            s.case_number(),
            s.HOSTILE,
        ),
        "page": NUMBERS,
        "type": st.one_of(st.sampled_from(["case", "news", "CASE", "page"]), s.HOSTILE),
        "cause": NUMBERS,
        "method": NUMBERS,
        "court": NUMBERS,
        "year": st.one_of(st.integers(1990, 2030).map(str), s.HOSTILE),
    }
    fuzz_get(fuzz_client, "/search/", params)


def test_typical_case_list(fuzz_client, world):
    params = dict.fromkeys(("page", "cause", "method", "court", "year"), NUMBERS)
    fuzz_get(fuzz_client, "/cases/", params)


def test_news_list(fuzz_client, world):
    fuzz_get(fuzz_client, "/news/", {"page": NUMBERS, "year": NUMBERS, "q": s.HOSTILE})


def test_feeds(fuzz_client, world):
    @FUZZ
    @given(
        feed=st.sampled_from(["/cases/feed/", "/news/feed/"]),
        query=s.query_string({"page": NUMBERS, "format": s.HOSTILE}),
    )
    def run(feed, query):
        response = fuzz_client.get(f"{feed}?{query}")
        assert_not_500(response)
        assert response.status_code == 200

    run()


def test_honor_roll_batch_list(fuzz_client, world):
    fuzz_get(fuzz_client, "/honor-roll/", {"page": NUMBERS, "year": NUMBERS, "court": NUMBERS})


def test_honor_roll_batch_detail(fuzz_client, world):
    params = {
        "q": st.one_of(st.sampled_from(["王某", "欧阳", "某", "公司", "%", "_"]), s.HOSTILE),
        "court": NUMBERS,
        "cause": NUMBERS,
        "page": NUMBERS,
    }

    @FUZZ
    @given(
        batch=st.sampled_from([world.batch_id] * 4 + [world.draft_batch_id, 0, 99999, 2**63 - 1]),
        query=s.query_string(params),
    )
    def run(batch, query):
        with example_state(clear_cache=False):
            before = counts(*STORED)
            response = fuzz_client.get(f"/honor-roll/{batch}/?{query}")
            assert_not_500(response)
            assert counts(*STORED) == before
            if batch == world.batch_id:
                assert response.status_code == 200
                assert_chinese_errors(response, required=False)
            else:
                assert response.status_code == 404
                assert_chinese_page(response)

    run()


def fuzz_download(client, world, extension, content_type):
    @FUZZ
    @given(
        batch=st.one_of(
            st.sampled_from([str(world.batch_id)] * 3 + [str(world.draft_batch_id), "0", str(2**63 - 1)]),
            st.integers(-(2**70), 2**70).map(str),
            s.HOSTILE.map(lambda text: quote(text, safe="")),
        ),
        query=s.query_string({"q": s.HOSTILE, "page": NUMBERS, "format": s.HOSTILE}),
    )
    def run(batch, query):
        with example_state(clear_cache=False):
            before = counts(*STORED)
            response = client.get(f"/honor-roll/{batch}/download.{extension}?{query}")
            assert_not_500(response)
            assert counts(*STORED) == before
            if batch == str(world.batch_id):
                assert response.status_code == 200 and response["Content-Type"].startswith(content_type)
            else:
                assert response.status_code in (301, 404), response.status_code
                if response.status_code == 404:
                    assert_chinese_page(response)

    run()


def test_honor_roll_csv(fuzz_client, world):
    fuzz_download(fuzz_client, world, "csv", "text/csv")


def test_honor_roll_xlsx(fuzz_client, world):
    fuzz_download(fuzz_client, world, "xlsx", "application/vnd.openxmlformats")


def test_document_downloads(fuzz_client, world):
    """/documents/<id>/<filename> (Wagtail documents linked from pages)."""

    @FUZZ
    @given(
        document=st.one_of(
            st.sampled_from([str(world.document_id), str(world.restricted_document_id), "0", "99999"]),
            st.integers(0, 2**70).map(str),
        ),
        name=st.one_of(st.sampled_from(["guide.txt", "secret.txt", "", "../../settings.py"]), s.HOSTILE),
        query=s.query_string({"download": s.HOSTILE}),
    )
    def run(document, name, query):
        response = fuzz_client.get(f"/documents/{document}/{quote(name, safe='/')}?{query}")
        assert_not_500(response)
        assert response.status_code in (200, 302, 404), response.status_code
        if response.status_code == 404:
            assert_chinese_page(response)

    run()


def test_health_check(fuzz_client, world):
    @FUZZ
    @given(query=s.query_string({"q": s.HOSTILE}), method=st.sampled_from(["GET", "HEAD", "POST", "OPTIONS"]))
    def run(query, method):
        response = fuzz_client.generic(method, f"/healthz?{query}")
        assert_not_500(response)

    run()


PATH_SEGMENTS = st.one_of(
    st.sampled_from(
        [
            "cases",
            "news",
            "honor-roll",
            "apply",
            "search",
            "notice",
            "how-to-apply",
            "..",
            ".",
            "%2e%2e",
            "admin",
            "static",
            "media",
        ]
    ),
    s.HOSTILE.map(lambda text: quote(text, safe="")),
    s.BAD_UTF8,
)


def test_any_path(fuzz_client, world):
    """Whatever path is asked for (Wagtail serves every path not routed elsewhere)."""

    @FUZZ
    @given(
        segments=st.lists(PATH_SEGMENTS, min_size=1, max_size=4),
        slash=st.booleans(),
        query=s.query_string({"page": NUMBERS}),
    )
    def run(segments, slash, query):
        with example_state(clear_cache=False):
            before = counts(*STORED)
            path = "/" + "/".join(segments) + ("/" if slash else "")
            response = fuzz_client.get(f"{path}?{query}")
            assert_not_500(response)
            assert counts(*STORED) == before
            if response.status_code in (400, 404):
                assert_chinese_page(response)

    run()
