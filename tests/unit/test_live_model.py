"""The live state engine's model, fed hand-written AMI events: the edge cases the real-call
tests (tests/integration/test_supervision.py) cannot arrange at will — event orders, a
resync racing queue_log, the end of a wrap-up, midnight."""

from __future__ import annotations

import datetime

from centrex.pbx.ami.protocol import Message
from centrex.pbx.live import model
from centrex.pbx.live.model import LiveState

T0 = datetime.datetime(2026, 11, 22, 10, 0, 0).timestamp()
AGENT = "PJSIP/ada"


class Clock:
    """A settable clock, so that durations are exact."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


def event(name: str, **headers: object) -> Message:
    return Message([("Event", name), *((k, str(v)) for k, v in headers.items())])


def member(queue: str = "Hotline", **extra: object) -> Message:
    headers = {"Queue": queue, "Interface": AGENT, "MemberName": "Ada", "Penalty": 0,
               "Paused": 0, "Status": model.NOT_INUSE, **extra}
    return event("QueueMemberAdded", **headers)


def new_state(clock: Clock | None = None) -> tuple[LiveState, Clock, list]:
    clock = clock or Clock()
    state = LiveState(clock=clock)
    changes: list = []
    state.add_listener(lambda queues, received: changes.append(queues))
    return state, clock, changes


def agent_row(state: LiveState, queue: str = "Hotline") -> dict:
    return state.snapshot(queue)["members"][0]


def test_a_call_through_the_queue_moves_the_agent_and_the_counts():
    state, clock, changes = new_state()
    state.params["Hotline"] = model.QueueParams(service_level=20, wrapup=10)
    state.apply(member())
    assert agent_row(state)["state"] == model.FREE
    state.apply(event("QueueCallerJoin", Queue="Hotline", Uniqueid="c1", Channel="PJSIP/x-1",
                      CallerIDNum="0601020304", Position=1))
    snap = state.snapshot("Hotline")
    assert snap["counts"]["waiting"] == 1 and snap["counts"]["received"] == 1
    state.apply(event("AgentCalled", Queue="Hotline", Interface=AGENT, Uniqueid="c1"))
    assert agent_row(state)["state"] == model.RINGING_STATE
    clock.now += 5
    state.apply(event("AgentConnect", Queue="Hotline", Interface=AGENT, Uniqueid="c1",
                      HoldTime=5, MemberName="Ada"))
    snap = state.snapshot("Hotline")
    assert snap["members"][0]["state"] == model.IN_CALL_IN
    assert snap["counts"]["waiting"] == 0 and snap["counts"]["answered"] == 1
    assert snap["counts"]["service_level"] == 100  # answered in 5 s, threshold 20 s
    clock.now += 60
    state.apply(event("AgentComplete", Queue="Hotline", Interface=AGENT, Uniqueid="c1",
                      MemberName="Ada", TalkTime=60))
    row = agent_row(state)
    assert row["state"] == model.WRAPUP and row["since"] == clock.now
    assert (row["received"], row["received_time"]) == (1, 60)
    assert state.next_deadline(clock.now) == clock.now + 10
    clock.now += 11  # the wrap-up ends by itself: no event, the snapshot says free
    assert agent_row(state)["state"] == model.FREE
    assert all(queues == {"Hotline"} for queues in changes)


def test_an_abandon_counts_once_whatever_the_order_of_its_events():
    state, clock, _ = new_state()
    state.apply(event("QueueCallerJoin", Queue="Hotline", Uniqueid="c1", Position=1))
    state.apply(event("QueueCallerJoin", Queue="Hotline", Uniqueid="c2", Position=2))
    clock.now += 7
    # Asterisk sends QueueCallerAbandon then QueueCallerLeave for the same caller.
    state.apply(event("QueueCallerAbandon", Queue="Hotline", Uniqueid="c1", HoldTime=7))
    state.apply(event("QueueCallerLeave", Queue="Hotline", Uniqueid="c1"))
    snap = state.snapshot("Hotline")
    assert snap["counts"]["abandoned"] == 1 and snap["counts"]["received"] == 2
    assert [c["uniqueid"] for c in snap["callers"]] == ["c2"]
    assert snap["callers"][0]["position"] == 1  # moved up
    assert snap["counts"]["longest_wait_today"] == 7


def test_a_pause_shows_its_reason_and_a_call_outranks_it():
    state, _clock, _ = new_state()
    state.apply(member())
    state.apply(event("QueueMemberPause", Queue="Hotline", Interface=AGENT, Paused=1,
                      PausedReason="Lunch"))
    row = agent_row(state)
    assert (row["state"], row["detail"]) == (model.PAUSED, "Lunch")
    # A paused agent may still place a call: the page shows the call.
    state.apply(event("Newchannel", Uniqueid="o1", Linkedid="o1", Channel=f"{AGENT}-0001",
                      ChannelState=model.CHAN_RING))
    state.apply(event("Newstate", Uniqueid="o1", ChannelState=model.CHAN_UP,
                      ConnectedLineNum="0102030405"))
    assert agent_row(state)["state"] == model.IN_CALL_OUT
    state.apply(event("Hangup", Uniqueid="o1"))
    row = agent_row(state)
    assert row["state"] == model.PAUSED and row["made"] == 1


def test_an_unreachable_phone_and_a_removed_member():
    state, _clock, _ = new_state()
    state.apply(member(Status=model.UNAVAILABLE))
    assert agent_row(state)["state"] == model.UNREACHABLE
    state.apply(event("QueueMemberRemoved", Queue="Hotline", Interface=AGENT))
    assert state.snapshot("Hotline")["members"] == []


def test_shared_lastcall_makes_the_agent_busy_in_all_their_queues():
    state, _clock, _ = new_state()
    state.apply(member("Hotline"))
    state.apply(member("Sales"))
    state.apply(event("AgentConnect", Queue="Hotline", Interface=AGENT, Uniqueid="c1",
                      HoldTime=1))
    assert agent_row(state, "Sales")["state"] == model.IN_CALL_IN
    assert agent_row(state, "Sales")["detail"] == "Hotline"


def test_resync_merges_queue_log_with_live_events_of_the_same_calls():
    state, _clock, changes = new_state()
    stamp = str(int(T0 - 60))
    queue_log = [
        (stamp, "c1", "Hotline", "NONE", "ENTERQUEUE", "", "0601"),
        (stamp, "c1", "Hotline", "Ada", "CONNECT", "4", "x", "1"),
        (stamp, "c2", "Hotline", "NONE", "ENTERQUEUE", "", "0602"),
        (stamp, "c2", "Hotline", "NONE", "ABANDON", "1", "1", "9"),
        (str(int(T0 - 86400)), "old", "Hotline", "NONE", "ENTERQUEUE", "", ""),  # yesterday
    ]
    status = [event("QueueParams", Queue="Hotline", ServiceLevel=30),
              event("QueueMember", Queue="Hotline", Location=AGENT, Name="Ada", Paused=1,
                    PausedReason="Training", Status=model.NOT_INUSE),
              event("QueueEntry", Queue="Hotline", Uniqueid="c3", Position=1, Wait=12)]
    state.resync(status, [], queue_log)
    assert changes[-1] is None and state.synced
    # The live events of calls already in queue_log do not count them twice.
    state.apply(event("QueueCallerAbandon", Queue="Hotline", Uniqueid="c2", HoldTime=9))
    snap = state.snapshot("Hotline")
    counts = snap["counts"]
    assert (counts["received"], counts["answered"], counts["abandoned"]) == (3, 1, 1)
    assert counts["waiting"] == 1 and snap["callers"][0]["wait"] == 12
    assert snap["service_level_threshold"] == 30
    assert (snap["members"][0]["state"], snap["members"][0]["detail"]) == (
        model.PAUSED, "Training")


def test_a_resync_forgets_a_call_that_ended_while_the_link_was_down():
    state, _clock, _ = new_state()
    state.apply(member())
    state.apply(event("AgentConnect", Queue="Hotline", Interface=AGENT, Uniqueid="c1"))
    status = [event("QueueMember", Queue="Hotline", Location=AGENT, Name="Ada", Paused=0,
                    Status=model.NOT_INUSE)]
    state.resync(status, [])  # no channel left: the call is over
    assert agent_row(state)["state"] == model.FREE


def test_counts_start_again_at_midnight():
    state, clock, _ = new_state()
    state.apply(event("QueueCallerAbandon", Queue="Hotline", Uniqueid="c1", HoldTime=3))
    assert state.snapshot("Hotline")["counts"]["abandoned"] == 1
    clock.now += 86400
    assert state.snapshot("Hotline")["counts"]["abandoned"] == 0


def test_events_of_no_interest_change_nothing():
    state, _clock, changes = new_state()
    state.apply(event("PeerStatus", Peer="PJSIP/zed"))
    state.apply(event("Newchannel", Uniqueid="z1", Channel="PJSIP/zed-0001", ChannelState=4))
    state.apply(event("AgentCalled", Queue="Nowhere", Interface="PJSIP/zed", Uniqueid="c9"))
    assert changes == [] and state.events == 3
