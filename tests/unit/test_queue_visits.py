"""How queue_log lines make a queue visit (centrex/reports/queuecalls.py), line layouts as
app_queue writes them; the real-call test (tests/integration/test_records.py) checks the
same on calls Asterisk placed."""

from __future__ import annotations

import datetime

import pytest

from centrex.pbx.ingest.records import parse_queue_log
from centrex.reports.models import QueueEvent
from centrex.reports.queuecalls import summarize


def events(*lines: str) -> list[QueueEvent]:
    made = []
    for line in lines:
        p = parse_queue_log(line.encode())
        assert p is not None, line
        made.append(QueueEvent(time=datetime.datetime.fromtimestamp(p.time, datetime.UTC),
                               callid=p.callid, queue=p.queue, agent=p.agent, event=p.event,
                               **{f"data{i + 1}": v for i, v in enumerate(p.data)}))
    return made


@pytest.mark.parametrize("lines,outcome,reason,wait,talk,agent", [
    (["100|c1|Sales|NONE|ENTERQUEUE||0611223344|1",
      "112|c1|Sales|alice|CONNECT|12|c1.2|3",
      "190|c1|Sales|alice|COMPLETECALLER|12|78|1"], "answered", "CONNECT", 12, 78, "alice"),
    (["100|c2|Sales|NONE|ENTERQUEUE||0611223344|1",
      "140|c2|Sales|NONE|ABANDON|1|1|40"], "abandoned", "ABANDON", 40, 0, ""),
    (["100|c3|Sales|NONE|ENTERQUEUE||0611223344|1",
      "160|c3|Sales|NONE|EXITWITHTIMEOUT|1|1|60"], "dissuaded", "EXITWITHTIMEOUT", 60, 0, ""),
    (["100|c4|Sales|NONE|ENTERQUEUE||0611223344|1",
      "105|c4|Sales|NONE|EXITWITHKEY|5|1|1|5"], "dissuaded", "EXITWITHKEY", 5, 0, ""),
    (["100|c5|Sales|NONE|JOINEMPTY|"], "dissuaded", "JOINEMPTY", 0, 0, ""),
    (["100|c6|Sales|NONE|CLOSED|closed"], "closed", "CLOSED", 0, 0, ""),
    (["100|c7|Sales|NONE|ENTERQUEUE||0611223344|1"], "waiting", "", 0, 0, ""),
    (["100|c8|Sales|NONE|ENTERQUEUE||0611223344|1",
      "103|c8|Sales|bob|CONNECT|3|c8.2|2",
      "150|c8|Sales|bob|TRANSFER|201|centrex-internal|3|47|1"], "answered", "CONNECT", 3, 47,
     "bob"),
])
def test_the_first_ending_line_decides(lines, outcome, reason, wait, talk, agent) -> None:
    visit = summarize(events(*lines))
    assert (visit.outcome, visit.reason, visit.wait, visit.talk, visit.agent) == (
        outcome, reason, wait, talk, agent)
    assert visit.entered == datetime.datetime.fromtimestamp(100, datetime.UTC)
