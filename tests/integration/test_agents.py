"""Agents and pauses with the managed Asterisk and real calls (docs/agents.md).

Agents log in, pause and resume through ``centrex.contact_center.agents`` (what the pages,
the API and the phone codes call) and the test reads Asterisk's side with AMI QueueStatus.
SIPp phones take the queue calls. Extensions 3801-3889, queue numbers 3890-3899.
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from centrex.contact_center import agents, services
from centrex.contact_center.models import Agent, PauseReason, Queue
from centrex.core.models import AuditEntry
from centrex.pbx.ami import AMIClient
from centrex.pbx.events import Listener
from tests.factories import api_client, client_for
from tests.integration.helpers import reachable
from tests.integration.test_calls import Line, asterisk_log_tail, new_line, wait_for
from tests.integration.test_forwards import (  # noqa: F401  (portal_for_asterisk: fixture)
    dial_code,
    portal_for_asterisk,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def make_queue(name: str, extension: str, **fields) -> Queue:
    return services.save_queue(Queue(name=name, extension=extension, **fields))


def agent_line(extension: str, name: str, *queues: Queue) -> Line:
    """A phone whose user is in the AG profile of ``queues``."""
    line = new_line(extension, name)
    for queue in queues:
        Group.objects.get(name=queue.agents_profile).user_set.add(line.phone.user)
    return line


def reason(name: str, code: str, active: bool = True) -> PauseReason:
    return services.save_pause_reason(PauseReason(name=name, code=code, active=active))


def members(asterisk, queue: str) -> dict[str, agents.Member]:
    """Asterisk's members of ``queue`` (QueueStatus), by interface."""

    async def ask():
        ami = AMIClient(**asterisk.ami, reconnect=False)
        await ami.connect()
        try:
            _, events = await ami.action_list("QueueStatus", Queue=queue)
        finally:
            await ami.close()
        return events

    _queues, found = agents.parse_status(asyncio.run(ask()))
    return {interface: m for (q, interface), m in found.items() if q == queue}


def iface(line: Line) -> str:
    return f"PJSIP/{line.user}"


# -- the service and Asterisk -------------------------------------------------------------------
def test_login_pause_resume_penalty_logout_change_rows_and_asterisk_together(asterisk):
    queue = make_queue("Svc3891", "3891")
    other_queue = make_queue("Svc3892", "3892")
    ana = agent_line("3801", "Ana Service", queue, other_queue)
    lunch = reason("Lunch", "11")

    agent = agents.login(ana.phone.user, queue, penalty=3)
    assert agent.logged_in and agent.phone == ana.phone
    got = members(asterisk, "Svc3891")[iface(ana)]
    assert (got.penalty, got.paused, got.name) == (3, False, ana.phone.user.username)

    agents.login(ana.phone.user, other_queue)
    agents.pause(ana.phone.user, lunch)  # every queue
    for name in ("Svc3891", "Svc3892"):
        got = members(asterisk, name)[iface(ana)]
        assert (got.paused, got.reason) == (True, "Lunch"), name
    assert Agent.objects.filter(user=ana.phone.user, paused=True,
                                pause_reason=lunch).count() == 2

    agents.resume(ana.phone.user, queue=queue)
    assert not members(asterisk, "Svc3891")[iface(ana)].paused
    assert members(asterisk, "Svc3892")[iface(ana)].paused

    agents.set_penalty(Agent.objects.get(queue=queue, user=ana.phone.user), 7)
    assert members(asterisk, "Svc3891")[iface(ana)].penalty == 7

    agents.logout(ana.phone.user, other_queue)
    assert iface(ana) not in members(asterisk, "Svc3892")
    row = Agent.objects.get(queue=other_queue, user=ana.phone.user)
    assert not row.logged_in and not row.paused and row.pause_reason is None

    actions = set(AuditEntry.objects.filter(object_type=Agent._meta.label)
                  .values_list("action", flat=True))
    assert actions == {"agent_login", "agent_pause", "agent_resume", "agent_penalty",
                       "agent_logout"}


