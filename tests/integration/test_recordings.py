"""Recordings of queue calls, with real calls through the managed Asterisk (docs/recordings.md).

A SIPp caller (its audio played by an ``RtpPeer``) calls a queue whose agent is a SIPp phone
that echoes what it hears; Asterisk's MixMonitor writes the file, Centrex's AMI event
listener (started here as ``centrex run`` starts it) makes the row. The pages and the API
list, play, download and delete them within the supervisor's queues only. Extensions
4001-4089, queue numbers 4090-4099.
"""

from __future__ import annotations

import base64
import datetime
import importlib
import math
import struct
import threading
import time
import wave
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from centrex.contact_center import recordings, services
from centrex.contact_center.models import Agent, ContactCenterSettings, Queue, Recording
from centrex.core.models import AuditEntry, User
from centrex.pbx import events
from centrex.pbx.ami.sync import run_action
from centrex.pbx.connection import target
from centrex.pbx.events import Listener
from tests.factories import api_client, client_for, make_user
from tests.integration.helpers import reachable
from tests.integration.test_calls import Line, asterisk_log_tail, new_line, wait_for
from tests.sipp import alaw_tone, remote_rtp

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CALL_MS = 6000  # how long the caller stays once answered (the agent answers at once)


@pytest.fixture
def listener(asterisk):
    running = Listener(ami=asterisk.ami).start()
    assert running.caught_up.wait(15), "the AMI event listener did not connect"
    yield running
    running.stop()


def make_queue(name: str, extension: str, **fields) -> Queue:
    return services.save_queue(Queue(name=name, extension=extension, **fields))


def log_in(line: Line, queue: Queue) -> Agent:
    """Make ``line``'s user a logged-in agent of ``queue`` on its phone (the agents service
    when it is there, else what it does: the row and AMI QueueAdd)."""
    user = line.phone.user
    Group.objects.get(name=queue.agents_profile).user_set.add(user)
    agents = importlib.import_module("centrex.contact_center.agents")
    if hasattr(agents, "login"):
        return agents.login(user, queue, phone=line.phone)
    agent, _made = Agent.objects.update_or_create(
        queue=queue, user=user, defaults={"phone": line.phone, "logged_in": True})
    interface = f"PJSIP/{line.phone.sip_username}"
    run_action(target().ami, "QueueAdd", Queue=queue.name, Interface=interface,
               MemberName=user.username, StateInterface=interface)
    return agent


def agent_phone(asterisk, sip, line: Line, queue: Queue):
    """The agent's SIPp phone, answering (and echoing) one call, once the queue sees it
    available: app_queue does not ring a member whose device is Unavailable, which a phone
    is until a qualify OPTIONS is answered (the registering SIPp run may have missed it)."""
    phone = sip.callee(line.user, line.password, "uas_answer", ring_ms=200, rtp_echo=True,
                       timeout=40)
    reachable(asterisk, line.user, queue.name)
    return phone


def supervisor_of(queue: Queue, username: str) -> User:
    user = make_user(username, last_name=f"{username.capitalize()}sv")
    Group.objects.get(name=queue.supervisors_profile).user_set.add(user)
    return user


def place_queue_call(sip, rtp, caller: Line, queue: Queue, hold_ms: int = CALL_MS):
    """The caller dials the queue and plays a tone for most of the call; SIPp started."""
    call = sip.caller(caller.user, caller.password, queue.extension, media_port=rtp.port,
                      hold_ms=hold_ms, timeout=40)
    dest = remote_rtp(call.wait_for_log("REMOTE_RTP", timeout=10))
    return call, dest


def audio_level(path: Path) -> tuple[int, int]:
    """(frames, loudest sample) of a 16-bit PCM WAV: a real recording has both."""
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2 and wav.getnchannels() == 1
        frames = wav.getnframes()
        data = wav.readframes(frames)
    samples = struct.unpack(f"<{len(data) // 2}h", data)
    return frames, max((abs(s) for s in samples), default=0)


def write_wav(path: Path, seconds: float = 2.0) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = b"".join(struct.pack("<h", int(6000 * math.sin(2 * math.pi * 440 * n / 8000)))
                      for n in range(int(seconds * 8000)))
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(frames)


def fake_recording(queue: Queue, uniqueid: str, agent: User | None = None,
                   days_ago: float = 0, seconds: float = 2.0) -> Recording:
    """A recording row and its file, as a recorded call leaves them (no call needed)."""
    path = f"centrex/{queue.name}/{uniqueid}.wav"
    write_wav(recordings.monitor_root() / path, seconds)
    return Recording.objects.create(
        queue=queue, queue_name=queue.name, agent=agent,
        agent_name=agent.username if agent else "", uniqueid=uniqueid, path=path,
        started_at=timezone.now() - datetime.timedelta(days=days_ago),
        duration=round(seconds))


