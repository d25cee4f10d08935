"""One ``QueueCall`` per visit of a call to a queue, from its queue_log lines
(docs/statistics.md, "What the figures mean").

The first line that ends the wait decides the outcome: ``CONNECT`` answered;
``ABANDON`` abandoned (the caller hung up while waiting); ``EXITWITHTIMEOUT``,
``EXITEMPTY``, ``EXITWITHKEY``, ``FULL``, ``JOINEMPTY``, ``JOINUNAVAIL`` dissuaded (sent
elsewhere by a rule of the queue: the longest wait, no agent, a key, the queue full);
``CLOSED`` (written by Centrex's dialplan when the queue's opening hours say closed) closed.
The waiting time is the one Asterisk wrote on that line; the talk time the one of
``COMPLETECALLER``/``COMPLETEAGENT`` (or ``TRANSFER``). A visit with no ending yet is
*waiting* (or talking: answered, talk 0 until it ends).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from centrex.reports.calls import local_day_hour
from centrex.reports.models import QueueCall, QueueEvent

BATCH = 500
ENDINGS = {"CONNECT": "answered", "ABANDON": "abandoned", "EXITWITHTIMEOUT": "dissuaded",
           "EXITEMPTY": "dissuaded", "EXITWITHKEY": "dissuaded", "FULL": "dissuaded",
           "JOINEMPTY": "dissuaded", "JOINUNAVAIL": "dissuaded", "CLOSED": "closed"}
# Which data field holds the waiting time, per ending (queue_log's documented layout).
WAIT_FIELD = {"CONNECT": 0, "ABANDON": 2, "EXITWITHTIMEOUT": 2, "EXITEMPTY": 2,
              "EXITWITHKEY": 3}  # index among data1..data5
TALK_FIELD = {"COMPLETECALLER": 1, "COMPLETEAGENT": 1, "TRANSFER": 3}
CALL_EVENTS = {"ENTERQUEUE", *ENDINGS, *TALK_FIELD}


def _seconds(text: str) -> int:
    try:
        return max(0, int(float(text)))
    except ValueError:
        return 0


@dataclass(slots=True)
class Visit:
    """A visit as ingestion folds it: the columns of ``QueueCall`` without a model instance
    per row (building one cost more than folding the lines)."""

    callid: str
    queue: str
    entered: datetime.datetime
    outcome: str = "waiting"
    reason: str = ""
    wait: int = 0
    talk: int = 0
    agent: str = ""
    caller: str = ""
    day: datetime.date = datetime.date.min
    hour: int = 0


def apply(visit: Visit, time: datetime.datetime, agent: str, event: str,
          data: Sequence[str]) -> None:
    """One queue_log line of this visit, in time order (applying a line twice changes
    nothing: a chunk read again after a truncation leaves the visit as it was)."""
    if event == "ENTERQUEUE":
        visit.entered = time
        visit.caller = (data[1] if len(data) > 1 else "")[:80]
    elif event in ENDINGS and visit.outcome == "waiting":
        visit.outcome, visit.reason = ENDINGS[event], event
        index = WAIT_FIELD.get(event)
        visit.wait = _seconds(data[index]) if index is not None and len(data) > index else 0
        if event == "CONNECT":
            visit.agent = agent
    elif event in TALK_FIELD:
        index = TALK_FIELD[event]
        visit.talk = _seconds(data[index]) if len(data) > index else 0
        visit.agent = visit.agent or agent


def summarize(events: Sequence[QueueEvent]) -> Visit:
    """The visit made of ``events`` (one call id, one queue, in time order)."""
    first = events[0]
    visit = Visit(first.callid, first.queue, first.time)
    for e in events:
        apply(visit, e.time, e.agent, e.event, (e.data1, e.data2, e.data3, e.data4, e.data5))
    visit.day, visit.hour = local_day_hour(visit.entered)
    return visit


UPDATED_FIELDS = ["entered", "day", "hour", "outcome", "reason", "wait", "talk", "agent", "caller"]
VISIT_FIELDS = ["entered", "outcome", "reason", "wait", "talk", "agent", "caller", "day", "hour"]


def fold(lines: Sequence) -> set[datetime.date]:
    """The visits touched by these queue_log lines (``QueueLogLine``, in file order),
    continued from what is stored: no line is read back from the database. Returns the
    days whose totals changed (``rollup``): the visits' days before and after."""
    from centrex.reports import fastsql

    touched = [line for line in lines
               if line.event in CALL_EVENTS and line.callid and line.callid != "NONE"]
    if not touched:
        return set()
    callids = sorted({line.callid for line in touched})
    visits: dict[tuple[str, str], Visit] = {}
    days: set[datetime.date] = set()
    for i in range(0, len(callids), BATCH):
        for row in QueueCall.objects.filter(callid__in=callids[i:i + BATCH]).values_list(
                "callid", "queue", *VISIT_FIELDS):
            visit = visits[row[0], row[1]] = Visit(*row)
            days.add(visit.day)
    for line in touched:
        time = datetime.datetime.fromtimestamp(line.time, datetime.UTC)
        visit = visits.get((line.callid, line.queue))
        if visit is None:
            visit = visits[line.callid, line.queue] = Visit(line.callid, line.queue, time)
        apply(visit, time, line.agent, line.event, line.data)
    rows = []
    adapt = fastsql.adapters()
    for visit in visits.values():
        visit.day, visit.hour = local_day_hour(visit.entered)
        days.add(visit.day)
        rows.append((visit.callid, visit.queue, adapt.when(visit.entered),
                     adapt.day(visit.day), visit.hour, visit.outcome, visit.reason,
                     visit.wait, visit.talk, visit.agent, visit.caller))
    fastsql.insert(QueueCall, ["callid", "queue", *UPDATED_FIELDS], rows,
                   conflict=("callid", "queue"), update=UPDATED_FIELDS)
    return days