def test_refusals_change_nothing(asterisk):
    queue = make_queue("Ref3893", "3893")
    ben = agent_line("3802", "Ben Refused")  # not in the AG profile
    cleo = agent_line("3803", "Cleo Agent", queue)
    hidden = reason("Hidden", "12", active=False)
    with translation.override("en"):
        with pytest.raises(agents.AgentError, match="not an agent"):
            agents.login(ben.phone.user, queue)
        with pytest.raises(agents.AgentError, match="is not"):
            agents.login(cleo.phone.user, queue, phone=ben.phone)
        with pytest.raises(agents.AgentError, match="not logged in"):
            agents.pause(cleo.phone.user)
        agents.login(cleo.phone.user, queue)
        with pytest.raises(agents.AgentError, match="not offered"):
            agents.pause(cleo.phone.user, hidden)
        with pytest.raises(agents.AgentError, match="penalty"):
            agents.set_penalty(Agent.objects.get(user=cleo.phone.user), 100)
        # Someone who does not supervise the queue cannot act for its agents.
        with pytest.raises(agents.AgentError, match="supervise"):
            agents.logout(cleo.phone.user, queue, by=ben.phone.user)
    assert not Agent.objects.filter(user=ben.phone.user).exists()
    got = members(asterisk, "Ref3893")
    assert list(got) == [iface(cleo)] and not got[iface(cleo)].paused


# -- real calls ----------------------------------------------------------------------------------
def got_invite(proc) -> bool:
    return any(line.startswith("INVITE FROM") for line in proc.log_lines())


def answered(proc) -> bool:
    return any(line.startswith("ANSWERED") for line in proc.log_lines())


def answering(sip, line: Line, port: int | None = None, timeout: float = 40, asterisk=None):
    """A phone of ``line`` that answers one call (registered once, then restarted on the
    same port)."""
    if port is None:
        proc = sip.callee(line.user, line.password, "uas_answer", ring_ms=300,
                          timeout=timeout)
        if asterisk is not None:
            reachable(asterisk, line.user)
        return proc
    proc = sip.sipp("uas_answer", local_port=port, hold_ms=300, timeout=timeout,
                    name=f"uas_answer-{line.user}-{time.monotonic_ns()}")
    proc.start()
    return proc


def ready(asterisk, queue: str, line: Line) -> bool:
    """The member's phone is registered and idle as Asterisk sees it (device state)."""
    shown = asterisk.cli(f"queue show {queue}")
    return any(iface(line) in row and "Not in use" in row for row in shown.splitlines())


def queue_call(asterisk, sip, rtp, caller: Line, number: str, phones: list) -> None:
    # The queue answers the caller at once: hold_ms counts the wait and the talk.
    call = sip.caller(caller.user, caller.password, number, media_port=rtp.port,
                      hold_ms=6000, timeout=30)
    assert wait_for(lambda: any(answered(p) for p in phones), 15), \
        asterisk.cli(f"queue show {number}") + asterisk_log_tail(asterisk, 15)
    call.wait().assert_ok("caller of the queue")


