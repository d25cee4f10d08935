"""IVR applications with real calls through the managed Asterisk (docs/applications.md).

Scenarios are saved through ``centrex.ivr.application_services`` (what the editor and the
API call) and applied; a SIPp caller (tests/sip/ivr_caller.xml) presses keys as RFC 4733
events from the test's RtpPeer and records what it hears. Each test prompt is a tone of its
own frequency, so the audio tells which prompts the caller heard and how many times.
Extensions 3800-3899.
"""

from __future__ import annotations

import http.server
import threading
import time
from dataclasses import dataclass

import pytest

from centrex.contact_center.models import Queue
from centrex.ivr import application_services as services
from centrex.ivr import sounds
from centrex.ivr.models import Application, Sound, WebService
from centrex.ivr.scenario import ScenarioError
from centrex.pbx import apply
from tests.integration.helpers import reachable
from tests.integration.test_calls import Line, asterisk_log_tail, new_line
from tests.integration.test_queues import log_in, make_queue
from tests.sipp import PCMA, alaw_decode, remote_rtp, tone_share

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

WINDOW = 5  # packets: 0.1 s of audio per analysed window
QUIET = 500  # RMS under which a window is silence
MENU, WELCOME, FALLBACK, OTHER = 700, 1100, 1500, 1900  # Hz, one tone per test prompt
SOUND = 0  # Heard.of(SOUND): seconds of any audio louder than QUIET


def prompt(asterisk, name: str, frequency: int, seconds: float) -> Sound:
    """A ready prompt whose audio is a tone, uploaded as a WAV file and converted like any
    upload (centrex.ivr.sounds)."""
    import io
    import math
    import struct
    import wave

    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"".join(
            struct.pack("<h", int(9000 * math.sin(2 * math.pi * frequency * n / 8000)))
            for n in range(int(seconds * 8000))))
    upload = SimpleUploadedFile(f"{name}.wav", buffer.getvalue(), "audio/wav")
    return sounds.save_upload(Sound(name=name, kind=Sound.PROMPT), upload)


def application(number: str, blocks: list[dict], **fields) -> Application:
    app = Application.objects.create(name=f"App {number}", number=number, **fields)
    services.save_scenario(app, {"blocks": blocks})
    apply.apply()
    return Application.objects.get(pk=app.pk)


@dataclass
class Heard:
    seconds: dict[int, float]

    def of(self, frequency: int) -> float:
        return self.seconds.get(frequency, 0.0)


def heard(rtp, frequencies: tuple[int, ...] = (MENU, WELCOME, FALLBACK, OTHER)) -> Heard:
    """Seconds of each test tone in the A-law audio the caller received."""
    audio = []
    for packet in list(rtp.received):
        if len(packet) > 12 and packet[0] >> 6 == 2 and packet[1] & 0x7F == PCMA:
            audio.append(packet[12 + 4 * (packet[0] & 0x0F):])
    seconds: dict[int, float] = {}
    for start in range(0, len(audio), WINDOW):
        samples = alaw_decode(b"".join(audio[start:start + WINDOW]))
        if (sum(x * x for x in samples) / max(1, len(samples))) ** 0.5 < QUIET:
            continue
        seconds[SOUND] = seconds.get(SOUND, 0.0) + len(samples) / 8000
        for frequency in frequencies:
            if tone_share(samples, frequency) > 0.5:
                seconds[frequency] = seconds.get(frequency, 0.0) + len(samples) / 8000
    return Heard(seconds)


def call(sip, rtp, caller: Line, number: str, keys: tuple[tuple[float, str], ...] = (),
         timeout: float = 40) -> Heard:
    """Call ``number``, press ``keys`` (seconds after the answer, key), wait until Asterisk
    hangs up; returns what the caller heard."""
    proc = sip.sipp("ivr_caller", auth=(caller.user, caller.password), timeout=timeout,
                    name=f"ivr_caller-{caller.user}-{time.monotonic_ns()}",
                    variables={"user": caller.user, "dest": number, "mport": rtp.port})
    proc.start()
    dest = remote_rtp(proc.wait_for_log("REMOTE_RTP", timeout=15))
    answered = time.monotonic()
    for at, key in keys:
        time.sleep(max(0.0, answered + at - time.monotonic()))
        rtp.send_dtmf(dest, key)
    proc.wait().assert_ok(f"call to {number}")
    return heard(rtp)


def invited_by(result, line: Line) -> bool:
    return any(entry.startswith("INVITE FROM") and f"<sip:{line.extension}@" in entry
               for entry in result.logs)


