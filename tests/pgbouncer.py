"""A real PgBouncer (Debian's package) in front of the test database, for the pooling tests.

Each use writes its own configuration and auth file into a fresh folder, starts
``pgbouncer`` on a free port of 127.0.0.1 and stops it again when the block ends.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.local_servers import free_port, local_server

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


@dataclass(frozen=True)
class Bouncer:
    """A running PgBouncer: where it listens and how to reach the database through it."""

    port: int
    database: str
    user: str
    password: str
    log: Path

    def url(self) -> str:
        """A DATABASE_URL for the test database through this PgBouncer."""
        return f"postgres://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.database}"

    def settings_dict(self, base: dict[str, Any]) -> dict[str, Any]:
        """``base`` (Django's settings of a connection) pointed at this PgBouncer."""
        return {**base, "HOST": "127.0.0.1", "PORT": str(self.port)}


@contextmanager
def pgbouncer(*, db: dict[str, Any], pool_mode: str, pool_size: int) -> Iterator[Bouncer]:
    """PgBouncer in ``pool_mode`` with ``pool_size`` server connections to database ``db``.

    ``db`` is a Django connection's ``settings_dict``. PgBouncer refuses to run as
    root, so as root it runs as the ``postgres`` user, which must read its folder.
    """
    if not Path(PGBOUNCER).exists():
        raise RuntimeError("pgbouncer not found: run `make test`, whose set-up installs it")
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="rathaus-pgbouncer-"))
    user, password = db["USER"], db["PASSWORD"]
    # The test password in plain text: PgBouncer uses it for the client's md5 login
    # and for its own login to PostgreSQL (md5 or SCRAM, whatever the server asks).
    (folder / "users.txt").write_text(f'"{user}" "{password}"\n')
    (folder / "pgbouncer.ini").write_text(
        f"""[databases]
{db["NAME"]} = host={db["HOST"] or "127.0.0.1"} port={db["PORT"] or 5432} dbname={db["NAME"]}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = md5
auth_file = {folder / "users.txt"}
admin_users = {user}
pool_mode = {pool_mode}
default_pool_size = {pool_size}
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 500
server_reset_query = DISCARD ALL
query_wait_timeout = 120
; SHOW STATS (the test reads it) without waiting for the default 60 s period.
stats_period = 1
"""
    )
    command = [PGBOUNCER]
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        for path in (folder, *folder.iterdir()):
            os.chown(path, owner.pw_uid, owner.pw_gid)
        command += ["-u", "postgres"]
    command.append(str(folder / "pgbouncer.ini"))
    log = folder / "pgbouncer.log"
    try:
        with (
            log.open("wb") as output,
            local_server(
                command,
                port=port,
                name="PgBouncer",
                stdout=output,
                stderr=subprocess.STDOUT,
            ),
        ):
            yield Bouncer(port=port, database=db["NAME"], user=user, password=password, log=log)
    except BaseException as error:
        # What PgBouncer said is what explains most failures of a test through it.
        error.add_note("PgBouncer's log, last lines:\n" + log.read_text(errors="replace")[-4000:])
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
