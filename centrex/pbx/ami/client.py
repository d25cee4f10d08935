"""Asyncio Asterisk Manager Interface client.

Why our own client: we need precise control over reconnection (Centrex resynchronizes its
live call state from Asterisk after every (re)login), over ActionID routing of event lists,
and over header encoding (CR/LF injection is refused in :mod:`.protocol`).  The client is
small, has no dependency and is tested against a fake server and a real Asterisk 22.

Concurrency model: one TCP connection, one reader task that parses the stream and routes
each packet, one keep-alive task.  ``action()`` registers a future under a unique ActionID
before sending, the reader resolves it.  Events whose ActionID belongs to a running
``action_list()`` are collected there; every other event goes to the subscribers.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from .protocol import Headers, HeaderValue, Message, Parser, encode_action

__all__ = [
    "AMIAuthError",
    "AMIClient",
    "AMIConnectionError",
    "AMIError",
    "AMITimeout",
    "ConnectCallback",
    "EventCallback",
]

logger = logging.getLogger("centrex.pbx.ami")

#: Event subscriber: receives the event; may be a plain function or a coroutine function.
EventCallback = Callable[[Message], Any]
#: Called with the client after each successful (re)login; sync or async.
ConnectCallback = Callable[["AMIClient"], Any]

_READ_SIZE = 65536
_LOGOFF_TIMEOUT = 2.0


class AMIError(Exception):
    """Asterisk answered ``Response: Error`` (or the client could not get an answer).

    ``message`` is Asterisk's ``Message:`` header (for ``Command`` its output text), and
    ``response`` is the full :class:`Message` when there was one.
    """

    def __init__(self, message: str, response: Message | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.response = response


class AMIAuthError(AMIError):
    """Login refused (bad username/secret or ACL).  Never retried by :meth:`connect`."""


class AMITimeout(AMIError, TimeoutError):
    """No answer in time.  Also a :class:`TimeoutError` so generic handlers catch it."""


class AMIConnectionError(AMIError, ConnectionError):
    """Cannot connect, or the connection was lost / closed while waiting for an answer."""


@dataclass(eq=False)
class _Connection:
    """State of one TCP session; replaced as a whole on reconnect so that stale tasks of a
    previous session can detect they are obsolete (``client._conn is not self``)."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    parser: Parser = field(default_factory=Parser)
    banner: asyncio.Future[str] | None = None
    reader_task: asyncio.Task[None] | None = None
    keepalive_task: asyncio.Task[None] | None = None
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_rx: float = 0.0
    lost: bool = False

    async def send(self, data: bytes) -> None:
        async with self.write_lock:
            self.writer.write(data)
            await self.writer.drain()


@dataclass(eq=False)
class _ListCollector:
    """Events of one pending ``action_list`` until its ``EventList: Complete`` event."""

    done: asyncio.Future[Message]
    events: list[Message] = field(default_factory=list)


