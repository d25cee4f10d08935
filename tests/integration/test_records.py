"""Call records: real calls through the managed Asterisk end up as CDRs and calls in the
database, once, whatever happens to the reader (docs/records.md)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from centrex.contact_center.models import Queue
from centrex.ivr.models import Schedule
from centrex.reports import ingest
from centrex.reports.models import Call, Cdr, IngestCursor, QueueCall, QueueEvent
from tests.integration.test_calls import asterisk_log_tail, new_line, wait_for
from tests.integration.test_queues import answered, log_in, make_queue, phone_answers

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def ingested_call(**where) -> Call | None:
    ingest.ingest()
    return Call.objects.filter(**where).first()


def test_real_calls_become_calls_with_their_state_parties_and_duration(asterisk, sip, rtp):
    alice = new_line("2801", "Alice Records")
    bob = new_line("2802", "Bob Records")
    carol = new_line("2803", "Carol Records")

    # Answered, internal.
    callee = sip.callee(bob.user, bob.password, "uas_answer", ring_ms=1000)
    sip.caller(alice.user, alice.password, bob.extension, media_port=rtp.port,
               hold_ms=2000, timeout=20).wait().assert_ok("caller")
    callee.wait()
    call = wait_for(lambda: ingested_call(destination="2802", source="2801"), 10)
    assert call is not None, list(Cdr.objects.values_list("src", "dst", "disposition"))
    assert (call.direction, call.state, call.answered_by) == ("internal", "answered", "2802")
    assert 1 <= call.duration <= 4 and call.ring_time >= 1, (call.duration, call.ring_time)
    assert call.caller == alice.phone.user and call.callee == bob.phone.user
    assert call.source_name == "Alice Records"

    # Busy: the caller reaches Carol's voicemail; the call is in Carol's log.
    busy = sip.callee(carol.user, carol.password, "uas_busy")
    sip.caller(alice.user, alice.password, carol.extension, media_port=rtp.port,
               hold_ms=3000, timeout=30).wait()
    busy.wait()
    call = wait_for(lambda: ingested_call(destination="2803"), 10)
    assert call is not None and call.state == "voicemail", call and call.state
    assert call.callee == carol.phone.user and call.answered_by == ""

    # The echo test: served by Asterisk itself.
    sip.caller(alice.user, alice.password, "9999", media_port=rtp.port, hold_ms=1500,
               timeout=20).wait().assert_ok("echo")
    call = wait_for(lambda: ingested_call(destination="9999"), 10)
    assert call is not None and (call.state, call.direction) == ("answered", "internal")
    assert call.callee is None

    # Read again from the start (a lost cursor): nothing is stored twice.
    counts = Cdr.objects.count(), Call.objects.count()
    IngestCursor.objects.all().delete()
    ingest.ingest()
    assert (Cdr.objects.count(), Call.objects.count()) == counts


def ingested_visit(queue: str) -> QueueCall | None:
    ingest.ingest()
    return QueueCall.objects.filter(queue=queue).exclude(outcome="waiting").first()


def test_queue_calls_answered_closed_and_dissuaded_are_told_apart(asterisk, sip, rtp):
    agent = new_line("2811", "Agnes Records")
    backup = new_line("2812", "Basile Records")
    caller = new_line("2813", "Camille Records")
    open_queue = make_queue("Stats2891", "2891", ring_time=10)
    log_in(agent, open_queue)
    closed_hours = Schedule.objects.create(name="Never open 2892")  # no slot: always closed
    make_queue("Shut2892", "2892", schedule=closed_hours, overflow=Queue.NUMBER,
               overflow_number=backup.extension)
    make_queue("Empty2893", "2893", join_empty="unavailable,invalid,unknown,paused")

    # Answered by the agent, after a short wait.
    phone = phone_answers(sip, agent, ring_ms=1000, asterisk=asterisk)
    call = sip.caller(caller.user, caller.password, "2891", media_port=rtp.port,
                      hold_ms=2500, timeout=40)
    assert wait_for(lambda: answered(phone), 15), asterisk_log_tail(asterisk, 20)
    call.wait().assert_ok("caller of the open queue")
    visit = wait_for(lambda: (v := ingested_visit("Stats2891")) and v.talk and v, 10)
    assert visit, list(QueueEvent.objects.values_list("queue", "event", "data1", "data2"))
    assert (visit.outcome, visit.reason, visit.agent) == ("answered", "CONNECT",
                                                          agent.phone.user.username)
    assert visit.wait >= 0 and 1 <= visit.talk <= 4, (visit.wait, visit.talk)
    assert Call.objects.get(uniqueid=visit.callid).queue == "Stats2891"

    # Closed: straight to the backup phone, counted as closed.
    takes = sip.callee(backup.user, backup.password, "uas_answer", ring_ms=300, timeout=30)
    sip.caller(caller.user, caller.password, "2892", media_port=rtp.port, hold_ms=1500,
               timeout=30).wait().assert_ok("caller of the closed queue")
    takes.wait().assert_ok("backup phone")
    visit = wait_for(lambda: ingested_visit("Shut2892"), 10)
    assert visit is not None and (visit.outcome, visit.reason) == ("closed", "CLOSED")

    # No agent and told to refuse callers then: dissuaded.
    sip.caller(caller.user, caller.password, "2893", media_port=rtp.port, hold_ms=1000,
               timeout=30).wait()
    visit = wait_for(lambda: ingested_visit("Empty2893"), 10)
    assert visit is not None and visit.outcome == "dissuaded", list(
        QueueEvent.objects.filter(queue="Empty2893").values_list("event", flat=True))


# -- nothing lost, nothing twice -----------------------------------------------------------------
def synthetic_cdrs(count: int, start: float = 1_790_000_000.0) -> bytes:
    """``count`` CDR lines as Asterisk writes them, two legs per call."""
    lines = []
    for i in range(count):
        call = i // 2
        record = {"uniqueid": f"{start + call:.0f}.{i}", "linkedid": f"{start + call:.0f}.{call}",
                  "sequence": i, "start": start + call * 60, "answer": start + call * 60 + 5,
                  "end": start + call * 60 + 65, "duration": 65, "billsec": 60,
                  "disposition": "ANSWERED" if i % 2 else "NO ANSWER",
                  "src": "0611223344", "dst": "0140000000", "dcontext": "centrex-from-trunk",
                  "clid": '"Client" <0611223344>', "channel": f"PJSIP/trunk-op-{i:08x}",
                  "dstchannel": f"PJSIP/nobody{i % 2}-{i + 1:08x}", "lastapp": "Queue",
                  "lastdata": "Support", "accountcode": "", "userfield": ""}
        lines.append(json.dumps(record, separators=(",", ":")).encode())
    return b"\n".join(lines) + b"\n"


def test_killed_in_the_middle_of_a_load_loses_nothing_and_duplicates_nothing(tmp_path: Path):
    folder = tmp_path / "log"
    (folder / "cdr-custom").mkdir(parents=True)
    total = 60_000
    (folder / "cdr-custom" / "centrex_cdr.json").write_bytes(synthetic_cdrs(total))
    (folder / "queue_log").write_bytes(b"".join(
        f"{1_790_000_000 + i}|{1_790_000_000 + i}.{2 * i}|Support|NONE|ENTERQUEUE||0611223344"
        f"|1\n".encode() for i in range(total // 2)))
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="centrex.settings.test",
               CENTREX_VAR_DIR=str(settings.VAR_DIR))
    command = [sys.executable, "-m", "centrex.cli", "ingest", "--log-dir", str(folder)]

    reader = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    cursor = IngestCursor.objects.filter(source="cdr")
    started = wait_for(lambda: cursor.filter(lines__gt=0).exists() or reader.poll() is not None,
                       60, interval=0.05)
    assert started
    reader.send_signal(signal.SIGKILL)  # no chance to tidy up
    reader.wait()
    partly = Cdr.objects.count()
    assert partly < total, "the reader finished before it could be killed: load more lines"

    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert Cdr.objects.count() == total
    assert Call.objects.count() == total // 2
    assert QueueEvent.objects.count() == total // 2
    assert Call.objects.exclude(queue="Support").count() == 0
    assert set(Call.objects.values_list("state", "direction")) == {("answered", "in")}
    # And once more: nothing new, nothing twice.
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert "cdr: 0 new row(s)" in again.stdout, again.stdout + again.stderr
    assert Cdr.objects.count() == total
    time.sleep(0)


def test_two_rotations_while_the_reader_is_stopped_lose_nothing(asterisk):
    """Asterisk's ``logger rotate`` twice between two readings (a weekend of daily rotations
    while Centrex was stopped): the lines of the copy in between are read too, once."""
    make_queue("Rotate2894", "2894")
    queue_log = asterisk.log_dir / "queue_log"

    def member_added(name: str) -> None:
        asterisk.cli(f"queue add member Local/{name}@centrex-nowhere to Rotate2894")
        assert wait_for(lambda: queue_log.exists() and f"Local/{name}@" in queue_log.read_text(
            errors="replace"), 10), asterisk_log_tail(asterisk, 20)

    member_added("before")
    ingest.ingest()
    for name in ("between", "after"):
        asterisk.cli("logger rotate")
        member_added(name)
    ingest.ingest()
    added = QueueEvent.objects.filter(queue="Rotate2894", event="ADDMEMBER")
    assert sorted(added.values_list("agent", flat=True)) == sorted(
        f"Local/{name}@centrex-nowhere" for name in ("after", "before", "between"))
    ingest.ingest()
    assert added.count() == 3
