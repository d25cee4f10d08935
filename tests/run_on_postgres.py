"""Run pytest against a real, throw-away PostgreSQL server started for the occasion.

Usage: python tests/run_on_postgres.py [pytest arguments]
       python tests/run_on_postgres.py -- command [arguments]   (any command, e.g. a bench)

Starts a private cluster (initdb + pg_ctl) on a free loopback port in a temporary folder,
runs pytest with CENTREX_DB=postgresql pointing at it, stops and removes the cluster, and
exits with pytest's code. PostgreSQL refuses to run as root, so as root the cluster runs as
the ``postgres`` user the Debian package creates.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        sys.exit("PostgreSQL server binaries not found (apt-get install postgresql)")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def main(args: list[str]) -> int:
    bindir = _bindir()
    base = Path(tempfile.mkdtemp(prefix="centrex-pg-"))
    data = base / "data"
    port = _free_port()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    run = lambda cmd: subprocess.run(_as_owner(cmd), check=True, capture_output=True)  # noqa: E731
    try:
        run([str(bindir / "initdb"), "-D", str(data), "--auth=trust", "-U", "postgres",
             "--encoding=UTF8", "--locale=C"])
        run([str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(base / "log"), "-o",
             f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off", "start"])
        run([str(bindir / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
             "-c", "CREATE ROLE centrex LOGIN CREATEDB PASSWORD 'centrex'"])
        env = dict(os.environ, CENTREX_DB="postgresql", CENTREX_DB_HOST="127.0.0.1",
                   CENTREX_DB_PORT=str(port), CENTREX_DB_USER="centrex",
                   CENTREX_DB_PASSWORD="centrex", CENTREX_DB_NAME="centrex_test")
        print(f"PostgreSQL test server on 127.0.0.1:{port}", flush=True)
        command = args[1:] if args[:1] == ["--"] else [sys.executable, "-m", "pytest", *args]
        return subprocess.run(command, env=env).returncode
    finally:
        subprocess.run(_as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast",
                                  "stop"]), capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
