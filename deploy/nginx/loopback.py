"""The shipped nginx configuration rendered for loopback and run as a child process: for
the tests (tests/deploy/) and `make bench` (bench/load_stack.py).

Only nginx's main context is written here (what Debian's /etc/nginx/nginx.conf provides in
production: module, pid, temp folders, mime types); the server configuration is
qthcourt.conf.template rendered with loopback values: no TLS, the forwarded protocol
"https" (as if TLS had ended here, so production settings need no change), free ports,
folders under a temporary directory.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from deploy.nginx.render import check_paths, render

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
MIME_TYPES = Path("/etc/nginx/mime.types")
MISSING = (
    "nginx with the cache purge module is needed: Debian packages nginx and "
    "libnginx-mod-http-cache-purge (`make test` / `make bench` install them)"
)

MAIN = """\
load_module {module};
{user}
worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include {mime_types};
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    include {prefix}/qthcourt.conf;
}}
"""


# The host visitors use on loopback (the proxy's base URL): the Site's hostname must be it,
# as a deployment's is its public host, for purges to name the pages nginx keeps.
SITE_HOST = "127.0.0.1"


def missing():
    """Why the loopback proxy cannot run here, or None."""
    if not Path(NGINX).exists() or not PURGE_MODULE.exists() or not MIME_TYPES.exists():
        return MISSING
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LoopbackProxy:
    """nginx on 127.0.0.1:`port` in front of `app_server` ("127.0.0.1:8000"), its PURGE
    server on `purge_port`. Use as a context manager, or start() / stop()."""

    def __init__(self, app_server, static_root, media_root, private_root, workers=1):
        check_paths(static_root, media_root, private_root)
        self.prefix = Path(tempfile.mkdtemp(prefix="portal-nginx-"))
        self.port = free_port()
        self.purge_port = free_port()
        self.base = f"http://{SITE_HOST}:{self.port}"
        self.purge_url = f"http://127.0.0.1:{self.purge_port}"
        self.values = {
            "SERVER_NAME": "127.0.0.1 localhost",
            "LISTEN": f"127.0.0.1:{self.port}",
            "LISTEN_TLS": "",
            "TLS_CERTIFICATE": "",
            "TLS_CERTIFICATE_KEY": "",
            "PLAIN_HTTP": "",  # no TLS here: the forwarded protocol says https
            "FORWARDED_PROTO": "https",
            "APP_SERVER": app_server,
            "STATIC_ROOT": str(Path(static_root).resolve()),
            "MEDIA_ROOT": str(Path(media_root).resolve()),
            "CACHE_DIR": str(self.prefix / "cache"),
            "ACCESS_LOG": "off",
            "CACHE_SCHEME": "http",  # no TLS here: the pages are cached under http://
            "PURGE_LISTEN": f"127.0.0.1:{self.purge_port}",
            "PURGE_ALLOW": ["127.0.0.1"],
        }
        self.workers = workers
        self.process = None

    def write_config(self):
        for name in ("tmp", "cache"):
            (self.prefix / name).mkdir(exist_ok=True)
        (self.prefix / "qthcourt.conf").write_text(render(self.values), encoding="utf-8")
        conf = self.prefix / "nginx.conf"
        conf.write_text(
            MAIN.format(
                module=PURGE_MODULE,
                # As root, workers would run as "nobody", who cannot enter these folders.
                user="user root;" if os.geteuid() == 0 else "",
                workers=self.workers,
                prefix=self.prefix,
                mime_types=MIME_TYPES,
            ),
            encoding="utf-8",
        )
        return conf

    def start(self, timeout=15):
        reason = missing()
        if reason:
            raise RuntimeError(reason)
        conf = self.write_config()
        command = [NGINX, "-p", str(self.prefix), "-c", str(conf), "-e", str(self.prefix / "error.log")]
        check = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
        self.process = subprocess.Popen([*command, "-g", "daemon off;"], start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited ({self.process.returncode}):\n{self.error_log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"nginx did not listen on {self.port}:\n{self.error_log()}")

    def error_log(self):
        path = self.prefix / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None
        shutil.rmtree(self.prefix, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
