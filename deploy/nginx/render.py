"""Fill in deploy/nginx/qthcourt.conf.template: production values by default, the loopback
ones for the tests and `make bench` (deploy/nginx/loopback.py).

    .venv/bin/python deploy/nginx/render.py SERVER_NAME=www.qthzy.gov.cn \\
        TLS_CERTIFICATE=/etc/ssl/qthzy.pem TLS_CERTIFICATE_KEY=/etc/ssl/private/qthzy.key

A value given as "" leaves its line out; a list (space-separated on the command line)
repeats the line once per item.
"""

import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "qthcourt.conf.template"

# Production: gunicorn on loopback, TLS here, the PURGE server on loopback only.
PRODUCTION = {
    "SERVER_NAME": None,  # required: the public host name, e.g. www.qthzy.gov.cn
    "LISTEN": "80",
    "LISTEN_TLS": "443 ssl http2",
    "TLS_CERTIFICATE": None,  # required in production: the certificate chain (PEM)
    "TLS_CERTIFICATE_KEY": None,  # required in production: its private key
    # Port 80 answers with a redirect to https only.
    "PLAIN_HTTP": 'if ($scheme = "http") { return 301 https://$host$request_uri; }',
    # Behind TLS here: what Django's SECURE_PROXY_SSL_HEADER reads (port 80 says http and
    # is redirected to https by the application).
    "FORWARDED_PROTO": "$scheme",
    "APP_SERVER": "127.0.0.1:8001",
    "STATIC_ROOT": "/srv/qthcourt/static",  # the application's STATIC_ROOT
    "MEDIA_ROOT": "/srv/qthcourt/media",  # its MEDIA_ROOT (never PRIVATE_MEDIA_ROOT)
    "CACHE_DIR": "/var/cache/nginx/qthcourt",
    "ACCESS_LOG": "/var/log/nginx/qthcourt.access.log",
    # The scheme of the cached pages, as the PURGE server names them.
    "CACHE_SCHEME": "https",
    "PURGE_LISTEN": "127.0.0.1:8081",  # the application's FRONTEND_CACHE_PURGE_URL
    "PURGE_ALLOW": ["127.0.0.1", "::1"],  # add the application servers' addresses
}

PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


class RenderError(ValueError):
    pass


def render(values=None, template=TEMPLATE):
    """The configuration text for PRODUCTION updated with `values`."""
    values = {**PRODUCTION, **(values or {})}
    unknown = set(values) - set(PRODUCTION)
    if unknown:
        raise RenderError(f"unknown values: {', '.join(sorted(unknown))}")
    lines = []
    for line in Path(template).read_text(encoding="utf-8").splitlines():
        names = PLACEHOLDER.findall(line)
        if not names or line.lstrip().startswith("#"):
            lines.append(line)
            continue
        missing = [name for name in names if values.get(name) is None]
        if missing:
            raise RenderError(f"no value for {', '.join(missing)}")
        (name, *others) = names
        value = values[name]
        if others:
            raise RenderError(f"one value per line: {line.strip()}")
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            if str(item) != "":
                lines.append(line.replace("{{" + name + "}}", str(item)))
    return "\n".join(lines) + "\n"


def check_paths(static_root, media_root, private_root):
    """Private files must be outside every folder nginx serves."""
    private = Path(private_root).resolve()
    for served in (static_root, media_root):
        served = Path(served).resolve()
        if private == served or served in private.parents or private in served.parents:
            raise RenderError(f"PRIVATE_MEDIA_ROOT {private} overlaps {served}, which nginx serves")


def main(argv):
    if any(arg in ("-h", "--help") for arg in argv):
        print(__doc__)
        for name, value in PRODUCTION.items():
            shown = "(required)" if value is None else " ".join(value) if isinstance(value, list) else value
            print(f"  {name}={shown}")
        return 0
    values = {}
    for arg in argv:
        name, sep, value = arg.partition("=")
        if not sep:
            print(f"render.py: expected NAME=VALUE, got {arg!r}", file=sys.stderr)
            return 2
        values[name] = value.split() if isinstance(PRODUCTION.get(name), list) else value
    try:
        sys.stdout.write(render(values))
    except RenderError as error:
        print(f"render.py: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
