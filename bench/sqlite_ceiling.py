"""How fast SQLite itself stores the ingestion's rows on this machine, without any Python
work per row: the ceiling under ``bench/reports.py``'s ingestion (docs/performance.md).

Usage: ``.venv/bin/python bench/sqlite_ceiling.py [--rows 300000]``. Migrates a throw-away
database, copies the real tables' definitions (``reports_queueevent``, ``reports_cdr``,
``reports_call``, ``reports_queuecall`` with their indexes and unique keys), then inserts
ready-made rows — time-ordered ids as Asterisk makes them — with one ``executemany`` per
10,000 rows and a commit each, as the ingestion does: once with the tables' indexes and
unique keys, once with the bare table (its primary key and the keys declared in the table
itself, such as ``Call.linkedid``). The same pragmas as the portal (WAL, synchronous
NORMAL, 64 MiB cache); foreign keys are not checked here.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
FOLDER = tempfile.mkdtemp(prefix="centrex-ceiling-")
os.environ["CENTREX_VAR_DIR"] = FOLDER
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centrex.settings.base")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

TABLES = ("reports_queueevent", "reports_cdr", "reports_call", "reports_queuecall")
BATCH = 10_000


def definitions() -> dict[str, tuple[list[str], list[str], list[str]]]:
    """{table: (create statement, index statements, insertable columns)} as migrated."""
    call_command("migrate", verbosity=0)
    found = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute("SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND sql "
                           "IS NOT NULL", [table])
            rows = cursor.fetchall()
            create = [sql for kind, sql in rows if kind == "table"]
            indexes = [sql for kind, sql in rows if kind == "index"]
            cursor.execute(f'PRAGMA table_info("{table}")')
            columns = [row[1] for row in cursor.fetchall() if row[1] != "id"]
            found[table] = (create, indexes, columns)
    return found


def value(column: str, i: int, rng: random.Random):
    """A plausible value: times and ids increase with ``i`` as a day of records does."""
    epoch = 1_760_000_000 + i * 5
    if column in ("time", "start", "answer", "end", "entered"):
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))
    if column == "day":
        return time.strftime("%Y-%m-%d", time.gmtime(epoch))
    if column in ("uniqueid", "linkedid", "callid"):
        return f"{epoch}.{i}"
    if column == "key":
        return rng.getrandbits(63)
    if column.endswith("_id"):  # the parties: half the calls have each
        return rng.randint(1, 100) if rng.random() < 0.5 else None
    if column in ("sequence", "duration", "billsec", "hour", "wait", "talk", "ring_time"):
        return rng.randint(0, 23 if column == "hour" else 600)
    if column in ("cost", "cost_vat"):
        return rng.randint(0, 5000) if rng.random() < 0.3 else None
    return rng.choice(("Sales", "agent042", "0611223344", "ANSWERED", "in", "CONNECT"))


def measure(table: str, create: list[str], indexes: list[str], columns: list[str],
            rows: list[tuple], with_indexes: bool) -> float:
    path = Path(FOLDER) / f"{table}.sqlite3"
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "cache_size=-65536"):
        db.execute(f"PRAGMA {pragma}")
    for sql in create + (indexes if with_indexes else []):
        db.execute(sql)
    names = ", ".join(f'"{c}"' for c in columns)
    # Names from the migrated schema, never from input.
    insert = (f'INSERT INTO "{table}" ({names}) '  # noqa: S608
              f'VALUES ({", ".join("?" * len(columns))}) ON CONFLICT DO NOTHING')
    started = time.perf_counter()
    for i in range(0, len(rows), BATCH):
        db.execute("BEGIN")
        db.executemany(insert, rows[i:i + BATCH])
        db.execute("COMMIT")
    seconds = time.perf_counter() - started
    db.close()
    return len(rows) / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    args = parser.parse_args()
    rng = random.Random(7)  # noqa: S311 - synthetic data, the same each run
    try:
        for table, (create, indexes, columns) in definitions().items():
            rows = [tuple(value(c, i, rng) for c in columns) for i in range(args.rows)]
            bare = measure(table, create, indexes, columns, rows, with_indexes=False)
            full = measure(table, create, indexes, columns, rows, with_indexes=True)
            print(f"{table:<22} with its {len(indexes)} index(es): {full:>9,.0f} rows/s   "
                  f"bare table: {bare:>9,.0f} rows/s", flush=True)
    finally:
        shutil.rmtree(FOLDER, ignore_errors=True)


if __name__ == "__main__":
    main()
