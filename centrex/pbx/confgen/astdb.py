"""Plain AstDB keys the dialplan reads with ``${DB(family/key)}``, pushed like the PJSIP
objects (see ``sorcery``): no reload, only the keys that changed, survive a restart.

A renderer returns ``{key: value}`` (a key may hold slashes: ``rights/201``); ``render``
turns it into Centrex's record (``key = value`` lines, sorted, with a revision) and
``pusher(family)`` makes AstDB match it. The revision is kept in AstDB too
(``<family>/_revision``): when it does not match the record (a new instance, a lost AstDB)
the whole family is rewritten. Values go through the strict grammar like every text that
reaches Asterisk.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

from centrex.pbx.ami import AMIClient, AMIError
from centrex.pbx.confgen import Pusher, VerificationError, Verifier
from centrex.pbx.confgen import syntax as s

REVISION_KEY = "_revision"
KEY_RE = re.compile(r"[A-Za-z0-9_.+*#-]+(/[A-Za-z0-9_.+*#-]+)*")
VALUE_RE = re.compile(r"[^\n\r;\[\]]{0,500}")
LINE_RE = re.compile(r"^(\S+) = (.*)$", re.M)
WINDOW = 200


def render(title: str, pairs: dict[str, str]) -> str:
    """The record of ``pairs``: sorted ``key = value`` lines and a revision line."""
    lines = []
    for key in sorted(pairs):
        value = str(pairs[key])
        if not KEY_RE.fullmatch(key) or key == REVISION_KEY:
            raise s.ConfigSyntaxError(f"invalid AstDB key {key!r}")
        if not VALUE_RE.fullmatch(value) or value != value.strip():
            raise s.ConfigSyntaxError(f"invalid AstDB value for {key}: {value!r}")
        lines.append(f"{key} = {value}")
    body = "\n".join(lines) + "\n"
    return (s.header(title + " (AstDB keys; Asterisk does not read this file)") + "\n"
            + body + f"; CENTREX_REVISION={s.revision(body)}\n")


def parse(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in LINE_RE.finditer(text)
            if not m.group(0).startswith(";")}


def revision(text: str) -> str:
    return s.revision_of(text)


async def running_revision(ami: AMIClient, family: str) -> str | None:
    """The revision AstDB holds for ``family`` (None: nothing of ours there)."""
    try:  # a DBGetResponse event carries the value; an unknown key is an error
        _, events = await ami.action_list("DBGet", Family=family, Key=REVISION_KEY)
    except AMIError:
        return None
    for event in events:
        if event.get("Val") is not None:
            return event.get("Val")
    return None


def pusher(family: str) -> Pusher:
    async def push(ami: AMIClient, old: str, new: str) -> None:
        new_pairs = parse(new)
        if old and await running_revision(ami, family) == revision(old):
            if old == new:
                return
            old_pairs = parse(old)
            put = {k: v for k, v in new_pairs.items() if old_pairs.get(k) != v}
            removed = [k for k in old_pairs if k not in new_pairs]
        else:
            await ami.action("DBDelTree", Family=family, check=False)
            put, removed = new_pairs, []
        window = asyncio.Semaphore(WINDOW)

        async def write(key: str, value: str) -> None:
            async with window:
                fam, _, name = f"{family}/{key}".rpartition("/")
                await ami.action("DBPut", Family=fam, Key=name, Val=value)

        async def delete(key: str) -> None:
            async with window:
                fam, _, name = f"{family}/{key}".rpartition("/")
                await ami.action("DBDel", Family=fam, Key=name, check=False)

        await asyncio.gather(*(write(k, v) for k, v in put.items()),
                             *(delete(k) for k in removed))
        await ami.action("DBPut", Family=family, Key=REVISION_KEY, Val=revision(new))

    return push


def verifier(family: str) -> Verifier:
    async def verify(ami: AMIClient, old: str, new: str) -> None:
        if await running_revision(ami, family) != revision(new):
            raise VerificationError(f"Asterisk's AstDB does not hold the new {family} keys")

    return verify


def renderer(title: str, pairs: Callable[[], dict[str, str]]) -> Callable[[], str]:
    return lambda: render(title, pairs())
