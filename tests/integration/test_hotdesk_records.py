"""Calls placed and taken at a free-seating phone belong to the person logged in there, in
the call log and the billing (centrex/reports/calls.py, ``Directory.seated``); a queue call
belongs to the agent who took it, wherever they sat (``Directory.agent``)."""

from __future__ import annotations

import datetime
import json

import pytest

from centrex.reports import ingest
from centrex.reports.models import Call, CallHourly
from tests.factories import make_department, make_phone, make_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

START = datetime.datetime(2026, 11, 16, 9, 0, tzinfo=datetime.UTC).timestamp()


def cdr(key: str, channel: str, src: str, dst: str, dstchannel: str) -> str:
    return json.dumps({
        "uniqueid": key, "linkedid": key, "sequence": 1, "start": START, "answer": START + 3,
        "end": START + 63, "duration": 63, "billsec": 60, "disposition": "ANSWERED",
        "src": src, "dst": dst, "dcontext": "centrex-phones", "clid": "", "channel": channel,
        "dstchannel": dstchannel, "lastapp": "Dial", "lastdata": "", "accountcode": "",
        "userfield": ""})


def test_a_hot_desk_phone_stands_for_who_sits_there(tmp_path):
    sales, support = make_department("Sales"), make_department("Support")
    alice = make_user("alice", department=sales)
    bob = make_user("bob", department=support)
    desk = make_phone("250", name="Desk 1", hotdesk=True)
    line = make_phone("201", user=alice)
    other = make_phone("202", user=bob)
    folder = tmp_path / "log"
    (folder / "cdr-custom").mkdir(parents=True)
    lines = [
        # Alice, seated at the desk, calls out: the desk's channel, her extension as caller ID.
        cdr("out", f"PJSIP/{desk.sip_username}-00000001", "201", "0611223344",
            "PJSIP/trunk-op-00000002"),
        # Bob calls Alice's extension: the desk rings and answers.
        cdr("in", f"PJSIP/{other.sip_username}-00000003", "202", "201",
            f"PJSIP/{desk.sip_username}-00000004"),
        # Nobody logged in: the desk's own emergency call stays the desk's.
        cdr("sos", f"PJSIP/{desk.sip_username}-00000005", "250", "112",
            "PJSIP/trunk-op-00000006"),
    ]
    (folder / "cdr-custom" / "centrex_cdr.json").write_text("\n".join(lines) + "\n")
    ingest.ingest(folder)

    out = Call.objects.get(linkedid="out")
    assert (out.direction, out.source, out.caller, out.caller_department) == (
        "out", "201", alice, sales)
    taken = Call.objects.get(linkedid="in")
    assert (taken.caller, taken.callee, taken.callee_department) == (bob, alice, sales)
    assert taken.answered_by == line.extension
    sos = Call.objects.get(linkedid="sos")
    assert (sos.source, sos.caller) == ("250", None)


def test_a_queue_call_belongs_to_the_agent_who_took_it(tmp_path):
    """Calls to a queue dial its number, not the agent's: queue_log's CONNECT names who took
    each one — at a free-seating phone, or at a colleague's."""
    sales, support = make_department("Sales"), make_department("Support")
    alice = make_user("alice", department=sales)
    bob = make_user("bob", department=support)
    desk = make_phone("250", name="Desk 1", hotdesk=True)
    make_phone("201", user=alice)
    bobs = make_phone("202", user=bob)
    folder = tmp_path / "log"
    (folder / "cdr-custom").mkdir(parents=True)
    start = int(START)
    queue_log = []
    for callid in ("q1", "q2"):
        queue_log += [f"{start}|{callid}|Sales|NONE|ENTERQUEUE||0611223344|1",
                      f"{start + 3}|{callid}|Sales|alice|CONNECT|3|{callid}.1|2",
                      f"{start + 63}|{callid}|Sales|alice|COMPLETECALLER|3|60|1"]
    (folder / "queue_log").write_text("\n".join(queue_log) + "\n")
    (folder / "cdr-custom" / "centrex_cdr.json").write_text("\n".join([
        cdr("q1", "PJSIP/trunk-op-00000001", "0611223344", "4000",
            f"PJSIP/{desk.sip_username}-00000002"),
        cdr("q2", "PJSIP/trunk-op-00000003", "0611223344", "4000",
            f"PJSIP/{bobs.sip_username}-00000004"),
    ]) + "\n")
    ingest.ingest(folder)

    for linkedid in ("q1", "q2"):
        call = Call.objects.get(linkedid=linkedid)
        assert (call.queue, call.direction, call.state) == ("Sales", "in", "answered")
        assert (call.callee, call.callee_department, call.answered_by) == (alice, sales, "201")


