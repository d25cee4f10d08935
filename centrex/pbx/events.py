"""A long-running listener of Asterisk's AMI events, for the apps that react to them.

Apps subscribe in their ``AppConfig.ready``::

    events.subscribe("MessageWaiting", handler)   # handler(message) on every such event
    events.on_connect(resync)                     # resync() after every (re)connection
    events.every(3600, purge)                     # purge() every hour while it runs
    events.every(1, ingest, at_connect=True)      # …and at once after every (re)connection

``centrex run`` starts the listener (``start()``) in a thread of its own with its own
event loop. Handlers are plain (synchronous) functions, so they may use the ORM and send
mail: they run one at a time, in arrival order, in a worker thread, never in the AMI
reader (a slow SMTP server cannot delay the events behind it). Periodic jobs run one at a
time in a second worker thread: a long one (a backlog of call records to ingest after a
stop, a purge) never holds back the events that live supervision and agents' recordings
follow. Events emitted while the connection is down are lost: that is what the
``on_connect`` callbacks are for (scan and catch up). A handler's exception is logged and
does not stop the listener.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections

from centrex.pbx.ami import AMIClient, AMIError, Message
from centrex.pbx.connection import NotConfigured

logger = logging.getLogger("centrex.pbx.events")

Handler = Callable[[Message], Any]
ConnectHandler = Callable[[], Any]

_handlers: dict[str, list[Handler]] = {}
_connect_handlers: list[ConnectHandler] = []
_periodic: list[tuple[float, ConnectHandler]] = []
_periodic_at_connect: list[ConnectHandler] = []


def subscribe(event: str, handler: Handler) -> None:
    """Call ``handler(message)`` for each AMI event named ``event`` (case-insensitive)."""
    handlers = _handlers.setdefault(event.lower(), [])
    if handler not in handlers:
        handlers.append(handler)


def on_connect(handler: ConnectHandler) -> None:
    """Call ``handler()`` after each (re)connection to Asterisk (catch up on what was missed)."""
    if handler not in _connect_handlers:
        _connect_handlers.append(handler)


def every(seconds: float, handler: ConnectHandler, at_connect: bool = False) -> None:
    """Call ``handler()`` every ``seconds`` while the listener runs (first call after one
    period), connected to Asterisk or not: housekeeping (retention) without a cron job.
    ``at_connect``: also at once after each (re)connection (catch up on what Asterisk wrote
    meanwhile), in the periodic jobs' worker, not the events'."""
    if all(h != handler for _s, h in _periodic):
        _periodic.append((float(seconds), handler))
    if at_connect and handler not in _periodic_at_connect:
        _periodic_at_connect.append(handler)


def _run_handler(handler: Callable, *args: Any) -> None:
    close_old_connections()
    try:
        handler(*args)
    except Exception:
        logger.exception("AMI event handler %s failed", getattr(handler, "__name__", handler))
    finally:
        close_old_connections()


class Listener:
    """One AMI connection that feeds the subscribed handlers until ``stop()``."""

    def __init__(self, ami: dict | None = None, retry: tuple[float, float] = (0.5, 10.0)):
        self._ami = ami
        self.retry = retry
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()
        #: Set each time the on_connect handlers have all run (tests wait on it).
        self.caught_up = threading.Event()

    def _conn(self) -> dict:
        if self._ami is not None:
            return self._ami
        from centrex.pbx.connection import target

        return target().ami

    # -- thread ------------------------------------------------------------------------
    def start(self) -> Listener:
        self._thread = threading.Thread(target=self._main, name="centrex-ami-events",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout)

    def _main(self) -> None:
        asyncio.run(self.run())

    # -- loop --------------------------------------------------------------------------
    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        queue: asyncio.Queue[tuple[Callable, tuple]] = asyncio.Queue()
        chores: asyncio.Queue[tuple[Callable, tuple]] = asyncio.Queue()  # periodic jobs
        # A periodic job still waiting or running is not queued again: a slow run (a
        # backlog to ingest) must not pile up copies of itself.
        pending: set[ConnectHandler] = set()

        def chore(handler: ConnectHandler) -> None:
            if handler not in pending:
                pending.add(handler)
                chores.put_nowait((handler, ()))

        def dispatch(message: Message) -> None:
            for handler in _handlers.get(message.name.lower(), ()):
                queue.put_nowait((handler, (message,)))

        def connected(_client: AMIClient) -> None:
            self.connected.set()
            for handler in list(_connect_handlers):
                queue.put_nowait((handler, ()))
            queue.put_nowait((self.caught_up.set, ()))
            for handler in list(_periodic_at_connect):
                chore(handler)

        async def worker(lane: asyncio.Queue[tuple[Callable, tuple]]) -> None:
            while True:
                handler, args = await lane.get()
                if handler == self.caught_up.set:
                    handler()
                    continue
                await asyncio.to_thread(_run_handler, handler, *args)
                pending.discard(handler)

        async def periodic(seconds: float, handler: ConnectHandler) -> None:
            while not self._stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), seconds)
                if not self._stop.is_set():
                    chore(handler)

        workers = [asyncio.create_task(worker(lane)) for lane in (queue, chores)]
        timers = [asyncio.create_task(periodic(s, h)) for s, h in _periodic]
        client = None
        delay = self.retry[0]
        try:
            while not self._stop.is_set():
                try:
                    conn = self._conn()
                    client = AMIClient(conn["host"], conn["port"], conn["username"],
                                       conn["secret"], reconnect=True)
                    client.on("*", dispatch)
                    client.on_connect(connected)
                    await client.connect()
                    break
                except (AMIError, OSError, NotConfigured) as exc:  # not up yet: try again
                    logger.info("AMI event listener: %s; retrying in %.1f s", exc, delay)
                    if client is not None:
                        await client.close()
                    client = None
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stop.wait(), delay)
                    delay = min(delay * 2, self.retry[1])
            # Connected: the client reconnects by itself from now on.
            await self._stop.wait()
        finally:
            if client is not None:
                await client.close()
            for task in workers:
                task.cancel()
            for timer in timers:
                timer.cancel()


_listener: Listener | None = None


def start() -> Listener:
    """Start the process's listener (``centrex run``); at most one."""
    global _listener
    if _listener is None:
        _listener = Listener().start()
    return _listener


def stop() -> None:
    global _listener
    if _listener is not None:
        _listener.stop()
        _listener = None
