"""AMIClient edge cases against a tiny fake AMI server on 127.0.0.1.

The fake only implements what the client relies on (banner, Login/Logoff, ActionID echo);
behaviour of the real Asterisk 22 is covered by tests/integration/test_ami.py.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import socket
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import pytest

from centrex.pbx.ami import (
    AMIAuthError,
    AMIClient,
    AMIConnectionError,
    AMIError,
    AMITimeout,
    Message,
    Parser,
    encode_message,
    ping,
    run_action,
    run_command,
)

BANNER = b"Asterisk Call Manager/11.0.0\r\n"
USER, SECRET = "centrex", "s3cret"

Handler = Callable[["FakeAMI", Message, asyncio.StreamWriter], Awaitable[None]]


def async_test(fn: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test in a fresh loop with a hard time limit (no pytest-asyncio needed)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(asyncio.wait_for(fn(*args, **kwargs), 20))

    return wrapper


def send(writer: asyncio.StreamWriter, *headers: tuple[str, str]) -> None:
    writer.write(encode_message(list(headers)))


def reply(writer: asyncio.StreamWriter, msg: Message, *headers: tuple[str, str]) -> None:
    send(writer, ("Response", "Success"), ("ActionID", msg.action_id or ""), *headers)


class FakeAMI:
    """Minimal AMI server: answers Login/Logoff/Ping, delegates other actions to handlers."""

    def __init__(self, handlers: dict[str, Handler] | None = None, port: int = 0) -> None:
        self.handlers = {k.lower(): v for k, v in (handlers or {}).items()}
        self.port = port
        self.logins = 0
        self.login_attempts = 0
        self.actions: list[Message] = []
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None
        self.answer_ping = True

    async def start(self) -> FakeAMI:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        self.drop()
        await self.server.wait_closed()

    def drop(self) -> None:
        """Abort every client connection (simulates Asterisk dying / network loss)."""
        for writer in self.writers:
            writer.transport.abort()
        self.writers.clear()

    @property
    def conn(self) -> dict[str, Any]:
        return {"host": "127.0.0.1", "port": self.port, "username": USER, "secret": SECRET}

    def client(self, **kw: Any) -> AMIClient:
        kw.setdefault("timeout", 2.0)
        kw.setdefault("reconnect", False)
        return AMIClient("127.0.0.1", self.port, USER, SECRET, **kw)

    def names(self) -> list[str]:
        return [m["Action"] for m in self.actions]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        writer.write(BANNER)
        parser = Parser()
        try:
            while data := await reader.read(4096):
                for msg in parser.feed(data):
                    self.actions.append(msg)
                    await self._handle(msg, writer)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _handle(self, msg: Message, writer: asyncio.StreamWriter) -> None:
        action = msg.get("Action", "").lower()
        if action == "login":
            self.login_attempts += 1
            if msg.get("Username") == USER and msg.get("Secret") == SECRET:
                self.logins += 1
                reply(writer, msg, ("Message", "Authentication accepted"))
                send(writer, ("Event", "FullyBooted"), ("Status", "Fully Booted"))
            else:
                send(
                    writer,
                    ("Response", "Error"),
                    ("ActionID", msg.action_id or ""),
                    ("Message", "Authentication failed"),
                )
                await writer.drain()
                writer.close()
        elif action == "logoff":
            send(
                writer,
                ("Response", "Goodbye"),
                ("ActionID", msg.action_id or ""),
                ("Message", "Thanks for all the fish."),
            )
            await writer.drain()
            writer.close()
        elif action in self.handlers:
            await self.handlers[action](self, msg, writer)
        elif action == "ping":
            if self.answer_ping:
                reply(writer, msg, ("Ping", "Pong"))
        else:
            reply(writer, msg, ("Echo", msg.get("Echo", "")))


async def until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


# -- actions ------------------------------------------------------------------------------
@async_test
async def test_action_roundtrip_headers_and_unique_action_ids() -> None:
    server = await FakeAMI().start()
    async with server.client() as ami:
        assert ami.connected
        assert ami.banner == "Asterisk Call Manager/11.0.0"
        r1 = await ami.action("Test", {"Echo": "one"})
        r2 = await ami.action("Test", [("Echo", "two")], ActionID="mine", Extra=5)
        assert (r1["Echo"], r2["Echo"]) == ("one", "two")
    login, _, t2, logoff = server.actions
    assert login["Events"] == "on"
    assert t2["Extra"] == "5"
    ids = [m.action_id for m in server.actions]
    assert len(set(ids)) == 4
    assert "mine" not in ids  # the client owns ActionIDs
    assert logoff["Action"] == "Logoff"
    await server.stop()


@async_test
async def test_out_of_order_responses_are_matched_by_action_id() -> None:
    held: list[tuple[Message, asyncio.StreamWriter]] = []

    async def slow(server: FakeAMI, msg: Message, writer: asyncio.StreamWriter) -> None:
        held.append((msg, writer))
        if len(held) == 3:
            for m, w in reversed(held):
                reply(w, m, ("Echo", m["Echo"]))

    server = await FakeAMI({"Slow": slow}).start()
    async with server.client() as ami:
        results = await asyncio.gather(*(ami.action("Slow", Echo=str(i)) for i in range(3)))
        assert [r["Echo"] for r in results] == ["0", "1", "2"]
    await server.stop()


@async_test
async def test_error_response_raises_unless_check_false() -> None:
    async def fail(server: FakeAMI, msg: Message, writer: asyncio.StreamWriter) -> None:
        send(
            writer,
            ("Response", "Error"),
            ("ActionID", msg.action_id or ""),
            ("Message", "Permission denied"),
        )

    server = await FakeAMI({"Fail": fail}).start()
    async with server.client() as ami:
        with pytest.raises(AMIError) as info:
            await ami.action("Fail")
        assert info.value.message == "Permission denied"
        assert info.value.response is not None and info.value.response.is_error
        response = await ami.action("Fail", check=False)
        assert response.is_error
        assert ami.connected
    await server.stop()


@async_test
async def test_timeout_then_client_still_usable() -> None:
    async def never(server: FakeAMI, msg: Message, writer: asyncio.StreamWriter) -> None:
        return None

    server = await FakeAMI({"Never": never}).start()
    async with server.client() as ami:
        with pytest.raises(AMITimeout) as info:
            await ami.action("Never", timeout=0.1)
        assert isinstance(info.value, TimeoutError)
        assert "Never" in str(info.value)
        assert not ami._pending
        assert (await ami.action("Test", Echo="ok"))["Echo"] == "ok"
    await server.stop()


@async_test
async def test_injection_is_refused_before_sending() -> None:
    server = await FakeAMI().start()
    async with server.client() as ami:
        with pytest.raises(ValueError):
            await ami.action("Command", Command="core show version\r\nAction: Command")
        with pytest.raises(ValueError):
            await ami.command("x\nEvents: off")
        assert not ami._pending
    assert server.names() == ["Login", "Logoff"]
    await server.stop()


@async_test
async def test_action_when_not_connected() -> None:
    ami = AMIClient("127.0.0.1", 1, USER, SECRET)
    assert not ami.connected
    with pytest.raises(AMIConnectionError):
        await ami.action("Ping")
    with pytest.raises(AMITimeout):
        await ami.wait_connected(0.05)
    await ami.close()  # closing a never-connected client is harmless


# -- event lists --------------------------------------------------------------------------
@async_test
async def test_action_list_collects_only_its_events() -> None:
    async def channels(server: FakeAMI, msg: Message, writer: asyncio.StreamWriter) -> None:
        aid = msg.action_id or ""
        reply(writer, msg, ("EventList", "start"), ("Message", "Channels will follow"))
        send(writer, ("Event", "CoreShowChannel"), ("ActionID", aid), ("Channel", "PJSIP/a"))
        send(writer, ("Event", "Newchannel"), ("Channel", "PJSIP/unrelated"))
        send(writer, ("Event", "CoreShowChannel"), ("ActionID", "someone-else"))
        send(writer, ("Event", "CoreShowChannel"), ("ActionID", aid), ("Channel", "PJSIP/b"))
        send(
            writer,
            ("Event", "CoreShowChannelsComplete"),
            ("ActionID", aid),
            ("EventList", "Complete"),
            ("ListItems", "2"),
        )

    server = await FakeAMI({"CoreShowChannels": channels}).start()
    seen: list[Message] = []
    async with server.client() as ami:
        ami.on("*", seen.append)
        response, events = await ami.action_list("CoreShowChannels")
        assert response["Message"] == "Channels will follow"
        assert [e["Channel"] for e in events] == ["PJSIP/a", "PJSIP/b"]
        assert not ami._lists and not ami._pending
        await until(lambda: len(seen) >= 2)
    names = [(m.name, m.action_id) for m in seen]
    assert ("Newchannel", None) in names
    assert ("CoreShowChannel", "someone-else") in names
    assert all(m.get("Channel") not in ("PJSIP/a", "PJSIP/b") for m in seen)
    await server.stop()


@async_test
async def test_action_list_without_event_list_and_with_error() -> None:
    async def plain(server: FakeAMI, msg: Message, writer: asyncio.StreamWriter) -> None:
        reply(writer, msg, ("Message", "nothing to list"))

    async def error(server: FakeAMI, msg: Message, writer: asyncio.StreamWriter) -> None:
        send(
            writer,
            ("Response", "Error"),
            ("ActionID", msg.action_id or ""),
            ("Message", "Unable to retrieve endpoint nope"),
        )

    server = await FakeAMI({"Plain": plain, "Broken": error}).start()
    async with server.client() as ami:
        response, events = await ami.action_list("Plain")
        assert events == [] and response["Message"] == "nothing to list"
        with pytest.raises(AMIError, match="Unable to retrieve endpoint nope"):
            await ami.action_list("Broken", Endpoint="nope")
        assert not ami._lists and not ami._pending
    await server.stop()


@async_test
async def test_action_list_timeout_when_complete_never_comes() -> None:
    async def endless(server: FakeAMI, msg: Message, writer: asyncio.StreamWriter) -> None:
        reply(writer, msg, ("EventList", "start"))
        send(writer, ("Event", "Item"), ("ActionID", msg.action_id or ""))

    server = await FakeAMI({"Endless": endless}).start()
    async with server.client() as ami:
        with pytest.raises(AMITimeout, match="1 events received"):
            await ami.action_list("Endless", timeout=0.2)
        assert not ami._lists
    await server.stop()


# -- Command ------------------------------------------------------------------------------
@async_test
async def test_command_output_formats() -> None:
    async def command(server: FakeAMI, msg: Message, writer: asyncio.StreamWriter) -> None:
        aid = msg.action_id or ""
        cmd = msg["Command"]
        if cmd == "core show version":  # Asterisk >= 14: Output headers
            reply(
                writer,
                msg,
                ("Message", "Command output follows"),
                ("Output", "Asterisk 22.1.0 built by x"),
                ("Output", ""),
                ("Output", "end"),
            )
        elif cmd == "legacy":  # Asterisk <= 13: raw lines
            writer.write(
                f"Response: Follows\r\nPrivilege: Command\r\nActionID: {aid}\r\n"
                "line: one\nline two\n--END COMMAND--\r\n\r\n".encode()
            )
        else:
            send(
                writer,
                ("Response", "Error"),
                ("ActionID", aid),
                ("Message", "Command output follows"),
                ("Output", f"No such command '{cmd}'"),
            )

    server = await FakeAMI({"Command": command}).start()
    async with server.client() as ami:
        assert await ami.command("core show version") == "Asterisk 22.1.0 built by x\n\nend"
        assert await ami.command("legacy") == "line: one\nline two"
        with pytest.raises(AMIError) as info:
            await ami.command("bogus")
        assert info.value.message == "No such command 'bogus'"
    await server.stop()


# -- authentication / connection ----------------------------------------------------------
@async_test
async def test_bad_credentials_give_clear_error_and_no_retry() -> None:
    server = await FakeAMI().start()
    ami = AMIClient("127.0.0.1", server.port, "intruder", "wrong", reconnect=True, timeout=2)
    with pytest.raises(AMIAuthError) as info:
        await ami.connect()
    assert str(info.value) == (
        f"AMI login refused for user 'intruder' at 127.0.0.1:{server.port}: Authentication failed"
    )
    assert not ami.connected
    await asyncio.sleep(0.3)
    assert server.login_attempts == 1
    await ami.close()
    await server.stop()


@async_test
async def test_unreachable_raises_connection_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening: connection refused
        ami = AMIClient("127.0.0.1", port, USER, SECRET, timeout=1)
        with pytest.raises(AMIConnectionError, match=f"127.0.0.1:{port}"):
            await ami.connect()
        assert isinstance(AMIConnectionError("x"), ConnectionError)


@async_test
async def test_server_that_is_not_ami_times_out_waiting_for_banner() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    ami = AMIClient("127.0.0.1", port, USER, SECRET, timeout=0.2)
    with pytest.raises(AMIConnectionError, match="banner"):
        await ami.connect()
    server.close()
    await server.wait_closed()


@async_test
async def test_connection_lost_fails_pending_actions() -> None:
    async def hang_up(server: FakeAMI, msg: Message, writer: asyncio.StreamWriter) -> None:
        writer.transport.abort()

    async def never(server: FakeAMI, msg: Message, writer: asyncio.StreamWriter) -> None:
        return None

    server = await FakeAMI({"HangUp": hang_up, "Never": never}).start()
    ami = server.client(timeout=5)
    await ami.connect()
    waiting = asyncio.create_task(ami.action("Never"))
    listing = asyncio.create_task(ami.action_list("Never"))
    await until(lambda: server.names().count("Never") == 2)
    with pytest.raises(AMIConnectionError):
        await ami.action("HangUp")
    with pytest.raises(AMIConnectionError):
        await waiting
    with pytest.raises(AMIConnectionError):
        await listing
    assert not ami.connected
    with pytest.raises(AMIConnectionError):
        await ami.action("Test")
    await ami.close()
    await server.stop()


@async_test
async def test_close_fails_pending_and_does_not_reconnect() -> None:
    async def never(server: FakeAMI, msg: Message, writer: asyncio.StreamWriter) -> None:
        return None

    server = await FakeAMI({"Never": never}).start()
    ami = server.client(reconnect=True, backoff=(0.01, 0.02))
    await ami.connect()
    waiting = asyncio.create_task(ami.action("Never", timeout=5))
    await until(lambda: "Never" in server.names())
    await ami.close()
    with pytest.raises(AMIConnectionError):
        await waiting
    await asyncio.sleep(0.2)
    assert server.logins == 1
    assert server.names()[-1] == "Logoff"
    assert not ami.connected
    await server.stop()


@async_test
async def test_reconnects_after_drop_and_calls_on_connect_again() -> None:
    server = await FakeAMI().start()
    calls: list[str] = []

    async def resync(client: AMIClient) -> None:
        # on_connect callbacks may talk to Asterisk: the client is logged in already
        calls.append((await client.action("Test", Echo="resync"))["Echo"])

    ami = server.client(reconnect=True, backoff=(0.01, 0.05))
    ami.on_connect(resync)
    ami.on_connect(lambda client: calls.append("sync"))
    await ami.connect()
    assert calls == ["resync", "sync"]

    server.drop()
    await until(lambda: not ami.connected)
    with pytest.raises(AMIConnectionError):
        await ami.action("Test")
    await ami.wait_connected(5)
    # wait_connected returns once the on_connect callbacks have run (state resynced)
    assert calls == ["resync", "sync", "resync", "sync"]
    assert (await ami.action("Test", Echo="again"))["Echo"] == "again"
    assert server.logins == 2
    await ami.close()
    await server.stop()


@async_test
async def test_connection_lost_again_during_on_connect_still_reconnects() -> None:
    server = await FakeAMI().start()
    calls = 0

    async def flaky_resync(client: AMIClient) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:  # first reconnection: the link dies again while we resync
            server.drop()
            with pytest.raises(AMIConnectionError):
                await client.action("Test", timeout=1)

    ami = server.client(reconnect=True, backoff=(0.01, 0.05))
    ami.on_connect(flaky_resync)
    await ami.connect()
    server.drop()
    await until(lambda: server.logins >= 3)
    await ami.wait_connected(5)
    assert calls == 3
    assert (await ami.action("Test", Echo="ok"))["Echo"] == "ok"
    await ami.close()
    await server.stop()


@async_test
async def test_reconnect_backs_off_while_server_is_down() -> None:
    server = await FakeAMI().start()
    port = server.port
    ami = server.client(reconnect=True, backoff=(0.02, 0.1))
    connects: list[int] = []
    ami.on_connect(lambda client: connects.append(1))
    await ami.connect()
    await server.stop()
    await until(lambda: not ami.connected)
    await asyncio.sleep(0.5)  # several failed attempts, back-off capped at 0.1 s
    assert not ami.connected
    server2 = await FakeAMI(port=port).start()
    await ami.wait_connected(5)
    assert len(connects) == 2
    assert (await ami.action("Test", Echo="back"))["Echo"] == "back"
    await ami.close()
    await server2.stop()


@async_test
async def test_keepalive_pings_when_idle() -> None:
    server = await FakeAMI().start()
    async with server.client(keepalive=0.05) as ami:
        await until(lambda: server.names().count("Ping") >= 3)
        assert ami.connected
    await server.stop()


@async_test
async def test_unanswered_keepalive_means_connection_lost() -> None:
    server = await FakeAMI().start()
    server.answer_ping = False
    ami = server.client(keepalive=0.05, timeout=0.1, reconnect=True, backoff=(0.01, 0.05))
    await ami.connect()
    await until(lambda: server.logins >= 2)  # the client gave up on the silent link
    await ami.close()
    await server.stop()


# -- events -------------------------------------------------------------------------------
@async_test
async def test_event_callbacks_sync_async_wildcard_and_errors(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def fire(server: FakeAMI, msg: Message, writer: asyncio.StreamWriter) -> None:
        reply(writer, msg)
        for i in range(3):
            send(writer, ("Event", "UserEvent"), ("UserEvent", "CentrexTest"), ("N", str(i)))
        send(writer, ("Event", "Hangup"), ("Channel", "PJSIP/x"))

    server = await FakeAMI({"Fire": fire}).start()
    sync_seen: list[str] = []
    async_seen: list[str] = []
    everything: list[str] = []

    def broken(msg: Message) -> None:
        raise RuntimeError("callback bug")

    async def broken_async(msg: Message) -> None:
        raise RuntimeError("async callback bug")

    async def on_user_event(msg: Message) -> None:
        await asyncio.sleep(0)
        async_seen.append(msg["N"])

    removed: list[Message] = []
    async with server.client() as ami:
        ami.on("userevent", broken)  # case-insensitive, and must not stop delivery
        ami.on("UserEvent", broken_async)
        ami.on("UserEvent", lambda msg: sync_seen.append(msg["N"]))
        ami.on("UserEvent", on_user_event)
        ami.on("*", lambda msg: everything.append(msg.name))
        ami.on("Hangup", removed.append)
        ami.off("HANGUP", removed.append)
        ami.off("Hangup", removed.append)  # removing twice is harmless
        with caplog.at_level(logging.ERROR, logger="centrex.pbx.ami"):
            await ami.action("Fire")
            await until(lambda: "Hangup" in everything and len(async_seen) == 3)
            await asyncio.sleep(0.05)
        assert ami.connected
    assert sync_seen == ["0", "1", "2"]
    assert sorted(async_seen) == ["0", "1", "2"]
    assert everything == ["UserEvent", "UserEvent", "UserEvent", "Hangup"]
    assert removed == []
    assert "callback bug" in caplog.text
    assert "async callback bug" in caplog.text
    await server.stop()


@async_test
async def test_failing_on_connect_callback_is_logged_not_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = await FakeAMI().start()
    ami = server.client()

    def boom(client: AMIClient) -> None:
        raise RuntimeError("resync failed")

    ami.on_connect(boom)
    with caplog.at_level(logging.ERROR, logger="centrex.pbx.ami"):
        await ami.connect()
    assert ami.connected
    assert "resync failed" in caplog.text
    await ami.close()
    await server.stop()


# -- blocking helpers ---------------------------------------------------------------------
@pytest.fixture
def threaded_fake() -> Any:
    """A FakeAMI running in its own thread, for the asyncio.run based sync helpers."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = asyncio.run_coroutine_threadsafe(FakeAMI().start(), loop).result(5)
    yield server
    asyncio.run_coroutine_threadsafe(server.stop(), loop).result(5)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def test_sync_helpers(threaded_fake: FakeAMI) -> None:
    conn = threaded_fake.conn
    assert run_action(conn, "Test", Echo="hi")["Echo"] == "hi"
    assert ping(conn) is True
    assert ping({**conn, "secret": "wrong"}) is False
    with pytest.raises(AMIAuthError):
        run_command({**conn, "secret": "wrong"}, "core show version")
    with pytest.raises(ValueError, match="username"):
        run_action({"host": "127.0.0.1", "port": 1, "secret": "x"}, "Ping")
