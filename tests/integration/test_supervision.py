"""Live supervision with real calls (issue 5, tests 2, 4, 5 and 8; docs/supervision.md).

The portal runs as in production (uvicorn + the AMI event listener, tests/e2e/conftest.py);
the tests read its server-sent event stream with a plain HTTP client, as a browser would.
Extensions 3901-3989, queues 3990-3999. Delays are measured and printed, never asserted.
"""

from __future__ import annotations

import http.client
import re
import threading
import time
import urllib.parse

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client

from centrex.contact_center import agents, services
from centrex.contact_center.models import PauseReason, Queue
from centrex.pbx.ami.sync import run_action
from tests.e2e.conftest import running_portal
from tests.integration.helpers import reachable
from tests.integration.test_calls import new_line, wait_for
from tests.sipp import alaw_tone, free_udp_port, remote_rtp, wait_udp_bound

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SILENCE = {0xD5, 0x55, 0x54, 0xD4}  # A-law values around zero


@pytest.fixture
def portal(asterisk, tmp_path):
    with running_portal(tmp_path / "uvicorn.log") as url:
        yield url


def make_queue(name: str, extension: str, **fields) -> Queue:
    return services.save_queue(Queue(name=name, extension=extension, **fields))


def agent_line(extension: str, name: str, queue: Queue):
    line = new_line(extension, name)
    line.phone.user.groups.add(Group.objects.get(name=queue.agents_profile))
    return line


def supervisor_line(extension: str, name: str, *queues: Queue):
    line = new_line(extension, name)
    for queue in queues:
        line.phone.user.groups.add(Group.objects.get(name=queue.supervisors_profile))
    return line


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