def answering_phone(sip, asterisk, line: Line):
    """A phone that answers one call and hangs up 1.5 s later (tests/sip/uas_answer_bye)."""
    proc = sip.callee(line.user, line.password, "uas_answer_bye", ring_ms=200, timeout=60)
    reachable(asterisk, line.user)
    return proc


def menu_blocks(menu: Sound, fallback: Sound, a: str, queue: str) -> list[dict]:
    return [
        {"id": "incoming", "name": "Welcome", "actions": [
            {"type": "menu", "sound": menu.pk, "choices": {"1": "to_a", "2": "to_queue"},
             "timeout": 2, "retries": 1, "on_timeout": "fallback",
             "on_invalid": "fallback"}]},
        {"id": "to_a", "actions": [{"type": "transfer", "kind": "internal", "number": a}]},
        {"id": "to_queue", "actions": [
            {"type": "transfer", "kind": "internal", "number": queue}]},
        {"id": "fallback", "actions": [{"type": "play", "sound": fallback.pk},
                                       {"type": "hangup"}]},
    ]


# -- 2. a menu ------------------------------------------------------------------------------
def test_menu_keys_reach_the_extension_and_the_queue(asterisk, sip, rtp):
    caller, a, agent = new_line("3801", "Carl Menu"), new_line("3802", "Ann Menu"), \
        new_line("3803", "Agent Menu")
    queue = make_queue("ivrmenu", "3890")
    log_in(agent, queue)
    menu, fallback = prompt(asterisk, "menu-keys", MENU, 1.5), \
        prompt(asterisk, "fallback-keys", FALLBACK, 1.0)
    application("3850", menu_blocks(menu, fallback, a.extension, queue.extension))

    phone_a = answering_phone(sip, asterisk, a)
    call(sip, rtp, caller, "3850", keys=((0.5, "1"),))
    result = phone_a.wait()
    assert invited_by(result, caller), result.describe()

    rtp.received.clear()
    agent_phone = answering_phone(sip, asterisk, agent)
    reachable(asterisk, agent.user, queue.name)
    call(sip, rtp, caller, "3850", keys=((0.5, "2"),))
    result = agent_phone.wait()
    assert invited_by(result, caller), result.describe()
    Queue.objects.filter(pk=queue.pk).delete()


def test_a_wrong_key_replays_the_menu_and_silence_ends_in_the_fallback(asterisk, sip, rtp):
    caller = new_line("3811", "Carl Wrong")
    menu, fallback = prompt(asterisk, "menu-wrong", MENU, 1.5), \
        prompt(asterisk, "fallback-wrong", FALLBACK, 1.0)
    application("3851", menu_blocks(menu, fallback, "3811", "3811"))

    # A wrong key: "invalid" then the menu again; then no key: the fallback.
    wrong = call(sip, rtp, caller, "3851", keys=((1.2, "9"),))
    assert wrong.of(MENU) >= 2.2, wrong  # 1.2 s until the key, then 1.5 s again
    assert wrong.of(FALLBACK) >= 0.5, wrong

    rtp.received.clear()
    silent = call(sip, rtp, caller, "3851")
    assert silent.of(MENU) >= 2.6, silent  # first play and one replay (1.5 s each)
    assert silent.of(FALLBACK) >= 0.5, silent


# -- 4. a web service -----------------------------------------------------------------------
class _Service(http.server.BaseHTTPRequestHandler):
    delay = 0.0
    answer = b"vip\n"
    queries: list[str] = []

    def do_GET(self) -> None:
        type(self).queries.append(self.path)
        time.sleep(type(self).delay)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(type(self).answer)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def web_service():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Service)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Service.queries = []
    yield server
    server.shutdown()
    server.server_close()


