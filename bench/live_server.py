"""A production-like deployment for benches and tests: gunicorn with the production settings
on a free loopback port, against a SQLite file or a PostgreSQL database, and the clients
that talk to it the way a browser behind the TLS-terminating proxy does.

Used by bench/concurrent_submissions.py, bench/crash_safety.py and
tests/portal/test_crash_safety.py. Importing it needs no Django settings; what needs the
deployment's database runs in a subprocess with the deployment's environment
(`Deployment.django`), so a test process configured with the test settings can use it.
"""

import base64
import contextlib
import hashlib
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * 200_000  # a ~200 KB receipt
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
# What a request that failed with a network error (the server died under it) raises.
CONNECTION_ERRORS = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError, requests.Timeout)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(workdir, database_url=None):
    """The environment of a production deployment whose files all live under `workdir`."""
    from cryptography.fernet import Fernet

    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        FIELD_HASH_KEY=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "private"),
        CACHE_DIR=str(workdir / "cache"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        # The per-client counters (portal/throttle.py): the Redis started with the database
        # (scripts/with-postgres.sh); a local one otherwise.
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        LOG_LEVEL="WARNING",
        DATABASE_CONN_MAX_AGE="60",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def wait_for(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except CONNECTION_ERRORS:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not answer at {url}")


def create_postgres_database(server_url):
    """A new, empty database on the server `server_url` points at; returns its URL."""
    import psycopg

    name = f"portal_live_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_postgres_database(database_url):
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def collected_static(env):
    """A STATIC_ROOT collected with the production settings. Collecting (hashing and
    compressing Wagtail's files) takes most of a minute, so the result is kept under
    var/live-static/, named after what it is made of: requirements.txt and the project's
    own static files (path, size, modification time)."""
    key = hashlib.sha256((ROOT / "requirements.txt").read_bytes())
    for path in sorted(ROOT.glob("*/static/**/*")):
        if path.is_file() and ".venv" not in path.parts and "node_modules" not in path.parts:
            info = path.stat()
            key.update(f"{path.relative_to(ROOT)}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    cache = ROOT / "var" / "live-static"
    target = cache / key.hexdigest()[:16]
    if (target / "staticfiles.json").is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="building-", dir=cache))
    building.chmod(0o755)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        env={**env, "STATIC_ROOT": str(building)},
        check=True,
        cwd=ROOT,
    )
    for old in cache.iterdir():  # earlier sources' copies
        if old.name != target.name and not old.name.startswith("building-"):
            shutil.rmtree(old, ignore_errors=True)
    try:
        building.rename(target)
    except OSError:  # another run collected the same files meanwhile
        shutil.rmtree(building, ignore_errors=True)
    return target


class Deployment:
    """One deployment: its working folder (static, private files, cache, temp files), its
    database, and a gunicorn that can be started, SIGKILLed as a whole process group and
    started again on the same port."""

    def __init__(self, workdir=None, database_url=None, workers=2, threads=8):
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="portal-live-"))
        (self.workdir / "tmp").mkdir(parents=True, exist_ok=True)
        self.env = production_env(self.workdir, database_url or f"sqlite:///{self.workdir / 'db.sqlite3'}")
        # Uploads in progress and pending imports stay inside the deployment's folder.
        self.env["TMPDIR"] = str(self.workdir / "tmp")
        self.private_root = self.workdir / "private"
        self.workers, self.threads = workers, threads
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = None

    def manage(self, *args):
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=self.env, check=True, cwd=ROOT)

    def prepare(self):
        """Migrations (with the courts and causes they load) and the static files."""
        self.manage("migrate", "--noinput", "-v", "0")
        self.env["STATIC_ROOT"] = str(collected_static(self.env))

    def query(self, sql):
        """Rows of one SQL query on this deployment's database, read the way any client
        reads it (no Django: quicker than a Django process per look)."""
        url = self.env["DATABASE_URL"]
        if url.startswith("sqlite:///"):
            import sqlite3

            connection = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)
            try:
                return connection.execute(sql).fetchall()
            finally:
                connection.close()
        import psycopg

        with psycopg.connect(url) as connection:
            return connection.execute(sql).fetchall()

    def django(self, code, **arguments):
        """Run `code` in a Django process on this deployment's database and settings; it
        reads its arguments from `ARGS` and assigns its JSON-able answer to `RESULT`."""
        script = (
            "import django, json, sys\n"
            "django.setup()\n"
            "ARGS = json.loads(sys.argv[1])\n"
            f"{code}\n"
            "print(json.dumps(RESULT))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, json.dumps(arguments)],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start(self, timeout=60):
        assert self.server is None, "already running"
        self.server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "portal.wsgi",
                # The shipped settings (preloaded application, timeouts, backlog); the process
                # and thread counts are this deployment's (threads > 1: gunicorn's gthread
                # workers, which also exercise concurrent rendering within a process).
                f"--config={ROOT / 'deploy' / 'gunicorn.conf.py'}",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                f"--threads={self.threads}",
            ],
            env=self.env,
            cwd=ROOT,
            start_new_session=True,  # its own process group: the master and its workers
        )
        wait_for(f"{self.base}/healthz", timeout)

    def kill(self):
        """SIGKILL the master and every worker at once, as a power cut or the OOM killer would."""
        if self.server is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait(timeout=30)
        self.server = None

    def stop(self):
        if self.server is None:
            return
        self.server.terminate()
        try:
            self.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self.server = None

    def close(self):
        self.stop()
        if self.env["DATABASE_URL"].startswith("postgres"):
            drop_postgres_database(self.env["DATABASE_URL"])
        shutil.rmtree(self.workdir, ignore_errors=True)


