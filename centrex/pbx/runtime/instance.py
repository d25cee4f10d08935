"""One managed Asterisk instance: its folders inside the shared root, its ports, its life.

Several instances (the demo, a test session) share one Debian root. Each has a folder
``/srv/centrex/<name>`` inside the root holding its etc, spool, log, run and lib folders,
its own ``asterisk.conf`` pointing at them, and its own loopback ports, so they never
collide. Asterisk runs under ``chroot`` and drops to the root's ``asterisk`` user itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from centrex.pbx.confgen import realtime
from centrex.pbx.fileutil import atomic_write
from centrex.pbx.runtime import files
from centrex.pbx.runtime.build import is_built

ASTERISK = "/usr/sbin/asterisk"
ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")


class RuntimeFailure(RuntimeError):
    """The managed Asterisk could not be started, stopped or reached."""


@dataclass
class Instance:
    """The persistent description of an instance, stored as JSON in the var folder."""

    name: str
    root: str
    ports: dict[str, int]
    ami_user: str = "centrex"
    ami_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    http_user: str = "centrex"
    http_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    # -- persistence ---------------------------------------------------------------------
    @classmethod
    def load(cls, state_file: Path) -> Instance | None:
        if not state_file.exists():
            return None
        return cls(**json.loads(state_file.read_text()))

    def save(self, state_file: Path) -> None:
        state_file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(state_file, json.dumps(asdict(self), indent=2, sort_keys=True), 0o600)

    # -- paths -----------------------------------------------------------------------------
    @property
    def root_path(self) -> Path:
        return Path(self.root)

    @property
    def chroot_dir(self) -> str:
        """The instance folder as Asterisk sees it, inside the chroot."""
        return f"/srv/centrex/{self.name}"

    @property
    def host_dir(self) -> Path:
        """The same folder as Centrex sees it, from outside the chroot."""
        return self.root_path / self.chroot_dir.lstrip("/")

    @property
    def etc_dir(self) -> Path:
        return self.host_dir / "etc"

    @property
    def spool_dir(self) -> Path:
        return self.host_dir / "spool"

    @property
    def realtime_db(self) -> Path:
        return self.host_dir / "lib" / realtime.DB_NAME

    @property
    def log_dir(self) -> Path:
        return self.host_dir / "log"

    @property
    def module_dir(self) -> str:
        """Where the Debian package put the modules (architecture-dependent)."""
        stock = self.root_path / "etc/asterisk/asterisk.conf"
        if stock.exists():
            for line in stock.read_text(errors="replace").splitlines():
                key, sep, value = line.partition("=>")
                if sep and key.strip() == "astmoddir":
                    return value.strip()
        return "/usr/lib/asterisk/modules"

    @property
    def ami(self) -> dict:
        return {
            "host": "127.0.0.1",
            "port": self.ports["ami"],
            "username": self.ami_user,
            "secret": self.ami_secret,
        }

    def _conf_arg(self) -> list[str]:
        return ["-C", f"{self.chroot_dir}/etc/asterisk.conf"]

    # -- preparing the folders -------------------------------------------------------------
    def _asterisk_ids(self) -> tuple[int, int]:
        for line in (self.root_path / "etc/passwd").read_text().splitlines():
            parts = line.split(":")
            if parts[0] == "asterisk":
                return int(parts[2]), int(parts[3])
        raise RuntimeFailure("the Asterisk root has no 'asterisk' user")

    def prepare(self) -> None:
        """Create the instance folders and write the runtime and stock files."""
        if not is_built(self.root_path):
            raise RuntimeFailure(
                f"no Asterisk root at {self.root}: run 'centrex asterisk build' first"
            )
        uid, gid = self._asterisk_ids()
        # cdr_csv does not create its folder (the Debian package makes it under /var/log).
        for sub in ("etc", "spool", "log", "log/cdr-csv", "log/cdr-custom", "run", "lib",
                    "lib/keys", "cache"):
            path = self.host_dir / sub
            path.mkdir(parents=True, exist_ok=True)
            os.chown(path, uid, gid)
        os.chmod(self.etc_dir, 0o750)  # noqa: S103 - Asterisk (the group) reads it
        realtime.ensure_schema(self.realtime_db)
        for name, text in files.runtime_files(self).items():
            atomic_write(self.etc_dir / name, text)
        for name, text in files.STOCK_FILES.items():
            if not (self.etc_dir / name).exists():
                atomic_write(self.etc_dir / name, text)
            elif name in files.STOCK_LINES:  # an older instance: add the missing includes
                current = (self.etc_dir / name).read_text(errors="replace")
                if files.with_stock_lines(name, current) != current:
                    atomic_write(self.etc_dir / name, files.with_stock_lines(name, current))
        for name in files.COPIED_FILES:
            src = self.root_path / "etc/asterisk" / name
            if src.exists() and not (self.etc_dir / name).exists():
                text = files.adapt_stock(name, src.read_text(errors="replace"))
                atomic_write(self.etc_dir / name, text)
        for dirpath, _dirs, filenames in os.walk(self.host_dir):
            for name in filenames:
                os.chown(os.path.join(dirpath, name), uid, gid)

    # -- life cycle ------------------------------------------------------------------------
    def pid(self) -> int | None:
        """The pid of this instance's Asterisk if it is running, else None."""
        pidfile = self.host_dir / "run" / "asterisk.pid"
        try:
            pid = int(pidfile.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            return None
        return pid if b"asterisk" in cmdline and self.chroot_dir.encode() in cmdline else None

    def is_running(self) -> bool:
        return self.pid() is not None

    def start(self, timeout: float = 60.0) -> None:
        """Start Asterisk (daemonized) and return once it is fully booted and AMI answers."""
        if self.is_running():
            return
        self.prepare()
        # Right after a stop the ports can take a moment to be released: wait a little
        # before calling one taken, and then say who holds it.
        ports_deadline = time.monotonic() + 10
        for port_name in ("ami", "sip", "http"):
            port = self.ports[port_name]
            while not _port_free(port):
                if time.monotonic() > ports_deadline:
                    raise RuntimeFailure(
                        f"port {port} ({port_name}) is already in use on 127.0.0.1"
                        f"{_holder(port)}"
                    )
                time.sleep(0.2)
        proc = subprocess.run(
            ["chroot", self.root, ASTERISK, *self._conf_arg()],
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
        if proc.returncode != 0:
            raise RuntimeFailure(f"Asterisk did not start: {proc.stderr.strip() or proc.stdout}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.is_running() and _ami_banner(self.ports["ami"]):
                out = self.cli("core waitfullybooted", timeout=deadline - time.monotonic())
                if "fully booted" in out.lower() or out == "":
                    return
            time.sleep(0.1)
        raise RuntimeFailure(f"Asterisk did not answer within {timeout:.0f} s; see {self.log_dir}")

    def stop(self, timeout: float = 30.0) -> None:
        """Stop Asterisk now (calls in progress are hung up), waiting until it is gone."""
        pid = self.pid()
        if pid is None:
            return
        with contextlib.suppress(RuntimeFailure):
            self.cli("core stop now", timeout=10)
        # Wait for the process itself, not its pid file: Asterisk removes the file early in
        # its shutdown, while it still holds its ports.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.1)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
            while _alive(pid) and time.monotonic() < deadline + 5:
                time.sleep(0.1)

    def cli(self, command: str, timeout: float = 30.0) -> str:
        """Run one Asterisk CLI command through the instance's control socket."""
        if not self.is_running():
            raise RuntimeFailure("Asterisk is not running")
        try:
            proc = subprocess.run(
                ["chroot", self.root, ASTERISK, *self._conf_arg(), "-n", "-rx", command],
                capture_output=True,
                text=True,
                check=False,
                timeout=max(timeout, 1),
            )
        except subprocess.TimeoutExpired as exc:
            raise RuntimeFailure(f"Asterisk CLI did not answer: {command}") from exc
        if proc.returncode != 0:
            raise RuntimeFailure(proc.stderr.strip() or f"Asterisk CLI failed: {command}")
        return ANSI_RE.sub("", proc.stdout).strip()

    def destroy(self) -> None:
        """Stop and remove the instance folder (test sessions clean up after themselves)."""
        self.stop()
        shutil.rmtree(self.host_dir, ignore_errors=True)


def _alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _holder(port: int) -> str:
    """Which process listens on ``port`` (for the error message), if ``ss`` can tell."""
    try:
        out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True,
                             text=True, timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return f" (by: {out})" if out else ""


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _ami_banner(port: int) -> bool:
    """True once something on the AMI port greets us like Asterisk's manager does."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            return sock.recv(64).startswith(b"Asterisk Call Manager")
    except OSError:
        return False


def _free_port(rng: range) -> int:
    """A port free for both TCP and UDP on loopback, from ``rng``."""
    for _ in range(200):
        port = rng.start + secrets.randbelow(len(rng))
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp, \
                socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            try:
                tcp.bind(("127.0.0.1", port))
                udp.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeFailure(f"no free port in {rng.start}-{rng.stop - 1}")


def free_ports(rtp_span: int = 200) -> dict[str, int]:
    """Pick free loopback ports for a throw-away instance (test sessions, benchmarks).

    Below 32768, out of the range Linux hands out to outgoing connections: otherwise a
    client reconnecting while Asterisk restarts can be given the AMI port itself.
    """
    picked: list[int] = []
    while len(picked) < 3:
        port = _free_port(range(12000, 20000))
        if port not in picked:
            picked.append(port)
    rtp_start = 20000 + secrets.randbelow((32000 - 20000) // rtp_span) * rtp_span
    return {
        "ami": picked[0],
        "sip": picked[1],
        "http": picked[2],
        "rtp_start": rtp_start,
        "rtp_end": rtp_start + rtp_span - 1,
    }
