"""200 certificate applications submitted at the same moment, each with a receipt file,
against the production settings, gunicorn and PostgreSQL: how many were lost or failed.

Run by `make bench` through scripts/with-postgres.sh (which exports DATABASE_URL):
    scripts/with-postgres.sh .venv/bin/python -m bench.concurrent_submissions

What counts: every one of the 200 requests answers 200 with its tracking number, and the
database then holds exactly those 200 applications, each with its evidence file on disk and
its notification sent. Printed: lost, errors, wall time, and the latency median and p95.
"""

import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "200"))
ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * 200_000  # a ~200 KB receipt


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(workdir):
    from cryptography.fernet import Fernet

    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "private"),
        CACHE_DIR=str(workdir / "cache"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        DATABASE_CONN_MAX_AGE="60",
    )
    return env


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not answer at {url}")


def submit(base, court_pk, cause_pk, number, start):
    """One applicant: load the form (CSRF cookie), then post it with a receipt."""
    headers = {"X-Forwarded-Proto": "https", "Origin": base.replace("http://", "https://")}
    form = requests.get(f"{base}/apply/certificate/", headers=headers, timeout=300)
    # The cookie is Secure (production): the proxy speaks HTTPS, so pass it on by hand.
    token = re.search(r"csrftoken=([^;]+)", form.headers["Set-Cookie"]).group(1)
    data = {
        "csrfmiddlewaretoken": token,
        "court": court_pk,
        "case_number": f"(2025)黑0902民初{number}号",
        "document_type": "mediation",
        "document_date": "2025-06-10",
        "cause": cause_pk,
        "plaintiff_name": "李某",
        "plaintiff_kind": "person",
        "defendant_name": "杨某",
        "defendant_kind": "person",
        "applicant_role": "defendant",
        "applicant_name": "杨某",
        "applicant_kind": "person",
        "id_number": "11010519491231002X",
        "phone": "13912345678",
        "email": "yang@example.com",
        "performed_on": "2025-06-18",
        "consent_processing": "on",
    }
    start.wait()
    began = time.perf_counter()
    response = requests.post(
        f"{base}/apply/certificate/",
        data=data,
        files={"evidence": (f"回单{number}.pdf", PDF, "application/pdf")},
        headers={
            **headers,
            "Cookie": f"csrftoken={token}",
            "Referer": f"{headers['Origin']}/apply/certificate/",
        },
        timeout=300,
    )
    elapsed = (time.perf_counter() - began) * 1000
    found = re.search(r"data-tracking-number>([^<]+)<", response.text)
    return response.status_code, found.group(1) if found else None, elapsed


def main():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print(
            "concurrent submissions: needs PostgreSQL (run through scripts/with-postgres.sh)", file=sys.stderr
        )
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="portal-concurrent-"))
    env = production_env(workdir)
    os.environ.update(env)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "portal.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--threads=8",
            "--timeout=300",
            "--backlog=512",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_for(f"{base}/healthz")
        import django

        django.setup()
        from intake.models import Application, EvidenceFile
        from portal.models import CauseOfAction, Court

        court_pk = Court.objects.get(code="黑0902").pk
        cause_pk = CauseOfAction.objects.get(name="民间借贷纠纷").pk
        start = threading.Barrier(SUBMISSIONS)
        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
            futures = [
                pool.submit(submit, base, court_pk, cause_pk, number, start)
                for number in range(1, SUBMISSIONS + 1)
            ]
            results = [future.result() for future in futures]
        wall = time.perf_counter() - began
        # A request answered but not stored, or stored without its file, is lost.
        answered = {number for status, number, _ in results if status == 200 and number}
        errors = SUBMISSIONS - len(answered)
        stored = set(Application.objects.values_list("tracking_number", flat=True))
        files_on_disk = sum(
            1
            for evidence in EvidenceFile.objects.all()
            if (workdir / "private" / evidence.file.name).is_file()
        )
        notified = Application.objects.filter(notified_at__isnull=False).count()
        lost = len(answered - stored) + (len(stored) - files_on_disk)
        latencies = sorted(elapsed for _, _, elapsed in results)
        p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
        print(
            f"concurrent submissions (gunicorn 2x8, PostgreSQL, production settings): {SUBMISSIONS} at once, "
            f"{len(stored)} stored, {files_on_disk} files, {notified} notified, lost {lost}, errors {errors}; "
            f"wall {wall:.1f} s, latency median {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms"
        )
        return 0 if lost == 0 and errors == 0 and len(stored) == SUBMISSIONS else 1
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
