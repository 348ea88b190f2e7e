"""Crash safety: the server (gunicorn with the production settings) is SIGKILLed, master and
workers at once, while applicants submit certificate applications with evidence files and
while a 名单管理 member confirms a list import; it is started again and used on.

An applicant either got a tracking number, which then finds the application (database,
status page), or a connection error / the error page; no application is stored without
all its files as sent, no file lies in private storage without its row (except files the
kill left marked `.pending`, which `manage.py clean_pending_uploads` settles to nothing);
an import is all or nothing, and confirmed again after the restart it imports the sheet.

The scenario lives in bench/crash_safety.py (`make bench` runs a heavier version). Here:
SQLite (a file database in a temp folder) in the main run, PostgreSQL in the `postgres` run.
"""

import os
import random

import pytest

from bench import crash_safety as scenario
from bench.live_server import Deployment, create_postgres_database

CLIENTS = 12  # applicants per round, all at once
IMPORT_ROWS = 3000


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def deployment(request):
    if request.param == "postgres":
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            pytest.skip("needs PostgreSQL: `make test` runs it through scripts/with-postgres.sh")
        live = Deployment(database_url=create_postgres_database(url))
    else:
        live = Deployment()
    try:
        live.prepare()
        live.start()
        yield live
    finally:
        live.close()


@pytest.fixture
def rng():
    seed = random.randrange(1 << 30)
    print(f"crash-safety seed {seed}")  # shown with a failure: the same kill points again
    return random.Random(seed)


def assert_consistent(findings, when):
    assert findings.lost == [], f"{when}: acknowledged applications not stored"
    assert findings.missing == [], f"{when}: applications without (complete) evidence files"
    assert findings.wrong == [], f"{when}: evidence files that are not what the applicant sent"
    assert findings.orphans == [], f"{when}: evidence files without their application"


def test_submissions_killed_mid_flight_leave_no_half_stored_application(deployment, rng):
    refs = scenario.references(deployment)
    numbers = iter(range(rng.randrange(10_000, 90_000), 1_000_000))
    # Before any answer (at a random moment), after a few answers, after most answers.
    kills = [
        {"kill_after_seconds": rng.uniform(0.05, 0.6)},
        {"kill_after_responses": rng.randrange(1, 4)},
        {"kill_after_responses": rng.randrange(4, CLIENTS - 2)},
    ]
    sent, acknowledged, outcomes = {}, {}, []
    for kill in [*kills, {}]:  # and a round without a kill: the restarted server goes on
        batch = scenario.submission_round(
            deployment, refs, [next(numbers) for _ in range(CLIENTS)], rng, **kill
        )
        outcomes += batch
        for outcome in batch:
            sent[outcome.case_number] = outcome.shas
            if outcome.tracking_number:
                acknowledged[outcome.tracking_number] = outcome
        unclear = [f"{o.case_number}: {o.detail}" for o in batch if o.result == "unclear"]
        assert unclear == [], "answers that are neither a tracking number nor a clear error"
        if not kill:
            assert all(o.result == "acknowledged" for o in batch), "the restarted server refused applications"
            assert_consistent(scenario.inspect(deployment, sent, acknowledged), "after the restart")
            continue
        assert_consistent(scenario.inspect(deployment, sent, acknowledged), f"right after the kill {kill}")
        scenario.settle_after_kill(deployment)
        settled = scenario.inspect(deployment, sent, acknowledged)
        assert_consistent(settled, "after clean_pending_uploads")
        assert settled.pending == [], "pending files left after clean_pending_uploads"
        deployment.start()

    # Some applications went through and some did not: the kills landed mid-flight.
    results = {outcome.result for outcome in outcomes}
    assert "acknowledged" in results
    assert results & {"connection error", "error page"}
    final = scenario.inspect(deployment, sent, acknowledged)
    assert final.stored >= len(acknowledged) and final.files >= final.stored
    not_found = [
        o.tracking_number for o in acknowledged.values() if not scenario.found_on_status_page(deployment, o)
    ]
    assert not_found == [], "tracking numbers the status page does not find"


def test_list_import_killed_mid_import_is_all_or_nothing(deployment, rng):
    fractions = (rng.uniform(0.3, 0.7), 0.2, 0.1, 0.05)
    client, batches = scenario.staff_login(deployment, len(fractions))
    sheet = scenario.list_sheet(IMPORT_ROWS)
    attempts = []
    # Killed at a random point of the confirmation; if the import happened to finish
    # first (a fast machine), again with an earlier kill, so one kill lands mid-import.
    for batch_pk, fraction in zip(batches, fractions, strict=True):
        attempt = scenario.import_with_kill(deployment, client, batch_pk, sheet, IMPORT_ROWS, fraction)
        attempts.append(attempt)
        assert attempt.entries_after_kill in (0, IMPORT_ROWS), "a partial batch after the kill"
        if attempt.killed_in_flight:
            break
    assert attempts[-1].killed_in_flight, "no kill landed during the import"
    for attempt in attempts:
        # Confirmed again once the server is back: the whole sheet, and the user is told so.
        assert attempt.entries_after_retry == IMPORT_ROWS
        if attempt.entries_after_kill == 0:
            assert f"导入 {IMPORT_ROWS} 条名单条目" in attempt.retry_message
