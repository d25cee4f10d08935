"""ACD queues with real calls through the managed Asterisk (docs/contact_center.md).

Queues are set up through ``centrex.contact_center.services`` (what the pages and the API
call), agents are logged in through ``centrex.contact_center.agents``, and SIPp phones
place and take the calls.
Extensions 3701-3789, queue numbers 3790-3799.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from centrex.contact_center import agents, confgen, services
from centrex.contact_center.models import Queue
from tests.integration.helpers import reachable
from tests.integration.test_calls import Line, asterisk_log_tail, new_line, wait_for
from tests.sipp import FRAME_BYTES, RtpPeer

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def make_queue(name: str, extension: str, **fields) -> Queue:
    return services.save_queue(Queue(name=name, extension=extension, **fields))



def log_in(line: Line, queue: Queue) -> None:
    """Make ``line``'s user an agent of ``queue`` and log them in on its phone."""
    Group.objects.get(name=queue.agents_profile).user_set.add(line.phone.user)
    agents.login(line.phone.user, queue, phone=line.phone)


def queue_show(asterisk, name: str) -> str:
    return asterisk.cli(f"queue show {name}")


def answered(proc) -> bool:
    """Whether a running (or ended) SIPp phone logged ANSWERED."""
    return any(line.startswith("ANSWERED") for line in proc.log_lines())


def phone_answers(sip, line: Line, port: int | None = None, ring_ms: int = 300,
                  asterisk=None):
    """A SIPp phone for ``line`` that answers one call; registered once, then restarted
    on the same port for each further call.

    A queue rings only members whose phone Asterisk knows to be reachable: a newly
    registered contact is qualified at once here instead of at the next 60 s qualify."""
    if port is None:
        proc = sip.callee(line.user, line.password, "uas_answer", ring_ms=ring_ms,
                          timeout=60)
        if asterisk is not None:
            reachable(asterisk, line.user)
        return proc
    proc = sip.sipp("uas_answer", local_port=port, hold_ms=ring_ms, timeout=40,
                    name=f"uas_answer-{line.user}-{time.monotonic_ns()}")
    proc.start()
    return proc


# -- configuration ----------------------------------------------------------------------------
def test_a_queue_is_loaded_with_its_options_and_removed_with_its_profiles(asterisk):
    queue = make_queue("Cfg3791", "3791", strategy="fewestcalls", max_callers=7,
                       service_level=25, weight=3, wrapup_time=4)
    out = queue_show(asterisk, "Cfg3791")
    assert "Cfg3791 has 0 calls (max 7)" in out and "fewestcalls" in out, out
    assert "SL:" in out and "within 25s" in out, out
    assert Group.objects.filter(name__in=["AG Cfg3791", "SV Cfg3791"]).count() == 2
    assert Group.objects.get(name="SV Cfg3791").permissions.filter(
        codename="supervise").exists()

    queue.name = "Cfg3791b"
    supervisor = new_line("3760", "Sonia Renamed").phone.user
    Group.objects.get(name="SV Cfg3791").user_set.add(supervisor)
    services.save_queue(queue)
    assert "No such queue" in queue_show(asterisk, "Cfg3791")
    assert "fewestcalls" in queue_show(asterisk, "Cfg3791b")
    assert list(supervisor.groups.values_list("name", flat=True)) == ["SV Cfg3791b"]
    assert not Group.objects.filter(name__endswith=" Cfg3791").exists()

    services.delete_queue(queue)
    assert "No such queue" in queue_show(asterisk, "Cfg3791b")
    assert not Group.objects.filter(name__endswith=" Cfg3791b").exists()
    text = (Path(asterisk.etc_dir) / confgen.QUEUES_FILE).read_text()
    assert "Cfg3791" not in text


# -- 1. least recent: distribution and hold music ---------------------------------------------
def _agent_of(procs: dict[str, object]) -> str:
    """Which phone answered: the one whose SIPp logged ANSWERED."""
    got = [ext for ext, proc in procs.items() if answered(proc)]
    assert len(got) == 1, {ext: proc.report() for ext, proc in procs.items()}
    return got[0]