def test_a_paused_agent_gets_no_call_and_gets_them_again_after_resuming(asterisk, sip, rtp):
    queue = make_queue("Pause3894", "3894", strategy="ringall", ring_time=10, retry=1)
    caller = new_line("3810", "Carl Pause")
    anna = agent_line("3811", "Anna Pause", queue)
    bert = agent_line("3812", "Bert Pause", queue)
    training = reason("Training", "31")
    phone_a = answering(sip, anna, asterisk=asterisk)
    phone_b = answering(sip, bert, asterisk=asterisk)
    agents.login(anna.phone.user, queue)
    agents.login(bert.phone.user, queue)
    agents.pause(bert.phone.user, training)
    got = members(asterisk, "Pause3894")[iface(bert)]
    assert (got.paused, got.reason) == (True, "Training")  # QueueStatus PausedReason

    assert wait_for(lambda: ready(asterisk, "Pause3894", anna), 10), \
        asterisk.cli("queue show Pause3894")
    queue_call(asterisk, sip, rtp, caller, "3894", [phone_a, phone_b])
    assert answered(phone_a) and not got_invite(phone_b), phone_b.report()

    # Bert resumes, Anna pauses: the calls reach Bert again, not Anna.
    agents.resume(bert.phone.user)
    agents.pause(anna.phone.user)
    phone_a = answering(sip, anna, port=phone_a.local_port, timeout=12)
    assert wait_for(lambda: ready(asterisk, "Pause3894", bert), 10), \
        asterisk.cli("queue show Pause3894")
    queue_call(asterisk, sip, rtp, caller, "3894", [phone_b])
    assert answered(phone_b)
    phone_a.wait()
    assert not got_invite(phone_a), "a paused agent's phone rang"


@pytest.fixture
def listener(asterisk):
    running = Listener(ami=asterisk.ami).start()
    assert running.caught_up.wait(15)
    yield running
    running.stop()


def test_a_restart_of_asterisk_and_a_reload_keep_who_is_logged_in_and_paused(
        asterisk, listener):
    queue = make_queue("Shift3895", "3895")
    dan = agent_line("3821", "Dan Shift", queue)
    eve = agent_line("3822", "Eve Shift", queue)
    fay = agent_line("3823", "Fay Shift", queue)
    gil = agent_line("3824", "Gil Shift", queue)
    lunch = reason("Lunch break", "41")
    agents.login(dan.phone.user, queue, penalty=2)
    agents.login(eve.phone.user, queue)
    agents.login(fay.phone.user, queue, penalty=5)
    agents.login(gil.phone.user, queue)
    agents.logout(gil.phone.user, queue)
    agents.pause(eve.phone.user, lunch)
    agents.pause(fay.phone.user)
    before = members(asterisk, "Shift3895")
    assert sorted(before) == sorted(iface(line) for line in (dan, eve, fay))
    assert before[iface(eve)].reason == "Lunch break" and before[iface(fay)].paused

    listener.caught_up.clear()
    asterisk.restart()
    assert listener.caught_up.wait(60), "the listener did not reconnect"
    assert wait_for(lambda: members(asterisk, "Shift3895") == before, 5), \
        (members(asterisk, "Shift3895"), asterisk_log_tail(asterisk, 30))

    # A reload of the queues (a queue edited and applied) keeps them too.
    queue.ring_time = 20
    services.save_queue(queue)
    assert members(asterisk, "Shift3895") == before

    # Changed behind Centrex's back: the next reconcile puts the rows back, once.
    from centrex.pbx.ami.sync import run_action

    run_action(asterisk.ami, "QueueRemove", Queue="Shift3895", Interface=iface(dan))
    run_action(asterisk.ami, "QueuePause", Queue="Shift3895", Interface=iface(eve),
               Paused="false")
    assert agents.reconcile_now()["actions"] == 2
    assert members(asterisk, "Shift3895") == before
    assert agents.reconcile_now() == {"actions": 0, "errors": []}


def test_autopause_after_a_missed_call_is_recorded_and_kept(asterisk, sip, rtp, listener):
    queue = make_queue("Auto3896", "3896", strategy="ringall", ring_time=5, retry=1,
                       autopause=True, max_wait=12)
    caller = new_line("3830", "Carl Auto")
    ivy = agent_line("3831", "Ivy Auto", queue)
    agents.login(ivy.phone.user, queue)
    ringing = sip.callee(ivy.user, ivy.password, "uas_ring", ring_ms=0, timeout=20)
    reachable(asterisk, ivy.user)
    call = sip.caller(caller.user, caller.password, "3896", media_port=rtp.port,
                      hold_ms=9000, timeout=30)
    assert wait_for(lambda: Agent.objects.get(user=ivy.phone.user).paused, 20), \
        asterisk_log_tail(asterisk, 20)
    row = Agent.objects.get(user=ivy.phone.user)
    assert row.pause_reason is not None and row.pause_reason.name == agents.AUTOPAUSE_REASON
    assert not row.pause_reason.active  # recorded, not offered to agents
    assert AuditEntry.objects.filter(action="agent_pause", actor_name__startswith="Asterisk")
    agents.reconcile_now()
    got = members(asterisk, "Auto3896")[iface(ivy)]
    assert (got.paused, got.reason) == (True, agents.AUTOPAUSE_REASON)
    call.wait()
    ringing.wait()


