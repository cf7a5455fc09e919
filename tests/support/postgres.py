"""A real PostgreSQL server for the tests: initdb + pg_ctl on a temporary folder, a free port.

The suite runs as root in CI, and PostgreSQL refuses to run as root: the server runs as the
`postgres` user (through `runuser`) on a folder it owns. Stopped (and its folder removed) after.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def find_pg_bin() -> Path | None:
    """The folder holding initdb and pg_ctl (newest installed PostgreSQL), or None."""
    for folder in PG_BIN_DIRS:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found and shutil.which("pg_ctl") else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    """A running server: connect as user `postgres` without a password on 127.0.0.1:port."""

    bin_dir: Path
    folder: Path
    port: int
    as_user: list[str]

    def dsn(self, dbname: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname}"

    def create_database(self, name: str) -> str:
        """A new empty database; its libpq DSN."""
        self._run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-q",
                   "-c", f'CREATE DATABASE "{name}"'])  # fmt: skip
        return self.dsn(name)

    def stop(self) -> None:
        self._run(["pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop"])
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, command: list[str]) -> None:
        tool = str(self.bin_dir / command[0])
        subprocess.run(
            [*self.as_user, tool, *command[1:]],
            check=True,
            capture_output=True,
            timeout=120,
        )


def start_postgres() -> PostgresServer:
    """initdb + pg_ctl start on a fresh folder and a free port; raises RuntimeError when the
    binaries are missing."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL's initdb/pg_ctl not found (install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="sostac-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses root: run it as `postgres` on a folder it owns
        shutil.chown(folder, user="postgres", group="postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    folder.chmod(0o755)
    server = PostgresServer(bin_dir, folder, free_port(), as_user)
    server._run(["initdb", "-D", str(folder / "data"), "-U", "postgres", "-A", "trust",
                 "--no-sync", "-E", "UTF8"])  # fmt: skip
    options = f"-p {server.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    server._run(["pg_ctl", "-D", str(folder / "data"), "-o", options, "-l",
                 str(folder / "server.log"), "-w", "start"])  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", server.port)) == 0:
                return server
        time.sleep(0.1)
    server.stop()
    raise RuntimeError("PostgreSQL did not start within 30 s")