def _one_call(asterisk, sip, rtp, caller: Line, number: str,
              phones: dict[str, object]) -> str:
    call = sip.caller(caller.user, caller.password, number, media_port=rtp.port,
                      hold_ms=3000, timeout=40)
    assert wait_for(lambda: any(answered(p) for p in phones.values()), 15), \
        queue_show(asterisk, "") + asterisk_log_tail(asterisk, 12)
    call.wait().assert_ok("caller of the queue")
    assert wait_for(lambda: not any(p.running() for p in phones.values()
                                    if answered(p)), 10)
    return _agent_of(phones)


def test_least_recent_distributes_calls_and_a_waiting_caller_hears_the_music(
        asterisk, sip, rtp):
    caller = new_line("3701", "Carl Queue")
    anna = new_line("3702", "Anna Agent")
    bert = new_line("3703", "Bert Agent")
    queue = make_queue("Sales3790", "3790", strategy="leastrecent", ring_time=10, retry=1)
    log_in(anna, queue)
    log_in(bert, queue)

    ports = {}
    phones = {}
    for line in (anna, bert):
        phones[line.extension] = phone_answers(sip, line, asterisk=asterisk)
        ports[line.extension] = phones[line.extension].local_port
    assert wait_for(lambda: queue_show(asterisk, queue.name).count("(Not in use)") == 2, 5), \
        queue_show(asterisk, queue.name)
    first = _one_call(asterisk, sip, rtp, caller, "3790", phones)
    other = bert.extension if first == anna.extension else anna.extension
    # The one never called is the least recent; then the first one again.
    for expected in (other, first):
        last = next(ext for ext, p in phones.items() if answered(p))
        phones[last] = phone_answers(sip, anna if last == anna.extension else bert,
                                     port=ports[last])
        time.sleep(1.1)  # queue members' last call is kept to the second
        got = _one_call(asterisk, sip, rtp, caller, "3790", phones)
        assert got == expected, f"call went to {got}, least recent was {expected}"

    # Both agents busy: a fourth caller waits in the queue and hears the hold music.
    for ext, proc in list(phones.items()):
        if not proc.running():
            phones[ext] = phone_answers(sip, anna if ext == anna.extension else bert,
                                        port=ports[ext])
    busy_callers = [new_line("3704", "Dora Busy"), new_line("3705", "Eric Busy")]
    busy = [sip.caller(line.user, line.password, "3790", media_port=rtp.port,
                       hold_ms=12000, timeout=40) for line in busy_callers]
    assert wait_for(lambda: all(answered(p) for p in phones.values()), 15), \
        [p.report() for p in phones.values()]
    listener = RtpPeer()
    try:
        waiting = sip.caller(caller.user, caller.password, "3790",
                             media_port=listener.port, hold_ms=4000, timeout=30)
        waiting.wait_for_log("ANSWERED", timeout=10)
        # Both agents in a call, the caller waiting in the queue.
        assert wait_for(lambda: "Sales3790 has 1 calls" in queue_show(asterisk, "Sales3790"),
                        5), queue_show(asterisk, "Sales3790")
        assert queue_show(asterisk, "Sales3790").count("(In use)") == 2
        waiting.wait().assert_ok("waiting caller")
        music = [p for p in listener.payloads() if len(p) == FRAME_BYTES]
        # About 4 s of hold music (20 ms frames), not silence.
        assert len(music) > 100, len(music)
        assert sum(1 for p in music if len(set(p)) > 4) > 50, "only silence reached the caller"
    finally:
        listener.close()
    for proc in busy:
        proc.wait().assert_ok("caller served while the other one waited")


