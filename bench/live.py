"""Benchmark: live supervision under a steady flow of queue calls (issue 5, "Benchmark").

What it runs, all on the loopback and thrown away at the end:
- its own managed Asterisk (free ports, a throw-away database: never a running demo);
- the portal as `centrex run` serves it (uvicorn + the AMI event listener), started with the
  tests' `running_portal` helper, plus a measuring hook (see PORTAL below);
- one queue with AGENTS agents, whose phones are one SIPp process answering every call;
- a supervisor's SSE stream of the queue's page, read by a plain HTTP client (the tests'
  `SseReader`), as a browser's htmx would;
- SIPp callers placing calls at a steady rate (-r) for DURATION seconds, each held HOLD_MS
  after the queue answers it, for increasing rates, stopping at the first failing one.

Measured per rate: AMI events per second the live engine applied, CPU used by the portal
process, the delay from an event to the stream's push that shows it (p50/p95/max), and
whether anything was lost (the stream's final received / answered + abandoned counts equal
the calls SIPp placed). A rate passes when nothing is lost, no SIPp call failed and the p95
delay is within 0.5 s (issue 5: "within 0.5 s of the Asterisk event").

Usage: `make bench` (after bench/apply.py) or `.venv/bin/python bench/live.py`.
Results: docs/performance.md, "Live supervision".
"""

from __future__ import annotations

import bisect
import os
import platform
import re
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The test settings: SQLite in the throw-away folder, fast password hashing for the users
# created here, and the same settings the portal subprocess of `running_portal` uses.
os.environ["CENTREX_VAR_DIR"] = tempfile.mkdtemp(prefix="centrex-bench-live-")
os.environ["CENTREX_AUTO_APPLY"] = "0"
os.environ["DJANGO_SETTINGS_MODULE"] = "centrex.settings.test"
STATS_FILE = Path(os.environ["CENTREX_VAR_DIR"]) / "live-stats.log"
os.environ["CENTREX_BENCH_STATS"] = str(STATS_FILE)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402

import tests.e2e.conftest as portal_helpers  # noqa: E402
from centrex.contact_center import agents, services  # noqa: E402
from centrex.contact_center.models import Queue  # noqa: E402
from centrex.pbx import apply as pbx_apply  # noqa: E402
from centrex.pbx.runtime import Instance, build, free_ports  # noqa: E402
from centrex.telephony.services import create_phone_with_user  # noqa: E402
from tests.conftest import ManagedAsterisk  # noqa: E402
from tests.integration.test_calls import Line  # noqa: E402
from tests.integration.test_supervision import SseReader, count, session_cookie  # noqa: E402
from tests.sipp import Sipp, SippRunner, free_udp_port, sipp_available, wait_udp_bound  # noqa: E402

# Calls per second, in this order; stop at the first failure. The environment can shorten
# a trial run (BENCH_LIVE_RATES=1,5 BENCH_LIVE_DURATION=5); the documented run uses these.
RATES = tuple(int(r) for r in os.environ.get("BENCH_LIVE_RATES", "1,2,5,7,10,20").split(","))
DURATION = int(os.environ.get("BENCH_LIVE_DURATION", "20"))  # seconds of calls at each rate
HOLD_MS = 2000  # each call lasts this long after the queue answers it (waiting + talking)
RING_MS = 100  # an agent's phone rings this long before answering
AGENTS = 48  # enough for 20 calls/s held 2 s, with room for the talk-time spread
SETTLE = 15.0  # seconds after the last call for the counts to add up (else: "lost")
TARGET_P95 = 0.5  # seconds (issue 5)
QUEUE_NAME, QUEUE_EXTENSION = "BenchLive", "7990"
FIRST_EXTENSION = 7000  # agents 7000..., the caller and the supervisor after them

