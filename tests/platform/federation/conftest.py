"""Real identity providers for the federation tests, one process each per session."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _start(module: str) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", module],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        base = process.stdout.readline().strip()
        if not base.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"{module} did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def saml_idp() -> Iterator[str]:
    """Base URL of a pysaml2 identity provider on 127.0.0.1."""
    yield from _start("tests.platform.federation.servers.saml_idp")


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[str]:
    """Issuer URL of an Authlib OpenID Connect provider on 127.0.0.1."""
    yield from _start("tests.platform.federation.servers.oidc_provider")