class AMIClient:
    """Asterisk Manager Interface client with keep-alive and automatic reconnection.

    >>> async with AMIClient("127.0.0.1", 5038, "centrex", "secret") as ami:
    ...     version = (await ami.action("CoreSettings"))["AsteriskVersion"]
    """

    def __init__(
        self,
        host: str,
        port: int,
        username: str,
        secret: str,
        *,
        timeout: float = 10.0,
        keepalive: float = 20.0,
        reconnect: bool = True,
        backoff: tuple[float, float] = (0.2, 5.0),
    ) -> None:
        self.host = host
        self.port = int(port)
        self.username = username
        self._secret = secret
        self.timeout = timeout
        self.keepalive = keepalive
        self.reconnect = reconnect
        self.backoff = backoff
        #: Banner of the current/last connection, e.g. ``Asterisk Call Manager/11.0.0``.
        self.banner: str | None = None

        self._conn: _Connection | None = None
        self._logged_in = False
        self._closing = False
        self._ever_connected = False
        self._connected_event = asyncio.Event()
        self._reconnect_task: asyncio.Task[None] | None = None
        self._pending: dict[str, asyncio.Future[Message]] = {}
        self._lists: dict[str, _ListCollector] = {}
        self._handlers: dict[str, list[EventCallback]] = {}
        self._connect_callbacks: list[ConnectCallback] = []
        self._callback_tasks: set[asyncio.Task[Any]] = set()
        # Random prefix: ActionIDs must not collide with another client of the same
        # Asterisk (ActionIDs are echoed in broadcast events such as UserEvent).
        self._id_prefix = f"centrex-{secrets.token_hex(4)}-"
        self._id_counter = itertools.count(1)

    def __repr__(self) -> str:
        state = "connected" if self.connected else "disconnected"
        return f"<AMIClient {self.username}@{self.host}:{self.port} {state}>"

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    # ------------------------------------------------------------------ connection lifecycle
    @property
    def connected(self) -> bool:
        """True while logged in on a live connection."""
        return self._logged_in and self._conn is not None and not self._conn.lost

    async def wait_connected(self, timeout: float) -> None:
        """Wait until the client is logged in *and* its on_connect callbacks have run.

        After an automatic reconnection this means live state has been resynchronized, so
        callers can rely on it as soon as this returns.
        """
        try:
            await asyncio.wait_for(self._connected_event.wait(), timeout)
        except TimeoutError:
            raise AMITimeout(f"AMI at {self.address} not connected after {timeout}s") from None

    async def connect(self) -> None:
        """Connect and log in (with ``Events: on``), then run the on_connect callbacks.

        Raises :class:`AMIAuthError` on bad credentials and :class:`AMIConnectionError`
        when Asterisk is unreachable; neither is retried here.  After a first success, a
        lost connection is re-established in the background when ``reconnect`` is set.
        """
        if self.connected:
            return
        self._closing = False
        if self._reconnect_task is not None and not self._reconnect_task.done():
            await self.wait_connected(self.timeout)
            return
        await self._open_and_login()
        self._ever_connected = True
        await self._run_connect_callbacks()
        if self.connected:
            self._connected_event.set()

    async def close(self) -> None:
        """Log off if possible, stop reconnecting and fail whatever is still pending."""
        self._closing = True
        task = self._reconnect_task
        self._reconnect_task = None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        conn = self._conn
        if conn is not None and self.connected:
            with contextlib.suppress(AMIError, OSError, ValueError):
                await self.action("Logoff", timeout=min(self.timeout, _LOGOFF_TIMEOUT))
        if conn is not None:
            await self._teardown(conn, AMIConnectionError(f"AMI client to {self.address} closed"))
        self._fail_pending(AMIConnectionError(f"AMI client to {self.address} closed"))

    async def __aenter__(self) -> AMIClient:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _open_and_login(self) -> None:
        """One connection attempt: TCP, banner, Login.  Leaves nothing behind on failure."""
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(self.host, self.port), self.timeout
            )
        except (OSError, TimeoutError) as exc:
            raise AMIConnectionError(
                f"cannot connect to AMI at {self.address}: {exc or type(exc).__name__}"
            ) from exc

        loop = asyncio.get_running_loop()
        conn = _Connection(reader=reader, writer=writer, banner=loop.create_future())
        conn.last_rx = loop.time()
        self._conn = conn
        self._logged_in = False
        conn.reader_task = asyncio.create_task(
            self._reader_loop(conn), name=f"ami-reader-{self.address}"
        )
        try:
            try:
                assert conn.banner is not None
                self.banner = await asyncio.wait_for(asyncio.shield(conn.banner), self.timeout)
            except TimeoutError:
                raise AMIConnectionError(
                    f"no AMI banner from {self.address} within {self.timeout}s "
                    "(is this really an Asterisk manager port?)"
                ) from None
            response = await self._request(
                conn,
                "Login",
                [("Username", self.username), ("Secret", self._secret), ("Events", "on")],
                timeout=self.timeout,
            )
            if response.is_error:
                reason = response.get("Message") or "login refused"
                raise AMIAuthError(
                    f"AMI login refused for user {self.username!r} at {self.address}: {reason}",
                    response,
                )
        except BaseException as exc:
            await self._teardown(conn, exc if isinstance(exc, AMIError) else None)
            raise
        self._logged_in = True
        if self.keepalive and self.keepalive > 0:
            conn.keepalive_task = asyncio.create_task(
                self._keepalive_loop(conn), name=f"ami-keepalive-{self.address}"
            )
        logger.info("AMI connected to %s as %r (%s)", self.address, self.username, self.banner)

    async def _teardown(self, conn: _Connection, exc: BaseException | None) -> None:
        """Close one session for good: stop its tasks, close the socket, fail its waiters."""
        self._mark_lost(conn, exc)
        current = asyncio.current_task()
        for task in (conn.keepalive_task, conn.reader_task):
            if task is not None and task is not current and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        with contextlib.suppress(Exception):
            await asyncio.wait_for(conn.writer.wait_closed(), 1.0)

    def _mark_lost(self, conn: _Connection, exc: BaseException | None) -> bool:
        """Synchronous part of connection loss; returns False if already handled."""
        if conn.lost:
            return False
        conn.lost = True
        with contextlib.suppress(Exception):
            conn.writer.close()
        if conn.banner is not None and not conn.banner.done():
            conn.banner.set_exception(
                AMIConnectionError(f"connection to AMI at {self.address} closed before banner")
            )
            conn.banner.exception()  # mark retrieved: nobody may be waiting any more
        if self._conn is conn:
            self._logged_in = False
            self._connected_event.clear()
            error = (
                exc
                if isinstance(exc, AMIConnectionError)
                else AMIConnectionError(f"connection to AMI at {self.address} lost: {exc}")
                if exc is not None
                else AMIConnectionError(f"connection to AMI at {self.address} lost")
            )
            self._fail_pending(error)
        return True

    def _fail_pending(self, error: AMIError) -> None:
        futures = [*self._pending.values(), *(c.done for c in self._lists.values())]
        for future in futures:
            if not future.done():
                future.set_exception(error)
                # Awaiters still get the error; this only silences asyncio's "exception was
                # never retrieved" for futures nobody awaits any more (e.g. a list collector
                # whose action already failed).
                future.exception()

    def _connection_lost(self, conn: _Connection, exc: BaseException | None) -> None:
        """Called from the reader/keep-alive tasks; schedules reconnection if wanted."""
        was_logged_in = self._conn is conn and self._logged_in
        if not self._mark_lost(conn, exc):
            return
        if conn.keepalive_task is not None and conn.keepalive_task is not asyncio.current_task():
            conn.keepalive_task.cancel()
        if self._conn is not conn or self._closing:
            return
        if was_logged_in:
            logger.warning("AMI connection to %s lost: %s", self.address, exc or "EOF")
        if self.reconnect and self._ever_connected and was_logged_in:
            self._start_reconnect()

    def _start_reconnect(self) -> None:
        if self._reconnect_task is None or self._reconnect_task.done():
            self._reconnect_task = asyncio.create_task(
                self._reconnect_loop(), name=f"ami-reconnect-{self.address}"
            )

    async def _reconnect_loop(self) -> None:
        """Retry with capped exponential back-off until logged in again (or closed).

        Auth failures are retried here too (at the maximum delay, logged as errors): in the
        background a PBX must heal by itself once manager.conf is fixed and reloaded.
        """
        delay, max_delay = self.backoff
        attempt = 0
        while not self._closing:
            await asyncio.sleep(delay)
            attempt += 1
            try:
                await self._open_and_login()
            except AMIAuthError as exc:
                logger.error("AMI reconnect to %s: %s", self.address, exc.message)
                delay = max_delay
                continue
            except AMIError as exc:
                logger.info("AMI reconnect attempt %d to %s failed: %s", attempt, self.address, exc)
                delay = min(delay * 2, max_delay)
                continue
            except Exception:
                logger.exception("AMI reconnect attempt %d to %s crashed", attempt, self.address)
                delay = min(delay * 2, max_delay)
                continue
            logger.info("AMI reconnected to %s after %d attempt(s)", self.address, attempt)
            await self._run_connect_callbacks()
            if self.connected:
                self._connected_event.set()
                return
            # Lost again while the callbacks ran: _connection_lost saw this task still
            # running and did not start another one, so keep trying from here.
            delay, attempt = self.backoff[0], 0

    async def _run_connect_callbacks(self) -> None:
        """Run on_connect callbacks in registration order; awaited so that state is in sync
        when connect() returns.  Failures are logged, never propagated."""
        for callback in list(self._connect_callbacks):
            try:
                result = callback(self)
                if inspect.isawaitable(result):
                    await result
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("AMI on_connect callback %r failed", callback)

    # ------------------------------------------------------------------------ reading
    async def _reader_loop(self, conn: _Connection) -> None:
        loop = asyncio.get_running_loop()
        error: BaseException | None = None
        try:
            while True:
                data = await conn.reader.read(_READ_SIZE)
                if not data:
                    break
                conn.last_rx = loop.time()
                for message in conn.parser.feed(data):
                    self._dispatch(message)
                if conn.banner is not None and not conn.banner.done() and conn.parser.banner:
                    conn.banner.set_result(conn.parser.banner)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # OSError, ConnectionResetError, ...
            error = exc
        self._connection_lost(conn, error)

    def _dispatch(self, message: Message) -> None:
        """Route one packet: response -> its future, list event -> its list, else subscribers."""
        action_id = message.action_id
        if message.is_response:
            future = self._pending.get(action_id) if action_id is not None else None
            if future is not None and not future.done():
                future.set_result(message)
            else:
                logger.debug("AMI unmatched response %r", message)
            return
        if not message.is_event:
            logger.debug("AMI ignoring packet that is neither event nor response: %r", message)
            return
        if action_id is not None:
            collector = self._lists.get(action_id)
            if collector is not None:
                if message.event_list in ("complete", "cancelled"):
                    if not collector.done.done():
                        collector.done.set_result(message)
                else:
                    collector.events.append(message)
                return
        self._emit(message)

    def _emit(self, message: Message) -> None:
        callbacks = list(self._handlers.get(message.name.lower(), ()))
        callbacks.extend(self._handlers.get("*", ()))
        for callback in callbacks:
            try:
                result = callback(message)
            except Exception:
                logger.exception("AMI event callback %r failed on %r", callback, message)
                continue
            if inspect.isawaitable(result):
                task = asyncio.ensure_future(result)
                self._callback_tasks.add(task)
                task.add_done_callback(self._callback_done)

    def _callback_done(self, task: asyncio.Task[Any]) -> None:
        self._callback_tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("AMI async event callback failed", exc_info=task.exception())

    # ------------------------------------------------------------------------ keep-alive
    async def _keepalive_loop(self, conn: _Connection) -> None:
        """Ping after ``keepalive`` idle seconds: detects half-open TCP (Asterisk host gone,
        NAT state dropped) that would otherwise leave the client silently deaf."""
        loop = asyncio.get_running_loop()
        while not conn.lost:
            idle = loop.time() - conn.last_rx
            if idle < self.keepalive:
                await asyncio.sleep(self.keepalive - idle)
                continue
            try:
                await self._request(conn, "Ping", [], timeout=self.timeout)
            except AMIConnectionError:
                return
            except AMIError as exc:  # AMITimeout: no answer -> connection is dead
                logger.warning("AMI keep-alive to %s failed: %s", self.address, exc)
                self._connection_lost(conn, exc)
                return
            conn.last_rx = max(conn.last_rx, loop.time())

    # ------------------------------------------------------------------------ actions
    def _next_action_id(self) -> str:
        return f"{self._id_prefix}{next(self._id_counter)}"

    def _require_connection(self) -> _Connection:
        conn = self._conn
        if conn is None or not self.connected:
            raise AMIConnectionError(f"not connected to AMI at {self.address}")
        return conn

    @staticmethod
    def _merge_headers(
        headers: Headers | None, extra: dict[str, HeaderValue]
    ) -> list[tuple[str, HeaderValue]]:
        pairs: list[tuple[str, HeaderValue]] = []
        if headers:
            items = headers.items() if isinstance(headers, Mapping) else headers
            pairs.extend((str(key), value) for key, value in items)
        pairs.extend(extra.items())
        # The client owns ActionID: it is the routing key of the answer.
        return [(key, value) for key, value in pairs if key.lower() != "actionid"]

    async def _request(
        self,
        conn: _Connection,
        name: str,
        headers: list[tuple[str, HeaderValue]],
        *,
        timeout: float | None,
        collector: _ListCollector | None = None,
        action_id: str | None = None,
    ) -> Message:
        """Send one action on ``conn`` and wait for its response (not for list events)."""
        action_id = action_id or self._next_action_id()
        data = encode_action(name, [*headers, ("ActionID", action_id)])  # may raise ValueError
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._pending[action_id] = future
        if collector is not None:
            self._lists[action_id] = collector
        wait = self.timeout if timeout is None else timeout
        try:
            if conn.lost:
                raise AMIConnectionError(f"connection to AMI at {self.address} lost")
            logger.debug("AMI -> %s (ActionID %s)", name, action_id)
            try:
                await conn.send(data)
            except OSError as exc:
                raise AMIConnectionError(
                    f"cannot send {name} to AMI at {self.address}: {exc}"
                ) from exc
            try:
                return await asyncio.wait_for(future, wait)
            except TimeoutError:
                raise AMITimeout(
                    f"no response to AMI action {name} from {self.address} within {wait}s"
                ) from None
        except BaseException:
            self._lists.pop(action_id, None)
            raise
        finally:
            self._pending.pop(action_id, None)
            if future.done() and not future.cancelled():
                future.exception()  # consumed: avoid "exception never retrieved" noise

    async def action(
        self,
        name: str,
        headers: Headers | None = None,
        *,
        timeout: float | None = None,
        check: bool = True,
        **kw: HeaderValue,
    ) -> Message:
        """Send action ``name`` and return its response.

        ``headers`` (dict or list of pairs; list values repeat the header) and ``**kw`` are
        sent as action headers.  Any caller ActionID is replaced by a unique one.  With
        ``check`` a ``Response: Error`` raises :class:`AMIError`.  Events triggered by the
        action are not awaited (use :meth:`action_list` for event-list actions).
        """
        conn = self._require_connection()
        response = await self._request(
            conn, name, self._merge_headers(headers, kw), timeout=timeout
        )
        if check and response.is_error:
            raise AMIError(response.get("Message") or f"AMI action {name} failed", response)
        return response

    async def action_list(
        self,
        name: str,
        headers: Headers | None = None,
        *,
        timeout: float | None = None,
        **kw: HeaderValue,
    ) -> tuple[Message, list[Message]]:
        """Send an event-list action (``CoreShowChannels``, ``PJSIPShowEndpoints``...).

        Returns ``(response, events)``: the events carrying our ActionID up to, excluding,
        the one with ``EventList: Complete``.  ``timeout`` bounds the whole exchange.
        Raises :class:`AMIError` on ``Response: Error``; a response without
        ``EventList: start`` yields ``(response, [])``.
        """
        conn = self._require_connection()
        loop = asyncio.get_running_loop()
        collector = _ListCollector(done=loop.create_future())
        wait = self.timeout if timeout is None else timeout
        deadline = loop.time() + wait
        action_id = self._next_action_id()
        response = await self._request(
            conn,
            name,
            self._merge_headers(headers, kw),
            timeout=wait,
            collector=collector,
            action_id=action_id,
        )
        try:
            if response.is_error:
                raise AMIError(response.get("Message") or f"AMI action {name} failed", response)
            if response.event_list != "start":
                return response, []
            remaining = max(deadline - loop.time(), 0.0)
            try:
                await asyncio.wait_for(asyncio.shield(collector.done), remaining)
            except TimeoutError:
                raise AMITimeout(
                    f"AMI action {name}: event list incomplete after {wait}s "
                    f"({len(collector.events)} events received)",
                    response,
                ) from None
            return response, list(collector.events)
        finally:
            self._lists.pop(action_id, None)
            if collector.done.done() and not collector.done.cancelled():
                collector.done.exception()

    async def command(self, command: str, *, timeout: float | None = None) -> str:
        """Run a CLI command and return its output lines joined with ``\\n``.

        Asterisk 22 answers with ``Output:`` headers (one per line; unknown commands give
        ``Response: Error`` with the CLI's complaint in ``Output``); older versions used
        ``Response: Follows`` raw output, which the parser maps to ``Output`` as well.
        On error, :class:`AMIError`'s ``message`` is the CLI output (more useful than
        Asterisk's generic "Command output follows").
        """
        response = await self.action("Command", {"Command": command}, timeout=timeout, check=False)
        output = "\n".join(response.getlist("Output"))
        if response.is_error:
            raise AMIError(
                output or response.get("Message") or f"command {command!r} failed", response
            )
        return output

    # ------------------------------------------------------------------------ subscriptions
    def on(self, event: str, callback: EventCallback) -> None:
        """Subscribe ``callback(message)`` to ``event`` (case-insensitive) or ``"*"``.

        Async callbacks are scheduled as tasks (so they do not block the reader; order of
        completion is therefore not guaranteed — use a sync callback feeding a queue when
        ordering matters).  Exceptions are logged and never stop event delivery.
        """
        self._handlers.setdefault(event.lower(), []).append(callback)

    def off(self, event: str, callback: EventCallback) -> None:
        """Remove a subscription added with :meth:`on` (no error if absent)."""
        callbacks = self._handlers.get(event.lower())
        if callbacks and callback in callbacks:
            callbacks.remove(callback)
            if not callbacks:
                del self._handlers[event.lower()]

    def on_connect(self, callback: ConnectCallback) -> None:
        """Register ``callback(client)`` run after every successful (re)login.

        Typical use: resynchronize live state (channels, device states) from Asterisk,
        since events emitted while disconnected are lost.
        """
        self._connect_callbacks.append(callback)

    def off_connect(self, callback: ConnectCallback) -> None:
        """Remove an on_connect callback (no error if absent)."""
        if callback in self._connect_callbacks:
            self._connect_callbacks.remove(callback)