# The portal as tests/e2e/conftest.py runs it, plus a measuring hook that changes nothing
# in the engine: `live.state.apply` is wrapped to note, for each event that changed the
# state, the version it produced, when it reached the engine and when Asterisk sent it (the
# AMI Timestamp header, timestampevents = yes here), and the AMI client's "*" subscription
# counts every event the listener reads (the engine takes 16 kinds of them); a thread
# writes those notes with the process's CPU times and the engine's event counter to
# STATS_FILE every 0.2 s. The lines:
#   S <wall time> <events applied> <cpu user+system seconds> <AMI events read>
#   C <version> <reached the engine> <Asterisk timestamp or 0> <queues, comma-separated>
PORTAL = """
import os, sys, threading, time, django, uvicorn
django.setup()
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application
from centrex.pbx import events, live
from centrex.pbx.ami import AMIClient

ami_events = [0]
plain_on = AMIClient.on

def counting_on(self, event, callback):
    if event == "*":
        def counted(message, _callback=callback):
            ami_events[0] += 1
            return _callback(message)
        return plain_on(self, event, counted)
    return plain_on(self, event, callback)

AMIClient.on = counting_on
notes = []
engine_apply = live.state.apply

def measured_apply(msg, received=None):
    before = live.state.version
    engine_apply(msg, received)
    if live.state.version != before:
        queues = ",".join(sorted(getattr(live.state, "_bench_changed", ()) or ()))
        notes.append(f"C {live.state.version} {live.state.last_event_at:.6f} "
                     f"{float(msg.get('Timestamp') or 0):.6f} {queues}")

def changed(queues, received):
    live.state._bench_changed = queues or ("*",)

live.state.add_listener(changed)
live.state.apply = measured_apply

def write_stats():
    with open(os.environ["CENTREX_BENCH_STATS"], "a", buffering=1) as out:
        while True:
            time.sleep(0.2)
            taken = []
            while notes:
                taken.append(notes.pop(0))
            cpu = os.times()
            taken.append(f"S {time.time():.6f} {live.state.events} {cpu.user + cpu.system:.3f}"
                         f" {ami_events[0]}")
            out.write("\\n".join(taken) + "\\n")

threading.Thread(target=write_stats, daemon=True).start()
events.start()
uvicorn.run(ASGIStaticFilesHandler(get_asgi_application()), host="127.0.0.1",
            port=int(sys.argv[1]), log_level="warning")
"""


class ManySipp(Sipp):
    """A SIPp run of many calls: the harness gives `-m 1` to callers and nothing to phones;
    here the caller places `calls` calls at `rate` per second, and the agents' phone takes
    calls until it is stopped."""

    calls: int = 0
    rate: float = 0.0

    def _call_limit(self) -> list[str]:
        if not self.calls:
            return []
        return ["-m", str(self.calls), "-r", f"{self.rate:g}", "-rp", "1000",
                "-l", str(10 * AGENTS)]


@dataclass
class Result:
    """One rate's figures."""

    rate: int
    placed: int
    failed: int
    received: int
    answered: int
    abandoned: int
    events_per_s: float
    ami_per_s: float
    cpu_percent: float
    pushes: int
    engine_delays: list[float]
    asterisk_delays: list[float]

    @property
    def lost(self) -> int:
        """Calls SIPp placed that the stream's counts do not show (received, and then
        answered or abandoned)."""
        return max(self.placed - self.received, self.placed - self.answered - self.abandoned, 0)

    @property
    def counts_match(self) -> bool:
        return self.received == self.placed == self.answered + self.abandoned

    @property
    def passed(self) -> bool:
        """Nothing lost and p95 within the target, counted from the event reaching the
        engine (the measure asked for)."""
        return (self.failed == 0 and self.counts_match and bool(self.engine_delays)
                and percentile(self.engine_delays, 95) <= TARGET_P95)

    @property
    def passed_from_asterisk(self) -> bool:
        """The same, counted from Asterisk's own event timestamp: includes the time the
        event waits in the listener before the engine applies it."""
        return (self.passed and bool(self.asterisk_delays)
                and percentile(self.asterisk_delays, 95) <= TARGET_P95)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: a reported value was really measured)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-pct * len(ordered) // 100))))
    return ordered[rank - 1]


