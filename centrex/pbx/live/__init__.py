"""The live state engine: queues, members, waiting callers and today's counts, in memory,
fed by AMI events and resynchronized from Asterisk after every (re)connection
(design.md "Live state", docs/supervision.md).

``install()`` (from the contact center's ``AppConfig.ready``) subscribes the engine to the
event listener of ``centrex.pbx.events``; ``state`` is the process's one model. Async views
wait for changes with ``watch()``::

    async with live.watch({"Hotline"}) as changes:
        while True:
            await changes.wait(timeout=15)
            snap = live.state.snapshot("Hotline")

The listener's worker thread applies the events and wakes the watchers of the queues they
changed with ``loop.call_soon_threadsafe`` (one ``asyncio.Event`` per watcher), so an SSE
stream renders within milliseconds of the event and never polls.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from centrex.pbx.live.model import LiveState

logger = logging.getLogger("centrex.pbx.live")

EVENTS = (
    "QueueCallerJoin", "QueueCallerLeave", "QueueCallerAbandon",
    "AgentCalled", "AgentConnect", "AgentComplete", "AgentRingNoAnswer", "AgentDump",
    "QueueMemberAdded", "QueueMemberRemoved", "QueueMemberStatus", "QueueMemberPause",
    "QueueMemberPenalty", "Newchannel", "Newstate", "Hangup",
)

state = LiveState()
# Queue parameters Asterisk does not report in QueueStatus (wrap-up time; the service-level
# threshold as the database says): a callable set by the contact center, name → dict.
params_provider: Callable[[], dict[str, dict]] | None = None


# -- watchers (async side) -------------------------------------------------------------------
class Watcher:
    """One async consumer's wake-up call: set from any thread, awaited in its loop."""

    def __init__(self, queues: set[str] | None) -> None:
        self.queues = queues
        self.loop = asyncio.get_running_loop()
        self.event = asyncio.Event()
        self.received = 0.0  # when the newest change's event reached us

    def notify(self, queues: set[str] | None, received: float) -> None:
        if self.queues is None or queues is None or self.queues & queues:
            self.received = max(self.received, received)
            self.loop.call_soon_threadsafe(self.event.set)

    async def wait(self, timeout: float | None = None) -> bool:
        """True when something changed, False on timeout."""
        try:
            await asyncio.wait_for(self.event.wait(), timeout)
        except TimeoutError:
            return False
        finally:
            self.event.clear()
        return True


_watchers: set[Watcher] = set()
_watchers_lock = threading.Lock()


def _broadcast(queues: set[str] | None, received: float) -> None:
    with _watchers_lock:
        watchers = list(_watchers)
    for watcher in watchers:
        try:
            watcher.notify(queues, received)
        except RuntimeError:  # its loop is closed: the stream ended
            with _watchers_lock:
                _watchers.discard(watcher)


state.add_listener(_broadcast)


@contextlib.asynccontextmanager
async def watch(queues: set[str] | None = None) -> AsyncIterator[Watcher]:
    """Be woken up on changes of ``queues`` (None: any) for the duration of the block."""
    watcher = Watcher(queues)
    with _watchers_lock:
        _watchers.add(watcher)
    try:
        yield watcher
    finally:
        with _watchers_lock:
            _watchers.discard(watcher)


def watcher_count() -> int:
    with _watchers_lock:
        return len(_watchers)


# -- feeding (listener thread) ---------------------------------------------------------------
def on_event(message) -> None:
    state.apply(message, received=time.time())


def queue_log_path() -> Path | None:
    """Today's queue_log of the managed instance (None for an external Asterisk)."""
    from centrex.pbx.connection import NotConfigured, target

    try:
        inst = target().instance
    except NotConfigured:
        return None
    return inst.log_dir / "queue_log" if inst is not None else None


def read_queue_log(path: Path | None, since: float) -> list[tuple]:
    """The lines of queue_log written since ``since`` (epoch), split on ``|``."""
    if path is None or not path.exists():
        return []
    lines = []
    with path.open(errors="replace") as handle:
        for raw in handle:
            parts = tuple(raw.rstrip("\n").split("|"))
            if len(parts) >= 5 and parts[0].isdigit() and int(parts[0]) >= since:
                lines.append(parts)
    return lines


def resync() -> None:
    """After a (re)connection: rebuild from QueueStatus and CoreShowChannels, then seed
    today's counts from queue_log. The listener runs this before any later event."""
    from centrex.pbx.ami.sync import run_action_list
    from centrex.pbx.connection import target

    conn = target().ami
    _resp, status = run_action_list(conn, "QueueStatus")
    _resp, chans = run_action_list(conn, "CoreShowChannels")
    import datetime

    midnight = datetime.datetime.combine(datetime.date.today(), datetime.time()).timestamp()
    lines = read_queue_log(queue_log_path(), midnight)
    params = None
    if params_provider is not None:
        try:
            params = params_provider()
        except Exception:  # the database may be unreachable: Asterisk's figures then
            logger.exception("live state: queue parameters unavailable")
    state.resync(status, chans, lines, params)
    logger.info("live state resynchronized: %d members, %d callers, %d channels, "
                "%d queue_log lines", len(state.members), len(state.callers),
                len(state.channels), len(lines))


_installed = False


def install(params: Callable[[], dict[str, dict]] | None = None) -> None:
    """Subscribe the engine to the AMI event listener (once per process)."""
    global _installed, params_provider
    if params is not None:
        params_provider = params
    if _installed:
        return
    from centrex.pbx import events

    for name in EVENTS:
        events.subscribe(name, on_event)
    events.on_connect(resync)
    _installed = True
