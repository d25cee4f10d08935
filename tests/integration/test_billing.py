"""Billing (seeds/002 "Facturation"): a tariff imported all or nothing, calls priced once
at ingestion, re-priced on demand, the calls no rate matches listed, and the report in
each profile's scope in CSV, XLSX and PDF."""

from __future__ import annotations

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from centrex.reports import billing, fastsql, ingest
from centrex.reports.models import Call, Prefix, RatePlan, Zone
from tests.factories import client_for as signed_in
from tests.factories import make_department, make_phone, make_user


def client_for(user):
    """A client that reads the pages in English (the labels below are English)."""
    return signed_in(user, headers={"Accept-Language": "en"})

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TARIFF = """prefix;zone;peak;offpeak;setup;minimum;first_increment;increment;forbidden
01;National;0,02;0,01;;;60;1;no
06;Mobile;0,12;0,06;0,05;;1;1;no
07;Mobile;0,12;0,06;0,05;;1;1;no
0044;United Kingdom;0,30;0,20;;0,10;60;60;no
0899;Premium;;;;;;;yes
"""
# Monday 16 November 2026, 10:00 in Paris (peak), and 21:00 (off-peak).
PEAK = datetime.datetime(2026, 11, 16, 9, 0, tzinfo=datetime.UTC).timestamp()
OFFPEAK = datetime.datetime(2026, 11, 16, 20, 0, tzinfo=datetime.UTC).timestamp()


def upload(client, plan: RatePlan, text: str):
    return client.post(f"/manage/rates/{plan.pk}/", {
        "file": SimpleUploadedFile("tariff.csv", text.encode(), content_type="text/csv")})


def cdr(key: str, phone, number: str, start: float, billsec: int) -> bytes:
    return json.dumps({
        "uniqueid": key, "linkedid": key, "sequence": 1, "start": start,
        "answer": start + 3 if billsec else 0, "end": start + 3 + billsec,
        "duration": billsec + 3, "billsec": billsec,
        "disposition": "ANSWERED" if billsec else "NO ANSWER", "src": phone.extension,
        "dst": number, "dcontext": "centrex-phones", "clid": f'"x" <{phone.extension}>',
        "channel": f"PJSIP/{phone.sip_username}-00000001",
        "dstchannel": "PJSIP/trunk-op-00000002", "lastapp": "Dial", "lastdata": "x",
        "accountcode": "", "userfield": ""}).encode()


@pytest.fixture
def office(tmp_path):
    sales, support = make_department("Sales"), make_department("Support")
    alice = make_user("alice", department=sales, first_name="Alice", last_name="Martin")
    bob = make_user("bob", department=support, first_name="Bob", last_name="Durand")
    a, b = make_phone("291", user=alice), make_phone("292", user=bob)
    admin = client_for(make_user("admin", profile="admin"))
    plan = RatePlan.objects.create(name="Operator 2026", vat_percent=20, active=True)
    assert upload(admin, plan, TARIFF).status_code == 302
    folder = tmp_path / "log"
    (folder / "cdr-custom").mkdir(parents=True)
    lines = [
        cdr("c1", a, "0611223344", PEAK, 90),        # mobile, peak, per second + setup
        cdr("c2", a, "0140000000", OFFPEAK, 30),     # national, off-peak, first minute
        cdr("c3", b, "00442071234567", PEAK, 61),    # UK, per minute: 2 min
        cdr("c4", b, "0899123456", PEAK, 10),        # forbidden zone
        cdr("c5", b, "0512345678", PEAK, 20),        # no rate matches 05
        cdr("c6", a, "0611223344", PEAK, 0),         # not answered: not billed
    ]
    (folder / "cdr-custom" / "centrex_cdr.json").write_bytes(b"\n".join(lines) + b"\n")
    ingest.ingest(folder)
    return {"alice": alice, "bob": bob, "admin": admin, "plan": plan, "folder": folder,
            "sales": sales}


def costs() -> dict[str, tuple]:
    return {c.linkedid: (c.pricing, c.zone, c.cost, c.cost_vat)
            for c in Call.objects.all()}


