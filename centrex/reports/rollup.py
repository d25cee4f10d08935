"""Per-day totals of the reports, kept at ingestion (docs/statistics.md, "Per-day totals").

A year is about 2.8 million calls and 1.9 million queue visits: grouping them for every
report took seconds. Each table here holds the totals of one day (per queue, hour and
outcome; per waiting time; per agent; per department and phone...), so a year is a few
thousand to a few hundred thousand small rows, and every report reads only them.

The totals of a day are *recomputed* from the detail rows (``Call``, ``QueueCall``), never
incremented, in the same transaction as the chunk of ingestion that changed them: a line
read twice, a call rebuilt from a later leg, a re-pricing leave them exactly equal to a
grouping of the detail, and they are current to the last ingestion (every second).
``centrex rollup`` recomputes a period, for rows written by other means or after a queue's
wrap-up time changed (the wrap-up is counted with the time in force when the day was
recomputed).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Case, Count, F, Model, Q, QuerySet, Sum, Value, When, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Lead

from centrex.reports import fastsql
from centrex.reports.models import (
    AGENT_EVENTS,
    AgentDaily,
    AgentEvent,
    BillingDaily,
    Call,
    CallerDaily,
    CallHourly,
    QueueCall,
    QueueEvent,
    QueueHourly,
    QueueWaits,
)

BATCH = 200  # days per query
BILLED = ("priced", "forbidden", "unmatched")


@dataclass(frozen=True)
class Rollup:
    """A table of per-day totals and how a day's rows are made (tuples in ``fields``'
    order, ``day`` first)."""

    model: type[Model]
    fields: tuple[str, ...]
    rows: Callable[[list[datetime.date]], Iterable[Sequence]]


def grouped(source: Callable[[], QuerySet], keys: tuple[str, ...],
            **sums) -> Callable[[list[datetime.date]], Iterable[Sequence]]:
    """Rows grouped by ``day`` and ``keys`` (columns of the source named as in the totals'
    table), with the ``sums`` as the table's other columns."""
    def rows(days: list[datetime.date]) -> Iterable[Sequence]:
        return source().filter(day__in=days).values("day", *keys).annotate(
            **sums).order_by().values_list("day", *keys, *sums)
    return rows


def epoch_sql(model: type[Model], field_name: str) -> str:
    """SQL for a datetime column as whole seconds since 1970, computed by the database.
    Names come from the model, never from input."""
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(field_name).column)}"
    if connection.vendor == "sqlite":
        return f"CAST(strftime('%%s', {column}) AS INTEGER)"
    return f"CAST(EXTRACT(EPOCH FROM {column}) AS BIGINT)"


def agent_rows(days: list[datetime.date]) -> list[tuple]:
    """Per day, agent and queue: queue calls answered, their talk time, and the wrap-up
    after them — the queue's wrap-up time, cut short when the agent's next call of the same
    day starts sooner (LEAD over the agent's day, which SQLite and PostgreSQL both speak)."""
    from centrex.contact_center.models import Queue

    wrapup = dict(Queue.objects.values_list("name", "wrapup_time"))
    entered = epoch_sql(QueueCall, "entered")
    rows = (QueueCall.objects.filter(day__in=days, outcome="answered").exclude(agent="")
            .order_by()
            .annotate(wrap=Case(*(When(queue=q, then=Value(w)) for q, w in wrapup.items()),
                                default=Value(0)),
                      done=RawSQL(f"{entered} + wait + talk", []),  # noqa: S611
                      following=Window(Lead(RawSQL(f"{entered} + wait", [])),  # noqa: S611
                                       partition_by=[F("agent"), F("day")],
                                       order_by=[F("entered").asc(), F("id").asc()]))
            .values("day", "agent", "queue", "talk", "wrap", "done", "following"))
    inner, params = rows.query.sql_with_params()  # values stay parameters
    sql = ("SELECT day, agent, queue, COUNT(*), SUM(talk), "  # noqa: S608 - no input
           "SUM(CASE WHEN following IS NULL THEN wrap WHEN following - done <= 0 THEN 0 "
           "WHEN following - done < wrap THEN following - done ELSE wrap END) "
           f"FROM ({inner}) AS answered GROUP BY day, agent, queue")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(_date(row[0]), *row[1:]) for row in cursor.fetchall()]