# -- 2. inbound numbers and ring groups reach a queue ------------------------------------------
def test_an_inbound_number_and_a_ring_group_fallback_reach_the_queue(asterisk, sip, rtp):
    from centrex.groups import services as groups
    from centrex.groups.models import RingGroup
    from centrex.routing import services as routing
    from centrex.routing.models import InboundNumber
    from tests.integration.test_routing import operator_trunk
    from tests.sipp import free_udp_port

    agent = new_line("3711", "Ida Inbound")
    caller = new_line("3712", "Carl Fallback")
    ringing = new_line("3713", "Rex Ringing")
    queue = make_queue("Inbound3791", "3791", ring_time=10, retry=1)
    log_in(agent, queue)
    port = free_udp_port()
    operator_trunk("op-3711", port)
    routing.save_inbound_number(InboundNumber(number="0155003711", target="3791"))

    phone = phone_answers(sip, agent, asterisk=asterisk)
    call = sip.sipp("routing_operator_call", local_port=port, hold_ms=4000, timeout=20,
                    variables={"from": "0612003711", "dest": "0155003711",
                               "mport": rtp.port})
    call.run().assert_ok(f"operator call{asterisk_log_tail(asterisk)}")
    result = phone.wait().assert_ok("agent reached through the inbound number")
    assert any("<sip:0612003711@" in line for line in result.logs
               if line.startswith("INVITE FROM")), result.describe()

    groups.save_ring_group(RingGroup(extension="3714", name="Group 3714", timeout=5,
                                     member_seconds=5, fallback=RingGroup.NUMBER,
                                     fallback_number="3791"), [ringing.extension])
    rings = sip.callee(ringing.user, ringing.password, "uas_ring", timeout=30)
    phone = phone_answers(sip, agent, port=phone.local_port)
    started = time.monotonic()
    call = sip.caller(caller.user, caller.password, "3714", media_port=rtp.port,
                      hold_ms=9000, timeout=30)
    assert wait_for(lambda: answered(phone), 15), asterisk_log_tail(asterisk, 30)
    waited = time.monotonic() - started
    call.wait().assert_ok("caller of the ring group")
    assert rings.wait().has_log("CANCELLED")
    result = phone.wait().assert_ok("agent reached through the ring group's fallback")
    assert any(f"<sip:{caller.extension}@" in line for line in result.logs
               if line.startswith("INVITE FROM")), result.describe()
    assert waited >= 4.5, f"the queue answered after {waited:.1f} s, the group rings 5 s"


# -- 3. maximum wait: the caller goes to the overflow number -------------------------------------
def test_max_wait_sends_the_caller_to_the_overflow_number(asterisk, sip, rtp):
    agent = new_line("3721", "Una Unanswered")
    backup = new_line("3722", "Bob Backup")
    caller = new_line("3723", "Carl Timeout")
    queue = make_queue("Timeout3792", "3792", max_wait=4, ring_time=10, retry=1,
                       overflow=Queue.NUMBER, overflow_number=backup.extension)
    log_in(agent, queue)

    rings = sip.callee(agent.user, agent.password, "uas_ring", timeout=30)
    asterisk.cli(f"pjsip qualify {agent.user}")
    answers = sip.callee(backup.user, backup.password, "uas_answer", ring_ms=300, timeout=30)
    started = time.monotonic()
    call = sip.caller(caller.user, caller.password, "3792", media_port=rtp.port,
                      hold_ms=8000, timeout=30)
    assert wait_for(lambda: answered(answers), 15), asterisk_log_tail(asterisk, 30)
    waited = time.monotonic() - started
    call.wait().assert_ok("caller of the queue")
    result = answers.wait().assert_ok("overflow phone")
    assert any(f"<sip:{caller.extension}@" in line for line in result.logs
               if line.startswith("INVITE FROM")), result.describe()
    assert 3.5 <= waited <= 9, f"overflow after {waited:.1f} s, the queue keeps callers 4 s"
    ring_result = rings.wait()
    assert ring_result.has_log("INVITE FROM"), "the agent's phone was never rung"


def test_a_queue_without_agents_refuses_new_callers_when_told_to(asterisk, sip, rtp):
    backup = new_line("3731", "Vera Voicemail")
    caller = new_line("3732", "Carl Empty")
    make_queue("Empty3793", "3793", join_empty="unavailable,invalid,unknown,paused",
               overflow=Queue.NUMBER, overflow_number=backup.extension)
    answers = sip.callee(backup.user, backup.password, "uas_answer", ring_ms=300, timeout=30)
    started = time.monotonic()
    call = sip.caller(caller.user, caller.password, "3793", media_port=rtp.port,
                      hold_ms=3000, timeout=30)
    assert wait_for(lambda: answered(answers), 10), asterisk_log_tail(asterisk, 30)
    assert time.monotonic() - started < 3, "the caller was kept in the empty queue"
    call.wait().assert_ok("caller of the empty queue")
    answers.wait().assert_ok("overflow phone")


