"""The per-day totals the reports read (centrex/reports/rollup.py) stay equal to a grouping
of the detail rows: after ingestion, after the same lines are read again, after a later
line changes a visit or a call, and after ``centrex rollup``."""

from __future__ import annotations

import argparse
import datetime
import json

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from centrex.cli import cmd_rollup
from centrex.reports import fastsql, ingest
from centrex.reports.models import (
    AgentDaily,
    AgentEvent,
    Call,
    CallHourly,
    IngestCursor,
    QueueCall,
    QueueHourly,
    QueueWaits,
)
from centrex.reports.statistics import Period, agent_lines

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Monday 16 November 2026, 9:00 and 23:50 in Paris; Tuesday 10:00.
MON_9 = int(datetime.datetime(2026, 11, 16, 8, 0, tzinfo=datetime.UTC).timestamp())
MON_2350 = int(datetime.datetime(2026, 11, 16, 22, 50, tzinfo=datetime.UTC).timestamp())
TUE_10 = int(datetime.datetime(2026, 11, 17, 9, 0, tzinfo=datetime.UTC).timestamp())


def visit(start: int, callid: str, agent: str = "", wait: int = 10, talk: int = 0) -> list[str]:
    lines = [f"{start}|{callid}|Sales|NONE|ENTERQUEUE||0611223344|1"]
    if agent:
        lines.append(f"{start + wait}|{callid}|Sales|{agent}|CONNECT|{wait}|{callid}.1|2")
        if talk:
            lines.append(f"{start + wait + talk}|{callid}|Sales|{agent}|COMPLETECALLER|"
                         f"{wait}|{talk}|1")
    else:
        lines.append(f"{start + wait}|{callid}|Sales|NONE|ABANDON|1|1|{wait}")
    return lines


def cdr(key: str, start: float, billsec: int, sequence: int = 1) -> str:
    return json.dumps({
        "uniqueid": key, "linkedid": key, "sequence": sequence, "start": start,
        "answer": start + 2, "end": start + 2 + billsec, "duration": billsec + 2,
        "billsec": billsec, "disposition": "ANSWERED", "src": "0611223344", "dst": "3001",
        "dcontext": "from-trunk", "clid": "", "channel": "PJSIP/trunk-op-00000001",
        "dstchannel": "PJSIP/nobody-00000002", "lastapp": "Dial", "lastdata": "",
        "accountcode": "", "userfield": ""})


def write(folder, queue_log: list[str], cdrs: list[str]) -> None:
    (folder / "cdr-custom").mkdir(parents=True, exist_ok=True)
    (folder / "queue_log").write_text("".join(f"{line}\n" for line in queue_log))
    (folder / "cdr-custom" / "centrex_cdr.json").write_text(
        "".join(f"{line}\n" for line in cdrs))


def detail() -> dict[str, object]:
    """What the totals must say, grouped from the detail rows."""
    visits = QueueCall.objects.exclude(outcome="waiting")
    return {
        "hourly": sorted(visits.values_list("day", "queue", "hour", "outcome").annotate(
            n=Count("id"))),
        "waits": sorted(visits.values_list("day", "reason", "wait").annotate(n=Count("id"))),
        "agents": sorted(visits.filter(outcome="answered").values_list("day", "agent")
                         .annotate(n=Count("id"), t=Sum("talk"))),
        "calls": sorted(Call.objects.values_list("day", "hour").annotate(
            n=Count("id"), s=Sum("duration"))),
    }


def totals() -> dict[str, object]:
    return {
        "hourly": sorted(QueueHourly.objects.values_list("day", "queue", "hour", "outcome")
                         .annotate(n=Sum("calls"))),
        "waits": sorted(QueueWaits.objects.values_list("day", "reason", "wait").annotate(
            n=Sum("calls"))),
        "agents": sorted(AgentDaily.objects.values_list("day", "agent").annotate(
            n=Sum("answered"), t=Sum("talk"))),
        "calls": sorted(CallHourly.objects.values_list("day", "hour").annotate(
            n=Sum("calls"), s=Sum("duration"))),
    }


