"""Bulk writes for ingestion: ``executemany`` of one prepared INSERT, skipping or updating
rows already there (``ON CONFLICT``, which SQLite and PostgreSQL both speak).

Why not ``bulk_create``: it builds a model instance per row and one SQL text per batch;
a year of records is millions of rows, and the ingestion must keep ahead of Asterisk after
a long outage. Table and column names come from the models, never from input; values are
parameters, adapted the way Django adapts them for the database in use.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model


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
    if batch:
        with connection.cursor() as cursor:
            cursor.executemany(sql, batch)


def when(value: datetime.datetime | None):
    """A datetime as the column takes it: SQLite stores naive UTC text (what Django's
    adapter makes, written here without its per-value checks), PostgreSQL the value."""
    if value is None or connection.vendor != "sqlite":
        return value
    return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")


def day(value: datetime.date):
    return value.isoformat() if connection.vendor == "sqlite" else value
