"""The production stack under load: gunicorn with the production settings behind the shipped
nginx configuration (deploy/nginx/, rendered for loopback), loaded with wrk.

Run by `make bench` through scripts/with-postgres.sh (PostgreSQL when DATABASE_URL names
it, else a SQLite file):
    scripts/with-postgres.sh .venv/bin/python -m bench.load_stack

Measured in one run, on the same cores (wrk -t2 -c16, medians of BENCH_RUNS runs):
- nginx serving the home page's HTML saved as a static file (the ceiling);
- the public pages (home, case list with filters, a case, a list batch, search) through
  the proxy, cached: goal >= 50% of the static figure;
- the same pages from gunicorn directly, cached in the application, against a constant
  HttpResponse from the same gunicorn and settings (a bench-only URL): goal >= 70%;
- uncached pages (a new query string per request, so the HTML is rendered each time; the
  data every page shares come from the content generation's data cache, portal/caching.py),
  after a 1 s warm-up run, at 16 connections (median of the runs' p95): goal p95 < 150 ms;
- errors (socket errors and non-2xx answers): goal 0;
- a publish: from the call to the new title through the proxy: goal < 1 s.
"""

import importlib
import json
import os
import re
import runpy
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
CONNECTIONS = 16
CONSTANT_PATH = "/__bench__/constant"
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}  # gunicorn directly: as if from the TLS proxy

# wrk's summary as one JSON line (p95 needs the Lua API; --latency stops at p90/p99).
# With UNIQUE set, every request gets its own query string: nothing can be cached.
WRK_SCRIPT = """
local unique = os.getenv("WRK_UNIQUE") == "1"
local counter = 0
request = function()
  if unique then
    counter = counter + 1
    local path = wrk.path
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    return wrk.format(nil, path .. sep .. "_u=" .. tostring(math.random(1, 1000000000)) .. "_" .. counter)
  end
  return wrk.format()
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


# ---------------------------------------------------------------------------
# The bench-only WSGI application: the portal plus a constant response, same settings.
# gunicorn imports it as bench.load_stack:application when PORTAL_BENCH_WSGI is set.
# ---------------------------------------------------------------------------


def _bench_application():
    from django.http import HttpResponse
    from django.urls import path

    from portal.wsgi import application  # first: sets Django up

    urls = importlib.import_module("portal.urls")

    def constant(request):
        return HttpResponse(b"ok", content_type="text/plain; charset=utf-8")

    urls.urlpatterns.insert(0, path(CONSTANT_PATH.lstrip("/"), constant))
    return application


if os.environ.get("PORTAL_BENCH_WSGI"):
    application = _bench_application()


# ---------------------------------------------------------------------------
# The stack
# ---------------------------------------------------------------------------


def manage(env, *args, settings=None):
    env = dict(env, DJANGO_SETTINGS_MODULE=settings or env["DJANGO_SETTINGS_MODULE"])
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


def django(env, code):
    """Run `code` in a Django process with the deployment's settings; it sets RESULT."""
    script = f"import django, json\ndjango.setup()\n{code}\nprint('RESULT ' + json.dumps(RESULT))\n"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    line = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")][-1]
    return json.loads(line.removeprefix("RESULT "))


