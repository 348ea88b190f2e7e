"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def run_python(code, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "ELASTICSEARCH_URL",
            "EMAIL_HOST",
            "EMAIL_BACKEND",
            "REDIS_URL",
            "PORTAL_DEMO",
        }
    }
    # Production needs an encryption key; tests about other settings get a throwaway one.
    environment.setdefault("FIELD_ENCRYPTION_KEYS", "b3Zc2m0F8h0bYtq2o0l8c3J0Wm5nS2xQbU5xZ0p3X1E=")
    # ... and the counters' store and a mail transport (nothing connects to either here).
    environment.setdefault("REDIS_URL", "redis://127.0.0.1:1/0")
    environment.setdefault("FIELD_HASH_KEY", "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
    if env.get("DJANGO_SETTINGS_MODULE", "").endswith("production") and not {
        "EMAIL_HOST",
        "EMAIL_BACKEND",
    } & set(env):
        environment["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_stops_with_a_clear_error():
    result = run_python(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        ALLOWED_HOSTS="court.example",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr and "生产环境必须设置 SECRET_KEY" in result.stderr


def test_production_without_field_encryption_keys_stops_with_a_clear_error():
    result = run_python(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="court.example",
        FIELD_ENCRYPTION_KEYS="",
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


def test_production_without_redis_for_the_counters_stops_with_a_clear_error():
    result = run_python(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="court.example",
        REDIS_URL="",
    )
    assert result.returncode != 0
    assert "生产环境必须设置 REDIS_URL" in result.stderr


def test_production_never_writes_mail_to_the_log():
    """Without SMTP the fallback would be the console backend: access codes in the log."""
    for backend in ("", "django.core.mail.backends.console.EmailBackend"):
        result = run_python(
            "import django; django.setup()",
            DJANGO_SETTINGS_MODULE="portal.settings.production",
            SECRET_KEY="x" * 60,
            ALLOWED_HOSTS="court.example",
            EMAIL_BACKEND=backend,
        )
        assert result.returncode != 0
        assert "生产环境必须配置真实的邮件发送方式" in result.stderr
    with_smtp = run_python(
        "import django; django.setup(); from django.conf import settings as s; print(s.EMAIL_BACKEND)",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="court.example",
        EMAIL_BACKEND="",
        EMAIL_HOST="smtp.court.example",
    )
    assert with_smtp.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend", with_smtp.stderr


def test_production_without_allowed_hosts_stops_with_a_clear_error():
    result = run_python(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="x" * 60,
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_reads_database_search_and_email_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'], "
        "s.DATABASES['default']['NAME'], s.SEARCH_ENGINE['URL'], s.WAGTAILSEARCH_BACKENDS['default']['BACKEND'], "
        "s.EMAIL_BACKEND, s.EMAIL_HOST, s.ALLOWED_HOSTS, s.DEBUG, s.SESSION_COOKIE_SECURE)"
    )
    result = run_python(
        code,
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="k" * 30 + "-production-secret-for-tests",
        ALLOWED_HOSTS="www.court.example,court.example",
        DATABASE_URL="postgres://portal:pw@db.internal:5432/portal",
        ELASTICSEARCH_URL="http://search.internal:9200",
        EMAIL_HOST="smtp.court.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.internal",
        "portal",
        # The public search goes to the cluster; the admin's searches stay in the database.
        "http://search.internal:9200",
        "search.wagtail_backend",
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.court.example",
        "['www.court.example',",
        "'court.example']",
        "False",
        "True",
    ]


def test_without_environment_the_portal_runs_embedded():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], repr(s.SEARCH_ENGINE['URL']), "
        "s.WAGTAILSEARCH_BACKENDS['default']['BACKEND'], s.EMAIL_BACKEND)",
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "''",
        "search.wagtail_backend",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_language_and_time_zone_are_chinese():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.WAGTAILADMIN_PERMITTED_LANGUAGES == [("zh-hans", "简体中文")]


def run_manage(*args, **env):
    return run_python(
        "from django.core.management import execute_from_command_line; "
        f"execute_from_command_line(['manage.py', *{list(args)!r}])",
        **env,
    )


def test_demo_accounts_are_refused_on_a_production_database():
    """Known demo passwords must never reach a real database, whichever settings are loaded."""
    production = run_manage(
        "load_demo",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="s" * 60,
        ALLOWED_HOSTS="court.example",
        DATABASE_URL="postgres://portal@127.0.0.1:1/portal",
    )
    assert production.returncode != 0
    assert "生产环境禁止使用 load_demo" in production.stderr
    # dev settings (manage.py's default) pointed at a PostgreSQL server by mistake
    dev_on_postgres = run_manage(
        "load_demo",
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL="postgres://portal@127.0.0.1:1/portal",
    )
    assert dev_on_postgres.returncode != 0
    assert "生产环境禁止使用 load_demo" in dev_on_postgres.stderr


def test_production_links_and_password_reset_follow_the_deployment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.WAGTAILADMIN_BASE_URL, s.WAGTAIL_PASSWORD_RESET_ENABLED)"
    )
    base = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "www.court.example",
    }
    without_smtp = run_python(code, **base)
    assert without_smtp.stdout.split() == ["https://www.court.example", "False"]
    with_smtp = run_python(code, **base, EMAIL_HOST="smtp.court.example")
    assert with_smtp.stdout.split() == ["https://www.court.example", "True"]


@pytest.mark.django_db
def test_public_pages_forbid_inline_scripts_and_framing(client):
    for url in ("/", "/apply/certificate/", "/fee-calculator/", "/verify/", "/no-such-page/"):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["script-src"] == "'self'", url
        assert "unsafe" not in directives["script-src"] and directives["frame-ancestors"] == "'none'"
    api = client.get("/api/v1/fee/", {"kind": "property", "claim": "100"})
    assert "Content-Security-Policy" in api


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    database = tmp_path / "wal.sqlite3"
    code = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "cursor = connection.cursor()\n"
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0], cursor.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    result = run_python(
        code, DJANGO_SETTINGS_MODULE="portal.settings.dev", DATABASE_URL=f"sqlite:///{database}"
    )
    assert result.stdout.split() == ["wal", "20000"], result.stderr
