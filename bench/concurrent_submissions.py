"""200 certificate applications submitted at the same moment, each with a receipt file,
against the production settings, gunicorn and PostgreSQL: how many were lost or failed.

Run by `make bench` through scripts/with-postgres.sh (which exports DATABASE_URL):
    scripts/with-postgres.sh .venv/bin/python -m bench.concurrent_submissions

What counts: every one of the 200 requests answers 200 with its tracking number, and the
database then holds exactly those 200 applications, each with its evidence file on disk and
its notification sent. Printed: lost, errors, wall time, and the latency median and p95.
"""

import os
import shutil
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bench.live_server import (
    PDF,
    Deployment,
    acknowledgement,
    open_application_form,
    post_application,
)
from bench.sample_application import certificate_application

SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "200"))


def submit(base, court_pk, cause_pk, number, start):
    """One applicant: load the form (CSRF cookie), then post it with a receipt."""
    token = open_application_form(base)
    data = certificate_application(court_pk, cause_pk, number)
    start.wait()
    began = time.perf_counter()
    response = post_application(base, token, data, [(f"回单{number}.pdf", PDF)])
    elapsed = (time.perf_counter() - began) * 1000
    return response.status_code, acknowledgement(response)[0], elapsed


def main():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print(
            "concurrent submissions: needs PostgreSQL (run through scripts/with-postgres.sh)", file=sys.stderr
        )
        return 2
    deployment = Deployment(database_url=os.environ["DATABASE_URL"])
    os.environ.update(deployment.env)
    try:
        deployment.prepare()
        deployment.start()
        base = deployment.base
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
            if (deployment.private_root / evidence.file.name).is_file()
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
        deployment.stop()
        shutil.rmtree(deployment.workdir, ignore_errors=True)  # the database is the run's own


if __name__ == "__main__":
    sys.exit(main())
