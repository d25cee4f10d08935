"""ACD queues with real calls through the managed Asterisk (docs/contact_center.md).

Queues are set up through ``centrex.contact_center.services`` (what the pages and the API
call), agents are logged in through the agents service when it is there (else added with
AMI QueueAdd, which is what that service does), and SIPp phones place and take the calls.
Extensions 3701-3789, queue numbers 3790-3799.
"""

from __future__ import annotations

import importlib
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from centrex.contact_center import confgen, services
from centrex.contact_center.models import Agent, Queue
from centrex.pbx.ami.sync import run_action
from centrex.pbx.connection import target
from tests.integration.test_calls import Line, new_line

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def make_queue(name: str, extension: str, **fields) -> Queue:
    return services.save_queue(Queue(name=name, extension=extension, **fields))


def log_in(line: Line, queue: Queue) -> None:
    """Make ``line``'s user an agent of ``queue``, logged in on its phone."""
    Group.objects.get(name=queue.agents_profile).user_set.add(line.phone.user)
    try:
        agents = importlib.import_module("centrex.contact_center.agents")
    except ImportError:
        agents = None
    if agents is not None and hasattr(agents, "login"):
        agents.login(line.phone.user, queue, phone=line.phone)
        return
    Agent.objects.update_or_create(queue=queue, user=line.phone.user,
                                   defaults={"phone": line.phone, "logged_in": True})
    run_action(target().ami, "QueueAdd", Queue=queue.name,
               Interface=f"PJSIP/{line.phone.sip_username}",
               MemberName=line.phone.user.username,
               StateInterface=f"PJSIP/{line.phone.sip_username}")


def queue_show(asterisk, name: str) -> str:
    return asterisk.cli(f"queue show {name}")


def answered_by(proc) -> bool:
    return proc.has_log("ANSWERED") if hasattr(proc, "has_log") else False


def phone_answers(sip, line: Line, port: int | None = None, ring_ms: int = 300):
    """A SIPp phone for ``line`` that answers one call; registered once, then restarted
    on the same port for each further call."""
    if port is None:
        return sip.callee(line.user, line.password, "uas_answer", ring_ms=ring_ms, timeout=40)
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