def test_a_web_service_answer_chooses_the_branch_and_a_timeout_the_fallback(
        asterisk, sip, rtp, web_service):
    caller = new_line("3821", "Carl Web")
    vip, normal, fallback = (prompt(asterisk, "vip", WELCOME, 1.0),
                             prompt(asterisk, "normal", OTHER, 1.0),
                             prompt(asterisk, "web-fallback", FALLBACK, 1.0))
    service = WebService.objects.create(
        name="crm", url=f"http://127.0.0.1:{web_service.server_port}/route", timeout=1)
    application("3852", [
        {"id": "incoming", "actions": [
            {"type": "set", "variable": "CUSTOMER", "value": "42"},
            {"type": "http", "service": service.pk, "params": ["CUSTOMER"],
             "variable": "ROUTE", "fallback": "failed"},
            {"type": "test_variable", "variable": "ROUTE", "operator": "eq", "value": "vip",
             "target": "vip"},
            {"type": "play", "sound": normal.pk}]},
        {"id": "vip", "actions": [{"type": "play", "sound": vip.pk}]},
        {"id": "failed", "actions": [{"type": "play", "sound": fallback.pk}]},
    ])

    _Service.answer, _Service.delay = b"vip\n", 0.0
    answer_vip = call(sip, rtp, caller, "3852")
    assert answer_vip.of(WELCOME) >= 0.5 and answer_vip.of(OTHER) == 0, answer_vip
    assert "customer=42" in _Service.queries[-1] and "caller=3821" in _Service.queries[-1]

    rtp.received.clear()
    _Service.answer = b"standard\n"
    answer_other = call(sip, rtp, caller, "3852")
    assert answer_other.of(OTHER) >= 0.5 and answer_other.of(WELCOME) == 0, answer_other

    rtp.received.clear()
    _Service.delay = 3.0  # longer than the service's 1 s timeout
    timed_out = call(sip, rtp, caller, "3852")
    assert timed_out.of(FALLBACK) >= 0.5, timed_out
    assert timed_out.of(WELCOME) == 0 and timed_out.of(OTHER) == 0, timed_out


# -- 6. invalid scenarios, and changes while callers are inside ------------------------------
def test_an_invalid_scenario_is_refused_and_the_running_one_keeps_working(asterisk, sip, rtp):
    caller = new_line("3831", "Carl Invalid")
    welcome = prompt(asterisk, "welcome-invalid", WELCOME, 1.0)
    app = application("3853", [{"id": "incoming", "actions": [
        {"type": "play", "sound": welcome.pk}]}])
    before = (app.revision, app.scenario)
    with pytest.raises(ScenarioError) as refused:
        services.save_scenario(app, {"blocks": [{"id": "incoming", "actions": [
            {"type": "goto", "target": "missing"}]}]})
    assert refused.value.errors[0]["block"] == "incoming"
    app.refresh_from_db()
    assert (app.revision, app.scenario) == before
    assert not apply.apply(dry_run=True).changes
    assert call(sip, rtp, caller, "3853").of(WELCOME) >= 0.5


def test_a_caller_inside_the_old_scenario_finishes_it_and_new_callers_get_the_new_one(
        asterisk, sip, rtp):
    from tests.sipp import RtpPeer

    first, second = new_line("3841", "Carl Old"), new_line("3842", "Carl New")
    long_welcome = prompt(asterisk, "long-welcome", WELCOME, 4.0)
    old_end, new_end = prompt(asterisk, "old-end", MENU, 1.0), \
        prompt(asterisk, "new-end", OTHER, 1.0)
    app = application("3854", [{"id": "incoming", "actions": [
        {"type": "play", "sound": long_welcome.pk}, {"type": "play", "sound": old_end.pk}]}])

    results: dict[str, Heard] = {}
    thread = threading.Thread(target=lambda: results.__setitem__(
        "old", call(sip, rtp, first, "3854")))
    thread.start()
    time.sleep(1.5)  # the first caller is inside revision 1's welcome prompt
    services.save_scenario(app, {"blocks": [{"id": "incoming", "actions": [
        {"type": "play", "sound": new_end.pk}]}]})
    apply.apply()
    other = RtpPeer()
    try:
        results["new"] = call(sip, other, second, "3854")
    finally:
        other.close()
    thread.join(timeout=30)
    assert results["old"].of(MENU) >= 0.5 and results["old"].of(OTHER) == 0, results["old"]
    assert results["new"].of(OTHER) >= 0.5 and results["new"].of(WELCOME) == 0, results["new"]


def test_an_inactive_application_or_one_outside_its_dates_plays_no_scenario(
        asterisk, sip, rtp):
    from datetime import timedelta

    from django.utils import timezone

    caller = new_line("3861", "Carl Inactive")
    welcome = prompt(asterisk, "welcome-inactive", WELCOME, 1.0)
    blocks = [{"id": "incoming", "actions": [{"type": "play", "sound": welcome.pk}]}]
    application("3855", blocks, active=False)
    application("3856", blocks, start=timezone.now() + timedelta(days=1))
    assert call(sip, rtp, caller, "3855").of(WELCOME) == 0
    assert call(sip, rtp, caller, "3856").of(WELCOME) == 0
    application("3857", blocks, end=timezone.now() + timedelta(days=1))
    assert call(sip, rtp, caller, "3857").of(WELCOME) >= 0.5


