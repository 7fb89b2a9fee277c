"""Production settings refuse to start with development defaults."""

import os
import subprocess
import sys

import pytest

GOOD_KEY = "k" * 50


def _start_production(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="rathaus.config.settings.production", **env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"SECRET_KEY": GOOD_KEY, "DEBUG": "true"}, "DEBUG must be off"),
        ({}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "rathaus-development-key-not-for-production"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be set"),
    ],
)
def test_production_refuses_unsafe_settings(env: dict[str, str], complaint: str) -> None:
    result = _start_production(**env)

    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_starts_with_a_real_secret_key() -> None:
    result = _start_production(SECRET_KEY=GOOD_KEY)

    assert result.returncode == 0, result.stderr