# -- 4. bad input is refused, nothing is written ------------------------------------------------
def _files(asterisk) -> dict[str, str]:
    return {name: (Path(asterisk.etc_dir) / name).read_text()
            for name in (confgen.QUEUES_FILE, confgen.DIALPLAN_FILE)}


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"name": "bad name"}, "name", "queue name"),
    ({"name": "bad;name"}, "name", "queue name"),
    ({"name": "general"}, "name", "reserved"),
    ({"name": "4sales"}, "name", "starting with a letter"),
    ({"music_on_hold": "../../etc/passwd"}, "music_on_hold", "sound"),
    ({"agent_announcement": "beep;x"}, "agent_announcement", "sound"),
    ({"agent_announcement": "beep\nstrategy=ringall"}, "agent_announcement", "sound"),
    ({"join_empty": "paused,bogus"}, "join_empty", "bogus"),
    ({"leave_when_empty": "paused,paused"}, "leave_when_empty", "repeated"),
    ({"strategy": "roundrobin"}, "strategy", "not a valid choice"),
    ({"ring_time": 1}, "ring_time", "greater than or equal to 5"),
    ({"overflow": Queue.NUMBER}, "overflow_number", "Give the number"),
    ({"overflow": Queue.NUMBER, "overflow_number": "3749"}, "overflow_number",
     "not a number of this PBX"),
    ({"overflow": Queue.NUMBER, "overflow_number": "3794"}, "overflow_number", "itself"),
    ({"overflow": Queue.VOICEMAIL, "overflow_number": "3748"}, "overflow_number",
     "voicemail"),
    ({"extension": "3741"}, "extension", "already used"),
])
def test_bad_input_is_refused_and_nothing_is_written(asterisk, fields, field, words):
    new_line("3741", "Nora Numbered")
    before = _files(asterisk)
    values = {"name": "Bad3794", "extension": "3794", **fields}
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            make_queue(**values)
        messages = exc.value.message_dict
    assert field in messages and words.lower() in " ".join(messages[field]).lower(), messages
    assert not Queue.objects.filter(extension=values["extension"]).exists()
    assert _files(asterisk) == before


def test_two_queues_cannot_differ_only_by_case(asterisk):
    make_queue("Case3795", "3795")
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            make_queue("case3795", "3796")
        assert "exists" in " ".join(exc.value.message_dict["name"])


# -- pages and API ------------------------------------------------------------------------------
QUEUE_POST = {
    "name": "Page3797", "description": "Hotline", "music_on_hold": "default",
    "agent_announcement": "beep", "strategy": "rrmemory", "wrapup_time": "5",
    "announce_frequency": "30", "min_announce_frequency": "15", "announce_holdtime": "once",
    "announce_position": "yes", "extension": "3797", "ring_time": "20", "retry": "2",
    "max_callers": "10", "max_wait": "120", "overflow": "hangup", "overflow_number": "",
    "join_empty": ["paused", "unavailable"], "service_level": "30", "weight": "2",
}


def test_admin_pages_create_a_queue_its_profiles_offered_in_the_user_form(asterisk, client):
    from tests.factories import make_user

    admin = make_user("queue_admin", profile="admin")
    client.force_login(admin)
    for name in ("queue-list", "queue-create", "pausereason-list", "pausereason-create",
                 "contact-center-settings"):
        assert client.get(reverse(name)).status_code == 200, name
    response = client.post(reverse("queue-create"), QUEUE_POST)
    assert response.status_code == 302, response.content.decode()[-3000:]
    queue = Queue.objects.get(name="Page3797")
    assert queue.join_empty == "paused,unavailable" and queue.strategy == "rrmemory"
    text = (Path(asterisk.etc_dir) / confgen.QUEUES_FILE).read_text()
    assert "[Page3797]" in text and "joinempty = paused,unavailable" in text, text
    assert "rrmemory" in queue_show(asterisk, "Page3797")

    assert client.get(reverse("queue-edit", args=[queue.pk])).status_code == 200
    # Its profiles are offered to the administrator in the user form, and kept on saving.
    form = client.get(reverse("user-create")).content.decode()
    assert 'value="AG Page3797"' in form and 'value="SV Page3797"' in form

    # A bad name is refused on the form, nothing written.
    before = _files(asterisk)
    bad = client.post(reverse("queue-create"), {**QUEUE_POST, "name": "general",
                                                 "extension": "3798"})
    assert bad.status_code == 200 and Queue.objects.filter(extension="3798").count() == 0
    assert _files(asterisk) == before

    response = client.post(reverse("queue-delete", args=[queue.pk]))
    assert response.status_code == 302
    assert not Group.objects.filter(name__endswith=" Page3797").exists()
    assert "No such queue" in queue_show(asterisk, "Page3797")

    response = client.post(reverse("pausereason-create"),
                           {"name": "Lunch", "code": "1", "active": "on"})
    assert response.status_code == 302
    response = client.post(reverse("contact-center-settings"),
                           {"recording_retention_days": "30"})
    assert response.status_code == 302


