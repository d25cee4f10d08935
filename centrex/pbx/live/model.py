"""The in-memory model of the queues as Asterisk runs them (docs/supervision.md).

``LiveState`` is fed one AMI event at a time (``apply``) by the event listener's worker
thread and rebuilt from Asterisk's status actions after each (re)connection (``resync``).
Readers (supervision pages, SSE streams, the wallboard) take ``snapshot(queue)``, a plain
dict computed under the lock: they never see a half-applied event.

Today's counts are kept as sets and maps keyed by the caller's channel uniqueid (the call
id of queue_log), so that a count seeded from queue_log at resync and the live event of the
same call merge into one, whatever their order.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

# Device states of AMI's QueueMember* "Status" (ast_device_state).
DEVICE_UNKNOWN, NOT_INUSE, INUSE, BUSY, INVALID, UNAVAILABLE, RINGING, RINGINUSE, ONHOLD = (
    range(9))
# Channel states of Newchannel/Newstate "ChannelState".
CHAN_RING, CHAN_RINGING, CHAN_UP = 4, 5, 6

# The states an agent is shown in (supervision page, wallboard, API).
FREE = "free"
RINGING_STATE = "ringing"
IN_CALL_IN = "in_call_inbound"
IN_CALL_OUT = "in_call_outbound"
PAUSED = "paused"
WRAPUP = "wrapup"
UNREACHABLE = "unreachable"
LOGGED_OUT = "logged_out"


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _endpoint(channel: str) -> str:
    """``PJSIP/alice-0000001a`` → ``PJSIP/alice`` (the member interface it belongs to)."""
    base, sep, _tail = channel.rpartition("-")
    return base if sep else channel


@dataclass
class Member:
    queue: str
    interface: str
    name: str = ""
    penalty: int = 0
    paused: bool = False
    reason: str = ""
    status: int = DEVICE_UNKNOWN
    in_call: bool = False
    last_call: float = 0.0
    last_pause: float = 0.0
    login_time: float = 0.0
    wrapup: int = 0  # the member's own wrap-up time (0: the queue's)
    ringing_for: str = ""  # caller uniqueid while AgentCalled is unresolved
    queue_call: str = ""  # caller uniqueid while connected (AgentConnect → AgentComplete)
    queue_call_queue: str = ""
    wrapup_until: float = 0.0
    shown: str = ""  # last computed display state, and since when
    since: float = 0.0


@dataclass
class Caller:
    queue: str
    uniqueid: str
    channel: str
    number: str = ""
    name: str = ""
    position: int = 0
    joined: float = 0.0


@dataclass
class Channel:
    uniqueid: str
    name: str
    linkedid: str = ""
    state: int = 0
    created: float = 0.0
    answered: float = 0.0
    peer: str = ""  # connected line number

    @property
    def outbound(self) -> bool:
        """The phone placed this call: it is the first channel of its call."""
        return not self.linkedid or self.linkedid == self.uniqueid


@dataclass
class QueueCounts:
    """Today's figures of one queue (keys: caller uniqueids)."""

    received: set[str] = field(default_factory=set)
    answered: dict[str, int] = field(default_factory=dict)  # → waiting time before answer
    abandoned: dict[str, int] = field(default_factory=dict)  # → waiting time before hang-up
    waits: dict[str, int] = field(default_factory=dict)  # every finished wait (longest)
    # (member name) → {caller uniqueid: talk time}
    talk: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class QueueParams:
    service_level: int = 60
    wrapup: int = 0
    strategy: str = ""
    short_abandon: int = 0  # seconds: abandons quicker than this leave the service level