# -- test 6 of the issue: a recorded queue call -----------------------------------------------
def test_recorded_queue_call_gives_a_playable_file_listed_on_the_page(asterisk, sip, rtp,
                                                                     listener):
    queue = make_queue("Rec4090", "4090", record=True)
    agent_line, caller = new_line("4001", "Alice Agent"), new_line("4002", "Carl Caller")
    log_in(agent_line, queue)
    phone = agent_phone(asterisk, sip, agent_line, queue)
    call, dest = place_queue_call(sip, rtp, caller, queue)
    assert wait_for(lambda: any(line.startswith("ANSWERED") for line in phone.log_lines()),
                    timeout=10), asterisk_log_tail(asterisk)
    rtp.send_audio(dest, alaw_tone(CALL_MS / 1000 - 2.0))
    call.wait().assert_ok("caller of the recorded queue")

    recording = wait_for(lambda: Recording.objects.filter(
        queue=queue, duration__isnull=False).first(), timeout=10)
    assert recording is not None, (list(Recording.objects.values()), asterisk_log_tail(asterisk))
    assert recording.agent == agent_line.phone.user and recording.recorded_by is None
    assert recording.caller.endswith("4002") or "4002" in recording.caller, recording.caller
    assert recording.path == f"centrex/Rec4090/{recording.uniqueid}.wav"
    assert 2 <= recording.duration <= CALL_MS / 1000 + 2, recording.duration
    path = recordings.file_of(recording)
    assert path is not None and path.parent == recordings.monitor_root() / "centrex/Rec4090"
    frames, loudest = audio_level(path)
    assert frames >= 8000 * 2, frames  # seconds of audio, 8 kHz
    assert loudest > 1000, loudest  # the caller's tone, not silence

    supervisor = supervisor_of(queue, "rec4090sv")
    page = client_for(supervisor).get(reverse("recording-list"))
    assert page.status_code == 200
    text = page.content.decode()
    audio_url = reverse("recording-audio", args=[recording.pk])
    assert "Rec4090" in text and "Alice Agent" in text and audio_url in text
    assert f"{recording.duration // 60}:{recording.duration % 60:02d}" in text
    assert timezone.localtime(recording.started_at).strftime("%Y-%m-%d %H:%M") in text
    assert "<audio" in text

    played = client_for(supervisor).get(audio_url)
    assert played.status_code == 200 and played["Content-Type"] == "audio/wav"
    assert b"".join(played.streaming_content) == path.read_bytes()
    part = client_for(supervisor).get(audio_url, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part["Content-Range"].endswith(f"/{path.stat().st_size}")
    assert b"".join(part.streaming_content) == path.read_bytes()[:100]
    download = client_for(supervisor).get(audio_url, {"download": "1"})
    assert "attachment" in download["Content-Disposition"]

    admin = make_user("rec4090admin", profile="admin")
    api = api_client(admin)
    body = api.get("/api/v1/recordings", {"queue": queue.pk}).json()
    assert [item["id"] for item in body["items"]] == [recording.pk]
    assert body["items"][0]["agent"] == agent_line.phone.user.pk
    audio = api.get(f"/api/v1/recordings/{recording.pk}/audio").json()
    assert base64.b64decode(audio["audio"]) == path.read_bytes()


def test_recording_made_while_the_portal_was_away_is_found_with_its_agent(asterisk, sip,
                                                                          rtp):
    """No listener during the call: the catch-up after the next connection adds the row,
    its agent read from queue_log, its duration from the file."""
    queue = make_queue("Late4091", "4091", record=True)
    agent_line, caller = new_line("4011", "Lena Late"), new_line("4012", "Carl Late")
    log_in(agent_line, queue)
    phone = agent_phone(asterisk, sip, agent_line, queue)
    call, dest = place_queue_call(sip, rtp, caller, queue, hold_ms=4000)
    assert wait_for(lambda: any(line.startswith("ANSWERED") for line in phone.log_lines()),
                    timeout=10), asterisk_log_tail(asterisk)
    rtp.send_audio(dest, alaw_tone(2.5))
    call.wait().assert_ok("caller of the queue")
    folder = recordings.monitor_root() / "centrex" / "Late4091"
    assert wait_for(lambda: list(folder.glob("*.wav")), timeout=5), asterisk_log_tail(asterisk)
    assert not Recording.objects.filter(queue_name="Late4091").exists()

    late = Listener(ami=asterisk.ami).start()
    try:
        assert late.caught_up.wait(15)
        recording = wait_for(lambda: Recording.objects.filter(queue_name="Late4091").first(),
                             timeout=5)
    finally:
        late.stop()
    assert recording is not None
    assert recording.queue == queue and recording.agent == agent_line.phone.user
    assert recording.duration is not None and recording.duration >= 2, recording.duration
    assert abs((timezone.now() - recording.started_at).total_seconds()) < 60

    # A file nobody knows (no queue_log line for it) is listed too, its agent blank.
    write_wav(folder / "1700000000.4242.wav")
    assert recordings.scan() == 1
    stray = Recording.objects.get(uniqueid="1700000000.4242")
    assert stray.agent is None and stray.queue == queue
    assert stray.started_at == datetime.datetime.fromtimestamp(1700000000, tz=datetime.UTC)
    assert recordings.scan() == 0


def test_supervisor_records_an_agent_call_on_demand(asterisk, sip, rtp, listener):
    queue = make_queue("Dem4092", "4092", record=False)
    agent_line, caller = new_line("4021", "Olga Ondemand"), new_line("4022", "Carl Demand")
    agent = log_in(agent_line, queue)
    elsewhere = log_in(agent_line, make_queue("Oth4097", "4097"))
    supervisor = supervisor_of(queue, "dem4092sv")
    api = api_client(supervisor)
    url = f"/api/v1/queues/{queue.pk}/agents/{agent_line.phone.user.pk}/recording"

    refused = api.post(url, {}, content_type="application/json")
    assert refused.status_code == 409, refused.content  # not in a call

    phone = agent_phone(asterisk, sip, agent_line, queue)
    call, dest = place_queue_call(sip, rtp, caller, queue, hold_ms=9000)
    assert wait_for(lambda: any(line.startswith("ANSWERED") for line in phone.log_lines()),
                    timeout=10), asterisk_log_tail(asterisk)
    time.sleep(0.5)
    started = api.post(url, {}, content_type="application/json")
    assert started.status_code == 201, started.content
    recording = Recording.objects.get(pk=started.json()["id"])
    agent.refresh_from_db()
    assert recordings.active(agent) == recording
    assert recording.recorded_by == supervisor and recording.agent == agent_line.phone.user
    assert recording.path.startswith(f"centrex/Dem4092/{recording.uniqueid}-")
    assert api.post(url, {}, content_type="application/json").status_code == 409  # already
    # The same agent's place in another queue: this call is not that queue's to record.
    with pytest.raises(recordings.RecordingError):
        recordings.start(elsewhere, supervisor)
    rtp.send_audio(dest, alaw_tone(3.0))
    stopped = api.delete(url)
    assert stopped.status_code == 200, stopped.content
    assert recordings.active(agent) is None
    recording.refresh_from_db()
    assert recording.duration is not None and 2 <= recording.duration <= 6, recording.duration
    path = wait_for(lambda: recordings.file_of(recording), timeout=5)
    assert path is not None, asterisk_log_tail(asterisk)
    frames, loudest = audio_level(path)
    assert frames >= 8000 * 2 and loudest > 1000, (frames, loudest)
    assert api.delete(url).status_code == 404  # nothing running any more
    call.wait().assert_ok("caller recorded on demand")
    # The automatic recording is off for this queue: the on-demand one is the only row.
    assert list(Recording.objects.filter(queue=queue)) == [recording]


# -- scope, deletion, retention -----------------------------------------------------------------
def test_a_supervisor_reaches_only_their_queues_recordings(asterisk):
    queue_a, queue_b = make_queue("ScA4093", "4093"), make_queue("ScB4094", "4094")
    agent_b = new_line("4031", "Bob Bqueue")
    mine = fake_recording(queue_a, "1700000100.1")
    theirs = fake_recording(queue_b, "1700000100.2", agent=agent_b.phone.user)
    Agent.objects.create(queue=queue_b, user=agent_b.phone.user, phone=agent_b.phone,
                         logged_in=True)
    sv_a = supervisor_of(queue_a, "sca4093sv")
    sv_a.user_permissions.add(Permission.objects.get(codename="delete_recording"))
    page = client_for(sv_a)

    text = page.get(reverse("recording-list")).content.decode()
    assert reverse("recording-audio", args=[mine.pk]) in text
    assert reverse("recording-audio", args=[theirs.pk]) not in text and "ScB4094" not in text
    for name in ("recording-audio", "recording-delete"):
        assert page.get(reverse(name, args=[theirs.pk])).status_code == 404, name
    assert page.get(reverse("recording-audio", args=[theirs.pk]),
                    {"download": "1"}).status_code == 404
    assert page.post(reverse("recording-delete", args=[theirs.pk])).status_code == 404
    assert page.get(reverse("recording-audio", args=[mine.pk])).status_code == 200

    api = api_client(sv_a)
    listed = api.get("/api/v1/recordings").json()
    assert [item["id"] for item in listed["items"]] == [mine.pk]
    assert api.get("/api/v1/recordings", {"queue": queue_b.pk}).json()["items"] == []
    for suffix in ("", "/audio"):
        assert api.get(f"/api/v1/recordings/{theirs.pk}{suffix}").status_code == 404
    assert api.delete(f"/api/v1/recordings/{theirs.pk}").status_code == 404
    on_demand = f"/api/v1/queues/{queue_b.pk}/agents/{agent_b.phone.user.pk}/recording"
    assert api.post(on_demand, {}, content_type="application/json").status_code == 404
    assert api.delete(on_demand).status_code == 404
    assert Recording.objects.filter(pk=theirs.pk).exists()
    assert recordings.file_of(theirs) is not None

    # Without the permission, no list at all (a plain user, an agent).
    assert client_for(agent_b.phone.user).get(reverse("recording-list")).status_code == 403
    assert api_client(agent_b.phone.user).get("/api/v1/recordings").status_code == 403


def test_deleting_a_recording_removes_its_file_and_is_journaled(asterisk):
    queue = make_queue("Del4095", "4095")
    recording = fake_recording(queue, "1700000200.1")
    path, pk = recordings.file_of(recording), recording.pk
    admin = make_user("del4095admin", profile="admin")
    page = client_for(admin)
    assert page.get(reverse("recording-delete", args=[recording.pk])).status_code == 200
    response = page.post(reverse("recording-delete", args=[recording.pk]))
    assert response.status_code == 302
    assert not path.exists() and not Recording.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.filter(object_type="contact_center.Recording",
                                      object_id=str(pk), action="delete").first()
    assert entry is not None and entry.actor == admin, entry

    other = fake_recording(queue, "1700000200.2")
    other_path = recordings.file_of(other)
    assert api_client(admin).delete(f"/api/v1/recordings/{other.pk}").status_code == 204
    assert not other_path.exists() and not Recording.objects.filter(pk=other.pk).exists()
    # A row whose file is already gone: the page says so (410), deleting still works.
    gone = fake_recording(queue, "1700000200.3")
    recordings.file_of(gone).unlink()
    assert page.get(reverse("recording-audio", args=[gone.pk])).status_code == 410
    assert api_client(admin).get(f"/api/v1/recordings/{gone.pk}/audio").json()["audio"] is None
    assert page.post(reverse("recording-delete", args=[gone.pk])).status_code == 302


def test_retention_purge_removes_old_recordings_only(asterisk):
    queue = make_queue("Ret4096", "4096")
    conf = ContactCenterSettings.get()
    conf.recording_retention_days = 30
    conf.save()
    old = fake_recording(queue, "1700000300.1", days_ago=31)
    recent = fake_recording(queue, "1700000300.2", days_ago=29)
    old_path, recent_path = recordings.file_of(old), recordings.file_of(recent)
    assert recordings.purge() == 1
    assert not old_path.exists() and not Recording.objects.filter(pk=old.pk).exists()
    assert recent_path.exists() and Recording.objects.filter(pk=recent.pk).exists()
    # purge(now=...) judges from another day: two days later the second one goes too.
    assert recordings.purge(now=timezone.now() + datetime.timedelta(days=2)) == 1
    assert not recent_path.exists()


def test_the_listener_runs_housekeeping_periodically(asterisk):
    """events.every(): what runs the retention purge every hour in ``centrex run``."""
    calls: list[float] = []

    def tick() -> None:
        calls.append(time.monotonic())

    assert recordings.purge in [h for _s, h in events._periodic]
    events.every(0.2, tick)
    running = Listener(ami=asterisk.ami).start()
    try:
        assert wait_for(lambda: len(calls) >= 3, timeout=5), calls
    finally:
        running.stop()
        events._periodic[:] = [(s, h) for s, h in events._periodic if h is not tick]


def test_a_long_periodic_job_does_not_hold_back_the_events(asterisk):
    """A periodic job that takes long (ingesting a backlog after a stop) runs beside the AMI
    events, not before them: live supervision and recordings follow calls meanwhile."""
    busy, release = threading.Event(), threading.Event()
    seen: list[str] = []

    def backlog() -> None:
        busy.set()
        release.wait(30)

    def on_user_event(message) -> None:
        seen.append(message.get("Token", ""))

    events.every(0.1, backlog, at_connect=True)
    events.subscribe("UserEvent", on_user_event)
    running = Listener(ami=asterisk.ami).start()
    try:
        assert busy.wait(15), "the periodic job did not start"
        run_action(asterisk.ami, "UserEvent", UserEvent="CentrexChore", Token="during")
        assert wait_for(lambda: "during" in seen, timeout=10), seen
        assert not release.is_set() and busy.is_set()
    finally:
        release.set()
        running.stop()
        events._periodic[:] = [(s, h) for s, h in events._periodic if h is not backlog]
        events._periodic_at_connect.remove(backlog)
        events._handlers["userevent"].remove(on_user_event)
