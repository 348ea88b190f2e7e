"""Fuzz tests: every public form and API endpoint gets hypothesis-generated input.

Profiles (tests/fuzz/conftest.py): `fuzz-ci` (default, `make test`) runs 1,000 examples per
endpoint, derandomized; `FUZZ_PROFILE=deep` (`make fuzz`) runs 10,000 with a random seed;
`FUZZ_PROFILE=smoke` runs 30, derandomized, to try a change to these tests in a minute (it
is never the suite's run: CI and `make test` use `fuzz-ci`).
Every example asserts: no 500 (a view's exception fails the example), bad input answered
with a Chinese message (form errors, a Chinese error page, or JSON `{"error": "…"}`), and
nothing stored (row counts before/after, evidence files on disk); an accepted application
is exactly one application with its evidence, and what was stored fits its columns and
passes the identifier rules again.

Endpoints (from portal/urls.py and the apps' urls.py) and what is fuzzed:

test_intake.py
- POST /apply/certificate/ — every field: near-valid case numbers (bracket styles,
  full-width digits, missing 号, wrong court/year/type/serial), resident IDs with bad
  checksums/dates/provinces, credit codes, phones, dates, court/cause ids, choices; hostile
  text; fields left out, repeated or unknown; evidence files that are empty, too big,
  executables, too many, with traversal/NUL/CRLF/very long names; urlencoded, JSON,
  truncated multipart and text bodies; invalid UTF-8 (lone surrogates).
- POST /apply/fee-reduction/ — the same plus case kind, amounts (negative, NaN, 1e309,
  many decimals, huge, full-width), fee borne above fee assessed, payment method, reason.
- POST (and GET/PUT/HEAD) /apply/status/, /apply/status/certificate.pdf,
  /apply/status/decision.pdf — real tracking numbers and codes, mangled and crossed,
  rubbish, missing/repeated fields, other body encodings, with the throttle exhausted.
- GET /verify/ (certificate verification) — serial and code, with the throttle exhausted.
- GET /fee-calculator/ and GET (and POST/PUT/DELETE) /api/v1/fee/ — kind, amount/claim,
  mediated, summary.

test_public.py
- GET /search/ — q (FTS syntax, quotes, `*`, OR AND NOT, case numbers), page, type, cause,
  method, court, year.
- GET /cases/ (typical cases: cause, method, court, year, page), GET /news/ (page),
  GET /cases/feed/ and /news/feed/.
- GET /honor-roll/ (page), /honor-roll/<id>/ (q, court, cause, page; published, draft and
  missing batches), /honor-roll/<id>/download.csv and download.xlsx (any id).
- GET /documents/<id>/<filename> (Wagtail documents), GET/HEAD/POST/OPTIONS /healthz.
- Any other path (Wagtail serves everything not routed elsewhere; the Chinese 404).

test_api.py
- /api/v1/honor-roll/batches/, /batches/<id>/entries/, /deliveries/ — good, revoked,
  mangled and missing keys in `Authorization: Bearer`/other schemes/`X-Api-Key`, keys in
  the query string, bad If-None-Match, bad Host, page/page_size, bad ids, other methods.

test_auth.py (POST forms)
- /admin/login/ (staff sign-in, locked out by django-axes), /_util/login/ (leads there),
  /admin/password_reset/, /_util/authenticate_with_password/<r>/<page>/,
  /documents/authenticate_with_password/<r>/ — usernames, passwords, emails, return
  URLs and `next` (open redirects), other encodings.

Not fuzzed here: the staff-only admin views behind the sign-in (/admin/…).
"""
