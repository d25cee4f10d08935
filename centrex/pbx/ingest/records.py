"""The two record files Asterisk writes for Centrex, and how a line of each is read.

CDRs: ``cdr_custom`` writes one JSON object per line to ``cdr-custom/centrex_cdr.json``
(an "advanced mapping", Asterisk 22), with times as epoch seconds (UTC, unambiguous) and the
``linkedid``/``sequence`` that tie the legs of one call together and make a record unique.
JSON rather than CSV: a caller name with quotes or commas cannot shift a column.

queue_log: ``epoch|callid|queue|agent|event|data1|data2|…`` (``log_membername_as_agent``:
the agent is the Centrex user name), one line per queue event.

Both readers are strict about what they need and forgiving about the rest: a line that is
not a record (a partial write, a stray line) gives None and is counted, never raised.
"""

from __future__ import annotations

import hashlib
import json
from typing import NamedTuple

CDR_FILE = "centrex_cdr.json"
CDR_FIELDS = ("uniqueid", "linkedid", "sequence", "start(double)", "answer(double)",
              "end(double)", "duration", "billsec", "disposition", "src", "dst", "dcontext",
              "clid", "channel", "dstchannel", "lastapp", "lastdata", "accountcode",
              "userfield")
QUEUE_LOG_FILE = "queue_log"

# A call from a trunk to an inbound number: the dialplan writes ``did:<number called>`` in
# its CDR's userfield (centrex/routing/confgen.py), since the CDR's dst becomes the internal
# number the call goes on to.
DID_TAG = "did:"

# The dispositions Asterisk writes, and the state the call log shows.
DISPOSITIONS = {"ANSWERED": "answered", "NO ANSWER": "no_answer", "BUSY": "busy",
                "FAILED": "failed", "CONGESTION": "failed"}


def cdr_custom_conf() -> str:
    """The ``cdr_custom.conf`` section Centrex reads (docs/records.md: an external Asterisk
    needs the same)."""
    return (f"; Managed by Centrex (runtime): rewritten at every start.\n[{CDR_FILE}]\n"
            "format = json\n"
            f"fields = {', '.join(CDR_FIELDS)}\n")


class Cdr(NamedTuple):
    """One CDR line (a named tuple: millions are made in a catch-up, and a frozen dataclass
    costs a setattr per field)."""

    uniqueid: str
    linkedid: str
    sequence: int
    start: float
    answer: float | None
    end: float
    duration: int
    billsec: int
    disposition: str
    src: str
    dst: str
    dcontext: str
    clid: str
    channel: str
    dstchannel: str
    lastapp: str
    lastdata: str
    accountcode: str
    userfield: str


def called_did(userfield: str) -> str:
    """The inbound number a call from a trunk was made to, from its first CDR ("" when
    none: not such a call, or a CDR written before Centrex noted it)."""
    return userfield[len(DID_TAG):] if userfield.startswith(DID_TAG) else ""


def _epoch(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _text(record: dict, key: str, limit: int) -> str:
    value = record.get(key)
    return "" if value is None else str(value)[:limit]


def parse_cdr(line: bytes) -> Cdr | None:
    """One line of ``centrex_cdr.json``; None if it is not a complete CDR."""
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    start, end = _epoch(record.get("start")), _epoch(record.get("end"))
    uniqueid = _text(record, "uniqueid", 64)
    try:
        sequence = int(record.get("sequence"))
        duration = max(0, int(record.get("duration") or 0))
        billsec = max(0, int(record.get("billsec") or 0))
    except (TypeError, ValueError):
        return None
    if not uniqueid or start is None or end is None:
        return None
    disposition = DISPOSITIONS.get(str(record.get("disposition", "")).upper(), "failed")
    return Cdr(uniqueid=uniqueid, linkedid=_text(record, "linkedid", 64) or uniqueid,
               sequence=sequence, start=start, answer=_epoch(record.get("answer")), end=end,
               duration=duration, billsec=billsec, disposition=disposition,
               src=_text(record, "src", 80), dst=_text(record, "dst", 80),
               dcontext=_text(record, "dcontext", 80), clid=_text(record, "clid", 160),
               channel=_text(record, "channel", 160),
               dstchannel=_text(record, "dstchannel", 160),
               lastapp=_text(record, "lastapp", 40), lastdata=_text(record, "lastdata", 255),
               accountcode=_text(record, "accountcode", 80),
               userfield=_text(record, "userfield", 255))


class QueueLogLine(NamedTuple):
    time: int
    callid: str
    queue: str
    agent: str
    event: str
    data: tuple[str, ...]


def parse_queue_log(line: bytes) -> QueueLogLine | None:
    """One line of ``queue_log``; None if it is not one."""
    parts = line.decode("utf-8", "replace").rstrip("\r").split("|")
    if len(parts) < 5 or not parts[0].isdigit() or not parts[4]:
        return None
    return QueueLogLine(int(parts[0]), parts[1][:64], parts[2][:40], parts[3][:80],
                        parts[4][:30], tuple(p[:255] for p in parts[5:10]))


def line_key(time: int, callid: str, queue: str, agent: str, event: str,
             data: tuple[str, ...]) -> int:
    """A signed 64-bit hash of a queue_log line's fields (trailing empty data ignored): the
    same line, read twice or stored before, gives the same key."""
    while data and not data[-1]:
        data = data[:-1]
    text = "|".join((str(time), callid, queue, agent, event, *data))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big",
                          signed=True)