def test_queue_lines_read_after_the_call_give_it_its_queue_and_agent(tmp_path):
    """The CDRs of a call read before its queue_log lines (it ended while a backlog of CDRs
    was being read): the call is made again when they come, with its queue and agent."""
    sales = make_department("Sales")
    alice = make_user("alice", department=sales)
    desk = make_phone("250", name="Desk 1", hotdesk=True)
    make_phone("201", user=alice)
    folder = tmp_path / "log"
    (folder / "cdr-custom").mkdir(parents=True)
    (folder / "cdr-custom" / "centrex_cdr.json").write_text(cdr(
        "q1", "PJSIP/trunk-op-00000001", "0611223344", "4000",
        f"PJSIP/{desk.sip_username}-00000002") + "\n")
    ingest.ingest(folder)
    assert (Call.objects.get(linkedid="q1").queue, Call.objects.get().callee) == ("", None)

    start = int(START)
    (folder / "queue_log").write_text(
        f"{start}|q1|Sales|NONE|ENTERQUEUE||0611223344|1\n"
        f"{start + 3}|q1|Sales|alice|CONNECT|3|q1.1|2\n")
    ingest.ingest(folder)
    call = Call.objects.get(linkedid="q1")
    assert (call.queue, call.callee, call.answered_by) == ("Sales", alice, "201")
    assert list(CallHourly.objects.values_list("callee_department_id", "calls")) == [
        (sales.pk, 1)]


def test_a_did_call_taken_at_a_hot_desk_is_the_seated_persons(asterisk, sip, rtp):
    """A real call from the operator to a DID routed to the extension of someone seated at
    a free-seating phone: the desk rings and answers, the call is theirs."""
    from centrex.features import services as features
    from centrex.routing import services as routing
    from centrex.routing.models import InboundNumber
    from tests.integration.test_calls import asterisk_log_tail, new_line, wait_for
    from tests.integration.test_features import desk_line
    from tests.integration.test_routing import operator_trunk
    from tests.sipp import free_udp_port

    port = free_udp_port()
    operator_trunk("op-3565", port)
    ines = new_line("3565", "Ines Seated")
    desk = desk_line("3566", "Desk Did")
    features.login(desk.phone, ines.phone)
    routing.save_inbound_number(InboundNumber(number="0155003565", target="3565"))

    phone = sip.callee(desk.user, desk.password, "uas_answer", ring_ms=300)
    call = sip.sipp("routing_operator_call", local_port=port, hold_ms=1000, timeout=20,
                    variables={"from": "0612003565", "dest": "0155003565",
                               "mport": rtp.port})
    call.run().assert_ok(f"operator call{asterisk_log_tail(asterisk)}")
    phone.wait().assert_ok("the desk")

    def taken() -> Call | None:
        ingest.ingest()
        return Call.objects.filter(source="0612003565", state="answered").first()

    made = wait_for(taken, 10)
    assert made is not None, list(Call.objects.values_list("source", "destination", "state"))
    assert (made.direction, made.destination) == ("in", "0155003565")
    assert (made.callee, made.answered_by) == (ines.phone.user, "3565")
