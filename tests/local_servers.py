"""Real servers for tests (S3, Stripe, the web app): started on a free local port, stopped after."""

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def local_server(
    command: list[str], *, port: int, name: str, timeout: float = 30, **popen: Any
) -> Iterator[subprocess.Popen[bytes]]:
    """Runs ``command`` until the block ends, once it accepts connections on ``port``.

    Raises ``RuntimeError`` naming ``name`` if the process exits or does not
    answer within ``timeout`` seconds.
    """
    server = subprocess.Popen(command, **popen)
    try:
        wait_for_port(port, server, name=name, timeout=timeout)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_for_port(
    port: int, process: "subprocess.Popen[Any]", *, name: str, timeout: float = 30
) -> None:
    """Returns once ``process`` accepts connections on ``port``; raises ``RuntimeError``
    naming ``name`` if it exits first or does not answer within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start on port {port}") from None
            time.sleep(0.05)
