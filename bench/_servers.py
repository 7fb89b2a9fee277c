"""The app served by gunicorn as the image serves it, for the benches that need HTTP."""

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from _setup import ROOT

from tests.local_servers import wait_for_port


@contextmanager
def gunicorn_serving(port: int, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """gunicorn on 127.0.0.1:``port`` (gthread, two workers of four threads), stopped after."""
    gunicorn = subprocess.Popen(  # noqa: S603 (our own interpreter)
        [
            sys.executable, "-m", "gunicorn", "rathaus.config.wsgi",
            "--bind", f"127.0.0.1:{port}", "--worker-class", "gthread",
            "--workers", "2", "--threads", "4", "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        wait_for_port(port, gunicorn, name="gunicorn", timeout=60)
        yield gunicorn
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
