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