class SseReader:
    """Reads a server-sent event stream in a thread; keeps (time received, data) of each
    ``state`` event."""

    def __init__(self, url: str, cookie: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.conn.request("GET", parts.path, headers={"Cookie": cookie,
                                                      "Accept": "text/event-stream"})
        self.response = self.conn.getresponse()
        self.status = self.response.status
        self.events: list[tuple[float, str]] = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        if self.status == 200:
            self._thread.start()

    def _read(self) -> None:
        data: list[str] = []
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n").rstrip("\r")
                if line.startswith("data: "):
                    data.append(line[6:])
                elif line == "" and data:
                    self.events.append((time.time(), "\n".join(data)))
                    data = []
        except (OSError, ValueError, AttributeError):  # closed by the test
            return

    def wait(self, predicate, timeout: float = 10.0) -> tuple[float, str] | None:
        """The first event (from now on, or already received) whose HTML satisfies
        ``predicate``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in list(self.events):
                if predicate(event[1]):
                    return event
            time.sleep(0.02)
        return None

    def last(self) -> str:
        return self.events[-1][1] if self.events else ""

    def close(self) -> None:
        self.conn.close()


def count(html: str, name: str) -> int | None:
    match = re.search(rf'id="count-{name}">(\d+)', html)
    return int(match.group(1)) if match else None


def phone_with_rtp(sip, line, peer, *, ring_ms: int = 300, timeout: float = 60):
    """A registered phone answering with its audio on ``peer`` (scenario uas_supervision)."""
    port = free_udp_port()
    sip.register(line.user, line.password, local_port=port).assert_ok(f"REGISTER {line.user}")
    proc = sip.sipp("uas_supervision", local_port=port, hold_ms=ring_ms, timeout=timeout,
                    variables={"mport": peer.port}, name=f"uas_supervision-{line.user}")
    proc.start()
    assert wait_udp_bound(port), proc.report()
    return proc


def loud(payloads: list[bytes]) -> int:
    """How many payloads carry sound (not A-law silence)."""
    return sum(1 for p in payloads if sum(1 for b in p if b not in SILENCE) > len(p) // 4)


# -- 2 (last part) and 4: pause reason shown; an abandon pushed within a second -------------
def test_abandon_and_pause_reason_are_pushed_on_the_stream(asterisk, sip, rtp, portal):
    queue = make_queue("SvAbandon", "3990", service_level=20)
    agent = agent_line("3901", "Ada Agentsv", queue)
    caller = new_line("3902", "Carl Callersv")
    boss = supervisor_line("3903", "Sue Supervisorsv", queue)
    lunch, _made = PauseReason.objects.get_or_create(name="Lunch sv", defaults={"code": "39"})
    agents.login(agent.phone.user, queue)
    agents.pause(agent.phone.user, reason=lunch, queue=queue)

    cookie = session_cookie(boss.phone.user)
    stream = SseReader(f"{portal}/contact-center/supervision/{queue.pk}/stream/", cookie)
    try:
        assert stream.status == 200
        shown = stream.wait(lambda html: "Lunch sv" in html and 'data-state="paused"' in html)
        assert shown, f"pause reason not shown; last fragment:\n{stream.last()}"
        # The page itself shows it too (test 2).
        conn = http.client.HTTPConnection("127.0.0.1", urllib.parse.urlsplit(portal).port)
        conn.request("GET", f"/contact-center/supervision/{queue.pk}/",
                     headers={"Cookie": cookie})
        page = conn.getresponse().read().decode()
        assert "Lunch sv" in page

        call = sip.caller(caller.user, caller.password, "3990", media_port=rtp.port,
                          hold_ms=2500, timeout=30)
        joined = stream.wait(lambda html: count(html, "waiting") == 1
                             and count(html, "received") == 1)
        assert joined, f"caller never shown waiting:\n{stream.last()}"
        call.wait_for_log("HUNG UP", timeout=15)
        hung_up = time.time()
        abandoned = stream.wait(lambda html: count(html, "abandoned") == 1, timeout=5)
        assert abandoned, f"abandon not pushed:\n{stream.last()}"
        assert count(abandoned[1], "waiting") == 0
        event_at = float(re.search(r'data-event-at="([0-9.]+)"', abandoned[1]).group(1))
        print(f"\nabandon pushed {abandoned[0] - hung_up:.3f} s after the caller's BYE was "
              f"answered ({abandoned[0] - event_at:.3f} s after the event reached the engine)")
        call.wait().assert_ok("caller")
    finally:
        stream.close()


# -- 5: listen and whisper -----------------------------------------------------------------
def test_supervisor_listens_then_whispers_to_the_agent_only(asterisk, sip, portal):
    from tests.sipp import RtpPeer

    queue = make_queue("SvListen", "3991")
    agent = agent_line("3904", "Alan Agentsv", queue)
    caller = new_line("3905", "Cleo Callersv")
    boss = supervisor_line("3906", "Sam Supervisorsv", queue)
    peers = {k: RtpPeer() for k in ("agent", "caller", "boss")}
    try:
        agent_phone = phone_with_rtp(sip, agent, peers["agent"])
        agents.login(agent.phone.user, queue)  # once its phone is registered
        reachable(asterisk, agent.user, queue.name)
        call = sip.caller(caller.user, caller.password, "3991", media_port=peers["caller"].port,
                          hold_ms=40_000, timeout=60)
        to_caller = remote_rtp(call.wait_for_log("REMOTE_RTP"))
        agent_phone.wait_for_log("ANSWERED", timeout=20)
        client = Client()
        client.force_login(boss.phone.user)
        # The engine (in the portal) sees the agent in a call; the action is the page's.
        wait_for(lambda: _in_call(portal, queue, boss), timeout=10)

        def spy(action: str):
            response = client.post(f"/contact-center/supervision/{queue.pk}/{action}/",
                                   {"agent": agent.phone.user.username}, HTTP_HX_REQUEST="true")
            return response

        # Listen: the caller speaks, the supervisor hears it.
        boss_phone = phone_with_rtp(sip, boss, peers["boss"])
        response = spy("listen")
        assert response.status_code == 200, response.content.decode()
        boss_phone.wait_for_log("ANSWERED", timeout=15)
        time.sleep(0.5)
        before = len(peers["boss"].payloads())
        peers["caller"].send_audio(to_caller, alaw_tone(2.0, 440))
        time.sleep(0.5)
        heard = loud(peers["boss"].payloads()[before:])
        print(f"\nlisten: the supervisor got {heard} loud packets of the caller's 100")
        assert heard > 30, "the supervisor does not hear the call"
        run_action(asterisk.ami, "Hangup", Channel=f"/^PJSIP\\/{boss.user}-.*$/")
        boss_phone.wait(timeout=10)

        # Whisper: the supervisor speaks; the agent hears, the caller does not.
        boss_phone = phone_with_rtp(sip, boss, peers["boss"])
        response = spy("whisper")
        assert response.status_code == 200, response.content.decode()
        to_boss = remote_rtp(boss_phone.wait_for_log("REMOTE_RTP", timeout=15))
        boss_phone.wait_for_log("ANSWERED", timeout=15)
        time.sleep(0.5)
        agent_before = len(peers["agent"].payloads())
        caller_before = len(peers["caller"].payloads())
        # A phone in a call sends RTP all along (silence here): Asterisk mixes the whisper
        # into the frames it writes to the agent, and writes them as the caller's arrive.
        talking = threading.Thread(target=peers["caller"].send_audio,
                                   args=(to_caller, alaw_tone(2.5, 440, amplitude=0)))
        talking.start()
        peers["boss"].send_audio(to_boss, alaw_tone(2.0, 1000))
        talking.join()
        time.sleep(0.5)
        agent_heard = loud(peers["agent"].payloads()[agent_before:])
        caller_heard = loud(peers["caller"].payloads()[caller_before:])
        print(f"whisper: agent got {agent_heard} loud packets, caller {caller_heard}")
        assert agent_heard > 30, "the agent does not hear the whisper"
        assert caller_heard == 0, "the caller hears the whisper"
        run_action(asterisk.ami, "Hangup", Channel=f"/^PJSIP\\/{boss.user}-.*$/")
    finally:
        for peer in peers.values():
            peer.close()


def _in_call(portal: str, queue: Queue, boss) -> bool:
    port = urllib.parse.urlsplit(portal).port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", f"/api/v1/supervision/queues/{queue.pk}",
                 headers={"Cookie": session_cookie(boss.phone.user)})
    body = conn.getresponse().read().decode()
    return '"state": "in_call_inbound"' in body or '"state":"in_call_inbound"' in body


# -- 8: a supervisor of queue A is refused everything of queue B ------------------------------
def test_supervisor_of_one_queue_is_refused_the_other(asterisk):
    mine = make_queue("SvMine", "3992")
    other = make_queue("SvOther", "3993")
    agent = agent_line("3907", "Abel Agentsv", other)
    agents.login(agent.phone.user, other)
    boss = supervisor_line("3908", "Sid Supervisorsv", mine)
    client = Client()
    client.force_login(boss.phone.user)

    overview = client.get("/contact-center/supervision/").content.decode()
    assert "SvMine" in overview and "SvOther" not in overview
    assert client.get(f"/contact-center/supervision/{mine.pk}/").status_code == 200
    base = f"/contact-center/supervision/{other.pk}/"
    for path in ("", "stream/", "wallboard/", "wallboard/stream/"):
        assert client.get(base + path).status_code == 403, path
    data = {"agent": agent.phone.user.username, "user": agent.phone.user.username,
            "penalty": "1"}
    from centrex.contact_center.supervision import ACTIONS

    for action in ACTIONS:
        assert client.post(f"{base}{action}/", data).status_code == 403, action
    # API: the other queue does not exist for this supervisor.
    api = f"/api/v1/supervision/queues/{other.pk}"
    assert client.get(f"/api/v1/supervision/queues/{mine.pk}").status_code == 200
    assert client.get(api).status_code in (403, 404)
    for action in ACTIONS:
        if action == "add":
            continue
        response = client.post(f"{api}/actions", {"action": action,
                                                  "agent": agent.phone.user.username},
                               content_type="application/json")
        assert response.status_code in (403, 404), (action, response.status_code)
    response = client.post(f"{api}/agents", {"user": agent.phone.user.username, "penalty": 0},
                           content_type="application/json")
    assert response.status_code in (403, 404)
    # Nothing changed for the agent of the other queue.
    agent_row = other.agents.get(user=agent.phone.user)
    assert agent_row.logged_in and not agent_row.paused
