"""The registry of the Asterisk files Centrex renders from its database.

Each domain app registers, for every file it owns, a pure renderer (database → text, sorted
so the output is deterministic), the Asterisk module to reload when the file changes, and a
verifier that asks Asterisk, through AMI, whether it runs what was written.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from centrex.pbx.ami import AMIClient

T = TypeVar("T")
Verifier = Callable[["AMIClient", str, str], Awaitable[None]]
Pusher = Callable[["AMIClient", str, str], Awaitable[None]]
Patcher = Callable[["AMIClient", str, str], Awaitable[bool]]


@dataclass(frozen=True)
class ConfFile:
    """A Centrex-owned Asterisk file."""

    filename: str
    render: Callable[[], str]
    module: str | None
    verify: Verifier
    # Files that share a module are reloaded once, in this order.
    order: int = 100
    # Objects pushed to Asterisk (AstDB) instead of a module reload: the file is then
    # Centrex's record of what Asterisk holds, and Asterisk does not read it.
    push: Pusher | None = None
    # Changes Asterisk can take in place (dialplan commands) instead of a module reload:
    # returns False when the change is too large or not of that kind, and a reload follows.
    patch: Patcher | None = None


_REGISTRY: dict[str, ConfFile] = {}


def register(conf: ConfFile) -> ConfFile:
    if not conf.filename.startswith("centrex_") or not conf.filename.endswith(".conf"):
        raise ValueError(f"Centrex only renders centrex_*.conf files, not {conf.filename}")
    _REGISTRY[conf.filename] = conf
    return conf


def registry() -> dict[str, ConfFile]:
    return dict(sorted(_REGISTRY.items()))


_shared: ContextVar[dict | None] = ContextVar("confgen_shared", default=None)


def shared(key: str, compute: Callable[[], T]) -> T:
    """Data several renderers read (all phones...), queried once per ``render_all``."""
    cache = _shared.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def render_all() -> dict[str, str]:
    """Render every registered file (used by apply, --dry-run and the golden tests)."""
    token = _shared.set({})
    try:
        return {name: conf.render() for name, conf in registry().items()}
    finally:
        _shared.reset(token)


class VerificationError(RuntimeError):
    """Asterisk does not run what was just written."""