def test_api_writes_are_the_admins_and_an_agent_reads_only_their_queues(asterisk):
    from tests.factories import api_client, make_user

    admin = api_client(make_user("queue_api_admin", profile="admin"))
    response = admin.post("/api/v1/queues", {"name": "Api3798", "extension": "3798",
                                             "strategy": "linear", "record": True},
                          content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["agents_profile"] == "AG Api3798" and body["strategy"] == "linear"
    assert "linear" in queue_show(asterisk, "Api3798")
    other = admin.post("/api/v1/queues", {"name": "Other3799", "extension": "3799"},
                       content_type="application/json")
    assert other.status_code == 201
    bad = admin.post("/api/v1/queues", {"name": "Bad3796", "extension": "3796",
                                        "join_empty": "paused,nope"},
                     content_type="application/json")
    assert bad.status_code == 400 and "join_empty" in bad.json()["errors"], bad.content

    agent_user = make_user("queue_api_agent")
    given = admin.patch(f"/api/v1/users/{agent_user.pk}", {"profiles": ["AG Api3798"]},
                        content_type="application/json")
    assert given.status_code == 200 and given.json()["profiles"] == ["AG Api3798"], given.content
    agent = api_client(agent_user)
    listed = agent.get("/api/v1/queues").json()["items"]
    assert [q["name"] for q in listed] == ["Api3798"]
    assert agent.get(f"/api/v1/queues/{other.json()['id']}").status_code == 404
    refused = agent.patch(f"/api/v1/queues/{body['id']}", {"strategy": "random"},
                          content_type="application/json")
    assert refused.status_code == 403
    assert agent.get("/api/v1/pause-reasons").status_code == 200

    changed = admin.patch(f"/api/v1/queues/{body['id']}", {"name": "Api3798b"},
                          content_type="application/json")
    assert changed.status_code == 200, changed.content
    assert list(agent_user.groups.values_list("name", flat=True)) == ["AG Api3798b"]
    assert admin.delete(f"/api/v1/queues/{body['id']}").status_code == 204
    assert admin.delete(f"/api/v1/queues/{other.json()['id']}").status_code == 204
    reason = admin.post("/api/v1/pause-reasons", {"name": "Training", "code": "2"},
                        content_type="application/json")
    assert reason.status_code == 201, reason.content


def test_renaming_a_queue_keeps_its_logged_in_agents_in_asterisk(asterisk):
    agent = new_line("3751", "Rita Renamed")
    queue = make_queue("Ren3794", "3794")
    log_in(agent, queue)
    assert agent.phone.sip_username in queue_show(asterisk, "Ren3794")
    queue.name = "Ren3794b"
    services.save_queue(queue)
    assert wait_for(lambda: agent.phone.sip_username in queue_show(asterisk, "Ren3794b"), 5), \
        queue_show(asterisk, "Ren3794b")
    assert Group.objects.get(name="AG Ren3794b").user_set.filter(pk=agent.phone.user.pk)
    # A reload (any apply of the queues) keeps them too: the verifier reconciles.
    queue.wrapup_time = 7
    services.save_queue(queue)
    assert agent.phone.sip_username in queue_show(asterisk, "Ren3794b")