# -- the portal's notes ------------------------------------------------------------------------
Sample = tuple[float, int, float, int]


def read_stats() -> tuple[list[Sample], list[tuple[int, float, float, str]]]:
    """The S and C lines of STATS_FILE (see PORTAL)."""
    samples, changes = [], []
    text = STATS_FILE.read_text() if STATS_FILE.exists() else ""
    for line in text.splitlines():
        parts = line.split(" ")
        if parts[0] == "S" and len(parts) == 5:
            samples.append((float(parts[1]), int(parts[2]), float(parts[3]), int(parts[4])))
        elif parts[0] == "C" and len(parts) >= 4:
            changes.append((int(parts[1]), float(parts[2]), float(parts[3]),
                            parts[4] if len(parts) > 4 else ""))
    return samples, changes


def last_sample() -> Sample:
    """The newest S line, waiting for the next one so that it is fresh."""
    before = read_stats()[0]
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        samples = read_stats()[0]
        if len(samples) > len(before):
            return samples[-1]
        time.sleep(0.05)
    raise RuntimeError("the portal's measuring hook wrote nothing (see its log)")


# -- the set-up --------------------------------------------------------------------------------
def start_asterisk() -> ManagedAsterisk:
    """A managed Asterisk as the tests' session fixture starts it (tests/conftest.py), with
    AMI timestamps on events so that delays can be counted from Asterisk's own clock."""
    call_command("migrate", verbosity=0)
    root = Path(settings.CENTREX_ASTERISK["ROOT"])
    build(root)
    inst = Instance(name=f"bench-live-{os.getpid()}", root=str(root), ports=free_ports())
    inst.save(Path(settings.CENTREX_ASTERISK["STATE_FILE"]))
    inst.prepare()
    pbx_apply.write_only()
    inst.start()
    pbx_apply.apply()
    manager = inst.etc_dir / "manager.conf"
    manager.write_text(manager.read_text().replace("[general]\n",
                                                   "[general]\ntimestampevents = yes\n", 1))
    inst.cli("manager reload")
    return ManagedAsterisk(inst)


def make_lines(count_: int) -> list[Line]:
    """Phones with their users, applied once (not once per phone)."""
    lines = []
    for i in range(count_):
        phone, password = create_phone_with_user(str(FIRST_EXTENSION + i), f"Bench Agent{i:02d}",
                                                 apply_now=False)
        lines.append(Line(phone, password))
    result = pbx_apply.apply()
    assert result.verified, result.message
    return lines


@dataclass
class Setup:
    queue: Queue
    agent_lines: list[Line]
    caller: Line
    supervisor: Line
    agents_phone: ManySipp


def set_up(asterisk: ManagedAsterisk, sip: SippRunner) -> Setup:
    """The queue, its agents registered on one SIPp port and logged in, a caller and a
    supervisor."""
    queue = services.save_queue(Queue(name=QUEUE_NAME, extension=QUEUE_EXTENSION,
                                      strategy="leastrecent", ring_time=15, retry=1,
                                      service_level=20))
    lines = make_lines(AGENTS + 2)
    agent_lines, caller, supervisor = lines[:AGENTS], lines[AGENTS], lines[AGENTS + 1]
    agents_group = Group.objects.get(name=queue.agents_profile)
    supervisor.phone.user.groups.add(Group.objects.get(name=queue.supervisors_profile))
    port = free_udp_port()
    for line in agent_lines:
        line.phone.user.groups.add(agents_group)
        sip.register(line.user, line.password, local_port=port, expires=3600
                     ).assert_ok(f"REGISTER {line.user}")
    phone = ManySipp(str(ROOT / "bench" / "sip" / "uas_bench_agents"), sip.sip_port,
                     sip.workdir, local_port=port, hold_ms=RING_MS,
                     timeout=len(RATES) * (DURATION + 60) + 300, name="agents")
    sip.procs.append(phone)
    phone.start()
    if not wait_udp_bound(port):
        raise RuntimeError(f"the agents' SIPp did not start{phone.report()}")
    # A registered contact is only reachable for the queue once a qualify OPTIONS has been
    # answered (tests/integration/test_queues.py): qualify each now rather than in 60 s.
    for line in agent_lines:
        asterisk.cli(f"pjsip qualify {line.user}")
    for line in agent_lines:
        agents.login(line.phone.user, queue)
    return Setup(queue, agent_lines, caller, supervisor, phone)


