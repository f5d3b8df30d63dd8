"""A throw-away PostgreSQL server for the tests: Debian's postgresql, a cluster in a temp dir.

`make postgres` installs the package when it is missing; this module never skips: if
``initdb`` cannot be found the tests fail and say how to get it.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if out and (Path(out) / "initdb").is_file():
            return Path(out)
    raise RuntimeError("PostgreSQL's initdb was not found: run `make postgres` (installs Debian's postgresql package)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    base: Path
    port: int
    password: str
    bindir: Path
    as_user: list[str]

    def url(self, db: str) -> str:
        return f"postgresql://postgres:{self.password}@127.0.0.1:{self.port}/{db}"

    def run(self, *cmd: str) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([*self.as_user, *cmd], capture_output=True, text=True, timeout=120, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.strip() or proc.stdout.strip()}")
        return proc

    def create_db(self, name: str) -> str:
        """A new empty database; returns its URL."""
        self.run(str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)

    def stop(self) -> None:
        try:
            self.run(str(self.bindir / "pg_ctl"), "-D", str(self.base / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


def start() -> PgServer:
    """initdb a cluster in a fresh temp dir and start it on 127.0.0.1 at a free port."""
    bindir = _bindir()
    base = Path(tempfile.mkdtemp(prefix="careerkit-pg-", dir="/tmp"))
    password = secrets.token_hex(12)
    (base / "pwfile").write_text(password + "\n", encoding="utf-8")
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(base, "postgres", "postgres")
        shutil.chown(base / "pwfile", "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    os.chmod(base, 0o700)
    env_pw = ["env", f"PGPASSWORD={password}"]
    server = PgServer(base, _free_port(), password, bindir, [*as_user, *env_pw])
    server.run(str(bindir / "initdb"), "-D", str(base / "data"), "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
               f"--pwfile={base / 'pwfile'}", "-E", "UTF8")  # fmt: skip
    opts = f"-c listen_addresses=127.0.0.1 -p {server.port} -k {base} -c fsync=off -c max_connections=50"
    server.run(str(bindir / "pg_ctl"), "-D", str(base / "data"), "-l", str(base / "log"), "-o", opts, "-w", "start")
    return server
