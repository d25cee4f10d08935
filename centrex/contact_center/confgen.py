"""Asterisk files of the queues (docs/contact_center.md).

Two files, because they belong to two modules:

- ``centrex_queues.conf`` (app_queue), included by the stock ``queues.conf``: one section per
  queue with its options. It holds NO members: agents are dynamic members, added and paused
  through AMI from the ``Agent`` rows (centrex/contact_center/agents.py). The verifier ends by
  re-applying those rows, so a reload never loses who is logged in or paused.
- ``centrex_queues_dialplan.conf`` (pbx_config): context ``centrex-queues``, included in
  ``centrex-internal`` (phones, inbound numbers, ring-group fallbacks and forwards reach a
  queue's number), and the subroutine ``centrex-sub-queue`` that records when the queue
  says so, queues the caller, and sends them to the overflow destination when the queue
  cannot serve them.

Both renderers are pure and sorted (golden files ``tests/golden/centrex_queues*.conf``).
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING

from centrex.pbx.ami import AMIError
from centrex.pbx.autoapply import watch
from centrex.pbx.confgen import ConfFile, VerificationError, dialplan, register
from centrex.pbx.confgen import syntax as s
from centrex.telephony import confgen as phones_confgen
from centrex.telephony.forwards import MAX_HOPS

if TYPE_CHECKING:
    from centrex.pbx.ami import AMIClient

log = logging.getLogger("centrex.contact_center")

QUEUES_FILE = "centrex_queues.conf"
DIALPLAN_FILE = "centrex_queues_dialplan.conf"
QUEUES_CONTEXT = "centrex-queues"
SUB_QUEUE = "centrex-sub-queue"
REVISION_CONTEXT = "centrex-rev-queues"
# Where MixMonitor writes a recorded queue call, relative to Asterisk's monitor folder
# (contract with the recordings part: centrex/<queue name>/<caller's uniqueid>.wav).
RECORDING_PATH = "centrex/{queue}/${{UNIQUEID}}.wav"
# Queue() results after which the caller goes to the queue's overflow destination.
OVERFLOW_STATUSES = ("TIMEOUT", "FULL", "JOINEMPTY", "LEAVEEMPTY", "JOINUNAVAIL",
                     "LEAVEUNAVAIL")
# I: the agent's name and number are not sent to the caller (connected line): an outside
# caller does not learn who answered, and trunks get no re-INVITE in the middle of a call.
QUEUE_OPTIONS = "I"
_OVERFLOWED = " | ".join(f'"${{QUEUESTATUS}}" = "{status}"' for status in OVERFLOW_STATUSES)
# Callers refused at the door never enter the queue, and app_queue writes nothing for them in
# queue_log: the dialplan writes the line the statistics count as "dissuaded".
REFUSED_STATUSES = ("FULL", "JOINEMPTY", "JOINUNAVAIL")
_REFUSED = " | ".join(f'"${{QUEUESTATUS}}" = "{status}"' for status in REFUSED_STATUSES)


# -- queues.conf -----------------------------------------------------------------------------
def _empty_option(conditions: str, default: str) -> str:
    """joinempty/leavewhenempty: the listed conditions, or ``default`` (which means "never"
    in each option's own odd wording: joinempty=yes, leavewhenempty=no)."""
    return ",".join(p for p in conditions.split(",") if p) or default


def queue_options(q) -> list[tuple[str, str | int]]:
    """queues.conf options of one queue, in a fixed order."""
    options: list[tuple[str, str | int]] = [("strategy", q.strategy)]
    if q.music_on_hold:
        options.append(("musicclass", q.music_on_hold))
    if q.agent_announcement:
        options.append(("announce", q.agent_announcement))
    options += [
        ("timeout", int(q.ring_time)),
        ("retry", int(q.retry)),
        ("wrapuptime", int(q.wrapup_time)),
        ("announce-frequency", int(q.announce_frequency)),
        ("min-announce-frequency", int(q.min_announce_frequency)),
        ("announce-holdtime", q.announce_holdtime),
        ("announce-position", q.announce_position),
        ("maxlen", int(q.max_callers)),
        ("joinempty", _empty_option(q.join_empty, "yes")),
        ("leavewhenempty", _empty_option(q.leave_when_empty, "no")),
        ("servicelevel", int(q.service_level)),
        ("weight", int(q.weight)),
        ("autopause", "yes" if q.autopause else "no"),
        # An agent already in a call (in any queue, or a direct call) is not rung.
        ("ringinuse", "no"),
        # MEMBERINTERFACE, QUEUENAME, QEHOLDTIME... on the agent's channel: what the
        # recordings and supervision parts read.
        ("setinterfacevar", "yes"),
        ("setqueuevar", "yes"),
        ("setqueueentryvar", "yes"),
        ("reportholdtime", "no"),
        ("timeoutrestart", "no"),
    ]
    return options


def _section(name: str, options: list[tuple[str, str | int]], comment: str) -> str:
    """s.section for queues.conf, whose option names carry dashes (announce-frequency):
    the names are ours, fixed above; the values still go through the grammar."""
    lines = [f"; {s.comment_text(comment)}"] if comment else []
    lines.append(f"[{s.name(name)}]")
    lines += [f"{key} = {s.value(val)}" for key, val in options]
    return "\n".join(lines) + "\n"


def render_queues() -> str:
    from centrex.contact_center.models import Queue

    parts = [_section(q.name, queue_options(q),
                      f"{q.extension} {q.description}".strip())
             for q in Queue.objects.order_by("name")]
    body = "\n".join(parts)
    # The revision is only a comment: a section carrying it would be a real queue. The
    # verifier compares what Asterisk reports of each queue with the file instead.
    return (s.header("ACD queues of Centrex (included by queues.conf); members are added "
                     "by Centrex through AMI") + ("\n" + body if body else "")
            + f"\n; CENTREX_REVISION={s.revision(body)}\n")


def parse_queues(text: str) -> dict[str, dict[str, str]]:
    """Section name → options of a rendered centrex_queues.conf."""
    queues: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in text.splitlines():
        if line.startswith("["):
            current = queues.setdefault(line[1:-1], {})
        elif current is not None and " = " in line and not line.startswith(";"):
            key, value = line.split(" = ", 1)
            current[key] = value
    return queues


async def _reconcile_agents(ami: AMIClient) -> None:
    """Make Asterisk's queue members match the Agent rows (the agents part's service),
    when that module is there."""
    try:
        agents = importlib.import_module("centrex.contact_center.agents")
    except ImportError:
        return
    reconcile = getattr(agents, "reconcile", None)
    if reconcile is not None:
        await reconcile(ami)


async def verify_queues(ami: AMIClient, old: str, new: str) -> None:
    """Asterisk must know exactly the queues of the file, with their strategy, limit,
    service level and weight; queues removed from the file must be gone."""
    expected = parse_queues(new)
    removed = set(parse_queues(old)) - set(expected)
    try:
        _, events = await ami.action_list("QueueStatus")
    except AMIError as exc:
        raise VerificationError(f"Asterisk did not load {QUEUES_FILE}") from exc
    running = {e.get("Queue"): e for e in events if e.name == "QueueParams"}
    for name, options in expected.items():
        params = running.get(name)
        if params is None:
            raise VerificationError(f"Asterisk does not run the queue {name}")
        wanted = {"Strategy": options["strategy"], "Max": options["maxlen"],
                  "ServiceLevel": options["servicelevel"], "Weight": options["weight"]}
        got = {key: params.get(key) for key in wanted}
        if got != wanted:
            raise VerificationError(f"Asterisk runs the queue {name} with {got}, "
                                    f"not {wanted}")
    still = removed & set(running)
    if still:
        raise VerificationError(f"Asterisk still runs the removed queues {sorted(still)}")
    await _reconcile_agents(ami)


# -- dialplan --------------------------------------------------------------------------------
STATIC = f"""[{SUB_QUEUE}]
; Queue a caller (answered first, so they hear the music and announcements even from a
; trunk that does not pass early media). ARG1 queue name, ARG2 record (1 or 0), ARG3
; maximum wait in seconds (empty: none). A caller refused at the door is written in
; queue_log (FULL, JOINEMPTY, JOINUNAVAIL) for the statistics. Returns 1 (GOSUB_RETVAL)
; when the caller must go to the queue's overflow destination, 0 when the call is over.
; CENTREX_HOPS (shared with forwards and ring groups) stops queues overflowing into each
; other forever.
exten => s,1,Set(__CENTREX_HOPS=$[0${{CENTREX_HOPS}} + 1])
 same => n,GotoIf($[${{CENTREX_HOPS}} > {MAX_HOPS}]?over)
 same => n,Answer()
 same => n,GotoIf($["${{ARG2}}" != "1"]?queue)
 same => n,MixMonitor({RECORDING_PATH.format(queue="${ARG1}")},b)
 same => n(queue),Queue(${{ARG1}},{QUEUE_OPTIONS},,,${{ARG3}})
 same => n,ExecIf($[{_REFUSED}]?QueueLog(${{ARG1}},${{UNIQUEID}},NONE,${{QUEUESTATUS}},))
 same => n,GotoIf($[{_OVERFLOWED}]?full)
 same => n(over),Return(0)
 same => n(full),Return(1)
"""


def _queue_lines(q) -> list[str]:
    from centrex.ivr.application_confgen import SCHEDULE_SUB

    ext = s.arg(q.extension)
    name = s.arg(q.name)
    max_wait = str(int(q.max_wait)) if q.max_wait else ""
    lines = [f"; {s.comment_text(q.description or q.name)} ({q.strategy})",
             f"exten => {ext},1,NoOp(queue {name})"]
    if q.schedule_id:
        # Closed (or a holiday, an exceptional closure): logged in queue_log for the
        # statistics, then the overflow destination.
        lines += [f" same => n,Gosub({SCHEDULE_SUB.format(pk=int(q.schedule_id))},s,1)",
                  ' same => n,GotoIf($["${GOSUB_RETVAL}" != "open"]?closed)']
    lines += [f" same => n,Gosub({SUB_QUEUE},s,1({name},{int(q.record)},{max_wait}))",
              ' same => n,GotoIf($["${GOSUB_RETVAL}" = "1"]?overflow)',
              " same => n,Hangup()"]
    if q.schedule_id:
        lines += [f" same => n(closed),QueueLog({name},${{UNIQUEID}},NONE,CLOSED,"
                  "${GOSUB_RETVAL})",
                  " same => n,Goto(overflow)"]
    target = s.arg(q.overflow_number) if q.overflow_number else ""
    if q.overflow == q.NUMBER and target:
        lines.append(f" same => n(overflow),Goto({phones_confgen.INTERNAL_CONTEXT},"
                     f"{target},1)")
    elif q.overflow == q.VOICEMAIL and target:
        lines.append(f" same => n(overflow),VoiceMail({target}@"
                     f"{phones_confgen.VOICEMAIL_CONTEXT},u)")
        lines.append(" same => n,Hangup()")
    else:
        lines.append(" same => n(overflow),Hangup()")
    return lines


def render_dialplan() -> str:
    from centrex.contact_center.models import Queue

    lines = [f"[{QUEUES_CONTEXT}]",
             "; Queue numbers (included in centrex-internal)."]
    for q in Queue.objects.order_by("extension"):
        lines += _queue_lines(q)
    body = "\n".join([STATIC, *lines])
    return dialplan.render("ACD queue numbers of Centrex", body, REVISION_CONTEXT)


def install() -> None:
    """Register both files and the queues' place in centrex-internal (AppConfig.ready)."""
    from centrex.contact_center.models import Queue

    # order: the queues exist before the dialplan that sends callers to them is checked.
    register(ConfFile(QUEUES_FILE, render_queues, "app_queue.so", verify_queues, order=45))
    register(ConfFile(DIALPLAN_FILE, render_dialplan, "pbx_config.so",
                      dialplan.verifier(DIALPLAN_FILE, REVISION_CONTEXT), order=46))
    phones_confgen.include_dialplan_file(DIALPLAN_FILE)
    phones_confgen.include_in_internal(QUEUES_CONTEXT)
    watch(Queue)
