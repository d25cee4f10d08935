"""Ingestion of Asterisk's CDRs and queue_log into the database (docs/records.md).

``ingest()`` reads what was appended to each file since the position its ``IngestCursor``
remembers (``centrex.pbx.ingest.follow``: rotations followed, partial lines left for next
time) and, for each chunk of lines, in ONE transaction: stores the rows (duplicates
ignored by the unique keys), rebuilds the calls and queue visits they touch and the
per-day totals of their days (``rollup``), and moves the cursor. Killed
at any point, it starts again from the last committed position: nothing lost, nothing
twice. ``centrex run`` calls it every second; ``centrex ingest`` once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from django.db import transaction
from django.db.models import F

from centrex.pbx.connection import log_dir
from centrex.pbx.ingest.follow import Position, follow
from centrex.pbx.ingest.records import (
    CDR_FILE,
    QUEUE_LOG_FILE,
    line_key,
    parse_cdr,
    parse_queue_log,
)
from centrex.reports import calls, fastsql, queuecalls, rollup
from centrex.reports.models import AGENT_EVENTS, AgentEvent, Cdr, IngestCursor, QueueEvent

logger = logging.getLogger("centrex.reports.ingest")

CDR_FIELDS = ["uniqueid", "linkedid", "sequence", "start", "answer", "end", "duration",
              "billsec", "disposition", "src", "dst", "dcontext", "clid", "channel",
              "dstchannel", "lastapp", "lastdata", "accountcode", "userfield"]
EVENT_FIELDS = ["key", "time", "callid", "queue", "agent", "event", "data1", "data2",
                "data3", "data4", "data5"]


def store_cdrs(lines: Sequence[bytes]) -> tuple[int, int]:
    """Store the CDRs among ``lines`` and make their calls: (stored, skipped)."""
    records = [parse_cdr(line) for line in lines if line.strip()]
    good = [r for r in records if r is not None]
    epoch = fastsql.adapters().epoch
    fastsql.insert(Cdr, CDR_FIELDS, (
        (r.uniqueid, r.linkedid, r.sequence, epoch(r.start), epoch(r.answer), epoch(r.end),
         r.duration, r.billsec,
         r.disposition, r.src, r.dst, r.dcontext, r.clid, r.channel, r.dstchannel, r.lastapp,
         r.lastdata, r.accountcode, r.userfield) for r in good))
    rollup.refresh_calls(calls.build(good))
    return len(good), len(records) - len(good)


def store_queue_events(lines: Sequence[bytes]) -> tuple[int, int]:
    """Store the queue_log lines among ``lines`` and continue their queue visits:
    (stored, skipped)."""
    parsed = [parse_queue_log(line) for line in lines if line.strip()]
    good = [p for p in parsed if p is not None]
    epoch = fastsql.adapters().epoch
    rows = [(line_key(p.time, p.callid, p.queue, p.agent, p.event, p.data),
             epoch(p.time), p.callid, p.queue, p.agent, p.event,
             *p.data, *("",) * (5 - len(p.data))) for p in good]
    fastsql.insert(QueueEvent, EVENT_FIELDS, rows)
    fastsql.insert(AgentEvent, ["key", "at", "queue", "agent", "event", "reason"], (
        (row[0], p.time, p.queue, p.agent, p.event, row[6])
        for p, row in zip(good, rows, strict=True) if p.event in AGENT_EVENTS))
    rollup.refresh_queues(queuecalls.fold(good))
    rollup.refresh_calls(calls.link_queues(good))
    return len(good), len(parsed) - len(good)


Store = Callable[[Sequence[bytes]], tuple[int, int]]
# Queue events first: a call whose CDR comes in the same pass finds its queue.
SOURCES: dict[str, tuple[str, Store]] = {
    "queue_log": (QUEUE_LOG_FILE, store_queue_events),
    "cdr": (f"cdr-custom/{CDR_FILE}", store_cdrs),
}


def ingest_file(source: str, path: Path, store: Store) -> int:
    """Everything new in ``path``; returns the number of rows stored."""
    cursor, _created = IngestCursor.objects.get_or_create(source=source)
    start = Position(cursor.device, cursor.inode, cursor.offset, cursor.head,
                     cursor.head_size)
    total = 0
    for chunk in follow(path, start):
        with fastsql.no_cycle_collection(), transaction.atomic():
            # Another process (``centrex ingest`` beside ``centrex run``) may have moved the
            # cursor meanwhile: then it stored these lines, stop here.
            moved = IngestCursor.objects.filter(
                pk=cursor.pk, device=start.device, inode=start.inode, offset=start.offset,
                head=start.head).update(**asdict(chunk.position))
            if not moved:
                return total
            stored, skipped = store(chunk.lines)
            IngestCursor.objects.filter(pk=cursor.pk).update(
                lines=F("lines") + stored, skipped=F("skipped") + skipped)
        if skipped:
            logger.warning("ingest %s: %d line(s) of %s were not records", source, skipped,
                           chunk.path)
        start = chunk.position
        total += stored
    return total


def ingest(folder: Path | None = None) -> dict[str, int]:
    """Read every record file once; ``{source: rows stored}``. Nothing while no Asterisk
    is configured."""
    folder = folder or log_dir()
    if folder is None:
        return {}
    return {source: ingest_file(source, folder / name, store)
            for source, (name, store) in SOURCES.items()}


def ingest_quietly() -> None:
    """The periodic job of ``centrex run``: a failure is logged and retried next time."""
    try:
        done = ingest()
    except Exception:  # a periodic job must survive to try again
        logger.exception("ingest: failed; will retry")
        return
    if any(done.values()):
        logger.info("ingest: %s", ", ".join(f"{k} {v}" for k, v in done.items()))