def _date(value) -> datetime.date:
    """A day read by raw SQL: SQLite gives its text."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _visits() -> QuerySet:
    return QueueCall.objects.exclude(outcome="waiting")


QUEUE_ROLLUPS = (
    Rollup(QueueHourly, ("day", "queue", "hour", "outcome", "calls"),
           grouped(_visits, ("queue", "hour", "outcome"), calls=Count("id"))),
    Rollup(QueueWaits, ("day", "queue", "reason", "outcome", "wait", "calls"),
           grouped(_visits, ("queue", "reason", "outcome", "wait"), calls=Count("id"))),
    Rollup(AgentDaily, ("day", "agent", "queue", "answered", "talk", "wrapup"), agent_rows),
)
CALL_ROLLUPS = (
    Rollup(CallHourly, ("day", "hour", "direction", "caller_department_id",
                        "callee_department_id", "calls", "duration"),
           grouped(Call.objects.all, ("hour", "direction", "caller_department_id",
                                      "callee_department_id"),
                   calls=Count("id"), duration=Sum("duration"))),
    Rollup(CallerDaily, ("day", "caller_id", "direction", "calls", "duration"),
           grouped(lambda: Call.objects.filter(caller__isnull=False),
                   ("caller_id", "direction"), calls=Count("id"), duration=Sum("duration"))),
    Rollup(BillingDaily, ("day", "caller_department_id", "caller_id", "source", "calls",
                          "duration", "cost", "cost_vat"),
           grouped(lambda: Call.objects.filter(pricing__in=BILLED),
                   ("caller_department_id", "caller_id", "source"), calls=Count("id"),
                   duration=Sum("duration"), cost=Coalesce(Sum("cost"), 0),
                   cost_vat=Coalesce(Sum("cost_vat"), 0))),
)


def refresh(rollups: Sequence[Rollup], days: Iterable[datetime.date]) -> None:
    """Recompute these days' totals from the detail rows."""
    days = sorted(set(days))
    if not days:
        return
    day = fastsql.adapters().day
    with transaction.atomic():
        for i in range(0, len(days), BATCH):
            part = days[i:i + BATCH]
            for rollup in rollups:
                rollup.model.objects.filter(day__in=part).delete()
                fastsql.insert(rollup.model, rollup.fields,
                               ((day(row[0]), *row[1:]) for row in rollup.rows(part)))


def refresh_queues(days: Iterable[datetime.date]) -> None:
    refresh(QUEUE_ROLLUPS, days)


def refresh_calls(days: Iterable[datetime.date]) -> None:
    refresh(CALL_ROLLUPS, days)


def days_between(since: datetime.date | None, until: datetime.date | None,
                 *models: type[Model]) -> set[datetime.date]:
    """The days with rows in any of ``models`` within the period (both ends included)."""
    where = Q()
    if since:
        where &= Q(day__gte=since)
    if until:
        where &= Q(day__lte=until)
    found: set[datetime.date] = set()
    for model in models:
        found.update(model.objects.filter(where).values_list("day", flat=True).distinct())
    return found


def rebuild(since: datetime.date | None = None, until: datetime.date | None = None) -> int:
    """Recompute every day of the period (all when open) that has detail rows or totals:
    ``centrex rollup``. Returns the number of days."""
    queue_days = days_between(since, until, QueueCall,
                              *(r.model for r in QUEUE_ROLLUPS))
    call_days = days_between(since, until, Call, *(r.model for r in CALL_ROLLUPS))
    refresh_queues(queue_days)
    refresh_calls(call_days)
    return len(queue_days | call_days)


def fill_after_upgrade(**_signal) -> None:
    """What a database from before the per-day totals (migration 0007) lacks: its agents'
    sessions and pauses copied into ``AgentEvent``, and its totals computed — once, after
    ``migrate`` (the ``post_migrate`` signal), when a table is empty and its detail is not.
    Without it, the reports of an upgraded site would say nothing of its past until someone
    ran ``centrex rollup``. Done by the current code, once every table exists: a data
    migration would have to repeat the totals' definition for the models of its time."""
    needed = {model._meta.db_table for model in (AgentEvent, QueueEvent, QueueCall, Call,
                                                  *(r.model for r in QUEUE_ROLLUPS),
                                                  *(r.model for r in CALL_ROLLUPS))}
    if not needed <= set(connection.introspection.table_names()):
        return  # migrated back to before the totals: nothing to fill
    quote = connection.ops.quote_name
    if (not AgentEvent.objects.exists()
            and QueueEvent.objects.filter(event__in=AGENT_EVENTS).exists()):
        def columns(model: type[Model], *names: str) -> list[str]:
            return [quote(model._meta.get_field(name).column) for name in names]

        target = columns(AgentEvent, "key", "at", "queue", "agent", "event", "reason")
        source = [*columns(QueueEvent, "key"), epoch_sql(QueueEvent, "time"),
                  *columns(QueueEvent, "queue", "agent", "event", "data1")]
        (event,) = columns(QueueEvent, "event")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(AgentEvent._meta.db_table)} ({', '.join(target)}) "  # noqa: S608 - names from models
                f"SELECT {', '.join(source)} FROM {quote(QueueEvent._meta.db_table)} "
                f"WHERE {event} IN ({', '.join(['%s'] * len(AGENT_EVENTS))})", AGENT_EVENTS)
    if not QueueHourly.objects.exists() and _visits().exists():
        refresh_queues(days_between(None, None, QueueCall))
    if not CallHourly.objects.exists() and Call.objects.exists():
        refresh_calls(days_between(None, None, Call))
