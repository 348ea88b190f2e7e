"""Crash safety: SIGKILL gunicorn (master and workers at once) while certificate
applications with evidence files are being submitted, and while a good-faith list import
is being confirmed; restart, go on, and check what the database and the private storage
folder hold.

Run by `make bench` through scripts/with-postgres.sh (production settings, PostgreSQL):
    scripts/with-postgres.sh .venv/bin/python -m bench.crash_safety
tests/portal/test_crash_safety.py runs a lighter version of the same scenario (these
functions) on SQLite and on PostgreSQL.

What must hold after every kill:
- every application row has all its evidence files, complete (size and SHA-256 of what was
  sent); every applicant who got a tracking number finds the application (in the database,
  and on the status page once the server is back);
- no file in private storage without its row, except files still marked `.pending`
  (intake/storage.py), which `manage.py clean_pending_uploads` then settles to nothing;
- an applicant without a tracking number got a connection error or the error page, never
  a page that looks like success or a form that silently lost their upload;
- an import is all or nothing: the batch holds every row of the sheet or none, and the
  same confirmation, sent again once the server is back, imports the sheet.
"""

import hashlib
import os
import random
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bench.live_server import (
    CONNECTION_ERRORS,
    PDF,
    Deployment,
    StaffClient,
    acknowledgement,
    create_postgres_database,
    open_application_form,
    post_application,
    status_page,
)
from bench.sample_application import certificate_application

PENDING_SUFFIX = ".pending"  # intake.storage.PENDING_SUFFIX (no Django import here)
ERROR_PAGE_TEXT = "服务暂时出现问题"  # portal/templates/500.html
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# ---------------------------------------------------------------------------
# What the deployment's database and private folder hold
# ---------------------------------------------------------------------------

APPLICATIONS = """
SELECT a.tracking_number, a.case_number, e.file, e.size, e.sha256
FROM intake_application a LEFT JOIN intake_evidencefile e ON e.application_id = a.id
"""
BATCHES = """
SELECT b.id, COUNT(e.id) FROM honorroll_listbatch b
LEFT JOIN honorroll_listentry e ON e.batch_id = b.id GROUP BY b.id
"""


def on_disk(path):
    """[size, sha256] of the file at `path`, None if there is none."""
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return [path.stat().st_size, digest.hexdigest()]


def entry_count(deployment, batch_pk):
    return dict(deployment.query(BATCHES)).get(batch_pk, 0)


@dataclass
class Findings:
    """What one look at the database and the private folder found."""

    stored: int = 0  # applications in the database
    files: int = 0  # evidence files on disk that a row names
    missing: list = field(default_factory=list)  # a row's file absent or incomplete
    wrong: list = field(default_factory=list)  # a stored file that is not what was sent
    orphans: list = field(default_factory=list)  # a file without row and without marker
    pending: list = field(default_factory=list)  # `.pending` markers (left by a kill)
    lost: list = field(default_factory=list)  # acknowledged but not in the database
    batches: dict = field(default_factory=dict)  # batch pk → entry count

    @property
    def broken(self):
        return self.missing + self.wrong + self.orphans + self.lost