def wrk(url, script, connections=CONNECTIONS, seconds=SECONDS, unique=False, headers=None):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script)]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    env = dict(os.environ, WRK_UNIQUE="1" if unique else "0")
    done = subprocess.run([*command, url], capture_output=True, text=True, env=env, check=True)
    found = re.search(r"^WRK (.*)$", done.stdout, re.MULTILINE)
    if not found:
        raise RuntimeError(f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
    result = json.loads(found.group(1))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def measure(url, script, runs=RUNS, **options):
    """Median req/s and p95 over `runs` runs, errors summed."""
    results = [wrk(url, script, **options) for _ in range(runs)]
    return {
        "rps": statistics.median(r["rps"] for r in results),
        "p50": statistics.median(r["p50"] for r in results),
        "p95": statistics.median(r["p95"] for r in results),
        "errors": sum(r["errors"] for r in results),
    }


def publish_visible_after(env, proxy_base, case_pk, case_url):
    """Seconds from the publish's commit (in another process, as the admin does) to the new
    title through the proxy, and from the commit to the end of the publish call."""
    title = f"负载测试更正标题{int(time.time())}"
    seen = {}
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            if title in requests.get(proxy_base + case_url, timeout=10).text:
                seen["at"] = time.time()
                return
            time.sleep(0.005)

    watcher = threading.Thread(target=poll)
    watcher.start()
    try:
        result = django(
            env,
            "import time\n"
            "from django.db import transaction\n"
            "from publicity.models import TypicalCasePage\n"
            f"page = TypicalCasePage.objects.get(pk={case_pk})\n"
            f"page.title = {title!r}\n"
            "revision = page.save_revision()\n"
            "stamps = {}\n"
            "with transaction.atomic():\n"
            "    # Registered first, so it runs first at the commit, before the purge.\n"
            "    transaction.on_commit(lambda: stamps.setdefault('committed', time.time()))\n"
            "    revision.publish()\n"
            "RESULT = {'began': stamps['committed'], 'returned': time.time()}\n",
        )
        watcher.join(timeout=10)
    finally:
        stop.set()
        watcher.join()
    if "at" not in seen:
        return None, result["returned"] - result["began"]
    return seen["at"] - result["began"], result["returned"] - result["began"]


def worker_memory(master_pid):
    """Each worker's proportional set size in KB (shared pages divided among their sharers),
    Linux only; [] where /proc cannot tell."""
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
        sizes = []
        for pid in children:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            sizes.append(int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE).group(1)))
        return sizes
    except (OSError, AttributeError):
        return []