def test_the_application_number_is_taken_in_the_numbering_plan(asterisk):
    from django.core.exceptions import ValidationError

    new_line("3871", "Nora Number")
    app = Application(name="Taken", number="3871")
    with pytest.raises(ValidationError) as taken:
        app.full_clean()
    assert "number" in taken.value.message_dict


# -- transfers to outside numbers obey the application's call rights -----------------------------
def test_an_outside_transfer_obeys_the_applications_call_rights(asterisk, sip, rtp):
    from tests.integration.test_rights import operator, trunk_for
    from tests.integration.test_routing import invites
    from tests.sipp import free_udp_port

    port = free_udp_port()
    trunk_for("ivr-3881", port, "0612003881", "0899003881")
    caller = new_line("3881", "Carl Outside")
    blocks = [{"id": "incoming", "actions": [
        {"type": "transfer", "kind": "external", "number": "0612003881"}]}]
    application("3858", blocks, call_rights="mobile")
    application("3859", [{"id": "incoming", "actions": [
        {"type": "transfer", "kind": "external", "number": "0899003881"}]}],
        call_rights="mobile")

    op = operator(sip, port)
    allowed = sip.caller(caller.user, caller.password, "3858", media_port=rtp.port,
                         hold_ms=2500, timeout=20)
    allowed.wait().assert_ok("caller of the outside transfer")
    result = op.wait().assert_ok("operator")
    assert any("sip:0612003881@127.0.0.1" in line for line in result.logs), result.describe()

    refusing_op = operator(sip, port)
    call(sip, rtp, caller, "3859")  # a premium number: not in the application's rights
    refusing_op.stop()
    assert not invites(refusing_op), refusing_op.report()
    log = asterisk_log_tail(asterisk, 400)
    assert 'Centrex: 0899003881 (services) refused to "3859"' in log, log


# -- 5. a text-to-speech prompt and an uploaded mp3 -----------------------------------------
def test_a_text_to_speech_prompt_and_an_uploaded_mp3_play_for_their_duration(
        asterisk, sip, rtp, tmp_path):
    import subprocess

    from django.core.files.uploadedfile import SimpleUploadedFile

    caller = new_line("3891", "Carl Speech")
    mp3 = tmp_path / "music.mp3"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i",
                    f"sine=frequency={OTHER}:duration=2", "-ac", "1", str(mp3)], check=True)
    tune = sounds.save_upload(Sound(name="mp3 tune", kind=Sound.PROMPT), SimpleUploadedFile(
        "music.mp3", mp3.read_bytes(), "audio/mpeg"))
    spoken = sounds.save_tts(Sound(
        name="tts welcome", kind=Sound.PROMPT, source=Sound.TTS, language="fr",
        text="Bienvenue chez Centrex. Votre appel va être transféré, merci de patienter."))
    assert tune.ready and spoken.ready and spoken.duration > 2
    application("3860", [{"id": "incoming", "actions": [
        {"type": "play", "sound": spoken.pk}, {"type": "play", "sound": tune.pk}]}])

    result = call(sip, rtp, caller, "3860")
    assert result.of(OTHER) >= 0.8 * tune.duration, (result, tune.duration)
    # Speech has pauses between words: most of it, not all, is louder than QUIET.
    speech = result.of(SOUND) - result.of(OTHER)
    assert speech >= 0.5 * spoken.duration, (result, spoken.duration)


# -- 1. opening hours and holidays; 3. incidents (docs/calendars.md) --------------------------
def _whole_week() -> list:
    from datetime import time as clock

    from centrex.ivr.models import TimeSlot

    return [TimeSlot(weekday=day, start=clock(0, 0), end=clock(23, 59)) for day in range(7)]


