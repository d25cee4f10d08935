"""One ``Call`` per call from its CDRs (docs/records.md, "From CDRs to calls").

Asterisk writes one CDR per pair of parties: a call that rang three phones of a group, or
waited in a queue while agents were tried, has several, all with the call's ``linkedid``.
The call log wants one line per call, so the rules are written here once:

* the first CDR (earliest start) is the caller's leg: its channel says who called (a
  Centrex phone, a trunk: then the call is incoming), its ``dst`` what was dialled;
* a leg towards a trunk makes the call outgoing; a phone dialling a number that is not an
  internal one (refused by the call rights, for instance) is outgoing too;
* the call is *answered* when a leg was answered by another party (a phone, an agent, the
  operator's network for an outgoing call); its duration is that leg's talk time (billsec),
  its ring time the wait before that answer; otherwise *voicemail* when it ended in a
  mailbox, *busy* when every party was busy, *answered* when Asterisk itself served it
  (echo test, conference, voice application), else *no answer* or *failed*;
* the callee is the phone that answered, or else the first phone that rang: a missed call
  is in its owner's log; a queue call answered by an agent is the agent's (queue_log names
  them), whichever phone they took it on;
* a free-seating (hot-desk) phone stands for the person logged in at it: its calls carry
  their extension as caller ID, and calls to their extension ring it, so the caller (or
  callee) is the phone of that extension — the person and department the call log and
  billing attribute the call to.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from centrex.pbx.ingest.records import called_did
from centrex.reports import billing
from centrex.reports.models import Call, Cdr, QueueCall

BATCH = 500
CHANNEL_RE = re.compile(r"^PJSIP/(?P<endpoint>[^/]+)-[0-9a-f]{8}$")
CLID_NAME_RE = re.compile(r'^"(?P<name>[^"]*)"')
TRUNK_PREFIX = "trunk-"
NO_QUEUE = ("", "")  # (queue, agent) of a call that entered no queue
# Applications that answer a caller without another party: the call was served.
SERVING_APPS = {"echo", "confbridge", "playback", "background", "read", "meetme", "parkedcall",
                "directory", "agi", "record", "saydigits", "sayunixtime"}


@dataclass(frozen=True, slots=True)
class Party:
    kind: str  # "phone" or "trunk"
    number: str  # extension, or the trunk's name
    user_id: int | None = None
    department_id: int | None = None
    hotdesk: bool = False  # a free-seating phone: it calls and rings for whoever sits there


class Directory:
    """Who is behind an endpoint, and which numbers are internal: read once per batch of
    ingestion, not once per CDR."""

    def __init__(self) -> None:
        from centrex.rights import services as rights
        from centrex.telephony import numbering
        from centrex.telephony.models import Phone

        self.phones: dict[str, Party] = {}
        # Agents by user name (what queue_log names them): their personal line (the
        # lowest extension, if several).
        self.agents: dict[str, Party] = {}
        for sip_username, extension, user_id, department_id, hotdesk, username in (
                Phone.objects.order_by("-extension").values_list(
                    "sip_username", "extension", "user_id", "user__department_id",
                    "hotdesk", "user__username")):
            party = self.phones[sip_username] = Party("phone", extension, user_id,
                                                      department_id, hotdesk)
            if username and not hotdesk:
                self.agents[username] = party
        self.extensions = {party.number: party for party in self.phones.values()}
        self.internal = {number for number, _label in numbering.reachable_numbers()}
        self.internal.update(p.number for p in self.phones.values())
        self.rights = rights.current()

    def party(self, channel: str) -> Party | None:
        match = CHANNEL_RE.match(channel)
        if match is None:
            return None
        endpoint = match["endpoint"]
        if endpoint.startswith(TRUNK_PREFIX):
            return Party("trunk", endpoint[len(TRUNK_PREFIX):])
        return self.phones.get(endpoint)

    def seated(self, party: Party | None, number: str) -> Party | None:
        """The party a free-seating phone stands for: the person logged in there, whose
        extension its calls carry (the caller ID it places calls with, the number dialled
        to reach it) — their calls, their department's costs, not the desk's."""
        if party is None or not party.hotdesk:
            return party
        return self.extensions.get(number, party)

    def agent(self, username: str, party: Party | None) -> Party | None:
        """Who took a queue call that ``party`` answered: the agent the queue connected it
        to, on a free-seating phone or any other (their own line stands for them)."""
        return self.agents.get(username, party) if username else party

    def is_internal(self, number: str) -> bool:
        """An internal number, or one the dialplan answers itself (9999, ``*97``): anything
        that the call rights would not take for an outside number."""
        from centrex.rights import numbers

        if number in self.internal or not number.isdigit():
            return True
        found = numbers.classify(number, self.rights["home_country"],
                                 self.rights["emergency_numbers"])
        return found.number_class == numbers.UNKNOWN


def local_day_hour(when: datetime.datetime) -> tuple[datetime.date, int]:
    """The site's day and hour of an instant (the statistics group by them)."""
    # Every time zone's offset is a multiple of 15 minutes, and so are its changes: the
    # answer of a quarter of an hour serves every call in it (a year: 35,000 conversions
    # instead of millions).
    return _quarter_day_hour(int(when.timestamp()) // 900, timezone.get_default_timezone())


@functools.lru_cache(maxsize=4096)
def _quarter_day_hour(quarter: int, zone: datetime.tzinfo) -> tuple[datetime.date, int]:
    local = datetime.datetime.fromtimestamp(quarter * 900, zone)
    return local.date(), local.hour


def _seconds_between(later, earlier) -> int:
    if later is None or earlier is None:
        return 0
    return max(0, round((later - earlier).total_seconds()))


@dataclass(slots=True)
class CallData:
    """A call as ingestion makes it: the columns of ``Call``, without a model instance per
    row (building one costs more than summarizing the call)."""

    linkedid: str
    uniqueid: str
    start: datetime.datetime
    day: datetime.date
    hour: int
    direction: str
    state: str
    source: str
    source_name: str
    destination: str
    answered_by: str
    duration: int
    ring_time: int
    trunk: str
    queue: str
    caller_id: int | None
    caller_department_id: int | None
    callee_id: int | None
    callee_department_id: int | None
    pricing: str = ""
    zone: str = ""
    cost: int | None = None
    cost_vat: int | None = None
    currency: str = ""


def summarize(cdrs: Sequence, directory: Directory, queue: str = "",
              agent: str = "") -> CallData:
    """The call made of ``cdrs`` (all of one linkedid, in order); ``queue`` the queue it
    entered, ``agent`` the user name of the agent who took it there."""
    first = cdrs[0]
    caller = directory.seated(directory.party(first.channel), first.src)
    legs = [(cdr, directory.seated(directory.party(cdr.dstchannel), first.dst))
            for cdr in cdrs if cdr.dstchannel]
    trunk_legs = [(cdr, party) for cdr, party in legs if party and party.kind == "trunk"]
    answered = next(((cdr, party) for cdr, party in legs if cdr.disposition == "answered"),
                    None)
    if caller is not None and caller.kind == "trunk":
        direction, trunk = "in", caller.number
    elif trunk_legs or (caller is not None and not directory.is_internal(first.dst)):
        direction = "out"
        trunk = trunk_legs[0][1].number if trunk_legs else ""
    else:
        direction, trunk = "internal", ""

    duration = ring_time = 0
    answered_by = ""
    callee = None
    if answered is not None:
        cdr, party = answered
        state, duration = "answered", cdr.billsec
        ring_time = _seconds_between(cdr.answer, first.start)
        callee = party = directory.agent(agent, party)
        answered_by = party.number if party and party.kind == "phone" else first.dst
    else:
        apps = {cdr.lastapp.lower() for cdr in cdrs}
        rung = [party for _cdr, party in legs if party and party.kind == "phone"]
        callee = rung[0] if rung else None
        served = [cdr for cdr in cdrs if cdr.disposition == "answered" and not cdr.dstchannel]
        if "voicemail" in apps:
            state = "voicemail"
            duration = max((c.billsec for c in cdrs if c.lastapp.lower() == "voicemail"),
                           default=0)
        elif legs and all(cdr.disposition == "busy" for cdr, _party in legs):
            state = "busy"
        elif served and served[0].lastapp.lower() in SERVING_APPS:
            state, duration = "answered", served[0].billsec
        elif legs or "queue" in apps or "dial" in apps:
            state = "no_answer"
        else:
            state = "failed"
    name = CLID_NAME_RE.match(first.clid)
    source = caller.number if caller is not None and caller.kind == "phone" else first.src
    day, hour = local_day_hour(first.start)
    return CallData(
        linkedid=first.linkedid, uniqueid=first.uniqueid, start=first.start, day=day,
        hour=hour,
        direction=direction, state=state, source=source[:80],
        source_name=(name["name"] if name else "")[:80],
        destination=(direction == "in" and called_did(first.userfield)) or first.dst,
        answered_by=answered_by[:80], duration=duration, ring_time=ring_time, trunk=trunk,
        queue=queue,
        caller_id=caller.user_id if caller else None,
        caller_department_id=caller.department_id if caller else None,
        callee_id=callee.user_id if callee and callee.kind == "phone" else None,
        callee_department_id=callee.department_id if callee and callee.kind == "phone"
        else None)


def queues_of(uniqueids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """The queue each call id entered (the first, if several) and the agent who took it
    (in whichever queue), from its queue visits (the queue_log of a pass is ingested before
    its CDRs)."""
    found: dict[str, tuple[str, str]] = {}
    ids = list(uniqueids)
    for i in range(0, len(ids), BATCH):
        rows = QueueCall.objects.filter(callid__in=ids[i:i + BATCH])
        for callid, queue, agent in rows.order_by("entered").values_list("callid", "queue",
                                                                           "agent"):
            first, taken = found.get(callid, (queue, ""))
            found[callid] = (first, taken or agent)
    return found


def rebuild(linkedids: Iterable[str], directory: Directory | None = None
            ) -> set[datetime.date]:
    """(Re)make the calls of these linkedids from every CDR stored for them; returns their
    days."""
    ids = sorted(set(linkedids))
    days: set[datetime.date] = set()
    if not ids:
        return days
    directory = directory or Directory()
    for i in range(0, len(ids), BATCH):
        groups: dict[str, list[Cdr]] = defaultdict(list)
        rows = Cdr.objects.filter(linkedid__in=ids[i:i + BATCH]).order_by(
            "linkedid", "start", "sequence")
        for cdr in rows:
            groups[cdr.linkedid].append(cdr)
        queues = queues_of(cdrs[0].uniqueid for cdrs in groups.values())
        calls = [summarize(cdrs, directory, *queues.get(cdrs[0].uniqueid, NO_QUEUE))
                 for cdrs in groups.values()]
        billing.price_new(calls)
        write(calls)
        days.update(call.day for call in calls)
    return days


@dataclass(slots=True)
class Leg:
    """A CDR just read from the file, with its times as datetimes, as ``summarize`` reads
    a stored ``Cdr``."""

    linkedid: str
    uniqueid: str
    sequence: int
    start: datetime.datetime
    answer: datetime.datetime | None
    billsec: int
    disposition: str
    src: str
    dst: str
    clid: str
    channel: str
    dstchannel: str
    lastapp: str
    userfield: str


def _leg(record) -> Leg:
    utc = datetime.UTC
    return Leg(record.linkedid, record.uniqueid, record.sequence,
               datetime.datetime.fromtimestamp(record.start, utc),
               datetime.datetime.fromtimestamp(record.answer, utc) if record.answer else None,
               record.billsec, record.disposition, record.src, record.dst, record.clid,
               record.channel, record.dstchannel, record.lastapp, record.userfield)


CALL_FIELDS = [f.attname for f in Call._meta.concrete_fields if f.name != "id"]
CALL_UPDATED = [name for name in CALL_FIELDS if name != "linkedid"]


def write(calls: Sequence[CallData], fresh: bool = False) -> None:
    """Insert the calls, or update those already there (one per linkedid). ``fresh``: none
    is there yet (a plain insert, a quarter faster than SQLite's upsert; a row there all
    the same, from another reader, is left as it is)."""
    from centrex.reports import fastsql

    start, day = CALL_FIELDS.index("start"), CALL_FIELDS.index("day")
    rows = []
    adapt = fastsql.adapters()
    for call in calls:
        row = [getattr(call, name) for name in CALL_FIELDS]
        row[start], row[day] = adapt.when(call.start), adapt.day(call.day)
        rows.append(row)
    if fresh:
        fastsql.insert(Call, CALL_FIELDS, rows)
    else:
        fastsql.insert(Call, CALL_FIELDS, rows, conflict=("linkedid",), update=CALL_UPDATED)


def build(records: Sequence, directory: Directory | None = None) -> set[datetime.date]:
    """The calls of CDRs just read (``centrex.pbx.ingest.records.Cdr``, already stored):
    made from the chunk alone when the call is new, from every stored CDR when an earlier
    chunk already made it (a leg that ended later). Returns the days whose totals changed
    (``rollup``): the calls' days, and the day a rebuilt call had before."""

    groups: dict[str, list] = defaultdict(list)
    for record in records:
        groups[record.linkedid].append(record)
    ids = sorted(groups)
    known: set[str] = set()
    days: set[datetime.date] = set()
    for i in range(0, len(ids), BATCH):
        for linkedid, day in Call.objects.filter(linkedid__in=ids[i:i + BATCH]).values_list(
                "linkedid", "day"):
            known.add(linkedid)
            days.add(day)
    directory = directory or Directory()
    days |= rebuild(known, directory)
    fresh = [sorted((_leg(r) for r in groups[linkedid]), key=lambda leg: (leg.start,
                                                                            leg.sequence))
             for linkedid in ids if linkedid not in known]
    queues = queues_of(legs[0].uniqueid for legs in fresh)
    calls = [summarize(legs, directory, *queues.get(legs[0].uniqueid, NO_QUEUE))
             for legs in fresh]
    billing.price_new(calls, fresh=True)
    write(calls, fresh=True)
    days.update(call.day for call in calls)
    return days


def link_queues(events: Iterable) -> set[datetime.date]:
    """Calls already made when their ``ENTERQUEUE`` or ``CONNECT`` line arrives (their CDRs
    were read first: a call that ended while a backlog of CDRs was being read) are made
    again, with their queue and the agent who took it. Call it once the lines' visits are
    stored. Returns the days whose totals changed."""
    callids = sorted({event.callid for event in events
                      if event.event in ("ENTERQUEUE", "CONNECT") and event.callid})
    made: set[str] = set()
    for i in range(0, len(callids), BATCH):
        made.update(Call.objects.filter(uniqueid__in=callids[i:i + BATCH]).values_list(
            "linkedid", flat=True))
    return rebuild(made)