def main():
    from bench.live_server import production_env, wait_for
    from deploy.nginx.loopback import SITE_HOST, LoopbackProxy, free_port, missing

    reason = missing() or (None if shutil.which("wrk") else "wrk is not installed (Debian package wrk)")
    if reason:
        print(f"load stack: {reason}", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="portal-stack-"))
    database = os.environ.get("DATABASE_URL", "")
    created_database = None
    if database.startswith("postgres"):
        from bench.live_server import create_postgres_database, drop_postgres_database

        created_database = database = create_postgres_database(database)
    else:
        database = f"sqlite:///{workdir / 'db.sqlite3'}"
    env = production_env(workdir)
    env.update(
        DATABASE_URL=database,
        TMPDIR=str(workdir),
        PAGE_CACHE_STAMP=str(workdir / "cache" / "page-cache-generation"),
    )
    for name in ("static", "media", "private", "cache"):
        (workdir / name).mkdir(exist_ok=True)
    script = workdir / "summary.lua"
    script.write_text(WRK_SCRIPT)
    server = proxy = None
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        # The demo content (refused under the production settings, so the test settings
        # load it into the same database).
        manage(env, "load_demo", settings="portal.settings.test")
        # The site's host name is the one visitors use (nginx caches and purges under it).
        django(
            dict(env, DJANGO_SETTINGS_MODULE="portal.settings.test"),
            "from wagtail.models import Site\n"
            "site = Site.objects.get(is_default_site=True)\n"
            f"site.hostname = {SITE_HOST!r}\n"
            "site.save()\n"
            "RESULT = site.hostname",
        )
        port = free_port()
        app = f"http://127.0.0.1:{port}"
        gunicorn = runpy.run_path(str(GUNICORN_CONFIG))
        proxy = LoopbackProxy(f"127.0.0.1:{port}", workdir / "static", workdir / "media", workdir / "private")
        proxy.workers = 2
        env["FRONTEND_CACHE_PURGE_URL"] = proxy.purge_url
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "bench.load_stack:application",
                # The production settings of gunicorn (sync workers, 8 per core, preloaded).
                f"--config={GUNICORN_CONFIG}",
                f"--bind=127.0.0.1:{port}",
            ],
            env=dict(env, PORTAL_BENCH_WSGI="1"),
            cwd=ROOT,
        )
        wait_for(f"{app}/healthz")
        proxy.start()

        targets = django(
            env,
            "from publicity.models import TypicalCasePage\n"
            "from honorroll.models import ListBatch\n"
            "case = TypicalCasePage.objects.live().order_by('pk').first()\n"
            "batch = ListBatch.objects.filter(status='published').order_by('pk').first()\n"
            "RESULT = {'case': case.url, 'case_pk': case.pk, 'cause': case.cause_id,\n"
            "          'year': case.judgment_date.year, 'batch': batch.pk}\n",
        )
        pages = {
            "home": "/",
            "case list, filters": f"/cases/?cause={targets['cause']}&year={targets['year']}",
            "case page": targets["case"],
            "list batch": f"/honor-roll/{targets['batch']}/",
            "search": "/search/?q=%E5%B1%A5%E8%A1%8C",  # 履行
        }
        for name, path in pages.items():
            for base, headers in ((proxy.base, {}), (app, PROXY_HEADERS)):
                response = requests.get(base + path, headers=headers, timeout=60, allow_redirects=False)
                if response.status_code != 200:
                    raise RuntimeError(f"{name}: {base}{path} answered {response.status_code}")
        home_html = requests.get(proxy.base + "/", timeout=60).content
        (workdir / "static" / "bench-home.html").write_bytes(home_html)

        print(
            f"load stack (gunicorn {gunicorn['workers']} {gunicorn['worker_class']} workers, production "
            f"settings, nginx 2 workers, wrk -t2 -c{CONNECTIONS} "
            f"{SECONDS} s x {RUNS}, medians; {'PostgreSQL' if created_database else 'SQLite'}):"
        )
        static = measure(f"{proxy.base}/static/bench-home.html", script)
        print(
            f"  nginx, the home page as a static file ({len(home_html) // 1024} KB): {static['rps']:,.0f} req/s"
        )
        constant = measure(f"{app}{CONSTANT_PATH}", script, headers=PROXY_HEADERS)
        print(f"  gunicorn, constant HttpResponse:            {constant['rps']:,.0f} req/s")
        errors = static["errors"] + constant["errors"]
        proxied, direct, uncached = {}, {}, {}
        for name, path in pages.items():
            proxied[name] = measure(proxy.base + path, script)
            direct[name] = measure(app + path, script, headers=PROXY_HEADERS)
            # Every process renders the page once before the measured run (its templates
            # compiled, the generation's shared data read): the steady state is measured.
            wrk(app + path, script, seconds=1, unique=True, headers=PROXY_HEADERS)
            uncached[name] = measure(app + path, script, seconds=5, unique=True, headers=PROXY_HEADERS)
            errors += proxied[name]["errors"] + direct[name]["errors"] + uncached[name]["errors"]
            print(
                f"  {name:<20} through the proxy {proxied[name]['rps']:>9,.0f} req/s "
                f"({proxied[name]['rps'] / static['rps']:.0%} of static) | "
                f"app cached {direct[name]['rps']:>7,.0f} req/s "
                f"({direct[name]['rps'] / constant['rps']:.0%} of constant) | "
                f"uncached {uncached[name]['rps']:>5,.0f} req/s p50 {uncached[name]['p50']:.0f} ms "
                f"p95 {uncached[name]['p95']:.0f} ms",
                flush=True,
            )
        visible, returned = publish_visible_after(env, proxy.base, targets["case_pk"], targets["case"])
        memory = worker_memory(server.pid)
        if memory:
            print(
                f"  memory of a worker after the load (proportional share, median of {len(memory)}): "
                f"{statistics.median(memory) / 1024:.0f} MB"
            )

        proxy_ratio = min(r["rps"] for r in proxied.values()) / static["rps"]
        app_ratio = min(r["rps"] for r in direct.values()) / constant["rps"]
        worst_p95 = max(r["p95"] for r in uncached.values())
        checks = [
            (
                "cached through the proxy, slowest page vs static file",
                f"{proxy_ratio:.0%}",
                proxy_ratio >= 0.5,
                ">= 50%",
            ),
            (
                "cached in the application, slowest page vs constant",
                f"{app_ratio:.0%}",
                app_ratio >= 0.7,
                ">= 70%",
            ),
            ("uncached, worst p95 at 16 connections", f"{worst_p95:.0f} ms", worst_p95 < 150, "< 150 ms"),
            ("errors (socket errors, non-2xx)", str(errors), errors == 0, "0"),
            (
                "publish visible through the proxy",
                "never"
                if visible is None
                else f"{visible * 1000:.0f} ms after the commit (purges done {returned * 1000:.0f} ms after it)",
                visible is not None and visible < 1,
                "< 1 s",
            ),
        ]
        for label, value, ok, goal in checks:
            print(f"  {label}: {value} (goal {goal}) {'ok' if ok else 'MISSED'}")
        return 0 if all(ok for _, _, ok, _ in checks) else 1
    finally:
        if proxy is not None:
            proxy.stop()
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if created_database:
            drop_postgres_database(created_database)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
