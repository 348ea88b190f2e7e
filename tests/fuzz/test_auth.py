"""Fuzzing the public sign-in and password forms (see tests/fuzz/__init__.py)."""

from django.contrib.auth import get_user_model
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import strategies as s
from tests.fuzz.conftest import (
    FUZZ,
    assert_chinese_errors,
    assert_chinese_page,
    assert_not_500,
    counts,
    example_state,
)
from tests.fuzz.http import post

USERNAMES = st.one_of(
    st.sampled_from(["lian", "LIAN", " lian ", "admin", "mingdan", "nobody", "lian\x00", "ｌｉａｎ"]),
    s.HOSTILE,
)
PASSWORDS = st.one_of(st.sampled_from(["demo-lian-2025", "demo-admin-2025", "wrong", ""]), s.HOSTILE)


@st.composite
def form_fields(draw, fields):
    """[(name, value)] with fields left out, repeated or unknown."""
    pairs = []
    for name, strategy in fields.items():
        for _ in range(draw(st.sampled_from([1, 1, 1, 1, 0, 2]))):
            pairs.append((name, draw(strategy)))
    if draw(st.integers(0, 4)) == 0:
        pairs.append(
            (draw(st.sampled_from(["next", "csrfmiddlewaretoken", "remember", "x"])), draw(s.HOSTILE))
        )
    if draw(st.integers(0, 9)) == 0 and pairs:
        index = draw(st.integers(0, len(pairs) - 1))
        pairs[index] = (pairs[index][0], pairs[index][1] + "\ud800")
    return pairs


def fuzz_form(client, url, fields, *, success_statuses=(302,), error_required=True, query=""):
    @FUZZ
    @given(
        pairs=form_fields(fields),
        encoding=st.sampled_from(["urlencoded"] * 6 + ["multipart", "json", "text", "broken-multipart"]),
        next_url=st.sampled_from(
            ["", "/admin/", "//evil.example/", "javascript:alert(1)", "/%0d%0aSet-Cookie:x"]
        ),
    )
    def run(pairs, encoding, next_url):
        User = get_user_model()
        with example_state():
            client.cookies.clear()
            before = counts(User)
            users = list(User.objects.values_list("pk", "password", "last_login").order_by("pk"))
            target = url + (f"?next={next_url}" if next_url else query)
            response = post(client, target, encoding, pairs)
            assert_not_500(response)
            assert counts(User) == before
            if response.status_code in success_statuses:
                location = response.get("Location", "")
                assert not location.startswith(("//", "javascript:", "http")), location
                return
            # Refused: no one signed in, no account changed.
            assert "_auth_user_id" not in client.session
            assert list(User.objects.values_list("pk", "password", "last_login").order_by("pk")) == users
            if response.status_code == 400:
                assert_chinese_page(response)
            else:
                assert response.status_code == 200, response.status_code
                assert_chinese_errors(response, required=error_required and encoding != "json")

    run()


def test_staff_login(fuzz_client, world):
    fuzz_form(fuzz_client, "/admin/login/", {"username": USERNAMES, "password": PASSWORDS})


def test_frontend_login(fuzz_client, world):
    """/_util/login/: Wagtail's sign-in for private pages, now a way to the staff one."""
    fuzz_form(fuzz_client, "/_util/login/", {"username": USERNAMES, "password": PASSWORDS})


def test_password_reset(fuzz_client, world):
    emails = st.one_of(
        st.sampled_from(["lian@court.invalid", "nobody@example.com", "a@", "x" * 400 + "@a.cn"]), s.HOSTILE
    )
    fuzz_form(fuzz_client, "/admin/password_reset/", {"email": emails})


def test_page_password(fuzz_client, world):
    """/_util/authenticate_with_password/<restriction>/<page>/ (a password-protected page)."""
    url = f"/_util/authenticate_with_password/{world.page_restriction_id}/{world.private_page_id}/"
    fields = {
        "password": st.one_of(st.just("s3cret-pass"), PASSWORDS),
        "return_url": st.one_of(st.just("/"), s.HOSTILE),
    }
    fuzz_form(fuzz_client, url, fields)


def test_document_password(fuzz_client, world):
    """/documents/authenticate_with_password/<restriction>/ (a password-protected collection)."""
    url = f"/documents/authenticate_with_password/{world.doc_restriction_id}/"
    fields = {
        "password": st.one_of(st.just("s3cret-pass"), PASSWORDS),
        "return_url": st.one_of(st.just("/"), s.HOSTILE),
    }
    fuzz_form(fuzz_client, url, fields)
