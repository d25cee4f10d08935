"""Recordings of queue calls (docs/recordings.md): rows for the files Asterisk writes.

Two ways a call is recorded, both into Asterisk's monitor folder (``<spool>/monitor``, the
managed instance's or ``CENTREX_ASTERISK_SPOOL_DIR``'s in external mode):

* automatically, when the queue says so: its dialplan runs
  ``MixMonitor(centrex/<queue>/${UNIQUEID}.wav,b)`` on the caller's channel before Queue();
  the ``AgentConnect`` event (Uniqueid = the caller's channel) makes the row, with the agent
  from ``MemberName`` (= the username), and ``AgentComplete`` fills the duration;
* on demand, by a supervisor (``start``/``stop``): AMI ``MixMonitor`` on the agent's bridged
  channel into ``centrex/<queue>/<caller uniqueid>-<timestamp>.wav``.

Nothing is lost while the portal is down: ``catch_up`` (after each AMI connection) adds a
row for every file of ``centrex/<queue>/`` that has none (agent from the queue_log CONNECT
line of that call) and closes rows whose call is over. ``purge`` applies the retention
period; the event listener runs it every hour.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import re
import wave
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from centrex.contact_center.models import Agent, ContactCenterSettings, Queue, Recording
from centrex.core.models import User
from centrex.pbx.ami import AMIError, Message
from centrex.pbx.ami.sync import run_action, run_action_list
from centrex.pbx.connection import NotConfigured, log_dir, target

logger = logging.getLogger("centrex.contact_center.recordings")

# Below the monitor folder: every recording Centrex knows lives in centrex/<queue>/.
TOP = "centrex"
# Asterisk's uniqueids ("1700000000.42", or "<systemname>-1700000000.42").
UNIQUEID_RE = re.compile(r"[A-Za-z0-9_.-]{1,64}")
# Automatic: <uniqueid>.wav; on demand: <uniqueid>-<YYYYmmdd-HHMMSS>.wav.
FILE_RE = re.compile(r"(?P<uniqueid>.+?)(?:-(?P<stamp>\d{8}-\d{6}))?\.wav")
CONTENT_TYPE = "audio/wav"
AMI_ERRORS = (AMIError, OSError, NotConfigured)
PURGE_EVERY = 3600  # seconds between two retention passes while the portal runs


class RecordingError(Exception):
    """A recording could not be started or stopped; the message is for the user."""


# -- files -------------------------------------------------------------------------------------
def monitor_root() -> Path | None:
    """Asterisk's monitor folder, seen from Centrex; None while no Asterisk is configured.
    Found like the voicemail spool (centrex/voicemail/spool.py): the same target() in both
    modes (external mode: the spool folder must be the same files, e.g. a shared mount)."""
    try:
        return Path(target().spool_dir) / "monitor"
    except NotConfigured:
        return None


def file_of(recording: Recording) -> Path | None:
    """The recording's file if it exists, never outside the monitor folder."""
    root = monitor_root()
    if root is None or not recording.path.startswith(f"{TOP}/"):
        return None
    path = (root / recording.path).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        return None
    return path