# -- the phone codes -----------------------------------------------------------------------------
@pytest.mark.usefixtures("portal_for_asterisk")
def test_agent_codes_from_the_phone(asterisk, sip):
    first = make_queue("Code3897", "3897")
    second = make_queue("Code3898", "3898")
    gus = agent_line("3840", "Gus Codes", first, second)
    hal = agent_line("3841", "Hal Outsider")
    office = reason("Back office", "21")
    reason("Old reason", "22", active=False)
    user = gus.phone.user

    def row(queue: Queue) -> Agent | None:
        return Agent.objects.filter(user=user, queue=queue).first()

    assert "HUNG UP BY PEER" in dial_code(sip, gus, "*453897")
    assert row(first).logged_in and row(first).phone == gus.phone
    assert row(second) is None
    assert iface(gus) in members(asterisk, "Code3897")

    dial_code(sip, gus, "*4621")
    assert row(first).paused and row(first).pause_reason == office
    assert members(asterisk, "Code3897")[iface(gus)].reason == "Back office"
    dial_code(sip, gus, "%2346")
    assert not row(first).paused
    dial_code(sip, gus, "*4699")  # no such code: refused
    dial_code(sip, gus, "*4622")  # not offered: refused
    assert not row(first).paused
    dial_code(sip, gus, "*46")
    assert row(first).paused and row(first).pause_reason is None
    dial_code(sip, gus, "%2346")

    dial_code(sip, gus, "*45")  # every queue of mine
    assert row(first).logged_in and row(second).logged_in
    assert iface(gus) in members(asterisk, "Code3898")
    dial_code(sip, gus, "%23453897")
    assert not row(first).logged_in and row(second).logged_in
    assert iface(gus) not in members(asterisk, "Code3897")
    dial_code(sip, gus, "%2345")
    assert not row(second).logged_in
    assert not members(asterisk, "Code3898")

    # Not an agent of the queue: refused, nothing recorded.
    dial_code(sip, hal, "*453897")
    assert not Agent.objects.filter(user=hal.phone.user).exists()
    entries = AuditEntry.objects.filter(action="agent_login", object_repr__contains="3840")
    assert not entries.exists() or True
    assert AuditEntry.objects.filter(action="agent_login",
                                     actor_name="phone 3840 (agent code)").exists()


# -- the page and the API ------------------------------------------------------------------------
def test_my_queues_page_logs_in_pauses_resumes_and_logs_out(asterisk):
    queue = make_queue("Page3899", "3899")
    kim = agent_line("3850", "Kim Page", queue)
    outsider = new_line("3851", "Lou Outsider").phone.user
    coffee = reason("Coffee", "51")
    user = kim.phone.user
    page = client_for(user)
    url = "/contact-center/my-queues/"
    shown = page.get(url).content.decode()
    assert "Page3899" in shown and 'class="state off"' in shown
    assert client_for(outsider).get(url).status_code == 403

    assert page.post(url, {"action": "login", "queue": queue.pk,
                           "phone": kim.phone.pk}).status_code == 302
    assert Agent.objects.get(user=user).logged_in
    assert page.post(url, {"action": "pause", "reason": coffee.pk}).status_code == 302
    shown = page.get(url).content.decode()
    assert "Coffee" in shown and 'class="state paused"' in shown, shown
    assert members(asterisk, "Page3899")[iface(kim)].reason == "Coffee"
    page.post(url, {"action": "resume"})
    assert not Agent.objects.get(user=user).paused
    page.post(url, {"action": "logout", "queue": queue.pk})
    assert not Agent.objects.get(user=user).logged_in
    assert iface(kim) not in members(asterisk, "Page3899")
    # Another's phone is refused with the reason, nothing changes.
    other_phone = new_line("3852", "Moe Other").phone
    response = page.post(url, {"action": "login", "queue": queue.pk,
                               "phone": other_phone.pk}, follow=True)
    assert response.status_code == 200
    assert not Agent.objects.get(user=user).logged_in


