"""The call log's page, exports and API: who sees which calls, the seeds' filters, masking
(seeds/002 "Journal des appels"). The calls are rows here; test_records.py makes them from
real calls."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from centrex.reports.models import Call, ReportSettings
from tests.factories import api_client, client_for, make_department, make_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 11, day, hour, minute))


@pytest.fixture
def office():
    sales, support = make_department("Sales"), make_department("Support")
    people = {
        "alice": make_user("alice", department=sales),
        "bob": make_user("bob", department=sales),
        "carol": make_user("carol", department=support),
        "head": make_user("head", profile="chef_de_service", department=sales),
        "log": make_user("log", profile="appels", department=support),
        "admin": make_user("admin", profile="admin"),
    }
    p = people

    def call(key, start, direction, source, destination, caller=None, callee=None, **more):
        return Call.objects.create(
            linkedid=key, uniqueid=key, start=start, direction=direction, source=source,
            destination=destination, caller=caller, callee=callee,
            caller_department_id=caller.department_id if caller else None,
            callee_department_id=callee.department_id if callee else None,
            state=more.pop("state", "answered"), duration=more.pop("duration", 75), **more)

    calls = {
        "alice_out": call("1", at(20, 9, 5), "out", "201", "0611223344", p["alice"]),
        "carol_to_bob": call("2", at(20, 23, 50), "internal", "301", "202", p["carol"],
                             p["bob"], answered_by="202"),
        "carol_out": call("3", at(21, 0, 10), "out", "301", "0140000000", p["carol"],
                          state="no_answer", duration=0),
        "in_to_carol": call("4", at(22, 14, 0), "in", "0712345678", "0140000001",
                            callee=p["carol"], answered_by="301", queue="Support"),
    }
    return people, calls


def body(response) -> bytes:
    """A response's bytes (CSV is streamed, XLSX is not)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def listed(user, **params) -> set[str]:
    response = client_for(user).get("/calls/", {"export": "csv", **params})
    assert response.status_code == 200, response.content
    rows = list(csv.reader(io.StringIO(body(response).decode())))
    return {row[0] for row in rows[1:]}


def starts(calls, *names) -> set[str]:
    return {timezone.localtime(calls[n].start).strftime("%Y-%m-%d %H:%M:%S") for n in names}


def test_each_profile_sees_its_scope(office):
    people, calls = office
    assert listed(people["alice"]) == starts(calls, "alice_out")
    assert listed(people["bob"]) == starts(calls, "carol_to_bob")  # received: his too
    assert listed(people["carol"]) == starts(calls, "carol_to_bob", "carol_out", "in_to_carol")
    assert listed(people["head"]) == starts(calls, "alice_out", "carol_to_bob")
    everything = starts(calls, *calls)
    assert listed(people["log"]) == everything
    assert listed(people["admin"]) == everything
    # The API says the same, and out of scope is "not found".
    api = api_client(people["alice"])
    assert [c["id"] for c in api.get("/api/v1/calls").json()["items"]] == [
        calls["alice_out"].pk]
    assert api.get(f"/api/v1/calls/{calls['carol_out'].pk}").status_code == 404
    assert api.get(f"/api/v1/calls/{calls['alice_out'].pk}").status_code == 200


def test_the_seeds_filters_number_type_date_and_time(office):
    people, calls = office
    admin = people["admin"]
    assert listed(admin, number="0611") == starts(calls, "alice_out")
    assert listed(admin, number="301") == starts(calls, "carol_to_bob", "carol_out",
                                                 "in_to_carol")
    assert listed(admin, direction="in") == starts(calls, "in_to_carol")
    assert listed(admin, state="no_answer") == starts(calls, "carol_out")
    assert listed(admin, since="2026-11-21", until="2026-11-21") == starts(calls, "carol_out")
    # ± 30 minutes, across midnight: 23:50 and 00:10 are both within 30 min of 23:55.
    assert listed(admin, time="23:55") == starts(calls, "carol_to_bob", "carol_out")
    assert listed(admin, time="09:30") == starts(calls, "alice_out")
    assert listed(admin, time="09:40") == set()
    # The API takes the same filters.
    api = api_client(admin)
    found = api.get("/api/v1/calls", {"time": "23:55", "direction": "out"}).json()["items"]
    assert [c["id"] for c in found] == [calls["carol_out"].pk]
    # A bad filter is said on the field, and lists nothing rather than everything.
    page = client_for(admin).get("/calls/", {"number": "12a;", "since": "2026-11-22",
                                             "until": "2026-11-20"})
    text = page.content.decode()
    assert "Digits, *, # and + only." in text or "Chiffres" in text
    assert "0611223344" not in text


def test_masking_hides_the_last_digits_of_outside_numbers_everywhere(office):
    people, calls = office
    ReportSettings.objects.update_or_create(pk=1, defaults={"mask_digits": 4})
    # An outgoing call answered by the network: "answered by" is the number dialled.
    Call.objects.filter(pk=calls["alice_out"].pk).update(answered_by="0611223344")
    admin = people["admin"]
    page = client_for(admin).get("/calls/").content.decode()
    assert "061122****" in page and "0611223344" not in page
    assert "071234****" in page and "0712345678" not in page
    assert ">202<" in page or "202" in page  # extensions are shown in full
    export = client_for(admin).get("/calls/", {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(body(export)), read_only=True)
    cells = {str(c) for row in book.active.iter_rows(values_only=True) for c in row}
    assert "061122****" in cells and "0611223344" not in cells
    item = api_client(admin).get(f"/api/v1/calls/{calls['alice_out'].pk}").json()
    assert item["destination"] == "061122****" and item["source"] == "201"
    assert item["answered_by"] == "061122****"
    # Searching matches what is shown: the visible digits find the call, the hidden ones
    # do not (one search per guess would reveal them), in the page and the API alike.
    assert listed(admin, number="061122") == starts(calls, "alice_out")
    assert listed(admin, number="0611223344") == set()
    assert listed(admin, number="3344") == set()
    assert listed(admin, number="071234") == starts(calls, "in_to_carol")
    assert listed(admin, number="202") == starts(calls, "carol_to_bob")  # extensions in full
    found = api_client(admin).get("/api/v1/calls", {"number": "3344"}).json()
    assert found["count"] == 0


def test_the_export_holds_exactly_what_is_filtered_in_both_formats(office):
    people, _calls = office
    client = client_for(people["admin"])
    for fmt in ("csv", "xlsx"):
        response = client.get("/calls/", {"export": fmt, "direction": "out"})
        data = body(response)
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(data.decode())))[1:]
        else:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
            rows = list(book.active.iter_rows(values_only=True))[1:]
        assert len(rows) == 2, rows
        assert {r[3] for r in rows} == {"0611223344", "0140000000"}


def test_the_page_in_french_and_english(office):
    people, _calls = office
    client = client_for(people["admin"])
    french = client.get("/calls/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Journal des appels" in french and "Communication" in french
    english = client.get("/calls/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Call log" in english and "Answered" in english
    assert "0:01:15" in english  # durations as the seeds show them


def test_report_settings_are_the_administrators(office):
    people, _calls = office
    assert client_for(people["log"]).get("/manage/reports/").status_code == 403
    client = client_for(people["admin"])
    form = {"mask_digits": "11", "short_abandon": "5"}
    assert client.post("/manage/reports/", form).status_code == 200
    assert ReportSettings.get().mask_digits == 0
    assert client.post("/manage/reports/", {**form, "mask_digits": "3"}).status_code == 302
    assert ReportSettings.get().mask_digits == 3