def test_opening_hours_lead_to_the_queue_and_closed_hours_or_a_holiday_to_their_message(
        asterisk, sip, rtp):
    from django.utils import timezone

    from centrex.ivr import calendars
    from centrex.ivr.models import Holiday, Schedule

    caller, agent = new_line("3895", "Carl Hours"), new_line("3896", "Agent Hours")
    queue = make_queue("ivrhours", "3897")
    log_in(agent, queue)
    welcome, closed, holiday = (prompt(asterisk, "welcome-hours", WELCOME, 1.0),
                                prompt(asterisk, "closed-hours", FALLBACK, 1.0),
                                prompt(asterisk, "holiday-hours", OTHER, 1.0))
    hours = calendars.save_schedule(Schedule(name="Hotline"), _whole_week(),
                                    replace_slots=True)
    application("3864", [
        {"id": "incoming", "actions": [
            {"type": "test_schedule", "schedule": hours.pk, "closed": "closed",
             "holiday": "holiday"},
            {"type": "play", "sound": welcome.pk},
            {"type": "transfer", "kind": "internal", "number": queue.extension}]},
        {"id": "closed", "actions": [{"type": "play", "sound": closed.pk}]},
        {"id": "holiday", "actions": [{"type": "play", "sound": holiday.pk}]},
    ])

    # Open (every day, all day): the welcome prompt, then the queue's agent rings.
    agent_phone = answering_phone(sip, asterisk, agent)
    reachable(asterisk, agent.user, queue.name)
    opened = call(sip, rtp, caller, "3864")
    assert invited_by(agent_phone.wait(), caller)
    assert opened.of(WELCOME) >= 0.5 and opened.of(FALLBACK) == 0, opened

    # No slot: closed.
    calendars.save_schedule(hours, [], replace_slots=True)
    assert calendars.state(hours) == "closed"
    rtp.received.clear()
    shut = call(sip, rtp, caller, "3864")
    assert shut.of(FALLBACK) >= 0.5 and shut.of(WELCOME) == 0, shut

    # Open hours again, but today is a holiday: the holiday message.
    calendars.save_schedule(hours, _whole_week(), replace_slots=True)
    calendars.save(Holiday(name="Fête de test", date=timezone.localdate()))
    assert calendars.state(hours) == "holiday"
    rtp.received.clear()
    off = call(sip, rtp, caller, "3864")
    assert off.of(OTHER) >= 0.5 and off.of(WELCOME) == 0, off
    Queue.objects.filter(pk=queue.pk).delete()


def test_switching_an_incident_on_reroutes_the_next_call_at_once(asterisk, sip, rtp):
    from centrex.ivr import calendars
    from centrex.ivr.models import Incident

    caller = new_line("3898", "Carl Incident")
    welcome, message = (prompt(asterisk, "welcome-incident", WELCOME, 1.0),
                        prompt(asterisk, "incident-message", OTHER, 1.0))
    incident = calendars.save_incident(Incident(code="PCA", name="Plan de continuité",
                                                number=1))
    application("3865", [
        {"id": "incoming", "actions": [
            {"type": "test_incident", "incident": incident.pk, "target": "incident"},
            {"type": "play", "sound": welcome.pk}]},
        {"id": "incident", "actions": [{"type": "play", "sound": message.pk}]},
    ])
    assert call(sip, rtp, caller, "3865").of(WELCOME) >= 0.5

    calendars.switch_incident(incident, True)  # no apply in between: the next call
    assert not apply.apply(dry_run=True).changes
    rtp.received.clear()
    rerouted = call(sip, rtp, caller, "3865")
    assert rerouted.of(OTHER) >= 0.5 and rerouted.of(WELCOME) == 0, rerouted

    calendars.switch_incident(incident, False)
    rtp.received.clear()
    assert call(sip, rtp, caller, "3865").of(WELCOME) >= 0.5


def test_the_incident_code_on_a_phone_switches_it_with_the_pin(
        asterisk, sip, rtp, live_server):
    from django.contrib.auth.models import Group
    from django.test import override_settings

    from centrex.core.models import AuditEntry
    from centrex.ivr import calendars
    from centrex.ivr.models import Incident

    supervisor, other = new_line("3899", "Ines Incident"), new_line("3862", "Paul Plain")
    for line in (supervisor, other):
        line.phone.voicemail_pin = "4711"
        line.phone.save()
    supervisor.phone.user.groups.add(Group.objects.get(name="inc"))
    incident = calendars.save_incident(Incident(code="NET", name="Incident réseau",
                                                number=7))
    pin = tuple((1.5 + 0.3 * i, key) for i, key in enumerate("4711#"))
    url = live_server.url.replace("localhost", "127.0.0.1")
    with override_settings(CENTREX_FEATURE_URL=url):
        apply.apply()
        call(sip, rtp, other, "*727", keys=pin)  # no right to switch: refused
        incident.refresh_from_db()
        assert not incident.active
        call(sip, rtp, supervisor, "*727", keys=pin)
        incident.refresh_from_db()
        assert incident.active and incident.changed_by == supervisor.phone.user
        entry = AuditEntry.objects.filter(object_id=str(incident.pk)).latest("at")
        assert "active" in entry.changes and "incident code" in entry.actor_name
    apply.apply()