def free_agents(html: str) -> int:
    return html.count('data-state="free"')


# -- one rate ----------------------------------------------------------------------------------
def counts_of(html: str) -> tuple[int, int, int, int]:
    return tuple(count(html, name) or 0 for name in  # type: ignore[return-value]
                 ("received", "answered", "abandoned", "waiting"))


def versions(stream: SseReader) -> Iterator[tuple[int, float]]:
    for at, html in list(stream.events):
        match = re.search(r'data-version="(\d+)"', html)
        if match:
            yield int(match.group(1)), at


def run_rate(rate: int, setup: Setup, sip: SippRunner, stream: SseReader,
             media: socket.socket) -> Result:
    """Calls at ``rate`` per second for DURATION seconds; the figures of that window."""
    calls = rate * DURATION
    before = counts_of(stream.last())
    first_event = len(stream.events)
    t0, events0, cpu0, ami0 = last_sample()
    caller = ManySipp(
        "uac_call", sip.sip_port, sip.workdir, auth=(setup.caller.user, setup.caller.password),
        hold_ms=HOLD_MS, timeout=DURATION + HOLD_MS / 1000 + 60, name=f"callers-{rate}",
        variables={"user": setup.caller.user, "dest": QUEUE_EXTENSION,
                   "mport": media.getsockname()[1]},
    )
    caller.calls, caller.rate = calls, rate
    sip.procs.append(caller)
    result = caller.run()
    placed = sum(1 for line in result.logs if line.startswith("ANSWERED"))
    failed = calls - sum(1 for line in result.logs if line.startswith("HUNG UP"))
    # The counts must add up once the last caller has left the queue.
    deadline = time.monotonic() + SETTLE
    while time.monotonic() < deadline:
        got = counts_of(stream.last())
        received = got[0] - before[0]
        done = (got[1] - before[1]) + (got[2] - before[2])
        if received >= placed and done >= placed and got[3] == 0:
            break
        time.sleep(0.1)
    t1, events1, cpu1, ami1 = last_sample()
    got = counts_of(stream.last())
    _samples, changes = read_stats()
    shown = sorted(versions(stream))
    shown_versions = [v for v, _at in shown]
    engine_delays, asterisk_delays = [], []
    for version, reached, sent, queues in changes:
        if not (t0 <= reached <= t1) or not (queues == "*" or QUEUE_NAME in queues.split(",")):
            continue
        i = bisect.bisect_left(shown_versions, version)
        if i == len(shown):
            continue  # never pushed: counted as lost below only if counts disagree
        at = shown[i][1]
        engine_delays.append(at - reached)
        if sent:
            asterisk_delays.append(at - sent)
    return Result(
        rate=rate, placed=placed, failed=failed, received=got[0] - before[0],
        answered=got[1] - before[1], abandoned=got[2] - before[2],
        events_per_s=(events1 - events0) / (t1 - t0), ami_per_s=(ami1 - ami0) / (t1 - t0),
        cpu_percent=100 * (cpu1 - cpu0) / (t1 - t0),
        pushes=len(stream.events) - first_event, engine_delays=engine_delays,
        asterisk_delays=asterisk_delays,
    )


