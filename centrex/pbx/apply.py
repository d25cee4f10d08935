"""Applying the database to Asterisk: render → compare → write → reload → verify → or restore.

This is the only way Centrex changes Asterisk's configuration. Only files whose text changed
are written (atomically) and only their modules reloaded, so a change to one phone costs one
PJSIP reload, not a full "apply config". If Asterisk does not run what was written after the
reload, the previous files are put back, reloaded, and the error is reported.
"""

from __future__ import annotations

import asyncio
import difflib
import fcntl
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from centrex.pbx import confgen
from centrex.pbx.ami import AMIClient, AMIConnectionError, AMIError
from centrex.pbx.confgen import VerificationError
from centrex.pbx.connection import Target, target
from centrex.pbx.fileutil import atomic_write

log = logging.getLogger("centrex.pbx.apply")

VERIFY_TIMEOUT = 10.0


class ApplyError(RuntimeError):
    """Asterisk refused the change; the previous configuration was restored."""


@dataclass
class FileChange:
    filename: str
    old: str | None
    new: str

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                (self.old or "").splitlines(keepends=True),
                self.new.splitlines(keepends=True),
                fromfile=f"a/{self.filename}",
                tofile=f"b/{self.filename}",
            )
        )


@dataclass
class ApplyResult:
    changes: list[FileChange] = field(default_factory=list)
    reloaded: list[str] = field(default_factory=list)
    verified: bool = False
    message: str = ""
    seconds: float = 0.0

    def diff(self) -> str:
        return "".join(c.diff() for c in self.changes)


@contextmanager
def _apply_lock() -> Iterator[None]:
    """One apply at a time on this machine (the portal, the CLI and jobs may all apply)."""
    path = Path(settings.VAR_DIR) / "apply.lock"
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def plan(config_dir: Path) -> list[FileChange]:
    """Render everything and keep the files whose text differs from what is on disk.

    Rendering happens entirely before anything is written: a renderer that refuses a value
    (ConfigSyntaxError) leaves every file as it was.
    """
    changes = []
    for name, text in confgen.render_all().items():
        path = config_dir / name
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            changes.append(FileChange(name, old, text))
    return changes


def _write(config_dir: Path, changes: list[FileChange], *, restore: bool = False) -> None:
    for change in changes:
        path = config_dir / change.filename
        text = change.old if restore else change.new
        if text is None:
            path.unlink(missing_ok=True)
        else:
            atomic_write(path, text)


def _modules(changes: list[FileChange]) -> list[str]:
    reg = confgen.registry()
    confs = sorted((reg[c.filename] for c in changes), key=lambda c: c.order)
    return list(dict.fromkeys(c.module for c in confs if c.module))


async def _verify(ami: AMIClient, changes: list[FileChange]) -> None:
    """Ask Asterisk whether it runs the new files, retrying briefly: some reloads finish
    on Asterisk's own threads a moment after the Reload action has answered."""
    reg = confgen.registry()
    for change in changes:
        deadline = time.monotonic() + VERIFY_TIMEOUT
        while True:
            try:
                await reg[change.filename].verify(ami, change.old or "", change.new)
                break
            except VerificationError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.05)


async def _reload(ami: AMIClient, module: str) -> None:
    """Reload one module, waiting if another reload (someone's CLI, a restart) is running:
    Asterisk refuses concurrent reloads, and that is no reason to roll back."""
    deadline = time.monotonic() + VERIFY_TIMEOUT
    while True:
        try:
            await ami.action("Reload", Module=module)
            return
        except AMIError as exc:
            if "in progress" not in str(exc) or time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


def _pushed_unchanged(config_dir: Path, changes: list[FileChange]) -> list[FileChange]:
    """Pushed files the database did not change: Asterisk must still hold what they record
    (a new instance, a lost AstDB, an interrupted push would make it differ)."""
    names = {c.filename for c in changes}
    kept = []
    for name, conf in confgen.registry().items():
        path = config_dir / name
        if conf.push is not None and name not in names and path.exists():
            text = path.read_text(encoding="utf-8")
            kept.append(FileChange(name, text, text))
    return kept