def test_totals_follow_the_detail_through_ingestion(tmp_path, monkeypatch):
    # On PostgreSQL, every batch through COPY and a staging table, as a long catch-up does.
    monkeypatch.setattr(fastsql, "COPY_FROM", 1)
    queue_log = [*visit(MON_9, "c1", "alice", talk=60), *visit(MON_9 + 300, "c2"),
                 *visit(MON_2350, "c3", "alice", wait=15), *visit(TUE_10, "c4", "bob",
                                                                  talk=30)]
    cdrs = [cdr("c1", MON_9, 60), cdr("c4", TUE_10, 30)]
    write(tmp_path, queue_log, cdrs)
    ingest.ingest(tmp_path)
    expected = detail()
    assert totals() == expected
    assert len(expected["hourly"]) == 4 and expected["agents"][0][1:] == ("alice", 2, 60)

    # The same lines read again (the cursors lost): nothing counted twice.
    IngestCursor.objects.all().delete()
    ingest.ingest(tmp_path)
    assert totals() == expected

    # c3, answered at 23:50, ends after midnight; a later leg of c4 makes it longer.
    queue_log.append(f"{MON_2350 + 15 + 900}|c3|Sales|alice|COMPLETEAGENT|15|900|1")
    cdrs.append(cdr("c4", TUE_10, 95, sequence=2))
    write(tmp_path, queue_log, cdrs)
    IngestCursor.objects.all().delete()
    ingest.ingest(tmp_path)
    assert totals() == detail()
    assert totals()["agents"][0][1:] == ("alice", 2, 960)
    assert Call.objects.get(linkedid="c4").duration == 30  # the first answered leg
    assert sum(n for *_key, n, _s in totals()["calls"]) == 2


def test_agent_sessions_and_pauses_are_kept_for_the_agent_report(tmp_path):
    """ADDMEMBER … REMOVEMEMBER and PAUSE … UNPAUSE lines go to ``AgentEvent`` too (once,
    however often they are read), and the agent report counts them."""
    sessions = [f"{MON_9 - 3600}|NONE|Sales|alice|ADDMEMBER|",
                f"{MON_9 - 3600}|NONE|Support|alice|ADDMEMBER|",
                f"{MON_9}|NONE|NONE|alice|PAUSEALL|Lunch",
                f"{MON_9 + 1800}|NONE|NONE|alice|UNPAUSEALL|",
                f"{MON_9 + 3600}|NONE|Support|alice|REMOVEMEMBER|",
                f"{MON_9 + 7200}|NONE|Sales|alice|REMOVEMEMBER|"]
    write(tmp_path, [*sessions, *visit(MON_9 + 2000, "c1", "alice", talk=60)], [])
    ingest.ingest(tmp_path)
    IngestCursor.objects.all().delete()
    ingest.ingest(tmp_path)
    assert AgentEvent.objects.count() == 6
    monday = datetime.date(2026, 11, 16)
    line = agent_lines(["alice"], ["Sales"], Period(monday, monday))["alice"]
    assert line.logged_in == 3 * 3600  # 8:00 to 11:00 in Sales
    assert (line.pause_count, line.paused) == (1, 1800)
    assert (line.received.calls, line.received.seconds) == (1, 60)


def test_centrex_rollup_recomputes_a_period(tmp_path, capsys):
    write(tmp_path, [*visit(MON_9, "c1", "alice", talk=60), *visit(TUE_10, "c2")],
          [cdr("c1", MON_9, 60)])
    ingest.ingest(tmp_path)
    expected = totals()
    QueueHourly.objects.all().delete()
    CallHourly.objects.all().delete()
    cmd_rollup(argparse.Namespace(since="2026-11-16", until="2026-11-16"))
    assert "day(s) recomputed" in capsys.readouterr().out
    monday = totals()
    assert [row[0] for row in monday["hourly"]] == [datetime.date(2026, 11, 16)]
    cmd_rollup(argparse.Namespace(since=None, until=None))
    assert totals() == expected


def test_an_upgraded_database_gets_its_totals_and_agent_lines_after_migrate(tmp_path):
    """Records stored before the per-day totals existed (migration 0007): ``migrate`` fills
    the totals and copies the agents' sessions into ``AgentEvent``, once."""
    write(tmp_path, [f"{MON_9 - 3600}|NONE|Sales|alice|ADDMEMBER|",
                     f"{MON_9}|NONE|NONE|alice|PAUSEALL|Lunch",
                     f"{MON_9 + 1800}|NONE|NONE|alice|UNPAUSEALL|",
                     *visit(MON_9 + 2000, "c1", "alice", talk=60), *visit(TUE_10, "c2")],
          [cdr("c1", MON_9, 60)])
    ingest.ingest(tmp_path)
    expected = totals()
    sessions = sorted(AgentEvent.objects.values_list("key", "at", "queue", "agent", "event",
                                                     "reason"))
    assert len(sessions) == 3 and expected["calls"] and expected["agents"]
    for model in (AgentEvent, QueueHourly, QueueWaits, AgentDaily, CallHourly):
        model.objects.all().delete()  # as before the upgrade

    call_command("migrate", verbosity=0)
    assert totals() == expected
    assert sorted(AgentEvent.objects.values_list("key", "at", "queue", "agent", "event",
                                                 "reason")) == sessions
    call_command("migrate", verbosity=0)  # and once only
    assert AgentEvent.objects.count() == 3
    assert totals() == expected
