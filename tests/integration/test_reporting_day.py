"""A scripted day through the managed Asterisk (issue 7): queue calls answered, abandoned,
abandoned quickly, closed and dissuaded; an internal call; outgoing calls to a priced and
an unpriced destination through a trunk. Then every figure of the call log, the queue
statistics and the billing recap is checked — and the live supervision's counts, seeded
from the same queue_log, agree with the reports.

Extensions 2931-2939, queues 2940-2942 (docs/testing.md).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from centrex.contact_center import agents
from centrex.ivr.models import Schedule
from centrex.pbx.live.model import LiveState
from centrex.reports import ingest
from centrex.reports.models import Call, QueueCall, RatePlan
from centrex.routing import services as routing
from centrex.routing.models import Route
from tests.factories import client_for, make_user
from tests.integration.test_calls import asterisk_log_tail, new_line, wait_for
from tests.integration.test_queues import answered, log_in, make_queue, phone_answers
from tests.integration.test_routing import operator, operator_trunk
from tests.sipp import free_udp_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TARIFF = "prefix;zone;peak;offpeak\n06;Mobile;0,12;0,12\n07;Mobile;0,12;0,12\n"


def csv_rows(response) -> list[list[str]]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(data.decode())))[1:]


def test_a_scripted_day_gives_the_same_figures_everywhere(asterisk, sip, rtp):
    agent = new_line("2931", "Ada Agent")
    caller = new_line("2932", "Carl Caller")
    colleague = new_line("2933", "Dora Colleague")
    day_queue = make_queue("Day2940", "2940", ring_time=10, service_level=20)
    log_in(agent, day_queue)
    make_queue("Shut2941", "2941", schedule=Schedule.objects.create(name="Never 2941"))
    make_queue("Gone2942", "2942", join_empty="unavailable,invalid,unknown,paused")
    port = free_udp_port()
    trunk = operator_trunk("op-2939", port)
    routing.save_route(Route(name="Day 2939", pattern="0XXXXXXXXX"), [trunk])
    plan = RatePlan.objects.create(name="Day plan", vat_percent=20, active=True)
    admin = client_for(make_user("admin", profile="admin"), headers={"Accept-Language": "en"})
    assert admin.post(f"/manage/rates/{plan.pk}/", {"file": SimpleUploadedFile(
        "tariff.csv", TARIFF.encode(), content_type="text/csv")}).status_code == 302

    def place(number: str, hold_ms: int):
        return sip.caller(caller.user, caller.password, number, media_port=rtp.port,
                          hold_ms=hold_ms, timeout=40)

    # 1. Answered by the agent.
    phone = phone_answers(sip, agent, ring_ms=1000, asterisk=asterisk)
    call = place("2940", 3000)
    assert wait_for(lambda: answered(phone), 15), asterisk_log_tail(asterisk, 20)
    call.wait().assert_ok("answered queue call")
    # 2-3. The agent pauses: a caller gives up after 6 s, another after 1 s (short).
    agents.pause(agent.phone.user, queue=day_queue)
    place("2940", 6000).wait()
    place("2940", 1000).wait()
    # 4. Closed. 5. Refused: nobody can answer.
    place("2941", 1000).wait()
    place("2942", 1000).wait()
    # 6. Internal, answered.
    takes = sip.callee(colleague.user, colleague.password, "uas_answer", ring_ms=500)
    place(colleague.extension, 2000).wait().assert_ok("internal call")
    takes.wait()
    # 7-8. Outgoing through the trunk: a mobile (priced), a landline (no rate).
    for number in ("0629390001", "0529390002"):
        op = operator(sip, "uas_operator", port)
        place(number, 2000).wait().assert_ok(f"outgoing call to {number}")
        op.wait()

    # The session's Asterisk also wrote the other tests' calls: this test counts the calls
    # of its own caller, who made every one of them.
    mine = Call.objects.filter(caller=caller.phone.user)

    def all_in() -> bool:
        ingest.ingest()
        return (QueueCall.objects.filter(queue__in=("Day2940", "Shut2941", "Gone2942"))
                .exclude(outcome="waiting").count() >= 5
                and mine.filter(direction="out").count() >= 2)

    assert wait_for(all_in, 15), list(QueueCall.objects.values_list("queue", "outcome"))

    # The call log: every call once, with its state, in the caller's own log.
    log = {(c.destination, c.state, c.direction) for c in mine}
    assert ("2940", "answered", "internal") in log
    assert ("2933", "answered", "internal") in log
    assert ("0629390001", "answered", "out") in log and ("0529390002", "answered", "out") in log
    assert mine.filter(destination="2940").count() == 3
    out = mine.get(destination="0629390001")
    assert out.trunk == "op-2939" and 1 <= out.duration <= 3
    own = client_for(caller.phone.user, headers={"Accept-Language": "en"})
    log_rows = csv_rows(own.get("/calls/", {"export": "csv"}))
    assert len(log_rows) == mine.count() == 8

    # The queue statistics.
    today = timezone.localdate().isoformat()
    period = {"since": today, "until": today}
    per_queue = {r[0]: r[1:] for r in csv_rows(admin.get("/queues/statistics/", {
        "statistic": "queues", "export": "csv", **period}))}
    assert per_queue["Day2940"][:5] == ["3", "1", "33.3", "2", "66.7"]
    assert per_queue["Shut2941"][0] == "1" and per_queue["Shut2941"][-2:] == ["1", "100.0"]
    assert per_queue["Gone2942"][0] == "1" and per_queue["Gone2942"][5:7] == ["1", "100.0"]
    short = csv_rows(admin.get("/queues/statistics/", {
        "statistic": "abandons", "export": "csv", "table": 1, "queues": [day_queue.pk],
        **period}))
    assert short == [["5", "1"]]
    levels = csv_rows(admin.get("/queues/statistics/", {
        "statistic": "service_level", "export": "csv", "table": 1,
        "queues": [day_queue.pk], **period}))
    assert levels == [["Day2940", "20", "1", "2", "50.0"]]  # 1 answered + 1 long abandon

    # The billing recap (the caller's own): one priced call, one without a rate.
    recap = csv_rows(own.get("/billing/", {"since": today, "until": today, "export": "csv"}))
    priced = mine.get(destination="0629390001")
    assert priced.pricing == "priced" and priced.zone == "Mobile"
    assert recap[-1][2] == "2" and recap[-1][4] == f"{priced.cost / 10000:.2f}"
    assert mine.get(destination="0529390002").pricing == "unmatched"

    # The live supervision, seeded from the same queue_log lines, counts the same calls.
    lines = [tuple(line.split("|")) for line in
             (asterisk.log_dir / "queue_log").read_text().splitlines()]
    live = LiveState()
    live.resync([], [], queue_log=lines, params={"Day2940": {"service_level": 20,
                                                             "short_abandon": 5}})
    counts = live.snapshot("Day2940")["counts"]
    assert (counts["received"], counts["answered"], counts["abandoned"]) == (3, 1, 2)
    assert counts["service_level"] == 50
    assert json.dumps(counts)  # plain data, as the wallboard sends it
