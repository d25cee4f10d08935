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

from collections import defaultdict
from collections.abc import Iterable, Sequence

from centrex.reports.calls import local_day_hour
from centrex.reports.models import QueueCall, QueueEvent

BATCH = 500
ENDINGS = {"CONNECT": "answered", "ABANDON": "abandoned", "EXITWITHTIMEOUT": "dissuaded",
           "EXITEMPTY": "dissuaded", "EXITWITHKEY": "dissuaded", "FULL": "dissuaded",
           "JOINEMPTY": "dissuaded", "JOINUNAVAIL": "dissuaded", "CLOSED": "closed"}
# Which data field holds the waiting time, per ending (queue_log's documented layout).
WAIT_FIELD = {"CONNECT": "data1", "ABANDON": "data3", "EXITWITHTIMEOUT": "data3",
              "EXITEMPTY": "data3", "EXITWITHKEY": "data4"}
TALK_FIELD = {"COMPLETECALLER": "data2", "COMPLETEAGENT": "data2", "TRANSFER": "data4"}
CALL_EVENTS = {"ENTERQUEUE", *ENDINGS, *TALK_FIELD}


def _seconds(text: str) -> int:
    try:
        return max(0, int(float(text)))
    except ValueError:
        return 0


def summarize(events: Sequence[QueueEvent]) -> QueueCall:
    """The visit made of ``events`` (one call id, one queue, in time order)."""
    first = events[0]
    visit = QueueCall(callid=first.callid, queue=first.queue, entered=first.time,
                      outcome="waiting")
    for event in events:
        if event.event == "ENTERQUEUE":
            visit.entered = event.time
            visit.caller = event.data2[:80]
        elif event.event in ENDINGS and visit.outcome == "waiting":
            visit.outcome, visit.reason = ENDINGS[event.event], event.event
            field = WAIT_FIELD.get(event.event)
            visit.wait = _seconds(getattr(event, field)) if field else 0
            if event.event == "CONNECT":
                visit.agent = event.agent
        elif event.event in TALK_FIELD:
            visit.talk = _seconds(getattr(event, TALK_FIELD[event.event]))
            visit.agent = visit.agent or event.agent
    visit.day, visit.hour = local_day_hour(visit.entered)
    return visit


UPDATED_FIELDS = ["entered", "day", "hour", "outcome", "reason", "wait", "talk", "agent", "caller"]


def rebuild(callids: Iterable[str]) -> int:
    """(Re)make the queue visits of these call ids from every line stored for them."""
    ids = sorted(set(callids))
    made = 0
    for i in range(0, len(ids), BATCH):
        groups: dict[tuple[str, str], list[QueueEvent]] = defaultdict(list)
        rows = QueueEvent.objects.filter(callid__in=ids[i:i + BATCH],
                                         event__in=CALL_EVENTS).order_by("time", "pk")
        for event in rows:
            groups[event.callid, event.queue].append(event)
        visits = [summarize(events) for events in groups.values()]
        QueueCall.objects.bulk_create(visits, update_conflicts=True,
                                      unique_fields=["callid", "queue"],
                                      update_fields=UPDATED_FIELDS)
        made += len(visits)
    return made