async def _reload_and_verify(
    conn: dict, changes: list[FileChange], *, restore: bool, recheck: list[FileChange] = ()
) -> list[str]:
    """Push and reload at the same time, on two AMI connections: Asterisk serves each on
    its own thread, so a large apply uses both cores. Returns the modules reloaded."""
    reg = confgen.registry()
    reloaded: list[str] = []

    async def push_all(ami: AMIClient) -> None:
        for change in [*changes, *recheck]:
            pusher = reg[change.filename].push
            if pusher is not None:
                old, new = change.old or "", change.new
                await (pusher(ami, new, old) if restore else pusher(ami, old, new))

    async def reload_all(ami: AMIClient) -> None:
        to_reload = []
        for change in changes:
            patcher = reg[change.filename].patch
            old, new = change.old or "", change.new
            if patcher is None or not await (
                patcher(ami, new, old) if restore else patcher(ami, old, new)
            ):
                to_reload.append(change)
        for module in _modules(to_reload):
            await _reload(ami, module)
            reloaded.append(module)

    pusher_ami = AMIClient(**conn, reconnect=False)
    reloader_ami = AMIClient(**conn, reconnect=False)
    try:
        await asyncio.gather(pusher_ami.connect(), reloader_ami.connect())
        await asyncio.gather(push_all(pusher_ami), reload_all(reloader_ami))
        if not restore:
            await _verify(pusher_ami, changes)
    finally:
        await asyncio.gather(pusher_ami.close(), reloader_ami.close(), return_exceptions=True)
    return reloaded


def apply(*, dry_run: bool = False, require_asterisk: bool = True) -> ApplyResult:
    """Make Asterisk run what the database says.

    With ``require_asterisk`` False, an unreachable Asterisk is not an error: the files are
    written and Asterisk loads them when it starts (the managed runtime renders them before
    starting it anyway).
    """
    started = time.monotonic()
    tgt: Target = target()
    with _apply_lock():
        changes = plan(tgt.config_dir)
        result = ApplyResult(changes=changes)
        if dry_run:
            result.message = "dry run"
            result.seconds = time.monotonic() - started
            return result
        recheck = _pushed_unchanged(tgt.config_dir, changes)
        if not changes and not recheck:
            result.message, result.verified = "nothing to apply", True
            result.seconds = time.monotonic() - started
            return result
        _write(tgt.config_dir, changes)
        try:
            reloaded = asyncio.run(
                _reload_and_verify(tgt.ami, changes, restore=False, recheck=recheck)
            )
        except AMIConnectionError as exc:
            pushed = [c for c in changes if confgen.registry()[c.filename].push is not None]
            # A pushed file records what Asterisk holds: never claim a push that did not
            # happen. Files Asterisk reads itself are kept for its next start.
            _write(tgt.config_dir, changes if require_asterisk else pushed, restore=True)
            if require_asterisk and changes:
                raise ApplyError(f"Asterisk is not reachable through AMI: {exc}") from exc
            result.message = (
                "written; Asterisk is not running and will load them at start"
                if changes else "nothing to apply (Asterisk not reachable)"
            )
            log.warning("apply: %s", result.message)
        except (AMIError, VerificationError, OSError) as exc:
            _write(tgt.config_dir, changes, restore=True)
            try:
                asyncio.run(_reload_and_verify(tgt.ami, changes, restore=True))
            except (AMIError, OSError):
                log.exception("apply: reloading the restored files failed")
            names = ", ".join(c.filename for c in changes)
            raise ApplyError(
                f"Asterisk refused the new configuration ({exc}); the previous {names} "
                "were restored"
            ) from exc
        else:
            result.reloaded = reloaded
            result.verified = True
            result.message = "applied" if changes else "nothing to apply"
        result.seconds = time.monotonic() - started
        log.info("apply: %s (%s) in %.3f s", result.message,
                 ", ".join(c.filename for c in changes), result.seconds)
        return result


def write_only() -> list[FileChange]:
    """Write the rendered files Asterisk reads at start, without talking to it.

    Pushed objects are not written: their file records what Asterisk holds, which only a
    push (the apply that follows the start) can make true.
    """
    tgt = target()
    reg = confgen.registry()
    with _apply_lock():
        changes = [c for c in plan(tgt.config_dir) if reg[c.filename].push is None]
        _write(tgt.config_dir, changes)
    return changes
