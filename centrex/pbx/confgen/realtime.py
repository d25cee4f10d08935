"""Voicemail boxes in a realtime table that Asterisk reads on each lookup.

app_voicemail re-reads every box on a reload (about 1.7 s for 10,000 boxes, whatever
changed). With Asterisk's realtime (``extconfig.conf``: ``voicemail => sqlite3,centrex``,
``res_config_sqlite3`` with ``batch = 0`` so that it never holds a transaction open),
boxes are looked up in a SQLite table when a call needs them: Centrex rewrites the table in
one transaction and the change is live at once, with no reload.

The table lives beside Asterisk (the managed instance's ``lib`` folder, or
``CENTREX_ASTERISK_REALTIME_DB`` for an external Asterisk). WAL mode lets Asterisk read
while Centrex writes; a reader never sees half a change.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from centrex.pbx.confgen import syntax as s

DB_NAME = "centrex_realtime.sqlite3"
DATABASE = "centrex"  # the res_config_sqlite3.conf section (a name, not a path)
SCHEMA = """
CREATE TABLE IF NOT EXISTS voicemail (
    uniqueid INTEGER PRIMARY KEY AUTOINCREMENT,
    context TEXT NOT NULL,
    mailbox TEXT NOT NULL,
    password TEXT NOT NULL,
    fullname TEXT,
    email TEXT,
    pager TEXT,
    stamp TEXT,
    UNIQUE (context, mailbox)
);
"""
VOICEMAIL_COLUMNS = ("context", "mailbox", "password", "fullname")


def _give_to_asterisk(path: Path) -> None:
    """Asterisk (the folder's owner) must be able to open the database and its WAL files."""
    if os.geteuid() != 0:
        return
    st = path.parent.stat()
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.chown(path.parent / name, st.st_uid, st.st_gid)


@contextlib.contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    con = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.executescript(SCHEMA)
        yield con
    finally:
        con.close()
        _give_to_asterisk(path)


def ensure_schema(path: Path) -> None:
    with connect(path):
        pass


Row = tuple[str, str, str, str]  # context, mailbox, password, fullname
INSERT = ("INSERT OR REPLACE INTO voicemail (context, mailbox, password, fullname) "
          "VALUES (?,?,?,?)")


def update_voicemail(
    path: Path, rows: Iterable[Row], *, removed: Iterable[Row] = (), replace_all: bool = False
) -> None:
    """In one transaction: drop ``removed`` boxes (or all of them), write ``rows``."""
    with connect(path) as con:
        con.execute("BEGIN IMMEDIATE")
        try:
            if replace_all:
                con.execute("DELETE FROM voicemail")
            con.executemany("DELETE FROM voicemail WHERE context = ? AND mailbox = ?",
                            [(r[0], r[1]) for r in removed])
            con.executemany(INSERT, rows)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def voicemail_revision(path: Path) -> str | None:
    """The revision the table holds (its marker row), None if it has none."""
    if not path.exists():
        return None
    with connect(path) as con:
        row = con.execute(
            "SELECT fullname FROM voicemail WHERE context = ? AND mailbox = '0'",
            (s.REVISION_SECTION,),
        ).fetchone()
    return row[0] if row else None


def parse_voicemail(text: str) -> list[Row]:
    """Rendered ``voicemail.conf``-style text → table rows."""
    rows, context = [], None
    for line in text.splitlines():
        if line.startswith("[") and line.endswith("]"):
            context = line[1:-1]
        elif " => " in line and context and not line.startswith(";"):
            mailbox, _, rest = line.partition(" => ")
            password, _, fullname = rest.partition(",")
            rows.append((context, mailbox, password, fullname))
    return rows


def config_files(db_path_in_asterisk: str) -> dict[str, str]:
    """What an Asterisk needs to read the table (managed runtime; documented for external)."""
    return {
        "res_config_sqlite3.conf": (
            f"[{DATABASE}]\ndbfile = {db_path_in_asterisk}\n"
            "; Never keep a transaction open: Centrex writes this database too.\nbatch = 0\n"
        ),
        "extconfig.conf": f"[settings]\nvoicemail => sqlite3,{DATABASE},voicemail\n",
    }