# ---------------------------------------------------------------------------
# Clients
# ---------------------------------------------------------------------------


def proxied_headers(base, path):
    """What the TLS proxy adds, and what a browser on https:// sends with a form post."""
    origin = base.replace("http://", "https://")
    return {**PROXY_HEADERS, "Origin": origin, "Referer": f"{origin}{path}"}


def csrf_token(response):
    # The cookie is Secure (production): the proxy speaks HTTPS, so pass it on by hand.
    return re.search(r"csrftoken=([^;]+)", response.headers["Set-Cookie"]).group(1)


def open_application_form(base, path="/apply/certificate/"):
    """Load the form as a browser does first: returns its CSRF token."""
    return csrf_token(requests.get(f"{base}{path}", headers=PROXY_HEADERS, timeout=300))


# Each application comes from its own visitor (an address of the benchmarking range
# 198.18.0.0/15, as the proxy would forward it): the portal limits submissions per client.
_VISITORS = itertools.count(1)


def visitor_address():
    number = next(_VISITORS)
    return f"198.18.{number // 250 % 250}.{number % 250 + 1}"


def post_application(base, token, data, files, path="/apply/certificate/"):
    """Post the form with its files ([(name, bytes), ...]) as a new visitor; returns the response."""
    return requests.post(
        f"{base}{path}",
        data={"csrfmiddlewaretoken": token, **data},
        files=[("evidence", (name, content, "application/pdf")) for name, content in files],
        headers={
            **proxied_headers(base, path),
            "Cookie": f"csrftoken={token}",
            "X-Forwarded-For": visitor_address(),
        },
        timeout=300,
    )


def acknowledgement(response):
    """(tracking number, access code) from the submitted page, or (None, None)."""
    tracking = re.search(r"data-tracking-number>([^<]+)<", response.text)
    code = re.search(r"data-access-code>([^<]+)<", response.text)
    return (tracking.group(1), code.group(1)) if tracking and code else (None, None)


def status_page(base, tracking_number, access_code):
    """The applicant's status page for the number and code (status code, HTML)."""
    token = csrf_token(requests.get(f"{base}/apply/status/", headers=PROXY_HEADERS, timeout=60))
    response = requests.post(
        f"{base}/apply/status/",
        data={"csrfmiddlewaretoken": token, "tracking_number": tracking_number, "access_code": access_code},
        headers={**proxied_headers(base, "/apply/status/"), "Cookie": f"csrftoken={token}"},
        timeout=60,
    )
    return response.status_code, response.text


class StaffClient:
    """A logged-in member of staff on the admin. The session and CSRF cookies are Secure,
    which requests will not send to http://: they are kept here and sent by hand, as the
    browser would send them to the https:// site in front of the proxy."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}

    def _keep(self, response):
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value

    def _headers(self, path):
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return {**proxied_headers(self.base, path), "Cookie": cookie}

    def get(self, path, **kwargs):
        response = requests.get(
            f"{self.base}{path}", headers=self._headers(path), allow_redirects=False, timeout=300, **kwargs
        )
        self._keep(response)
        return response

    def post(self, path, data, files=None, **kwargs):
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        response = requests.post(
            f"{self.base}{path}",
            data=data,
            files=files,
            headers=self._headers(path),
            allow_redirects=False,
            timeout=300,
            **kwargs,
        )
        self._keep(response)
        return response

    def login(self, username, password):
        self.get("/admin/login/")
        response = self.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"})
        if response.status_code != 302:
            raise RuntimeError(f"admin login failed ({response.status_code})")
        return response
