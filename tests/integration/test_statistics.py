"""The statistics pages on known rows: every figure of a small, hand-counted day
(docs/statistics.md). Real calls make such rows in test_records.py."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from centrex.contact_center.models import Queue
from centrex.contact_center.services import save_queue
from centrex.reports import rollup
from centrex.reports.calls import local_day_hour
from centrex.reports.models import AgentEvent, Call, QueueCall, ReportSettings
from tests.factories import client_for, make_department, make_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

DAY = datetime.date(2026, 11, 16)  # a Monday


def at(hour: int, minute: int = 0, second: int = 0, day: datetime.date = DAY):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute,
                                                                            second)))


def call(key: str, start, direction="in", duration=60, **more) -> Call:
    day, hour = local_day_hour(start)
    return Call.objects.create(linkedid=key, uniqueid=key, start=start, day=day, hour=hour,
                               direction=direction, state="answered", source="0611",
                               destination="0140", duration=duration, **more)


def visit(key: str, queue: str, entered, outcome: str, wait: int = 0, talk: int = 0,
          agent: str = "", reason: str = "") -> QueueCall:
    day, hour = local_day_hour(entered)
    reason = reason or {"answered": "CONNECT", "abandoned": "ABANDON",
                        "dissuaded": "EXITEMPTY", "closed": "CLOSED"}[outcome]
    return QueueCall.objects.create(callid=key, queue=queue, entered=entered, day=day,
                                    hour=hour, outcome=outcome, reason=reason, wait=wait,
                                    talk=talk, agent=agent)


def table(client, url: str, index: int, **params) -> list[list[str]]:
    response = client.get(url, {**params, "export": "csv", "table": index})
    assert response.status_code == 200, response.content[:500]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    return rows[1:]


@pytest.fixture
def day(asterisk):
    sales = make_department("Sales")
    alice = make_user("alice", department=sales)
    queue = save_queue(Queue(name="Hotline", extension="3990", service_level=30,
                             wrapup_time=10))
    save_queue(Queue(name="Standard", extension="3991"))
    Group.objects.get(name="AG Hotline").user_set.add(alice)
    # Hotline: 3 answered (waits 10, 40, 70 s), 2 abandoned (3 s: short, 45 s), 1 sent away
    # by the maximum wait, 1 closed; Standard: 1 answered.
    visit("h1", "Hotline", at(9, 0), "answered", wait=10, talk=120, agent="alice")
    visit("h2", "Hotline", at(9, 10), "answered", wait=40, talk=60, agent="alice")
    visit("h3", "Hotline", at(14, 0), "answered", wait=70, talk=30, agent="alice")
    visit("h4", "Hotline", at(9, 20), "abandoned", wait=3)
    visit("h5", "Hotline", at(9, 30), "abandoned", wait=45)
    visit("h6", "Hotline", at(10, 0), "dissuaded", wait=60, reason="EXITWITHTIMEOUT")
    visit("h7", "Hotline", at(20, 0), "closed")
    visit("s1", "Standard", at(9, 0, day=DAY + datetime.timedelta(days=1)), "answered",
          wait=5, talk=10, agent="alice")
    # Alice: logged in 08:00-12:00, one lunch pause 10:00-10:30; one outgoing call of 90 s.
    for when, event, data in ((at(8), "ADDMEMBER", ""), (at(10), "PAUSE", "Lunch"),
                              (at(10, 30), "UNPAUSE", ""), (at(12), "REMOVEMEMBER", "")):
        AgentEvent.objects.create(at=int(when.timestamp()), queue="Hotline", agent="alice",
                                  event=event, reason=data, key=len(event))
    call("o1", at(11), direction="out", duration=90, caller=alice,
         caller_department=sales)
    # Global: two incoming calls at 9 h and one at 14 h, on the 16th and 17th.
    call("g1", at(9, 5), duration=60)
    call("g2", at(9, 50), duration=30)
    call("g3", at(14, 0, day=DAY + datetime.timedelta(days=1)), duration=15)
    ReportSettings.objects.update_or_create(pk=1, defaults={"short_abandon": 5})
    rollup.rebuild()  # rows written by hand: their per-day totals, as ingestion keeps them
    return queue, alice


QUEUE_STATS = "/queues/statistics/"
PERIOD = {"since": "2026-11-16", "until": "2026-11-17"}


def test_calls_per_queue_with_their_outcomes(day):
    admin = client_for(make_user("admin", profile="admin"))
    rows = table(admin, QUEUE_STATS, 0, statistic="queues", **PERIOD)
    assert rows == [
        ["Hotline", "7", "3", "42.9", "2", "28.6", "1", "14.3", "1", "14.3"],
        ["Standard", "1", "1", "100.0", "0", "0.0", "0", "0.0", "0", "0.0"],
        ["Total", "8", "4", "50.0", "2", "25.0", "1", "12.5", "1", "12.5"],
    ]
    assert table(admin, QUEUE_STATS, 0, statistic="global", **PERIOD) == [
        ["Hotline", "7"], ["Standard", "1"]]


def test_service_level_and_abandons_by_waiting_time(day):
    admin = client_for(make_user("admin", profile="admin"))
    hotline = {"queues": [str(day[0].pk)], **PERIOD}
    assert table(admin, QUEUE_STATS, 0, statistic="service_level", **hotline) == [
        ["< 0m30s", "1", "33.3", "33.3"], ["< 1m00s", "1", "33.3", "66.7"],
        ["< 1m30s", "1", "33.3", "100.0"]]
    # Within 30 s: 1 of 3 answered + 1 abandoned after the short-abandon time + 1 sent
    # away by the maximum wait = 5 counted.
    assert table(admin, QUEUE_STATS, 1, statistic="service_level", **hotline) == [
        ["Hotline", "30", "1", "5", "20.0"]]
    assert table(admin, QUEUE_STATS, 0, statistic="abandons", **hotline) == [
        ["< 0m30s", "1", "50.0", "50.0"], ["< 1m00s", "1", "50.0", "100.0"]]
    assert table(admin, QUEUE_STATS, 1, statistic="abandons", **hotline) == [["5", "1"]]


def test_distributions_by_weekday_and_hour(day):
    admin = client_for(make_user("admin", profile="admin"))
    weekdays = table(admin, QUEUE_STATS, 0, statistic="weekday", **PERIOD)
    assert weekdays[0][:3] == ["Monday", "7", "3"] or weekdays[0][:3] == ["Lundi", "7", "3"]
    assert weekdays[1][1:3] == ["1", "1"] and all(r[1] == "0" for r in weekdays[2:])
    hours = {r[0]: r[1:] for r in table(admin, QUEUE_STATS, 0, statistic="hourly", **PERIOD)}
    assert hours["9 h"][:5] == ["5", "3", "60.0", "2", "40.0"]  # 4 Hotline + 1 Standard
    assert hours["20 h"][-2:] == ["1", "100.0"]  # closed


def test_service_per_agent(day):
    admin = client_for(make_user("admin", profile="admin"))
    rows = table(admin, QUEUE_STATS, 0, statistic="agents", queues=[str(day[0].pk)],
                 **PERIOD)
    assert len(rows) == 1
    agent, logged, pauses, paused, reasons, received, talk, avg, made, made_time, _made_avg, \
        wrapup, occupancy = rows[0]
    assert (agent, logged, pauses, paused) == ("alice", "4 h 0 m 0 s", "1", "0 h 30 m 0 s")
    assert "Lunch: 1" in reasons
    assert (received, talk, avg) == ("3", "0 h 3 m 30 s", "1m10s")
    assert (made, made_time) == ("1", "0 h 1 m 30 s")
    # Wrap-up 10 s after each of the 3 calls; occupancy = (210 + 90 + 30) / (4 h - 30 min).
    assert wrapup == "0 h 0 m 30 s"
    assert occupancy == str(round(100 * 330 / (3.5 * 3600), 1))


def test_global_statistics_per_month_day_and_hour(day):
    stats = client_for(make_user("reader", profile="stats"))
    params = {"since": "2026-01-01", "until": "2026-12-31", "month": "2026-11"}
    months = table(stats, "/statistics/", 0, **params)
    assert months == [["2026-11", "4", "0 h 3 m 15 s"]]
    hours = table(stats, "/statistics/", 1, **params)
    assert hours[9] == ["9 h 00 < 10 h 00", "2", "0 h 1 m 30 s"]
    assert hours[11] == ["11 h 00 < 12 h 00", "1", "0 h 1 m 30 s"]
    days = table(stats, "/statistics/", 2, **params)
    assert len(days) == 30 and days[15] == ["16", "3", "0 h 3 m 0 s"]
    assert days[16] == ["17", "1", "0 h 0 m 15 s"] and days[0] == ["1", "0", ""]
    outgoing = table(stats, "/statistics/", 0, direction="out", **params)
    assert outgoing == [["2026-11", "1", "0 h 1 m 30 s"]]
    sales = table(stats, "/statistics/", 0, department=str(day[1].department_id), **params)
    assert sales == [["2026-11", "1", "0 h 1 m 30 s"]]


def test_who_may_read_which_statistics(day):
    queue = day[0]
    supervisor = make_user("sup")
    Group.objects.get(name=f"SV {queue.name}").user_set.add(supervisor)
    client = client_for(supervisor)
    page = client.get(QUEUE_STATS, {"statistic": "global", **PERIOD}).content.decode()
    assert "Hotline" in page and "Standard" not in page  # only the queue they supervise
    assert client.get(QUEUE_STATS, {"statistic": "global", "queues": [
        str(Queue.objects.get(name="Standard").pk)], **PERIOD}).status_code == 200
    assert "Standard" not in table(client, QUEUE_STATS, 0, statistic="global", queues=[
        str(Queue.objects.get(name="Standard").pk)], **PERIOD)
    assert client.get("/statistics/").status_code == 403
    assert client_for(make_user("plain")).get(QUEUE_STATS).status_code == 403
    direction = client_for(make_user("boss", profile="direction"))
    assert direction.get(QUEUE_STATS).status_code == 200
    assert direction.get("/statistics/").status_code == 200


def test_pages_draw_in_french_and_english_and_refuse_bad_periods(day):
    admin = client_for(make_user("admin", profile="admin"))
    french = admin.get(QUEUE_STATS, {"statistic": "queues", **PERIOD},
                       HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Appels par groupe" in french and 'data-chart="calls-per-queue"' in french
    english = admin.get("/statistics/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Calls per month" in english
    bad = admin.get(QUEUE_STATS, {"since": "2026-11-17", "until": "2026-11-16",
                                  "statistic": "queues"}, HTTP_ACCEPT_LANGUAGE="en")
    bad = bad.content.decode()
    assert "The end date is before the start date." in bad
    assert admin.get("/statistics/", {"month": "2026-13"}).status_code == 200


def test_wrapup_is_cut_short_by_the_next_call(day):
    """The next call answered 5 s after the end of h1 leaves h1 5 s of its 10 s wrap-up
    (computed by the database with a window over the agent's calls)."""
    visit("h8", "Hotline", at(9, 2, 0), "answered", wait=15, talk=20, agent="alice")
    rollup.refresh_queues([DAY])
    admin = client_for(make_user("admin", profile="admin"))
    row = table(admin, QUEUE_STATS, 0, statistic="agents", queues=[str(day[0].pk)],
                **PERIOD)[0]
    assert row[5:7] == ["4", "0 h 3 m 50 s"]
    assert row[11] == "0 h 0 m 35 s"  # 5 + 10 + 10 + 10
