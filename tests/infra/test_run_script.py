"""`make run`'s own pieces (infra/scripts/lib.sh): its ports follow one setting, and a
process that dies makes it fail, while Ctrl-C is a normal stop.

Two whole `make run` stacks are too heavy for the suite; these run the same functions
run.sh runs, on small Procfiles and on the real Stripe stand-in line of Procfile.dev.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.local_servers import free_port

LIB = ROOT / "infra" / "scripts" / "lib.sh"


def _bash(script: str, tmp_path: Path, **env: str) -> subprocess.Popen[str]:
    """Runs ``script`` after sourcing lib.sh, in its own process group (like a terminal's job)."""
    return subprocess.Popen(
        ["bash", "-c", f"set -euo pipefail; source {LIB}; {script}"],
        cwd=ROOT,
        env={**os.environ, "RUN_DIR": str(tmp_path / "run"), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _finish(process: subprocess.Popen[str], timeout: float = 60) -> tuple[int, str]:
    try:
        out, _ = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode, out


def _procfile(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "Procfile"
    path.write_text("\n".join(lines) + "\n")
    return path


def _wait_for_port(port: int, process: subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"nothing answered on port {port}") from None
            time.sleep(0.1)


@pytest.fixture
def listening() -> Iterator[int]:
    """A port something else already listens on, as a first `make run` would."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def _billing_line(tmp_path: Path) -> str:
    """Procfile.dev's Stripe stand-in, keeping its state in tmp_path instead of var/."""
    line = next(
        line
        for line in (ROOT / "infra" / "Procfile.dev").read_text().splitlines()
        if line.startswith("billing:")
    )
    assert "${RATHAUS_STRIPE_PORT}" in line
    return line.replace("var/localstripe.pickle", str(tmp_path / "localstripe.pickle"))


def test_a_process_that_fails_makes_the_stack_fail(tmp_path: Path) -> None:
    procfile = _procfile(tmp_path, "web: sleep 30", "billing: sleep 0.3; exit 3")

    code, out = _finish(_bash(f"serve_procfile {procfile}", tmp_path))

    assert code == 3
    assert "failed (exit code 3)" in out


def test_a_process_that_ends_by_itself_makes_the_stack_fail(tmp_path: Path) -> None:
    procfile = _procfile(tmp_path, "web: sleep 30", "worker: sleep 0.3")

    code, out = _finish(_bash(f"serve_procfile {procfile}", tmp_path))

    assert code != 0
    assert "stopped on its own" in out


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_ctrl_c_or_sigterm_stop_everything_and_exit_0(tmp_path: Path, how: str) -> None:
    marker = tmp_path / "started"
    procfile = _procfile(tmp_path, f"web: touch {marker}; exec sleep 300", "worker: exec sleep 300")
    process = _bash(f"serve_procfile {procfile}", tmp_path)
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)

    if how == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)  # a terminal sends it to the whole group
    else:
        process.send_signal(signal.SIGTERM)  # to the script alone, as `kill PID` does
    code, out = _finish(process)

    assert code == 0, out
    left = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, check=False)
    assert left.stdout == b"", "processes of the stack are still running"


def test_the_stripe_stand_in_listens_on_rathaus_stripe_port(tmp_path: Path) -> None:
    port = free_port()
    procfile = _procfile(tmp_path, _billing_line(tmp_path))
    process = _bash(f"serve_procfile {procfile}", tmp_path, RATHAUS_STRIPE_PORT=str(port))

    _wait_for_port(port, process)
    os.killpg(process.pid, signal.SIGINT)
    code, out = _finish(process)

    assert code == 0, out


def test_a_second_stack_on_a_taken_stripe_port_fails_at_once(
    tmp_path: Path, listening: int
) -> None:
    procfile = _procfile(tmp_path, "web: sleep 300", _billing_line(tmp_path))

    started = time.monotonic()
    code, out = _finish(
        _bash(f"serve_procfile {procfile}", tmp_path, RATHAUS_STRIPE_PORT=str(listening))
    )

    assert code != 0, out
    assert time.monotonic() - started < 30


def _free_pair() -> int:
    """A free port whose companion 420 above is free too."""
    for _ in range(50):
        port = free_port()
        if port + 420 < 65536:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port + 420)) != 0:
                    return port
    raise AssertionError("no free pair of ports")


def test_rathaus_port_moves_the_stripe_port_too(tmp_path: Path) -> None:
    port = _free_pair()

    code, out = _finish(
        _bash(
            'stack_ports; echo "$RATHAUS_PORT $RATHAUS_STRIPE_PORT"',
            tmp_path,
            RATHAUS_PORT=str(port),
        )
    )

    assert code == 0, out
    assert out.split() == [str(port), str(port + 420)]


@pytest.mark.parametrize("setting", ["RATHAUS_PORT", "RATHAUS_STRIPE_PORT"])
def test_a_taken_port_stops_make_run_before_it_starts_naming_the_setting(
    tmp_path: Path, listening: int, setting: str
) -> None:
    ports = {"RATHAUS_PORT": str(free_port()), "RATHAUS_STRIPE_PORT": str(free_port())}
    ports[setting] = str(listening)

    code, out = _finish(_bash("stack_ports; echo started", tmp_path, **ports))

    assert code != 0
    assert "started" not in out
    assert f"Port {listening} ({setting}) is in use" in out


def test_development_settings_talk_to_the_stripe_stand_in_on_its_port() -> None:
    def stripe_base(**env: str) -> str:
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"STRIPE_API_BASE", "RATHAUS_PORT", "RATHAUS_STRIPE_PORT"}
        }
        environment.update(DJANGO_SETTINGS_MODULE="rathaus.config.settings.development", **env)
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); "
                "from django.conf import settings; print(settings.STRIPE_API_BASE)",
            ],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    assert stripe_base() == "http://127.0.0.1:8420"
    assert stripe_base(RATHAUS_PORT="8100") == "http://127.0.0.1:8520"
    assert stripe_base(RATHAUS_STRIPE_PORT="9420") == "http://127.0.0.1:9420"


def test_the_first_of_two_stacks_to_stop_leaves_the_services_to_the_other(tmp_path: Path) -> None:
    # A service the set-up started (standing in for Redis: a process with a pid file),
    # and the lease of a second `make run` that still runs.
    run_dir, leases = tmp_path / "run", tmp_path / "leases"
    run_dir.mkdir()
    leases.mkdir()
    service = subprocess.Popen(["sleep", "300"])
    other_stack = subprocess.Popen(["sleep", "300"])
    try:
        (run_dir / "redis.pid").write_text(f"{service.pid}\n")
        (run_dir / "started-services").write_text("redis\n")
        (leases / str(other_stack.pid)).write_text("/elsewhere\n")

        result = subprocess.run(
            ["bash", str(ROOT / "infra" / "scripts" / "stop-services.sh")],
            env={**os.environ, "RUN_DIR": str(run_dir), "RATHAUS_LEASES": str(leases)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

        assert result.returncode == 0, result.stderr
        assert f"another make run (PID {other_stack.pid}) uses them" in result.stdout
        assert service.poll() is None, "the service was stopped under the other stack"
        assert (run_dir / "started-services").exists()  # the last one to stop stops it
    finally:
        for process in (service, other_stack):
            process.kill()
            process.wait()
