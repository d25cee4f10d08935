"""Blocking one-shot AMI helpers for non-async code (management commands, checks, scripts).

Each call opens its own client (no reconnection, no keep-alive), runs one thing and logs
off, inside ``asyncio.run``.  That costs one TCP+login round trip per call, which is fine
for command-line use; long-running code should keep an :class:`AMIClient` instead.  These
helpers cannot be called from inside a running event loop (``asyncio.run`` refuses).

``conn`` is a mapping with keys ``host``, ``port``, ``username``, ``secret`` and optionally
``timeout`` (seconds, default 10).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from .client import AMIClient, AMIError
from .protocol import HeaderValue, Message

__all__ = ["ping", "run_action", "run_action_list", "run_command"]

logger = logging.getLogger("centrex.pbx.ami")

T = TypeVar("T")


def _client(conn: Mapping[str, Any], timeout: float | None = None) -> AMIClient:
    try:
        host, port = conn["host"], conn["port"]
        username, secret = conn["username"], conn["secret"]
    except KeyError as exc:
        raise ValueError(f"AMI connection settings lack {exc.args[0]!r}") from None
    return AMIClient(
        str(host),
        int(port),
        str(username),
        str(secret),
        timeout=float(timeout if timeout is not None else conn.get("timeout", 10.0)),
        keepalive=0,
        reconnect=False,
    )


def _run(
    conn: Mapping[str, Any],
    job: Callable[[AMIClient], Awaitable[T]],
    timeout: float | None = None,
) -> T:
    async def main() -> T:
        async with _client(conn, timeout) as client:
            return await job(client)

    return asyncio.run(main())


def run_action(conn: Mapping[str, Any], name: str, **headers: HeaderValue) -> Message:
    """Run one action and return its response; raises AMIError on ``Response: Error``."""
    return _run(conn, lambda client: client.action(name, headers))


def run_action_list(
    conn: Mapping[str, Any], name: str, **headers: HeaderValue
) -> tuple[Message, list[Message]]:
    """Run one event-list action and return ``(response, events)``."""
    return _run(conn, lambda client: client.action_list(name, headers))


def channel_vars(conn: Mapping[str, Any], channel: str, names: tuple[str, ...],
                 timeout: float = 5.0) -> dict[str, str]:
    """The values of ``names`` on a live ``channel`` (``Getvar``; unset: ``""``).

    Feature codes that need the portal read what the dialplan stored on the caller's own
    channel rather than trusting the HTTP request that Asterisk's CURL made."""

    async def job(client: AMIClient) -> dict[str, str]:
        found = {}
        for name in names:
            response = await client.action("Getvar", {"Channel": channel, "Variable": name})
            found[name] = response.get("Value", "") or ""
        return found

    return _run(conn, job, timeout)


def run_command(conn: Mapping[str, Any], command: str) -> str:
    """Run one CLI command (``core show version``) and return its output text."""
    return _run(conn, lambda client: client.command(command))


def ping(conn: Mapping[str, Any], timeout: float = 3.0) -> bool:
    """True when AMI accepts our credentials and answers ``Ping`` within ``timeout``.

    Any failure (unreachable, bad credentials, timeout) gives False; the reason is logged
    at WARNING so that a health check does not hide a credentials problem.
    """

    async def job(client: AMIClient) -> bool:
        await client.action("Ping", timeout=timeout)
        return True

    try:
        return _run(conn, job, timeout)
    except (AMIError, OSError, ValueError) as exc:
        logger.warning("AMI ping to %s:%s failed: %s", conn.get("host"), conn.get("port"), exc)
        return False
