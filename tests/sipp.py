"""A small harness around SIPp (and a Python RTP peer) for the integration tests.

SIPp plays the phones: each scenario in ``tests/sip`` runs as one SIPp process, either in the
foreground (``Sipp.run`` returns a ``SippResult``) or in the background (``Sipp.start``, then
``wait``/``stop``), always bounded by SIPp's own ``-timeout`` and by a hard kill behind it.
Every run keeps SIPp's message, error and ``<log>`` traces in a work folder, and a failed
assertion shows their tail, so that a failing CI run can be understood from its output.

SIPp cannot check the audio it receives, so the RTP side of a call is played by ``RtpPeer``,
a UDP socket owned by the test: the scenarios put its port in their SDP (``-set mport``) and
log the address Asterisk answered with (``REMOTE_RTP <ip> <port>``).
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

SIP_DIR = Path(__file__).parent / "sip"
HOST = "127.0.0.1"
# How long after SIPp's own -timeout the harness kills a process that did not exit.
KILL_GRACE = 10.0
# SIPp's exit code after ``<exec int_cmd="stop_now"/>``, which ends the phone scenarios
# (``uas_*``) once their call is over.
STOPPED_BY_SCENARIO = 97
END_LOG = "SCENARIO END"
TAIL_LINES = 80


def sipp_available() -> bool:
    return shutil.which("sipp") is not None


def free_udp_port(span: int = 1) -> int:
    """A UDP port on the loopback that is free now (with the ``span - 1`` ports after it)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind((HOST, 0))
            port = probe.getsockname()[1]
        if port + span < 65535 and all(_udp_free(port + i) for i in range(span)):
            return port
    raise RuntimeError("no free UDP port on the loopback")


def _udp_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def wait_udp_bound(port: int, timeout: float = 5.0) -> bool:
    """Wait until some process listens on a UDP port of the loopback."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _udp_free(port):
            return True
        time.sleep(0.02)
    return False


def _tail(text: str, lines: int = TAIL_LINES) -> str:
    kept = text.splitlines()[-lines:]
    return "\n".join(kept)


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except FileNotFoundError:
        return ""


@dataclass
class SippResult:
    """What one SIPp process did: its exit code and its traces."""

    name: str
    command: list[str]
    returncode: int
    messages: str
    errors: str
    logs: list[str]
    stderr: str
    killed: bool = False

    @property
    def ok(self) -> bool:
        """Every call succeeded: exit code 0, or the phone scenarios' own stop at their end."""
        if self.killed:
            return False
        return self.returncode == 0 or (
            self.returncode == STOPPED_BY_SCENARIO and self.has_log(END_LOG))

    def has_log(self, prefix: str) -> bool:
        return any(line.startswith(prefix) for line in self.logs)

    def describe(self) -> str:
        """A report for assertion messages: the command, the exit code and the traces' tails."""
        return (
            f"\n=== SIPp {self.name}: exit code {self.returncode}"
            f"{' (killed after its timeout)' if self.killed else ''}\n"
            f"$ {' '.join(self.command)}\n"
            f"--- <log> lines:\n{_tail(chr(10).join(self.logs), 20)}\n"
            f"--- error log (tail):\n{_tail(self.errors, 30)}\n"
            f"--- stderr (tail):\n{_tail(self.stderr, 10)}\n"
            f"--- SIP messages (tail):\n{_tail(self.messages)}\n"
        )

    def assert_ok(self, what: str = "") -> SippResult:
        assert self.ok, f"{what or self.name} failed{self.describe()}"
        return self