def inspect(deployment, sent, acknowledged):
    """`sent`: {case number as stored: [sha256 of each file sent]}; `acknowledged`: tracking
    numbers that clients received."""
    applications = {}
    for tracking, case_number, name, size, sha256 in deployment.query(APPLICATIONS):
        application = applications.setdefault(tracking, {"case_number": case_number, "files": []})
        if name is not None:
            application["files"].append({"name": name, "size": size, "sha256": sha256})
    findings = Findings(stored=len(applications), batches=dict(deployment.query(BATCHES)))
    root = deployment.private_root
    named = set()
    for tracking, application in applications.items():
        if not application["files"]:
            findings.missing.append(f"{tracking}: 没有凭证记录")
        for evidence in application["files"]:
            named.add(evidence["name"])
            found = on_disk(root / evidence["name"])
            if found != [evidence["size"], evidence["sha256"]]:
                findings.missing.append(f"{tracking}: {evidence['name']} {found}")
            else:
                findings.files += 1
        expected = sent.get(application["case_number"])
        if expected is not None and sorted(expected) != sorted(e["sha256"] for e in application["files"]):
            findings.wrong.append(tracking)
    files = (
        {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.is_dir() else set()
    )
    findings.pending = sorted(name for name in files if name.endswith(PENDING_SUFFIX))
    marked = {name[: -len(PENDING_SUFFIX)] for name in findings.pending}
    findings.orphans = sorted(files - named - marked - set(findings.pending))
    findings.lost = sorted(set(acknowledged) - set(applications))
    return findings


# ---------------------------------------------------------------------------
# Applicants, and a kill while they submit
# ---------------------------------------------------------------------------


@dataclass
class Outcome:
    case_number: str
    shas: list
    result: str  # "acknowledged", "connection error", "error page", or "unclear"
    tracking_number: str | None = None
    access_code: str | None = None
    detail: str = ""


def receipt(rng, number):
    """A PDF receipt of random size: most kept in memory by Django, some (over 2.5 MB)
    spooled to a temporary file first."""
    size = rng.choice([30_000, 200_000, 800_000, 3_000_000])
    return PDF[:40] + f"% receipt {number}\n".encode() + rng.randbytes(size)


def submission_round(
    deployment, references, numbers, rng, kill_after_responses=None, kill_after_seconds=None
):
    """Submit one application per number, all at once (1 to 3 receipts each); kill the
    server after that many responses came back or that many seconds, whichever first
    (no kill when both are None). Returns the outcomes, one per number."""
    court_pk, cause_pk = references
    plans = []
    for number in numbers:
        files = [(f"回单{number}-{i}.pdf", receipt(rng, number)) for i in range(rng.choice([1, 1, 2, 3]))]
        plans.append((number, files))
    start = threading.Barrier(len(plans) + 1)
    progress = threading.Condition()
    answered = [0]

    def applicant(number, files):
        data = certificate_application(court_pk, cause_pk, number)
        shas = [hashlib.sha256(content).hexdigest() for _, content in files]
        outcome = Outcome(stored_case_number(data["case_number"]), shas, "unclear")
        try:
            token = open_application_form(deployment.base)
        except BaseException:
            start.abort()
            raise
        start.wait()
        try:
            response = post_application(deployment.base, token, data, files)
        except CONNECTION_ERRORS as error:
            outcome.result, outcome.detail = "connection error", type(error).__name__
        else:
            tracking, code = acknowledgement(response)
            if response.status_code == 200 and tracking:
                outcome.result, outcome.tracking_number, outcome.access_code = "acknowledged", tracking, code
            elif response.status_code >= 500 and ERROR_PAGE_TEXT in response.text:
                outcome.result, outcome.detail = "error page", str(response.status_code)
            else:
                outcome.detail = f"{response.status_code}: {response.text[:300]}"
        with progress:
            answered[0] += 1
            progress.notify_all()
        return outcome

    with ThreadPoolExecutor(max_workers=len(plans)) as pool:
        futures = [pool.submit(applicant, number, files) for number, files in plans]
        start.wait()
        began = time.monotonic()
        if kill_after_responses is not None or kill_after_seconds is not None:
            deadline = began + (kill_after_seconds if kill_after_seconds is not None else 120)
            with progress:
                progress.wait_for(
                    lambda: (
                        (kill_after_responses is not None and answered[0] >= kill_after_responses)
                        or time.monotonic() >= deadline
                    ),
                    timeout=max(0, deadline - time.monotonic()),
                )
            deployment.kill()
        return [future.result() for future in futures]


def settle_after_kill(deployment):
    """What cron does an hour later, run at once (the server is down, nothing in flight)."""
    deployment.manage("clean_pending_uploads", "--older-than", "0", "-v", "0")


def references(deployment):
    """(court pk, cause pk) the applications name."""
    [(court,)] = deployment.query("SELECT id FROM portal_court WHERE code = '黑0902'")
    [(cause,)] = deployment.query("SELECT id FROM portal_causeofaction WHERE name = '民间借贷纠纷'")
    return court, cause


def stored_case_number(case_number):
    """The case number as the form stores it (full-width brackets)."""
    return case_number.replace("(", "（").replace(")", "）")


def found_on_status_page(deployment, outcome):
    status, html = status_page(deployment.base, outcome.tracking_number, outcome.access_code)
    return status == 200 and outcome.tracking_number in html and outcome.case_number in html


# ---------------------------------------------------------------------------
# A staff member, and a kill while the list import is confirmed
# ---------------------------------------------------------------------------

LIST_MANAGER = """
from django.conf import settings
from django.contrib.auth.models import Group, User
from honorroll.models import ListBatch
from portal.models import Court

user, _ = User.objects.get_or_create(username=ARGS["username"])
user.set_password(ARGS["password"])
user.save()
user.groups.add(Group.objects.get(name="名单管理"))
totp_key = None
if "django_otp.plugins.otp_totp" in settings.INSTALLED_APPS:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="手机验证器", confirmed=True)
    totp_key = device.key
court = Court.objects.get(code="黑0902")
last = ListBatch.objects.filter(court=court, year=2026).order_by("-number").first()
first = last.number + 1 if last else 1
batches = [
    ListBatch.objects.create(court=court, year=2026, number=number).pk
    for number in range(first, first + ARGS["batches"])
]
RESULT = {"totp_key": totp_key, "batches": batches}
"""


def staff_login(deployment, batches, username="mingdan-crash"):
    """A logged-in 名单管理 member (with the second factor when the deployment asks for it)
    and `batches` new draft batches: (client, batch pks)."""
    password = "Crash-safety-" + os.urandom(8).hex()
    setup = deployment.django(LIST_MANAGER, username=username, password=password, batches=batches)
    client = StaffClient(deployment.base)
    client.login(username, password)
    response = client.get("/admin/")
    location = response.headers.get("Location", "")
    if response.status_code == 302 and "second-factor" in location and setup["totp_key"]:
        from django_otp.oath import totp

        path = re.sub(r"^https?://[^/]+", "", location)
        client.get(path)
        verified = client.post(path, {"token": f"{totp(bytes.fromhex(setup['totp_key'])):06d}"})
        if verified.status_code != 302:
            raise RuntimeError("second factor refused")
    if client.get("/admin/").status_code != 200:
        raise RuntimeError("the list manager cannot open the admin")
    return client, setup["batches"]


def list_sheet(rows):
    """An xlsx of `rows` clean list entries (the import bench's sheet)."""
    from bench.honorroll_import import workbook_bytes

    return workbook_bytes(rows)


@dataclass
class ImportAttempt:
    batch_pk: int
    rows: int
    killed_in_flight: bool  # the kill came before the confirmation's answer
    entries_after_kill: int
    entries_after_retry: int
    retry_message: str


def import_with_kill(deployment, client, batch_pk, sheet, rows, kill_fraction):
    """Upload `sheet` to the draft batch and preview it; confirm it and SIGKILL the server
    `kill_fraction` × the preview's duration later; restart and send the same
    confirmation again. The server is running when this returns."""
    path = f"/admin/honorroll/batches/{batch_pk}/import/"
    client.get(path)
    began = time.monotonic()
    preview = client.post(path, {"step": "upload"}, files={"file": ("名单.xlsx", sheet, XLSX)})
    preview_seconds = time.monotonic() - began
    token = re.search(r'name="token" value="([^"]+)"', preview.text)
    if preview.status_code != 200 or not token:
        raise RuntimeError(f"no import preview ({preview.status_code})")
    confirmation = {"step": "confirm", "token": token.group(1), "filename": "名单.xlsx"}
    answer = {}

    def confirm():
        try:
            answer["response"] = client.post(path, confirmation)
        except CONNECTION_ERRORS as error:
            answer["error"] = error

    thread = threading.Thread(target=confirm)
    thread.start()
    thread.join(timeout=max(0.05, kill_fraction * preview_seconds))
    deployment.kill()
    thread.join()
    after_kill = entry_count(deployment, batch_pk)
    deployment.start()
    retry = client.post(path, confirmation)
    message = ""
    if retry.status_code == 302:
        page = client.get(re.sub(r"^https?://[^/]+", "", retry.headers["Location"]))
        found = re.search(r"已向[^<]*导入 \d+ 条名单条目[^<]*", page.text)
        message = found.group(0) if found else ""
    after_retry = entry_count(deployment, batch_pk)
    return ImportAttempt(batch_pk, rows, "error" in answer, after_kill, after_retry, message)


# ---------------------------------------------------------------------------
# The bench
# ---------------------------------------------------------------------------

ROUNDS = int(os.environ.get("BENCH_CRASH_ROUNDS", "8"))
CLIENTS = int(os.environ.get("BENCH_CRASH_CLIENTS", "40"))
IMPORT_ROWS = int(os.environ.get("BENCH_CRASH_IMPORT_ROWS", "20000"))
IMPORT_KILLS = int(os.environ.get("BENCH_CRASH_IMPORT_KILLS", "3"))


def main():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("crash safety: needs PostgreSQL (run through scripts/with-postgres.sh)", file=sys.stderr)
        return 2
    rng = random.Random(int(os.environ.get("BENCH_CRASH_SEED", str(random.randrange(1 << 30)))))
    deployment = Deployment(database_url=create_postgres_database(os.environ["DATABASE_URL"]))
    # The sheet generator reads the list's columns from the project (no database needed).
    os.environ.update(deployment.env)
    import django

    django.setup()
    problems = []
    totals = dict.fromkeys(
        (
            "submitted",
            "acknowledged",
            "connection",
            "error_page",
            "unclear",
            "pending",
            "lost",
            "missing",
            "orphans",
        ),
        0,
    )
    try:
        deployment.prepare()
        deployment.start()
        refs = references(deployment)
        sent, acknowledged, outcomes = {}, {}, []
        numbers = iter(range(1, 1_000_000))
        for round_number in range(ROUNDS + 1):
            last = round_number == ROUNDS  # a last round without a kill: the server goes on
            if last:
                kill = {}
            elif round_number % 2:
                kill = {"kill_after_responses": rng.randrange(0, CLIENTS)}
            else:
                kill = {"kill_after_seconds": rng.uniform(0.05, 3.0)}
            batch = submission_round(deployment, refs, [next(numbers) for _ in range(CLIENTS)], rng, **kill)
            outcomes += batch
            for outcome in batch:
                sent[outcome.case_number] = outcome.shas
                if outcome.tracking_number:
                    acknowledged[outcome.tracking_number] = outcome
            looks = [inspect(deployment, sent, acknowledged)]
            totals["pending"] += len(looks[0].pending)
            if kill:
                settle_after_kill(deployment)
                looks.append(inspect(deployment, sent, acknowledged))
                problems += [f"left pending: {name}" for name in looks[-1].pending]
                deployment.start()
            for look in looks:  # right after the kill, and once the leftovers are settled
                problems += look.broken
                for kind in ("lost", "missing", "orphans"):
                    totals[kind] += len(getattr(look, kind))
        totals["submitted"] = len(outcomes)
        for outcome in outcomes:
            key = {
                "acknowledged": "acknowledged",
                "connection error": "connection",
                "error page": "error_page",
            }
            totals[key.get(outcome.result, "unclear")] += 1
            if outcome.result == "unclear":
                problems.append(f"{outcome.case_number}: {outcome.detail}")
        not_found = [
            o.tracking_number for o in acknowledged.values() if not found_on_status_page(deployment, o)
        ]
        problems += not_found
        final = inspect(deployment, sent, acknowledged)

        client, batches = staff_login(deployment, IMPORT_KILLS)
        sheet = list_sheet(IMPORT_ROWS)
        attempts = [
            import_with_kill(deployment, client, batch_pk, sheet, IMPORT_ROWS, rng.uniform(0.2, 1.0))
            for batch_pk in batches
        ]
        partial = [a for a in attempts if a.entries_after_kill not in (0, a.rows)]
        not_imported = [a for a in attempts if a.entries_after_retry != a.rows]
        problems += [f"batch {a.batch_pk}: {a.entries_after_kill} entries" for a in partial + not_imported]

        print(
            f"crash safety (gunicorn {deployment.workers}x{deployment.threads}, PostgreSQL, production settings): "
            f"{ROUNDS} kills during submissions of {CLIENTS} at once; submitted {totals['submitted']}, "
            f"acknowledged {totals['acknowledged']}, connection errors {totals['connection']}, "
            f"error pages {totals['error_page']}, unclear {totals['unclear']}; stored {final.stored} "
            f"with {final.files} files, found on the status page {len(acknowledged) - len(not_found)}"
            f"/{len(acknowledged)}; over all checks lost {totals['lost']}, orphans {totals['orphans']}, "
            f"missing files {totals['missing']}, pending files settled by clean_pending_uploads "
            f"{totals['pending']}; "
            f"{len(attempts)} kills during an import of {IMPORT_ROWS} rows "
            f"({sum(a.killed_in_flight for a in attempts)} mid-import), partial batches {len(partial)}, "
            f"imported on retry {len(attempts) - len(not_imported)}/{len(attempts)}"
        )
        for problem in problems[:20]:
            print("  problem:", problem)
        return 1 if problems or totals["unclear"] else 0
    finally:
        deployment.close()


if __name__ == "__main__":
    sys.exit(main())