def wav_seconds(path: Path | None) -> int | None:
    """The length of a WAV file in seconds, also while Asterisk still writes it (its header
    then says 0 frames: the size tells)."""
    if path is None:
        return None
    try:
        with wave.open(str(path), "rb") as wav:
            rate, width, channels = wav.getframerate(), wav.getsampwidth(), wav.getnchannels()
            frames = wav.getnframes()
        size = path.stat().st_size
    except (OSError, EOFError, wave.Error):
        return None
    if not rate or not width or not channels:
        return None
    frames = max(frames, (size - 44) // (width * channels))
    return round(frames / rate)


def download_name(recording: Recording) -> str:
    stamp = timezone.localtime(recording.started_at).strftime("%Y%m%d-%H%M%S")
    return f"recording-{recording.queue_name}-{stamp}.wav"


def remove(recording: Recording) -> None:
    """Delete the file (if any) and the row (journaled: Recording is audited)."""
    path = file_of(recording)
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    recording.delete()


# -- automatic recordings (events) -------------------------------------------------------------
def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first() if username else None


def _caller(message: Message) -> str:
    number = (message.get("CallerIDNum") or "").strip()
    name = (message.get("CallerIDName") or "").strip()
    if number in ("", "<unknown>"):
        number = ""
    if name and name not in ("<unknown>", number):
        return f"{name} <{number}>"[:80] if number else name[:80]
    return number[:80]


def on_agent_connect(message: Message) -> Recording | None:
    """An agent answered a queue call: when the queue records, the row of its file."""
    queue = Queue.objects.filter(name=message.get("Queue", "")).first()
    uniqueid = message.get("Uniqueid", "")
    if queue is None or not queue.record or not UNIQUEID_RE.fullmatch(uniqueid):
        return None
    member = message.get("MemberName", "")
    agent = _user(member)
    path = f"{TOP}/{queue.name}/{uniqueid}.wav"
    recording = Recording.objects.filter(path=path).first()
    if recording is not None:  # the catch-up scan found the file first
        if recording.agent_id is None and agent is not None:
            recording.agent, recording.agent_name = agent, agent.username
            recording.save(update_fields=["agent", "agent_name"])
        return recording
    try:
        with transaction.atomic():
            return Recording.objects.create(
                queue=queue, queue_name=queue.name, agent=agent,
                agent_name=agent.username if agent else member[:150],
                caller=_caller(message), uniqueid=uniqueid, path=path,
                started_at=timezone.now())
    except IntegrityError:  # made meanwhile
        return Recording.objects.filter(path=path).first()


def on_agent_complete(message: Message) -> None:
    """The queue call is over: the duration of its recordings."""
    uniqueid = message.get("Uniqueid", "")
    if not uniqueid:
        return
    try:
        talk = int(message.get("TalkTime", ""))
    except ValueError:
        talk = None
    for recording in Recording.objects.filter(uniqueid=uniqueid, duration__isnull=True):
        seconds = wav_seconds(file_of(recording))
        if recording.recorded_by_id is None and talk is not None:
            seconds = talk  # the bridged time: what MixMonitor(...,b) recorded
        recording.duration = seconds if seconds is not None else _elapsed(recording)
        recording.save(update_fields=["duration"])


def _elapsed(recording: Recording) -> int:
    return max(0, round((timezone.now() - recording.started_at).total_seconds()))


# -- catch-up after a (re)connection --------------------------------------------------------------
def connect_lines(uniqueids: set[str]) -> dict[str, str]:
    """The agent (member name) of each call id among ``uniqueids``, from queue_log's
    CONNECT lines (``time|callid|queue|agent|CONNECT|holdtime|...``)."""
    folder = log_dir()
    found: dict[str, str] = {}
    if folder is None or not uniqueids:
        return found
    try:
        with open(folder / "queue_log", encoding="utf-8", errors="replace") as log:
            for line in log:
                parts = line.rstrip("\n").split("|")
                if len(parts) >= 5 and parts[4] == "CONNECT" and parts[1] in uniqueids:
                    found[parts[1]] = parts[3]
    except OSError:
        pass
    return found


def live_uniqueids() -> set[str] | None:
    """Uniqueids of the channels up now; None when Asterisk does not answer."""
    try:
        _response, events = run_action_list(target().ami, "CoreShowChannels")
    except AMI_ERRORS:
        return None
    return {e.get("Uniqueid", "") for e in events if e.name == "CoreShowChannel"}


def _started(uniqueid: str, path: Path) -> datetime.datetime:
    """When the call began: the epoch seconds of the uniqueid, else the file's time."""
    match = re.search(r"(\d{9,11})\.\d+$", uniqueid)
    try:
        stamp = float(match.group(1)) if match else path.stat().st_mtime
    except OSError:
        stamp = timezone.now().timestamp()
    return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)


def scan() -> int:
    """Add a row for every file of ``centrex/<queue>/`` without one; the number added."""
    root = monitor_root()
    if root is None or not (root / TOP).is_dir():
        return 0
    known = set(Recording.objects.filter(path__startswith=f"{TOP}/")
                .values_list("path", flat=True))
    new: list[tuple[str, str, str, Path]] = []
    for folder in sorted((root / TOP).iterdir()):
        if not folder.is_dir():
            continue
        for file in sorted(folder.glob("*.wav")):
            rel = f"{TOP}/{folder.name}/{file.name}"
            match = FILE_RE.fullmatch(file.name)
            if rel in known or match is None or not UNIQUEID_RE.fullmatch(match["uniqueid"]):
                continue
            new.append((rel, folder.name, match.group("uniqueid"), file))
    agents = connect_lines({uniqueid for _r, _q, uniqueid, _f in new})
    queues = {q.name: q for q in Queue.objects.filter(name__in={q for _r, q, _u, _f in new})}
    added = 0
    for rel, queue_name, uniqueid, file in new:
        member = agents.get(uniqueid, "")
        agent = _user(member)
        try:
            with transaction.atomic():
                Recording.objects.create(
                    queue=queues.get(queue_name), queue_name=queue_name, agent=agent,
                    agent_name=agent.username if agent else member[:150],
                    uniqueid=uniqueid, path=rel, started_at=_started(uniqueid, file))
            added += 1
        except IntegrityError:
            continue
    return added


def close_finished() -> int:
    """Give a duration to rows whose call is over (its end event was missed)."""
    open_rows = list(Recording.objects.filter(duration__isnull=True))
    if not open_rows:
        return 0
    live = live_uniqueids()
    if live is None:
        return 0
    closed = 0
    for recording in open_rows:
        if recording.uniqueid in live:
            continue
        seconds = wav_seconds(file_of(recording))
        recording.duration = seconds if seconds is not None else 0
        recording.save(update_fields=["duration"])
        closed += 1
    return closed