@dataclass
class Sipp:
    """One SIPp process running one scenario of ``tests/sip`` against Asterisk."""

    scenario: str
    remote_port: int
    workdir: Path
    local_port: int = 0
    variables: dict[str, str | int] = field(default_factory=dict)
    auth: tuple[str, str] | None = None
    hold_ms: int | None = None
    rtp_echo: bool = False
    timeout: float = 30.0
    name: str = ""
    media_port: int = 0
    proc: subprocess.Popen | None = None
    _stderr: object = None
    _result: SippResult | None = None

    def __post_init__(self) -> None:
        if not self.local_port:
            self.local_port = free_udp_port()
        self.name = self.name or f"{self.scenario}-{self.local_port}"
        self.workdir.mkdir(parents=True, exist_ok=True)
        # SIPp binds its own media (echo) port and the one two above it; keep them free.
        self.media_port = self.media_port or free_udp_port(span=4)

    # -- files ---------------------------------------------------------------------------
    def _file(self, kind: str) -> Path:
        return self.workdir / f"{self.name}.{kind}.log"

    def command(self) -> list[str]:
        cmd = [
            "sipp", "-sf", str(SIP_DIR / f"{self.scenario}.xml"),
            f"{HOST}:{self.remote_port}",
            "-i", HOST, "-p", str(self.local_port),
            "-mi", HOST, "-mp", str(self.media_port),
            *self._call_limit(),
            "-timeout", f"{math.ceil(self.timeout)}s", "-timeout_error",
            "-aa",  # answer the OPTIONS (qualify) and NOTIFY (MWI) Asterisk sends to phones
            "-nostdin",
            "-trace_msg", "-message_file", str(self._file("messages")),
            "-trace_err", "-error_file", str(self._file("errors")),
            "-trace_logs", "-log_file", str(self._file("logs")),
        ]
        if self.rtp_echo:
            cmd.append("-rtp_echo")
        if self.hold_ms is not None:
            cmd += ["-d", str(self.hold_ms)]
        if self.auth:
            cmd += ["-au", self.auth[0], "-ap", self.auth[1]]
        for key, value in self.variables.items():
            cmd += ["-set", key, str(value)]
        return cmd

    def _call_limit(self) -> list[str]:
        """``-m 1`` for the scenarios that place one call or registration.

        A phone (``uas_*``) must not get it: Asterisk's qualify OPTIONS and MWI NOTIFY are
        new dialogs to SIPp, and one arriving before the INVITE would take the only call
        slot and drop the INVITE. Those scenarios stop SIPp themselves at their end.
        """
        return [] if self.scenario.startswith("uas_") else ["-m", "1"]

    # -- life cycle ----------------------------------------------------------------------
    def start(self) -> Sipp:
        assert self.proc is None, "already started"
        for kind in ("messages", "errors", "logs", "stderr"):
            self._file(kind).unlink(missing_ok=True)
        self._stderr = self._file("stderr").open("wb")
        self.proc = subprocess.Popen(
            self.command(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=self._stderr, cwd=self.workdir, start_new_session=True,
        )
        return self

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait(self, timeout: float | None = None) -> SippResult:
        """Wait for SIPp to end (killing it after its own timeout plus a grace period)."""
        assert self.proc is not None, "not started"
        if self._result is not None:
            return self._result
        killed = False
        try:
            self.proc.wait(timeout=timeout if timeout is not None else self.timeout + KILL_GRACE)
        except subprocess.TimeoutExpired:
            self.stop()
            killed = True
        return self._finish(killed)

    def stop(self) -> None:
        """End the process now (teardown, or a test that no longer needs it)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        for sig, grace in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(timeout=grace)
                return
            except subprocess.TimeoutExpired:
                continue

    def _finish(self, killed: bool) -> SippResult:
        assert self.proc is not None
        if self._stderr is not None:
            self._stderr.close()
        self._result = SippResult(
            name=self.name,
            command=self.command(),
            returncode=self.proc.returncode if self.proc.returncode is not None else -1,
            messages=_read(self._file("messages")),
            errors=_read(self._file("errors")),
            logs=self.log_lines(),
            stderr=_read(self._file("stderr")),
            killed=killed,
        )
        return self._result

    def run(self) -> SippResult:
        return self.start().wait()

    # -- reading its <log> lines while it runs -------------------------------------------
    def log_lines(self) -> list[str]:
        return [line for line in _read(self._file("logs")).splitlines() if line.strip()]

    def wait_for_log(self, prefix: str, timeout: float = 15.0) -> str:
        """Wait for a ``<log>`` line starting with ``prefix``; fail with SIPp's traces."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.log_lines():
                if line.startswith(prefix):
                    return line
            if not self.running():
                break
            time.sleep(0.05)
        for line in self.log_lines():
            if line.startswith(prefix):
                return line
        raise AssertionError(f"SIPp {self.name} never logged {prefix!r}{self.report()}")

    def report(self) -> str:
        """SIPp's traces so far, for assertion messages (with its exit code once ended)."""
        if self.proc is not None and not self.running():
            return self.wait(timeout=1).describe()
        return (
            f"\n=== SIPp {self.name} (still running)\n$ {' '.join(self.command())}\n"
            f"--- error log (tail):\n{_tail(_read(self._file('errors')), 30)}\n"
            f"--- SIP messages (tail):\n{_tail(_read(self._file('messages')))}\n"
        )


class SippRunner:
    """Starts SIPp processes against one Asterisk and makes sure none outlives the test."""

    def __init__(self, sip_port: int, workdir: Path) -> None:
        self.sip_port = sip_port
        self.workdir = workdir
        self.procs: list[Sipp] = []

    def sipp(self, scenario: str, **kwargs) -> Sipp:
        proc = Sipp(scenario, self.sip_port, self.workdir, **kwargs)
        self.procs.append(proc)
        return proc

    def register(self, user: str, password: str, *, local_port: int = 0,
                 expires: int = 120, timeout: float = 10.0) -> SippResult:
        """REGISTER ``user`` (digest auth) from ``local_port``; returns SIPp's result."""
        return self.sipp(
            "register", local_port=local_port, auth=(user, password),
            variables={"user": user, "expires": expires}, timeout=timeout,
        ).run()

    def register_refused(self, user: str, password: str, *, timeout: float = 10.0) -> SippResult:
        """REGISTER with credentials that must be refused (exit code 0 when refused)."""
        return self.sipp(
            "register_refused", auth=(user, password), variables={"user": user},
            timeout=timeout,
        ).run()

    def callee(self, user: str, password: str, scenario: str = "uas_answer", *,
               ring_ms: int = 500, rtp_echo: bool = False, timeout: float = 30.0) -> Sipp:
        """A phone that registers, then waits for a call (``uas_answer`` or ``uas_ring``).

        The registration and the phone are two SIPp runs on the same local port: SIPp
        cannot both place a REGISTER and accept a new INVITE dialog in one scenario.
        With ``rtp_echo`` the phone sends back the RTP it receives.
        """
        port = free_udp_port()
        self.register(user, password, local_port=port).assert_ok(f"registration of {user}")
        proc = self.sipp(scenario, local_port=port, hold_ms=ring_ms, timeout=timeout,
                         rtp_echo=rtp_echo, name=f"{scenario}-{user}")
        proc.start()
        if not wait_udp_bound(port):
            raise AssertionError(f"SIPp {proc.name} did not bind its port{proc.report()}")
        return proc

    def caller(self, user: str, password: str, dest: str, *, media_port: int,
               hold_ms: int = 2000, local_port: int = 0, timeout: float = 30.0) -> Sipp:
        """A phone that calls ``dest`` and hangs up ``hold_ms`` after the answer (started).

        ``media_port`` is the RTP port its SDP offers (an ``RtpPeer``'s); the scenario logs
        Asterisk's RTP address as ``REMOTE_RTP <ip> <port>`` (see ``remote_rtp``).
        """
        return self.sipp(
            "uac_call", auth=(user, password), hold_ms=hold_ms, timeout=timeout,
            local_port=local_port, name=f"uac_call-{user}-{dest}",
            variables={"user": user, "dest": dest, "mport": media_port},
        ).start()

    def close(self) -> None:
        for proc in self.procs:
            proc.stop()


# -- RTP -----------------------------------------------------------------------------------
PCMA = 8
DTMF = 101  # telephone-event, as offered by the scenarios that send keys
FRAME_BYTES = 160  # 20 ms of 8 kHz G.711
FRAME_SECONDS = 0.020


def _alaw(sample: int) -> int:
    """G.711 A-law encoding of one signed 16-bit sample."""
    sign = 0x80 if sample >= 0 else 0x00
    magnitude = (sample if sample >= 0 else -sample - 1) >> 3  # 12-bit magnitude
    if magnitude < 32:
        code = magnitude >> 1
    else:
        exponent = magnitude.bit_length() - 5  # 1..7
        mantissa = (magnitude >> exponent) & 0x0F
        code = (exponent << 4) | mantissa
    return (code | sign) ^ 0x55


def alaw_tone(seconds: float, frequency: float = 440.0, amplitude: int = 8000) -> bytes:
    """A sine tone as A-law samples (8 kHz), e.g. for a voicemail message."""
    count = int(seconds * 8000)
    return bytes(
        _alaw(int(amplitude * math.sin(2 * math.pi * frequency * n / 8000)))
        for n in range(count)
    )


def marked_payload(index: int) -> bytes:
    """A 160-byte payload that says which packet it is, to recognize it when it comes back."""
    head = f"CENTREX-RTP-{index:05d}-".encode()
    return (head * (FRAME_BYTES // len(head) + 1))[:FRAME_BYTES]


class RtpPeer:
    """A UDP socket playing the media side of a SIPp phone: sends RTP, keeps what it gets."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((HOST, 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._ssrc = int.from_bytes(os.urandom(4), "big")
        self._seq = int.from_bytes(os.urandom(2), "big")
        self._ts = 0

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                data = self.sock.recv(2048)
            except TimeoutError:
                continue
            except OSError:
                return
            self.received.append(data)

    def payloads(self) -> list[bytes]:
        """Payloads of the RTP packets received so far (12-byte header, no CSRC/extension)."""
        out = []
        for packet in list(self.received):
            if len(packet) >= 12 and packet[0] >> 6 == 2:
                csrc = packet[0] & 0x0F
                out.append(packet[12 + 4 * csrc:])
        return out

    def send(self, dest: tuple[str, int], payloads: Iterable[bytes],
             payload_type: int = PCMA) -> int:
        """Send payloads as an RTP stream paced at 20 ms; returns how many were sent."""
        sent = 0
        start = time.monotonic()
        for i, payload in enumerate(payloads):
            marker = 0x80 if sent == 0 else 0
            header = struct.pack("!BBHII", 0x80, marker | payload_type, self._seq & 0xFFFF,
                                 self._ts & 0xFFFFFFFF, self._ssrc)
            self.sock.sendto(header + payload, dest)
            self._seq += 1
            self._ts += len(payload)
            sent += 1
            delay = start + (i + 1) * FRAME_SECONDS - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        return sent

    def send_dtmf(self, dest: tuple[str, int], digit: str, ms: int = 200) -> None:
        """One key press as RFC 4733 telephone events (payload type 101, what the phones'
        endpoints use: dtmf_mode rfc4733): ``ms`` of updates, then the end packet 3 times."""
        event = "0123456789*#".index(digit)
        start_ts = self._ts
        steps = max(1, ms // 20)
        for step in range(1, steps + 4):
            end = step > steps
            duration = min(step, steps) * FRAME_BYTES
            marker = 0x80 if step == 1 else 0
            payload = struct.pack("!BBH", event, (0x80 if end else 0) | 10, duration)
            header = struct.pack("!BBHII", 0x80, marker | DTMF, self._seq & 0xFFFF,
                                 start_ts & 0xFFFFFFFF, self._ssrc)
            self.sock.sendto(header + payload, dest)
            self._seq += 1
            time.sleep(FRAME_SECONDS)
        self._ts = start_ts + steps * FRAME_BYTES

    def send_audio(self, dest: tuple[str, int], audio: bytes) -> int:
        frames = (audio[i:i + FRAME_BYTES] for i in range(0, len(audio), FRAME_BYTES))
        return self.send(dest, (f for f in frames if len(f) == FRAME_BYTES))

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
        self._reader.join(timeout=1)


def alaw_decode(data: bytes) -> list[int]:
    """G.711 A-law bytes to signed 16-bit samples."""
    out = []
    for byte in data:
        value = byte ^ 0x55
        exponent, mantissa = (value >> 4) & 0x07, value & 0x0F
        magnitude = (mantissa << 4) + 8 if exponent == 0 else ((mantissa << 4) + 0x108) << (
            exponent - 1)
        out.append(magnitude if value & 0x80 else -magnitude)
    return out


def tone_share(samples: list[int], frequency: float, rate: int = 8000) -> float:
    """How much of the signal's energy is at ``frequency`` (Goertzel), from 0 to 1: tells
    which of several test prompts, each a tone of its own, the far end played."""
    if not samples:
        return 0.0
    coeff = 2 * math.cos(2 * math.pi * frequency / rate)
    s_prev = s_prev2 = 0.0
    for sample in samples:
        s_prev, s_prev2 = sample + coeff * s_prev - s_prev2, s_prev
    power = s_prev2 ** 2 + s_prev ** 2 - coeff * s_prev * s_prev2
    energy = sum(x * x for x in samples)
    return 0.0 if energy == 0 else min(1.0, 2 * power / (len(samples) * energy))


def remote_rtp(log_line: str) -> tuple[str, int]:
    """Parse a scenario's ``REMOTE_RTP <ip> <port>`` log line."""
    _, ip, port = log_line.split()
    return ip, int(port)
