"""Production settings refuse to start with development defaults and pass Django's
deployment checks with a representative environment."""

import json
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

GOOD_KEY = "k" * 50
BUCKET = {"AWS_STORAGE_BUCKET_NAME": "rathaus-files"}
# What docs/operations.md asks an operator to set, with made-up values.
REPRESENTATIVE = {
    "SECRET_KEY": "x7Qp-3vLr9_Zt2mWq8NcY4bHs6JkE1uFgA5oDiR0TyXeVwBnM2sLk9PqZ4cV7hJ",
    "BASE_DOMAIN": "rathaus.example",
    "DATABASE_URL": "postgres://rathaus:secret@db.internal:6432/rathaus",
    "DATABASE_CONN_MAX_AGE": "0",
    "REDIS_URL": "rediss://:secret@redis.internal:6379/0",
    "CELERY_BROKER_URL": "rediss://:secret@redis.internal:6379/1?ssl_cert_reqs=required",
    "CELERY_RESULT_BACKEND": "rediss://:secret@redis.internal:6379/2?ssl_cert_reqs=required",
    "AWS_STORAGE_BUCKET_NAME": "rathaus-files",
    "PRIVATE_STORAGE_BUCKET_NAME": "rathaus-private",
    "EMAIL_HOST": "smtp.internal",
    "EMAIL_PORT": "587",
    "EMAIL_USE_TLS": "true",
    "DEFAULT_FROM_EMAIL": "noreply@rathaus.example",
    # A closed local port: nothing is ever sent anywhere by these tests.
    "SENTRY_DSN": "http://public@127.0.0.1:9/1",
    "STRIPE_API_KEY": "sk_live_example",
}


def _production(command: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    # Also what other tests of the session may have set (the browser tests allow
    # async-unsafe calls): a production process would not have it.
    unsafe = {
        "DEBUG",
        "SECRET_KEY",
        "AWS_STORAGE_BUCKET_NAME",
        "ALLOWED_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    environment = {key: value for key, value in os.environ.items() if key not in unsafe}
    environment.update(DJANGO_SETTINGS_MODULE="rathaus.config.settings.production", **env)
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def _start_production(**env: str) -> subprocess.CompletedProcess[str]:
    return _production(["-c", "import django; django.setup()"], **env)


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"SECRET_KEY": GOOD_KEY, "DEBUG": "true", **BUCKET}, "DEBUG must be off"),
        (BUCKET, "SECRET_KEY must be set"),
        (
            {"SECRET_KEY": "rathaus-development-key-not-for-production", **BUCKET},
            "SECRET_KEY must be set",
        ),
        ({"SECRET_KEY": "short", **BUCKET}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": GOOD_KEY}, "AWS_STORAGE_BUCKET_NAME must name the S3 bucket"),
    ],
)
def test_production_refuses_unsafe_settings(env: dict[str, str], complaint: str) -> None:
    result = _start_production(**env)

    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_starts_with_a_real_secret_key() -> None:
    result = _start_production(SECRET_KEY=GOOD_KEY, **BUCKET)

    assert result.returncode == 0, result.stderr


def test_the_deployment_checks_pass_with_the_documented_environment() -> None:
    # --fail-level WARNING: a warning fails too, and none is silenced.
    result = _production(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **REPRESENTATIVE
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_serves_town_subdomains_and_files_from_s3() -> None:
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.ALLOWED_HOSTS, s.STORAGES['default']['BACKEND'], "
        "s.STORAGES['private']['BACKEND'], s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER]))"
    )
    result = _production(["-c", script], **REPRESENTATIVE)

    assert result.returncode == 0, result.stderr
    hosts, public, private, session_secure, csrf_secure, hsts, proxy = json.loads(
        result.stdout.strip().splitlines()[-1]
    )
    assert hosts == ["rathaus.example", ".rathaus.example"]
    assert public == "rathaus.platform.storage.TownS3Storage"
    assert private == "rathaus.platform.storage.private.PrivateTownS3Storage"
    assert session_secure
    assert csrf_secure
    assert hsts >= 60 * 60 * 24 * 365
    assert proxy == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_every_environment_variable_the_settings_read_is_documented() -> None:
    read = set()
    for module in ("base", "production"):
        source = (ROOT / "rathaus" / "config" / "settings" / f"{module}.py").read_text()
        read |= set(re.findall(r"env\.[a-z_]+\(\s*\"([A-Z][A-Z0-9_]+)\"", source))
    documented = (ROOT / "docs" / "operations.md").read_text()

    assert len(read) > 40
    assert sorted(name for name in read if f"`{name}`" not in documented) == []