def test_a_bad_tariff_file_imports_nothing_and_names_line_and_column(office):
    admin, plan = office["admin"], office["plan"]
    before = (Zone.objects.count(), Prefix.objects.count())
    bad = TARIFF + "0033;France;zero;0,1;;;;;no\n06;Other;0,1;0,1;;;;;no\n"
    page = upload(admin, plan, bad).content.decode()
    assert "Line 7" in page or "Ligne 7" in page, page[-3000:]
    assert "Line 8" in page or "Ligne 8" in page
    assert (Zone.objects.count(), Prefix.objects.count()) == before
    mismatch = TARIFF + "0612;Mobile;0,50;0,06;0,05;;1;1;no\n"
    assert "Mobile" in upload(admin, plan, mismatch).content.decode()
    assert Prefix.objects.count() == before[1]
    shifted = upload(admin, plan, "prefix,zone,peak,offpeak\n0033,France,0,12,0,06\n")
    assert "Line 2: More cells than the header has columns" in shifted.content.decode()
    assert Prefix.objects.count() == before[1]
    # The export imports back to the same plan.
    exported = admin.get(f"/manage/rates/{plan.pk}/", {"export": "csv"})
    text = b"".join(exported.streaming_content).decode()
    assert upload(admin, plan, text).status_code == 302
    assert (Zone.objects.count(), Prefix.objects.count()) == before


def test_calls_are_priced_once_at_ingestion(office, monkeypatch):
    # On PostgreSQL, re-pricing writes through COPY and a staging table, as for a year.
    monkeypatch.setattr(fastsql, "COPY_FROM", 1)
    assert costs() == {
        # 90 s at 0.12/min = 0.18 + 0.05 setup = 0.23; VAT 20 %.
        "c1": ("priced", "Mobile", 2300, 2760),
        # 30 s, first minute indivisible, off-peak 0.01/min.
        "c2": ("priced", "National", 100, 120),
        # 61 s per minute = 2 min at 0.30 = 0.60.
        "c3": ("priced", "United Kingdom", 6000, 7200),
        "c4": ("forbidden", "Premium", None, None),
        "c5": ("unmatched", "", None, None),
        "c6": ("", "", None, None),
    }
    admin = office["admin"]
    listed = admin.get("/manage/rates/unpriced/").content.decode()
    assert "0512345678" in listed and "0899123456" in listed and "0611223344" not in listed
    # A new tariff does not change the past by itself; re-pricing does, when asked.
    cheaper = TARIFF.replace("06;Mobile;0,12", "06;Mobile;0,06").replace(
        "07;Mobile;0,12", "07;Mobile;0,06") + "05;Local;0,04;0,02;;;60;1;no\n"
    assert upload(admin, office["plan"], cheaper).status_code == 302
    ingest.ingest(office["folder"])
    assert costs()["c1"][2] == 2300
    response = admin.post("/manage/rates/reprice/", {"since": "2026-11-16",
                                                     "until": "2026-11-16"})
    assert response.status_code == 302
    after = costs()
    assert after["c1"][2] == 900 + 500 and after["c5"] == ("priced", "Local", 400, 480)
    # The recap reads the per-day totals: re-pricing recomputed them.
    recap = rows_of(admin.get("/billing/", {"month": "2026-11", "kind": "recap",
                                            "export": "csv"}))
    assert recap[-1] == ["", "TOTAL", "5", "0:03:31", "0.79", "0.95"]


def rows_of(response) -> list[list[str]]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(data.decode())))[1:]