# -- report ------------------------------------------------------------------------------------
def machine() -> str:
    """CPU model, cores and memory, for the performance note."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                      .splitlines() if line.startswith("MemTotal"))
        memory = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        memory = "? GiB"
    return f"{model}, {os.cpu_count()} cores, {memory}, Python {platform.python_version()}"


def load_note() -> str:
    """The machine's load average: other work running at the same time moves the figures."""
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def ms(seconds: float) -> str:
    return f"{1000 * seconds:.0f}"


def report(results: list[Result], version: str, load_before: str) -> None:
    print(f"# {time.strftime('%Y-%m-%d')} on {machine()}, {version}")
    print(f"# {AGENTS} agents, calls held {HOLD_MS} ms after the queue answers, {DURATION} s "
          f"per rate; {load_before} before, {load_note()} after")
    print("| calls/s | placed | failed | received | answered | abandoned | lost "
          "| engine events/s | AMI events/s | portal CPU | pushes "
          "| engine → client p50 / p95 / max (ms) | Asterisk → client p50 / p95 (ms) | ok |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        delays = (f"{ms(percentile(r.engine_delays, 50))} / {ms(percentile(r.engine_delays, 95))}"
                  f" / {ms(max(r.engine_delays))}") if r.engine_delays else "-"
        from_ast = (f"{ms(percentile(r.asterisk_delays, 50))} / "
                    f"{ms(percentile(r.asterisk_delays, 95))}") if r.asterisk_delays else "-"
        print(f"| {r.rate} | {r.placed} | {r.failed} | {r.received} | {r.answered} | "
              f"{r.abandoned} | {r.lost} | {r.events_per_s:.0f} | {r.ami_per_s:.0f} | "
              f"{r.cpu_percent:.0f} % | "
              f"{r.pushes} | {delays} | {from_ast} | {'yes' if r.passed else 'NO'} |")
    best = max((r.rate for r in results if r.passed), default=None)
    print(f"\nHighest rate with nothing lost and p95 within {TARGET_P95} s: "
          f"{best if best is not None else 'none'} calls/s (delay from the event reaching "
          f"the engine)")
    best = max((r.rate for r in results if r.passed_from_asterisk), default=None)
    print(f"The same with the delay counted from Asterisk's event timestamp: "
          f"{best if best is not None else 'none'} calls/s")


def main() -> None:
    if not sipp_available():
        sys.exit("SIPp is not installed (Debian package sip-tester)")
    load_before = load_note()
    asterisk = start_asterisk()
    version = asterisk.cli("core show version").split(" built")[0]
    sip = SippRunner(asterisk.sip_port, Path(os.environ["CENTREX_VAR_DIR"]) / "sipp")
    # The callers' SDP names this socket: Asterisk's RTP (hold music) lands there unread.
    media = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    media.bind(("127.0.0.1", 0))
    results: list[Result] = []
    portal_helpers.SERVER = PORTAL
    log = Path(os.environ["CENTREX_VAR_DIR"]) / "uvicorn.log"
    try:
        setup = set_up(asterisk, sip)
        with portal_helpers.running_portal(log) as url:
            cookie = session_cookie(setup.supervisor.phone.user)
            stream = SseReader(f"{url}/contact-center/supervision/{setup.queue.pk}/stream/",
                               cookie)
            assert stream.status == 200, stream.status
            try:
                if not stream.wait(lambda html: free_agents(html) == AGENTS, timeout=30):
                    raise RuntimeError(f"not all agents free on the stream:\n{stream.last()}")
                for rate in RATES:
                    result = run_rate(rate, setup, sip, stream, media)
                    results.append(result)
                    p95 = percentile(result.engine_delays or [0.0], 95)
                    print(f"rate {rate}/s: placed {result.placed}, failed {result.failed}, "
                          f"lost {result.lost}, p95 {ms(p95)} ms", file=sys.stderr, flush=True)
                    if not result.passed:
                        break
                    time.sleep(3)  # agents' wrap-up state and stragglers, before the next
            finally:
                stream.close()
    finally:
        sip.close()
        media.close()
        asterisk.instance.destroy()
    report(results, version, load_before)


if __name__ == "__main__":
    main()