def catch_up() -> None:
    """After each AMI (re)connection: files made while the portal was away, calls that
    ended meanwhile, and the retention period."""
    added = scan()
    closed = close_finished()
    purged = purge()
    if added or closed or purged:
        logger.info("recordings: %d found, %d closed, %d purged", added, closed, purged)


# -- retention ---------------------------------------------------------------------------------
def purge(now: datetime.datetime | None = None) -> int:
    """Delete the recordings (files and rows) older than the retention period."""
    days = ContactCenterSettings.get().recording_retention_days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    count = 0
    for recording in Recording.objects.filter(started_at__lt=cutoff):
        remove(recording)
        count += 1
    return count


# -- on demand ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Call:
    """An agent's current call: their channel and the other side's."""

    channel: str
    uniqueid: str  # the other party's channel (the queue caller: the call id)
    caller: str


def _in_queue(channel: Message, queue: Queue) -> bool:
    """Whether this caller channel waits in (or was served by) ``queue``'s Queue()."""
    data = channel.get("ApplicationData", "") or ""
    return (channel.get("Application", "") == "Queue"
            and data.split(",", 1)[0].strip() == queue.name)


def current_call(agent: Agent) -> Call | None:
    """The agent's phone channel bridged to a caller of the agent's queue, and that caller.
    A call of another queue (or a private call) is not this queue's to record."""
    if agent.phone is None:
        return None
    prefix = f"PJSIP/{agent.phone.sip_username}-"
    _response, events = run_action_list(target().ami, "CoreShowChannels")
    channels = [e for e in events if e.name == "CoreShowChannel"]
    for mine in channels:
        bridge = mine.get("BridgeId", "")
        if not mine.get("Channel", "").startswith(prefix) or not bridge:
            continue
        other = next((c for c in channels if c.get("BridgeId") == bridge
                      and c.get("Channel") != mine.get("Channel")
                      and _in_queue(c, agent.queue)), None)
        if other is None:
            continue
        return Call(mine["Channel"], other.get("Uniqueid", ""), _caller(other))
    return None


def active(agent: Agent) -> Recording | None:
    """The on-demand recording of the agent's call running now, if any."""
    return (Recording.objects.filter(agent=agent.user, queue=agent.queue,
                                     recorded_by__isnull=False, duration__isnull=True)
            .order_by("-started_at").first())


def start(agent: Agent, by: User) -> Recording:
    """Record the agent's current call (both directions) until ``stop`` or its end."""
    if active(agent) is not None:
        raise RecordingError(_("%(agent)s's call is already being recorded.")
                             % {"agent": agent.user})
    try:
        call = current_call(agent)
    except AMI_ERRORS as exc:
        raise RecordingError(_("Asterisk did not answer: %(error)s") % {"error": exc}) from exc
    if call is None or not UNIQUEID_RE.fullmatch(call.uniqueid):
        raise RecordingError(_("%(agent)s is not in a call of the queue %(queue)s.")
                             % {"agent": agent.user, "queue": agent.queue})
    now = timezone.now()
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    path = f"{TOP}/{agent.queue.name}/{call.uniqueid}-{stamp}.wav"
    try:
        run_action(target().ami, "MixMonitor", Channel=call.channel, File=path, Options="b")
    except AMI_ERRORS as exc:
        raise RecordingError(_("Asterisk did not start the recording: %(error)s")
                             % {"error": exc}) from exc
    return Recording.objects.create(
        queue=agent.queue, queue_name=agent.queue.name, agent=agent.user,
        agent_name=agent.user.username, recorded_by=by, caller=call.caller,
        uniqueid=call.uniqueid, path=path, started_at=now)


def stop(agent: Agent, by: User) -> Recording | None:
    """Stop the agent's on-demand recording; None when none was running."""
    recording = active(agent)
    if recording is None:
        return None
    try:
        call = current_call(agent)
        if call is not None:
            run_action(target().ami, "StopMixMonitor", Channel=call.channel)
    except AMIError as exc:  # no recording left on the channel: it ended with the call
        logger.info("StopMixMonitor for %s: %s", agent, exc)
    except (OSError, NotConfigured) as exc:
        raise RecordingError(_("Asterisk did not answer: %(error)s") % {"error": exc}) from exc
    seconds = wav_seconds(file_of(recording))
    recording.duration = seconds if seconds else _elapsed(recording)
    recording.save(update_fields=["duration"])
    return recording


def install() -> None:
    """From AppConfig.ready: administrators' permissions, the journal of deletions, the
    queue events, the catch-up after each (re)connection and the retention pass."""
    from centrex.core import audit, roles
    from centrex.pbx import events

    roles.extend_profile(roles.ADMIN, ["contact_center.view_recording",
                                       "contact_center.delete_recording"])
    audit.audited(Recording)
    events.subscribe("AgentConnect", on_agent_connect)
    events.subscribe("AgentComplete", on_agent_complete)
    events.on_connect(catch_up)
    events.every(PURGE_EVERY, purge)
