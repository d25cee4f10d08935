"""Bulk writes for ingestion: ``executemany`` of one prepared INSERT, skipping or updating
rows already there (``ON CONFLICT``, which SQLite and PostgreSQL both speak).

Why not ``bulk_create``: it builds a model instance per row and one SQL text per batch;
a year of records is millions of rows, and the ingestion must keep ahead of Asterisk after
a long outage. On PostgreSQL a big batch is copied (``COPY``) into a staging table first.
Table and column names come from the models, never from input; values are parameters (or
COPY rows), adapted the way Django adapts them for the database in use.
"""

from __future__ import annotations

import datetime
import gc
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.db.models import Model

UTC = datetime.UTC


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused during one bulk write (a chunk of records stored,
    a period re-priced). The thousands of parsed lines and rows it holds until the commit
    would be walked again and again by the collector, finding nothing (full collections
    of 50 to 100 ms each; CDRs are ingested about 15 % faster without them), and these
    writes make no reference cycles worth collecting meanwhile."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def column_names(model: type[Model], fields: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in fields]


def insert(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence],
           conflict: Sequence[str] = (), update: Sequence[str] = ()) -> None:
    """Insert ``rows`` (values in the order of ``fields``). On a conflict on ``conflict``
    (any unique key when empty), update the ``update`` fields, or keep the row there."""
    quote = connection.ops.quote_name
    columns = column_names(model, fields)
    target = f"({', '.join(quote(c) for c in column_names(model, conflict))})" \
        if conflict else ""
    if update:
        sets = ", ".join(f"{quote(c)} = excluded.{quote(c)}"
                         for c in column_names(model, update))
        action = f"ON CONFLICT {target} DO UPDATE SET {sets}"
    else:
        action = f"ON CONFLICT {target} DO NOTHING"
    sql = "INSERT INTO {} ({}) VALUES ({}) {}".format(  # noqa: S608 - names from models
        quote(model._meta.db_table), ", ".join(quote(c) for c in columns),
        ", ".join(["%s"] * len(columns)), action)
    batch = list(rows)
    if not batch:
        return
    if connection.vendor == "postgresql" and len(batch) >= COPY_FROM:
        _copy_then_insert(model, columns, batch, action)
        return
    with connection.cursor() as cursor:
        cursor.executemany(sql, batch)


# PostgreSQL answers each row of an executemany on its own (about 10,000 rows/s here); a
# big batch goes through COPY into a temporary table, then one INSERT … SELECT.
COPY_FROM = 1000


def _staged(cursor, model: type[Model], columns: list[str], batch: list[Sequence]) -> str:
    """COPY ``batch`` into a temporary table with these columns of ``model``'s table (their
    types, no constraint; one per column list, kept for the connection, emptied by the
    caller): its quoted name."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    tag = zlib.crc32(names.encode())
    stage = quote(f"centrex_stage_{model._meta.db_table}_{tag:x}")
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {stage} AS "  # noqa: S608
                   f"SELECT {names} FROM {quote(model._meta.db_table)} WITH NO DATA")
    with cursor.cursor.copy(f"COPY {stage} ({names}) FROM STDIN") as copy:
        for row in batch:
            copy.write_row(row)
    return stage


def _copy_then_insert(model: type[Model], columns: list[str], batch: list[Sequence],
                      action: str) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        stage = _staged(cursor, model, columns, batch)
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) "  # noqa: S608
                       f"SELECT {names} FROM {stage} {action}")
        cursor.execute(f"TRUNCATE {stage}")


def update(model: type[Model], fields: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Set ``fields`` of rows found by primary key: each row is the fields' values, then
    the key. One UPDATE per row with ``executemany`` (Django's ``bulk_update`` writes a
    CASE per row, hundreds of times slower on a year of calls); on PostgreSQL a big batch
    is copied, then one UPDATE … FROM."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = column_names(model, fields)
    key = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) >= COPY_FROM:
            stage = _staged(cursor, model, [*columns, key], list(rows))
            sets = ", ".join(f"{quote(c)} = s.{quote(c)}" for c in columns)
            cursor.execute(f"UPDATE {table} AS t SET {sets} FROM {stage} AS s "  # noqa: S608
                           f"WHERE t.{quote(key)} = s.{quote(key)}")
            cursor.execute(f"TRUNCATE {stage}")
            return
        sets = ", ".join(f"{quote(c)} = %s" for c in columns)
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE {quote(key)} = %s",  # noqa: S608
                           rows)


# Naive UTC arithmetic instead of astimezone()/replace() per value: a third of the time of
# a queue_log line went into those conversions.
_NAIVE_EPOCH = datetime.datetime(1970, 1, 1)
_AWARE_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)


def _sqlite_when(value: datetime.datetime | None) -> str | None:
    # Django's SQLite adapter makes naive UTC text; written here without its per-value checks.
    if value is None:
        return None
    return (_NAIVE_EPOCH + (value - _AWARE_EPOCH)).isoformat(" ")


def _sqlite_epoch(value: float | None) -> str | None:
    if value is None:
        return None
    return (_NAIVE_EPOCH + datetime.timedelta(seconds=value)).isoformat(" ")


def _aware_epoch(value: float | None) -> datetime.datetime | None:
    return None if value is None else datetime.datetime.fromtimestamp(value, UTC)


def _same(value):
    return value


@dataclass(frozen=True, slots=True)
class Adapters:
    """How values go into the columns of the database in use: SQLite takes text, PostgreSQL
    the values themselves. Fetch them once per batch (``adapters()``): ``connection.vendor``
    is a thread-local lookup, which cost a third of the ingestion when made per value."""

    when: Callable[[datetime.datetime | None], object]  # an aware datetime
    epoch: Callable[[float | None], object]  # seconds since 1970 (the record files' times)
    day: Callable[[datetime.date], object]


def adapters() -> Adapters:
    if connection.vendor == "sqlite":
        return Adapters(_sqlite_when, _sqlite_epoch, datetime.date.isoformat)
    return Adapters(_same, _aware_epoch, _same)
