"""Follow a log file that Asterisk appends to and something else rotates, from a remembered
position, so that every complete line is handed out once and only once.

A position is ``(device, inode, offset)`` and a fingerprint of the file's first bytes: the
file is known by its inode (and, since a deleted file's inode is soon given to a new one, by
how it begins), not its name, so a rotation by renaming (``queue_log`` → ``queue_log.1``,
what Asterisk's ``logger rotate`` and logrotate do) is followed: the rest of the old file is
read under its new name first, then every file rotated since (several rotations while
Centrex was stopped: a weekend of daily rotations), oldest first, then the new file from its
start. A file that shrank under the same inode was truncated (logrotate's ``copytruncate``):
it is read again from its start, and the callers' unique keys drop what they already hold. A
partial last line (Asterisk still writing it) is left for the next read.

The caller stores the position returned with the lines *in the same transaction* as what it
made of them: a crash between the two then cannot lose or duplicate a line.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Lines handed out per chunk: big enough for bulk inserts, small enough for one transaction.
CHUNK_BYTES = 4 * 1024 * 1024
# How much of a file's beginning tells it from another file that got the same inode.
HEAD_BYTES = 256
# Rotated copies by these suffixes are compressed: not read (see ``_rotated``).
COMPRESSED = {".gz", ".bz2", ".xz", ".zst", ".lz4", ".Z"}


@dataclass(frozen=True)
class Position:
    device: int = 0
    inode: int = 0
    offset: int = 0
    head: str = ""  # sha256 of the file's first bytes (HEAD_BYTES, or all of a short file)
    head_size: int = 0


@dataclass(frozen=True)
class Chunk:
    """Complete lines read from one file, and the position just after the last of them."""

    lines: list[bytes]
    position: Position
    path: Path


def _identity(stat: os.stat_result) -> tuple[int, int]:
    return stat.st_dev, stat.st_ino


def _rotated(path: Path) -> list[tuple[Path, os.stat_result]]:
    """``path``'s rotated copies (``queue_log.1``, ``queue_log-20261122``…), not the
    compressed ones (their lines were read before they were compressed: logrotate's
    ``delaycompress`` keeps the newest copy as it is)."""
    try:
        siblings = sorted(path.parent.iterdir())
    except OSError:
        return []
    found = []
    for sibling in siblings:
        if (sibling == path or not sibling.name.startswith(path.name)
                or sibling.suffix in COMPRESSED):
            continue
        try:
            found.append((sibling, sibling.stat()))
        except OSError:
            continue
    return found


def rotated_copy(path: Path, position: Position) -> Path | None:
    """The rotated copy of ``path`` that is still the inode ``position`` was reading, if it
    survived the rotation."""
    for sibling, stat in _rotated(path):
        if _identity(stat) == (position.device, position.inode):
            return sibling
    return None


def rotated_since(path: Path, old: Path) -> list[Path]:
    """The rotated copies of ``path`` written to after ``old`` was rotated (Asterisk wrote
    to them as ``path`` before the next rotations), oldest first: their last write is not
    before ``old``'s. One rotated before ``old`` with the very same time is read again, and
    the unique keys drop its rows."""
    try:
        since = old.stat()
    except OSError:
        return []
    later = [(stat.st_mtime_ns, sibling) for sibling, stat in _rotated(path)
             if _identity(stat) != _identity(since) and stat.st_mtime_ns >= since.st_mtime_ns]
    return [sibling for _mtime, sibling in sorted(later)]


def _head(handle, size: int) -> tuple[str, int]:
    handle.seek(0)
    data = handle.read(size)
    return hashlib.sha256(data).hexdigest(), len(data)


def _same_file(handle, stat: os.stat_result, position: Position) -> bool:
    """Whether the open file is the one ``position`` was reading, and not shorter."""
    if _identity(stat) != (position.device, position.inode) or stat.st_size < position.offset:
        return False
    return _head(handle, position.head_size) == (position.head, position.head_size)


def _read(path: Path, position: Position, chunk_bytes: int) -> Iterator[Chunk]:
    """Complete lines of ``path`` from ``position.offset`` to its current end."""
    with path.open("rb") as handle:
        stat = os.fstat(handle.fileno())
        device, inode = _identity(stat)
        offset = position.offset
        head, head_size = position.head, position.head_size
        if not _same_file(handle, stat, position):
            offset = 0  # another file, or this one truncated: from its start
        if offset == 0 or head_size < HEAD_BYTES:
            head, head_size = _head(handle, HEAD_BYTES)
        handle.seek(offset)
        rest = b""
        while True:
            data = handle.read(chunk_bytes)
            if not data:
                break
            data = rest + data
            end = data.rfind(b"\n")
            if end < 0:
                rest = data
                continue
            rest = data[end + 1:]
            offset = handle.tell() - len(rest)
            yield Chunk(data[:end].split(b"\n"),
                        Position(device, inode, offset, head, head_size), path)


def follow(path: Path, position: Position, chunk_bytes: int = CHUNK_BYTES) -> Iterator[Chunk]:
    """Every complete line written to ``path`` since ``position``, in chunks; after a
    rotation, the end of the old file first. Nothing (and no error) while there is no file."""
    try:
        current = _identity(path.stat())
    except OSError:
        current = None
    if position.inode and current != (position.device, position.inode):
        old = rotated_copy(path, position)
        if old is not None:
            yield from _read(old, position, chunk_bytes)
            for later in rotated_since(path, old):
                yield from _read(later, Position(), chunk_bytes)
    if current is not None:
        start = position if current == (position.device, position.inode) else Position()
        yield from _read(path, start, chunk_bytes)