class LiveState:
    """Queues, members, waiting callers, agents' channels and today's counts."""

    def __init__(self, clock: Callable[[], float] = time.time,
                 today: Callable[[], datetime.date] | None = None) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self._today = today or (lambda: datetime.datetime.fromtimestamp(self.clock()).date())
        self.params: dict[str, QueueParams] = {}
        self.members: dict[tuple[str, str], Member] = {}  # (queue, interface)
        self.callers: dict[str, Caller] = {}  # caller uniqueid
        self.channels: dict[str, Channel] = {}  # uniqueid
        self.counts: dict[str, QueueCounts] = {}
        # Outbound calls made today by each phone (interface → {uniqueid: seconds}).
        self.made: dict[str, dict[str, int]] = {}
        self.day = self._today()
        self.synced = False
        self.resyncs = 0
        self.events = 0  # events applied (benchmark)
        self.last_event_at = 0.0  # when the last state-changing event was received
        self.version = 0
        self._listeners: list[Callable[[set[str] | None, float], None]] = []

    # -- notification ----------------------------------------------------------------------
    def add_listener(self, listener: Callable[[set[str] | None, float], None]) -> None:
        self._listeners.append(listener)

    def _changed(self, queues: set[str] | None, received: float) -> None:
        """``queues`` changed (None: all of them); tell the listeners (outside of the lock)."""
        self.version += 1
        self.last_event_at = received
        for listener in list(self._listeners):
            listener(queues, received)

    # -- helpers ---------------------------------------------------------------------------
    def _roll_day(self) -> None:
        today = self._today()
        if today != self.day:
            self.day = today
            self.counts.clear()
            self.made.clear()

    def _counts(self, queue: str) -> QueueCounts:
        return self.counts.setdefault(queue, QueueCounts())

    def _params(self, queue: str) -> QueueParams:
        return self.params.setdefault(queue, QueueParams())

    def _member_from(self, msg: Any, queue: str) -> Member:
        interface = msg.get("Interface") or msg.get("Location") or ""
        member = self.members.get((queue, interface))
        if member is None:
            member = Member(queue=queue, interface=interface)
            self.members[(queue, interface)] = member
        member.name = msg.get("MemberName") or msg.get("Name") or member.name
        member.penalty = _int(msg.get("Penalty"), member.penalty)
        if msg.get("Paused") is not None:
            member.paused = msg.get("Paused") == "1"
            member.reason = (msg.get("PausedReason") or msg.get("Reason") or ""
                             ) if member.paused else ""
        member.status = _int(msg.get("Status"), member.status)
        member.in_call = msg.get("InCall") == "1"
        member.last_call = float(_int(msg.get("LastCall"), int(member.last_call)))
        member.last_pause = float(_int(msg.get("LastPause"), int(member.last_pause)))
        member.login_time = float(_int(msg.get("LoginTime"), int(member.login_time)))
        member.wrapup = _int(msg.get("Wrapuptime"), member.wrapup)
        return member

    def members_of_interface(self, interface: str) -> list[Member]:
        return [m for m in self.members.values() if m.interface == interface]

    # -- events ----------------------------------------------------------------------------
    def apply(self, msg: Any, received: float | None = None) -> None:
        """Apply one AMI event; notify the listeners of the queues it changed."""
        received = received if received is not None else self.clock()
        with self.lock:
            self.events += 1
            self._roll_day()
            handler = getattr(self, "_on_" + msg.name.lower(), None)
            changed = handler(msg, received) if handler is not None else set()
            if changed:
                self._refresh_shown(received)
        if changed:
            self._changed(changed, received)

    def _on_queuecallerjoin(self, msg: Any, now: float) -> set[str]:
        queue, uid = msg.get("Queue", ""), msg.get("Uniqueid", "")
        self.callers[uid] = Caller(queue=queue, uniqueid=uid, channel=msg.get("Channel", ""),
                                   number=msg.get("CallerIDNum", ""),
                                   name=msg.get("CallerIDName", ""),
                                   position=_int(msg.get("Position")), joined=now)
        self._counts(queue).received.add(uid)
        return {queue}

    def _leave(self, msg: Any, now: float) -> set[str]:
        uid = msg.get("Uniqueid", "")
        caller = self.callers.pop(uid, None)
        queue = msg.get("Queue") or (caller.queue if caller else "")
        for other in self.callers.values():  # positions move up
            if other.queue == queue and caller and other.position > caller.position:
                other.position -= 1
        for member in self.members.values():
            if member.ringing_for == uid:
                member.ringing_for = ""
        if caller is not None:
            self._counts(queue).waits.setdefault(uid, int(now - caller.joined))
        return {queue}

    _on_queuecallerleave = _leave

    def _on_queuecallerabandon(self, msg: Any, now: float) -> set[str]:
        queue, uid = msg.get("Queue", ""), msg.get("Uniqueid", "")
        counts = self._counts(queue)
        counts.received.add(uid)
        hold = _int(msg.get("HoldTime"))
        counts.abandoned.setdefault(uid, hold)
        counts.waits[uid] = hold
        changed = self._leave(msg, now) if uid in self.callers else set()
        return changed | {queue}

    def _on_agentcalled(self, msg: Any, now: float) -> set[str]:
        queue = msg.get("Queue", "")
        member = self.members.get((queue, msg.get("Interface", "")))
        if member is None:
            return set()
        member.ringing_for = msg.get("Uniqueid", "")
        return {queue}

    def _clear_ringing(self, msg: Any, now: float) -> set[str]:
        queue = msg.get("Queue", "")
        changed = set()
        for member in self.members_of_interface(msg.get("Interface", "")):
            if member.ringing_for:
                member.ringing_for = ""
                changed.add(member.queue)
        return changed | {queue}

    _on_agentringnoanswer = _clear_ringing
    _on_agentdump = _clear_ringing

    def _on_agentconnect(self, msg: Any, now: float) -> set[str]:
        queue, uid = msg.get("Queue", ""), msg.get("Uniqueid", "")
        counts = self._counts(queue)
        counts.received.add(uid)
        hold = _int(msg.get("HoldTime"))
        counts.answered.setdefault(uid, hold)
        counts.waits[uid] = hold
        interface = msg.get("Interface", "")
        changed = {queue}
        for member in self.members_of_interface(interface):
            # shared_lastcall: the agent is busy in all their queues.
            member.ringing_for = ""
            member.queue_call = uid
            member.queue_call_queue = queue
            changed.add(member.queue)
        self.callers.pop(uid, None)
        return changed

    def _on_agentcomplete(self, msg: Any, now: float) -> set[str]:
        queue, uid = msg.get("Queue", ""), msg.get("Uniqueid", "")
        name = msg.get("MemberName", "")
        talk = self._counts(queue).talk.setdefault(name, {})
        talk.setdefault(uid, _int(msg.get("TalkTime")))
        changed = {queue}
        for member in self.members_of_interface(msg.get("Interface", "")):
            if member.queue_call == uid:
                member.queue_call = member.queue_call_queue = ""
            member.last_call = now
            wrapup = member.wrapup or self._params(member.queue).wrapup
            if wrapup:
                member.wrapup_until = now + wrapup
            changed.add(member.queue)
        return changed

    def _on_queuememberadded(self, msg: Any, now: float) -> set[str]:
        queue = msg.get("Queue", "")
        member = self._member_from(msg, queue)
        member.shown, member.since = "", now
        return {queue}

    def _on_queuememberremoved(self, msg: Any, now: float) -> set[str]:
        queue = msg.get("Queue", "")
        self.members.pop((queue, msg.get("Interface", "")), None)
        return {queue}

    def _on_queuememberstatus(self, msg: Any, now: float) -> set[str]:
        queue = msg.get("Queue", "")
        self._member_from(msg, queue)
        return {queue}

    _on_queuememberpause = _on_queuememberstatus
    _on_queuememberpenalty = _on_queuememberstatus

    def _channel_interest(self, channel: Channel) -> set[str]:
        endpoint = _endpoint(channel.name)
        return {m.queue for m in self.members_of_interface(endpoint)}

    def _on_newchannel(self, msg: Any, now: float) -> set[str]:
        uid = msg.get("Uniqueid", "")
        channel = Channel(uniqueid=uid, name=msg.get("Channel", ""),
                          linkedid=msg.get("Linkedid", ""),
                          state=_int(msg.get("ChannelState")), created=now)
        if channel.state == CHAN_UP:
            channel.answered = now
        self.channels[uid] = channel
        return self._channel_interest(channel)

    def _on_newstate(self, msg: Any, now: float) -> set[str]:
        channel = self.channels.get(msg.get("Uniqueid", ""))
        if channel is None:
            return set()
        channel.state = _int(msg.get("ChannelState"), channel.state)
        channel.peer = msg.get("ConnectedLineNum") or channel.peer
        if channel.state == CHAN_UP and not channel.answered:
            channel.answered = now
        return self._channel_interest(channel)

    def _on_hangup(self, msg: Any, now: float) -> set[str]:
        channel = self.channels.pop(msg.get("Uniqueid", ""), None)
        if channel is None:
            return set()
        interest = self._channel_interest(channel)
        if interest and channel.outbound:
            made = self.made.setdefault(_endpoint(channel.name), {})
            made.setdefault(channel.uniqueid,
                            int(now - channel.answered) if channel.answered else 0)
        return interest

    # -- display ---------------------------------------------------------------------------
    def member_state(self, member: Member, now: float) -> tuple[str, str]:
        """(state, detail): what the supervisor sees for this member right now."""
        chans = [c for c in self.channels.values() if _endpoint(c.name) == member.interface]
        up = [c for c in chans if c.state == CHAN_UP]
        if member.queue_call:
            return IN_CALL_IN, member.queue_call_queue
        if up:
            return (IN_CALL_OUT, up[0].peer) if up[0].outbound else (IN_CALL_IN, up[0].peer)
        if member.ringing_for or member.status in (RINGING, RINGINUSE) or any(
                c.state == CHAN_RINGING and not c.outbound for c in chans):
            return RINGING_STATE, ""
        if any(c.outbound for c in chans):
            return IN_CALL_OUT, ""
        if member.paused:
            return PAUSED, member.reason
        if member.wrapup_until > now:
            return WRAPUP, ""
        if member.status in (INVALID, UNAVAILABLE):
            return UNREACHABLE, ""
        return FREE, ""

    def _refresh_shown(self, now: float) -> None:
        for member in self.members.values():
            shown = "/".join(self.member_state(member, now))
            if shown != member.shown:
                member.shown, member.since = shown, now

    def next_deadline(self, now: float) -> float | None:
        """When a displayed state changes by itself (end of a wrap-up), if ever."""
        ends = [m.wrapup_until for m in self.members.values() if m.wrapup_until > now]
        return min(ends) if ends else None

    def snapshot(self, queue: str) -> dict:
        """Everything the supervision page of ``queue`` shows, as plain data."""
        with self.lock:
            now = self.clock()
            self._roll_day()
            self._refresh_shown(now)
            params = self._params(queue)
            counts = self._counts(queue)
            callers = sorted((c for c in self.callers.values() if c.queue == queue),
                             key=lambda c: (c.position, c.joined))
            members = []
            for member in self.members.values():
                if member.queue != queue:
                    continue
                state, detail = self.member_state(member, now)
                talk = counts.talk.get(member.name, {})
                made = self.made.get(member.interface, {})
                members.append({
                    "interface": member.interface, "name": member.name,
                    "penalty": member.penalty, "state": state, "detail": detail,
                    "paused": member.paused, "reason": member.reason,
                    "since": member.since,
                    "received": len(talk), "received_time": sum(talk.values()),
                    "made": len(made), "made_time": sum(made.values()),
                })
            members.sort(key=lambda m: (m["penalty"], m["name"]))
            received = len(counts.received)
            in_sl = sum(1 for hold in counts.answered.values() if hold <= params.service_level)
            # The service level of docs/statistics.md: answered within the threshold ÷ the
            # calls that entered the queue, short abandons left out.
            counted = received - sum(1 for hold in counts.abandoned.values()
                                     if hold < params.short_abandon)
            waits = [*counts.waits.values(), *(int(now - c.joined) for c in callers)]
            busy = sum(1 for m in members if m["state"] in (IN_CALL_IN, IN_CALL_OUT,
                                                             RINGING_STATE, WRAPUP))
            return {
                "queue": queue, "now": now, "synced": self.synced,
                "version": self.version, "last_event_at": self.last_event_at,
                "service_level_threshold": params.service_level,
                "members": members,
                "callers": [{"uniqueid": c.uniqueid, "channel": c.channel,
                             "number": c.number, "name": c.name, "position": c.position,
                             "joined": c.joined, "joined_attr": str(int(c.joined)),
                             "wait": int(now - c.joined)}
                            for c in callers],
                "counts": {
                    "received": received, "answered": len(counts.answered),
                    "abandoned": len(counts.abandoned), "answered_in_sl": in_sl,
                    "service_level": round(100 * in_sl / counted) if counted > 0 else None,
                    "longest_wait_today": max(waits) if waits else 0,
                    "longest_wait_now": max((int(now - c.joined) for c in callers),
                                            default=0),
                    "waiting": len(callers),
                },
                "agents": {
                    "free": sum(1 for m in members if m["state"] == FREE),
                    "busy": busy,
                    "paused": sum(1 for m in members if m["state"] == PAUSED),
                    "total": len(members),
                },
            }

    # -- resynchronization -----------------------------------------------------------------
    def resync(self, status: Iterable[Any], channels: Iterable[Any],
               queue_log: Iterable[tuple] = (), params: dict[str, dict] | None = None,
               ) -> None:
        """Replace the live part (members, callers, channels) with Asterisk's answers to
        QueueStatus and CoreShowChannels; merge today's queue_log lines into the counts."""
        now = self.clock()
        with self.lock:
            self._roll_day()
            old = self.members
            self.members, self.callers, self.channels = {}, {}, {}
            for name, values in (params or {}).items():
                p = self._params(name)
                p.service_level = values.get("service_level", p.service_level)
                p.wrapup = values.get("wrapup", p.wrapup)
                p.short_abandon = values.get("short_abandon", p.short_abandon)
            for msg in status:
                kind = msg.name.lower()
                queue = msg.get("Queue", "")
                if kind == "queueparams":
                    p = self._params(queue)
                    p.strategy = msg.get("Strategy", "")
                    if not params or queue not in params:
                        p.service_level = _int(msg.get("ServiceLevel"), p.service_level)
                elif kind == "queuemember":
                    member = self._member_from(msg, queue)
                    previous = old.get((queue, member.interface))
                    if previous is not None:  # keep what QueueStatus does not tell
                        member.wrapup_until = previous.wrapup_until
                        member.queue_call, member.queue_call_queue = (
                            previous.queue_call, previous.queue_call_queue)
                elif kind == "queueentry":
                    uid = msg.get("Uniqueid", "")
                    self.callers[uid] = Caller(
                        queue=queue, uniqueid=uid, channel=msg.get("Channel", ""),
                        number=msg.get("CallerIDNum", ""), name=msg.get("CallerIDName", ""),
                        position=_int(msg.get("Position")),
                        joined=now - _int(msg.get("Wait")))
                    self._counts(queue).received.add(uid)
            for msg in channels:
                uid = msg.get("Uniqueid", "")
                seconds = _duration(msg.get("Duration", ""))
                state = _int(msg.get("ChannelState"))
                self.channels[uid] = Channel(
                    uniqueid=uid, name=msg.get("Channel", ""), linkedid=msg.get("Linkedid", ""),
                    state=state, created=now - seconds,
                    answered=(now - seconds) if state == CHAN_UP else 0.0,
                    peer=msg.get("ConnectedLineNum", ""))
            live_calls = set(self.channels)
            for member in self.members.values():
                if member.queue_call and member.queue_call not in live_calls:
                    member.queue_call = member.queue_call_queue = ""
            self._merge_queue_log(queue_log)
            for member in self.members.values():
                state = "/".join(self.member_state(member, now))
                member.shown = state
                member.since = _since_guess(member, state, now)
            self.synced = True
            self.resyncs += 1
        self._changed(None, now)

    def _merge_queue_log(self, lines: Iterable[tuple]) -> None:
        """Today's queue_log lines (time, callid, queue, agent, event, data...)."""
        for line in lines:
            if len(line) < 5:
                continue
            stamp, callid, queue, agent, event, *data = line
            if datetime.datetime.fromtimestamp(_int(stamp)).date() != self.day:
                continue
            counts = self._counts(queue)
            if event == "ENTERQUEUE":
                counts.received.add(callid)
            elif event == "CONNECT":
                counts.received.add(callid)
                hold = _int(data[0] if data else 0)
                counts.answered.setdefault(callid, hold)
                counts.waits.setdefault(callid, hold)
            elif event == "ABANDON":
                counts.received.add(callid)
                hold = _int(data[2] if len(data) > 2 else 0)
                counts.abandoned.setdefault(callid, hold)
                counts.waits.setdefault(callid, hold)
            elif event in ("COMPLETEAGENT", "COMPLETECALLER"):
                talk = counts.talk.setdefault(agent, {})
                talk.setdefault(callid, _int(data[1] if len(data) > 1 else 0))
            elif event in ("EXITWITHTIMEOUT", "EXITEMPTY", "EXITWITHKEY"):
                counts.received.add(callid)
                counts.waits.setdefault(callid, _int(data[2] if len(data) > 2 else 0))


def _duration(text: str) -> int:
    """``01:02:03`` → 3723 (CoreShowChannels' Duration)."""
    try:
        parts = [int(p) for p in text.split(":")]
    except ValueError:
        return 0
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def _since_guess(member: Member, state: str, now: float) -> float:
    """After a resync, since when a member is in its state, from what Asterisk tells."""
    if state.startswith(PAUSED) and member.last_pause:
        return member.last_pause
    if state.startswith(FREE):
        return max(member.last_call, member.login_time) or now
    return now
