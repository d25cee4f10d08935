"""AMIClient against the real managed Asterisk 22 (fixture ``asterisk`` from tests/conftest.py).

The restart test is last in this module on purpose: it stops and starts the session's
Asterisk, which other modules tolerate (the fixture blocks until AMI answers) but which
is slow.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from centrex.pbx.ami import (
    AMIAuthError,
    AMIClient,
    AMIConnectionError,
    AMIError,
    Message,
    ping,
    run_action,
    run_command,
)

pytestmark = pytest.mark.integration


def async_test(fn: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test in a fresh event loop with a hard time limit."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(asyncio.wait_for(fn(*args, **kwargs), 120))

    return wrapper


def client(asterisk: Any, **kw: Any) -> AMIClient:
    kw.setdefault("reconnect", False)
    return AMIClient(**asterisk.ami, **kw)


@async_test
async def test_login_ok(asterisk: Any) -> None:
    async with client(asterisk) as ami:
        assert ami.connected
        assert ami.banner is not None and ami.banner.startswith("Asterisk Call Manager/")
        pong = await ami.action("Ping")
        assert pong["Ping"] == "Pong"
    assert not ami.connected


@async_test
async def test_bad_secret_is_refused_clearly(asterisk: Any) -> None:
    conn = {**asterisk.ami, "secret": "definitely-wrong"}
    ami = AMIClient(**conn, reconnect=True)
    with pytest.raises(AMIAuthError) as info:
        await ami.connect()
    message = str(info.value)
    assert f"user {conn['username']!r}" in message
    assert f"{conn['host']}:{conn['port']}" in message
    assert "Authentication failed" in message
    assert not ami.connected
    await ami.close()


@async_test
async def test_unreachable_port(asterisk: Any) -> None:
    ami = AMIClient(**{**asterisk.ami, "port": 1}, timeout=2)
    with pytest.raises(AMIConnectionError):
        await ami.connect()


@async_test
async def test_core_settings_reports_asterisk_22(asterisk: Any) -> None:
    async with client(asterisk) as ami:
        settings = await ami.action("CoreSettings")
        assert settings["AsteriskVersion"].startswith("22"), settings


@async_test
async def test_command_output(asterisk: Any) -> None:
    async with client(asterisk) as ami:
        output = await ami.command("core show version")
        assert "Asterisk 22" in output
        # Asterisk 22 answers an unknown CLI command with Response: Error + Output lines
        with pytest.raises(AMIError, match="No such command"):
            await ami.command("centrex no such command")
        assert ami.connected


@async_test
async def test_unknown_action_is_an_error(asterisk: Any) -> None:
    async with client(asterisk) as ami:
        with pytest.raises(AMIError, match="Invalid/unknown command"):
            await ami.action("CentrexNoSuchAction")
        response = await ami.action("CentrexNoSuchAction", check=False)
        assert response.is_error


@async_test
async def test_event_list_actions_complete(asterisk: Any) -> None:
    async with client(asterisk) as ami:
        response, channels = await ami.action_list("CoreShowChannels")
        assert response.event_list == "start"
        assert all(e.name == "CoreShowChannel" for e in channels)

        response, entries = await ami.action_list("ShowDialPlan")
        assert response.event_list == "start"
        assert entries, "the managed Asterisk always has some dialplan"
        assert {e.name for e in entries} == {"ListDialplan"}
        assert {e.action_id for e in entries} == {response.action_id}

        # several lists at once must not mix their events
        results = await asyncio.gather(*(ami.action_list("ShowDialPlan") for _ in range(5)))
        assert all(len(events) == len(entries) for _, events in results)


@async_test
async def test_many_concurrent_actions(asterisk: Any) -> None:
    async with client(asterisk) as ami:
        answers = await asyncio.gather(*(ami.action("Ping") for _ in range(100)))
        assert {a["Ping"] for a in answers} == {"Pong"}
        assert len({a.action_id for a in answers}) == 100


@async_test
async def test_keepalive_keeps_an_idle_connection_usable(asterisk: Any) -> None:
    async with client(asterisk, keepalive=0.1) as ami:
        await asyncio.sleep(0.5)  # a few Pings go out and are answered
        assert ami.connected
        assert (await ami.action("Ping"))["Ping"] == "Pong"


@async_test
async def test_user_event_reaches_subscribers(asterisk: Any) -> None:
    async with client(asterisk) as ami:
        received: asyncio.Queue[Message] = asyncio.Queue()
        wildcard: list[str] = []
        ami.on("userevent", received.put_nowait)
        ami.on("*", lambda msg: wildcard.append(msg.name))
        await ami.action(
            "UserEvent", UserEvent="CentrexTest", Note="a: b", Token="t-1", Variable=["x", "y"]
        )
        while True:
            event = await asyncio.wait_for(received.get(), 10)
            if event.get("Token") == "t-1":
                break
        assert event["UserEvent"] == "CentrexTest"
        assert event["Note"] == "a: b"
        assert "UserEvent" in wildcard


def test_sync_helpers(asterisk: Any) -> None:
    assert ping(asterisk.ami) is True
    assert ping({**asterisk.ami, "secret": "wrong"}) is False
    assert run_action(asterisk.ami, "CoreSettings")["AsteriskVersion"].startswith("22")
    assert "Asterisk 22" in run_command(asterisk.ami, "core show version")


@async_test
async def test_reconnects_after_asterisk_restart(asterisk: Any) -> None:
    ami = client(asterisk, reconnect=True, backoff=(0.1, 1.0), keepalive=5)
    logins: list[str] = []
    relogged = asyncio.Event()

    async def on_connect(c: AMIClient) -> None:
        logins.append((await c.action("CoreStatus"))["CoreStartupTime"])
        if len(logins) >= 2:
            relogged.set()

    ami.on_connect(on_connect)
    await ami.connect()
    assert len(logins) == 1
    try:
        # In a thread: the client must keep running (see EOF, retry) while Asterisk restarts.
        await asyncio.to_thread(asterisk.restart)
        await ami.wait_connected(60)
        await asyncio.wait_for(relogged.wait(), 60)
        assert len(logins) == 2
        settings = await ami.action("CoreSettings")
        assert settings["AsteriskVersion"].startswith("22")
        assert "Asterisk 22" in await ami.command("core show version")
    finally:
        await ami.close()