def test_the_report_in_each_scope_and_format(office):
    month = {"month": "2026-11", "kind": "recap"}
    accounting = client_for(make_user("compta", profile="compta"))
    rows = rows_of(accounting.get("/billing/", {**month, "export": "csv"}))
    assert ["Sales", "Alice Martin (291)", "2", "0:02:00", "0.24", "0.29"] in rows
    assert ["Sales", "DEPARTMENT TOTAL", "2", "0:02:00", "0.24", "0.29"] in rows
    assert rows[-1] == ["", "TOTAL", "5", "0:03:31", "0.84", "1.01"]
    # Alice sees her own calls only; a department head of Support sees Bob's.
    mine = rows_of(client_for(office["alice"]).get("/billing/", {**month, "export": "csv"}))
    assert {r[1] for r in mine} == {"Alice Martin (291)", "DEPARTMENT TOTAL", "TOTAL"}
    head = make_user("head", profile="chef_de_service",
                     department=office["bob"].department)
    theirs = rows_of(client_for(head).get("/billing/", {**month, "export": "csv"}))
    assert {r[1] for r in theirs} == {"Bob Durand (292)", "DEPARTMENT TOTAL", "TOTAL"}
    # Detail per call, one department, in XLSX; the phones filter; the PDF.
    detail = accounting.get("/billing/", {"month": "2026-11", "kind": "detail",
                                          "department": office["sales"].pk,
                                          "export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(detail.content), read_only=True)
    lines = list(book.active.iter_rows(values_only=True))[1:]
    assert [line[2] for line in lines] == ["291", "291"] and lines[0][6] == "0.23"
    only = rows_of(accounting.get("/billing/", {"month": "2026-11", "kind": "detail",
                                                "phones": "292", "export": "csv"}))
    assert {r[2] for r in only} == {"292"} and len(only) == 3
    pdf = accounting.get("/billing/", {**month, "export": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert accounting.get("/billing/", {"phones": "29a"}).status_code == 200
    assert accounting.get("/manage/rates/").status_code == 403


def test_a_plan_whose_peak_hours_end_before_they_start_prices_off_peak():
    """The form refuses such a plan; one stored anyway (shell, older data) must not stop the
    pricing of every call (tariff.Periods refuses the range itself)."""
    plan = RatePlan.objects.create(name="Odd", peak_start=datetime.time(19),
                                   peak_end=datetime.time(8), active=True)
    zone = Zone.objects.create(plan=plan, name="Mobile", peak=1200, offpeak=600)
    Prefix.objects.create(plan=plan, prefix="06", zone=zone)
    pricer = billing.Pricer(plan)
    for hour in (3, 10, 20):
        assert not pricer.periods.is_peak(datetime.datetime(2026, 11, 16, hour))
    normal = RatePlan.objects.create(name="Usual")
    assert billing.Pricer(normal).periods.is_peak(datetime.datetime(2026, 11, 16, 10))


def test_a_plan_chooses_its_peak_days(office):
    """Peak hours on the days the plan ticks (a Saturday at the peak price, or no peak at
    all); a call on a day without them is off-peak all day, and re-pricing applies them."""
    admin, plan = office["admin"], office["plan"]
    form = admin.get(f"/manage/rates/{plan.pk}/edit/").content.decode()
    assert form.count('name="peak_days"') == 7 and form.count("checked") >= 5
    fields = {"name": plan.name, "currency": "EUR", "vat_percent": "20",
              "peak_start": "08:00", "peak_end": "19:00", "holidays_offpeak": "on",
              "active": "on"}
    answer = admin.post(f"/manage/rates/{plan.pk}/edit/",
                        {**fields, "peak_days": ["5", "0", "5"]})
    assert answer.status_code == 302, answer.content.decode()[-2000:]
    plan.refresh_from_db()
    assert plan.peak_days == "05"
    assert "peak hours on Monday, Saturday from 08:00 to 19:00" in admin.get(
        f"/manage/rates/{plan.pk}/").content.decode()
    periods = billing.Pricer(plan).periods
    saturday, sunday = (datetime.datetime(2026, 11, d, 10) for d in (21, 22))
    assert periods.is_peak(saturday) and not periods.is_peak(sunday)
    assert not periods.is_peak(datetime.datetime(2026, 11, 17, 10))  # a Tuesday
    assert admin.post(f"/manage/rates/{plan.pk}/edit/",
                      {**fields, "peak_days": ["7"]}).status_code == 200  # no such day
    plan.refresh_from_db()
    assert plan.peak_days == "05"

    # No day ticked: off-peak all the time, and a re-pricing applies it to past calls.
    assert admin.post(f"/manage/rates/{plan.pk}/edit/", fields).status_code == 302
    plan.refresh_from_db()
    assert plan.peak_days == ""
    assert "no peak hours: off-peak all the time" in admin.get(
        f"/manage/rates/{plan.pk}/").content.decode()
    day = datetime.date(2026, 11, 16)
    billing.reprice(day, day)
    mobile = Call.objects.get(linkedid="c1")  # 90 s to a mobile at 10:00 on a Monday
    assert (mobile.pricing, mobile.cost) == ("priced", 500 + 90 * 600 // 60)


def test_a_stored_prefix_of_other_digits_does_not_stop_the_pricing(caplog):
    """Imports take digits 0-9 only; a prefix stored before that check (fullwidth digits)
    is left out, loudly, instead of stopping the pricing — and the ingestion — of every
    call: the calls it would match are listed as without a rate."""
    plan = RatePlan.objects.create(name="Older import", active=True)
    zone = Zone.objects.create(plan=plan, name="Mobile", peak=1200, offpeak=600)
    Prefix.objects.create(plan=plan, prefix="06", zone=zone)
    Prefix.objects.create(plan=plan, prefix="\uff10\uff17", zone=zone)  # "07", fullwidth
    pricer = billing.Pricer(plan)
    assert "1 prefix(es) not made of digits 0-9 left out" in caplog.text
    assert pricer.table.lookup("0611223344") == zone.pk
    assert pricer.table.lookup("0711223344") is None