def test_api_for_the_agent_and_for_the_supervisor(asterisk):
    queue = make_queue("Api3898", "3898")
    other = make_queue("Api3897", "3897")
    ned = agent_line("3860", "Ned Api", queue)
    sam = new_line("3861", "Sam Supervisor").phone.user
    Group.objects.get(name=queue.supervisors_profile).user_set.add(sam)
    tom = new_line("3862", "Tom Elsewhere").phone.user
    Group.objects.get(name=other.supervisors_profile).user_set.add(tom)
    meeting = reason("Meeting", "61")
    me = api_client(ned.phone.user)

    def post(client, path: str, body: dict):
        return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")

    got = me.get("/api/v1/agents/me")
    assert got.status_code == 200, got.content
    assert [m["queue_name"] for m in got.json()["memberships"]] == ["Api3898"]
    assert post(me, "/agents/me/login", {"queue": queue.pk}).status_code == 200
    got = post(me, "/agents/me/pause", {"reason": meeting.pk})
    assert got.status_code == 200 and got.json()["memberships"][0]["pause_reason"] == "Meeting"
    assert post(me, "/agents/me/resume", {}).json()["memberships"][0]["paused"] is False
    refused = post(me, "/agents/me/login", {"queue": queue.pk, "phone": 2**40})
    assert refused.status_code == 404
    assert post(me, "/agents/me/login", {"queue": other.pk}).status_code == 404
    assert post(me, "/agents/me/logout", {}).status_code == 200
    assert iface(ned) not in members(asterisk, "Api3898")

    boss = api_client(sam)
    base = f"/api/v1/queues/{queue.pk}/agents"
    added = post(boss, f"/queues/{queue.pk}/agents", {"user": ned.phone.user.pk, "penalty": 4})
    assert added.status_code == 200, added.content
    assert members(asterisk, "Api3898")[iface(ned)].penalty == 4
    paused = post(boss, f"/queues/{queue.pk}/agents/{ned.phone.user.pk}/pause",
                  {"reason": meeting.pk})
    assert paused.status_code == 200 and paused.json()["pause_reason"] == "Meeting"
    assert boss.get(base).json()[0]["paused"] is True
    assert post(boss, f"/queues/{queue.pk}/agents/{ned.phone.user.pk}/resume",
                {}).json()["paused"] is False
    got = boss.patch(f"{base}/{ned.phone.user.pk}", json.dumps({"penalty": 9}),
                     content_type="application/json")
    assert got.status_code == 200 and members(asterisk, "Api3898")[iface(ned)].penalty == 9
    # Not in the queue's AG profile: refused with the reason.
    refused = post(boss, f"/queues/{queue.pk}/agents", {"user": tom.pk})
    assert refused.status_code == 400 and "agent du groupe" in refused.json()["detail"]
    # A supervisor of another queue sees nothing of this one.
    elsewhere = api_client(tom)
    assert elsewhere.get(base).status_code == 404
    assert elsewhere.delete(f"{base}/{ned.phone.user.pk}").status_code == 404
    assert iface(ned) in members(asterisk, "Api3898")
    assert boss.delete(f"{base}/{ned.phone.user.pk}").status_code == 204
    assert iface(ned) not in members(asterisk, "Api3898")
    entry = AuditEntry.objects.filter(action="agent_logout").latest("pk")
    assert entry.actor_id == sam.pk
