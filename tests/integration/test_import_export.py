"""Bulk import and export of users with their phones (CSV and XLSX).

Export then import gives the same data; a file with one bad line imports nothing and the
page names the line and the column; a file that is not a table of users says so. Imports
that save apply to the session's Asterisk (one apply for the whole file).
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from centrex.core import importexport
from centrex.core.models import AuditEntry, Department, User
from centrex.telephony.models import Phone
from centrex.telephony.services import create_phone_with_user
from tests.integration.test_apply import endpoint_exists

HEADER = ",".join(importexport.COLUMNS)


def admin_client() -> tuple[User, Client]:
    admin = User.objects.create_user("boss", password="correct horse battery staple")
    admin.groups.add(Group.objects.get(name="admin"))
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    return admin, client


def upload(client: Client, name: str, data: bytes):
    return client.post(reverse("user-import"), {"file": SimpleUploadedFile(name, data)})


def export(client: Client, fmt: str) -> bytes:
    response = client.get(reverse("user-export"), {"format": fmt})
    assert response.status_code == 200
    return (b"".join(response.streaming_content) if response.streaming
            else response.content)


def snapshot() -> list[tuple]:
    """Everything the import writes, in a comparable form (ids and secrets aside)."""
    users = [(u.username, u.first_name, u.last_name, u.email,
              u.department.name if u.department else "", u.is_active,
              tuple(sorted(u.groups.values_list("name", flat=True))))
             for u in User.objects.order_by("username")]
    phones = [(p.extension, p.name, p.user.username if p.user else "", p.ring_timeout,
               p.voicemail_enabled) for p in Phone.objects.order_by("extension")]
    return [*users, *phones]


def make_data() -> None:
    """Users with zero, one and two phones, departments, profiles, an inactive user."""
    sales = Department.objects.create(name="Ventes")
    alice, _ = create_phone_with_user("2201", "Alice Martin", "Ventes", apply_now=False)
    second = Phone(extension="2202", name="Alice bureau 2", user=alice.user,
                   ring_timeout=35, voicemail_enabled=False)
    second.set_sip_password()
    second.save()
    alice.user.groups.add(*Group.objects.filter(name__in=["stats", "appels"]))
    alice.user.email = "alice@example.com"
    alice.user.save()
    User.objects.create(username="zoe.nophone", first_name="Zoé", last_name="Éléonore",
                        department=sales, is_active=False)
    create_phone_with_user("0301", "Bob Leading Zero", apply_now=False)


# -- round trips -------------------------------------------------------------------------------
@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_the_same_data(asterisk, fmt):
    _admin, client = admin_client()
    make_data()
    first = export(client, fmt)
    before = snapshot()

    # Re-importing the export into the same database changes nothing.
    preview = upload(client, f"users.{fmt}", first)
    assert preview.context["plan"].ok, preview.context["plan"].problems
    assert client.post(reverse("user-import"), {"confirm": "1"}).status_code == 200
    assert snapshot() == before

    # Into a database without these users and phones, it recreates them.
    Phone.objects.all().delete()
    User.objects.exclude(username="boss").delete()
    Department.objects.all().delete()
    preview = upload(client, f"users.{fmt}", first)
    assert preview.context["plan"].ok, preview.context["plan"].problems
    done = client.post(reverse("user-import"), {"confirm": "1"})
    assert done.status_code == 200 and done["Cache-Control"] == "no-store"
    assert snapshot() == before
    again = export(client, fmt)
    if fmt == "csv":
        assert again == first
    else:
        assert xlsx_rows(again) == xlsx_rows(first)
    # The new phones are in Asterisk, with new secrets shown once on the result page.
    new_phones = done.context["table"]["rows"]
    assert sorted(row[0][1] for row in new_phones) == ["0301", "2201", "2202"]
    for phone in Phone.objects.all():
        assert endpoint_exists(asterisk, phone.sip_username)
    assert AuditEntry.objects.filter(action="import").exists()


def xlsx_rows(data: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


@pytest.mark.django_db
def test_export_writes_every_column_and_no_secret():
    _admin, client = admin_client()
    make_data()
    text = export(client, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(importexport.COLUMNS)
    by_key = {(r[0], r[7]): r for r in rows[1:]}
    alice = User.objects.get(username="alice.martin")
    assert by_key[("alice.martin", "2201")] == [
        "alice.martin", "Alice", "Martin", "alice@example.com", "Ventes", "appels;stats", "yes",
        "2201", "Alice Martin", "20", "yes"]
    assert by_key[("alice.martin", "2202")][7:] == ["2202", "Alice bureau 2", "35", "no"]
    assert by_key[("zoe.nophone", "")][:7] == [
        "zoe.nophone", "Zoé", "Éléonore", "", "Ventes", "", "no"]
    assert by_key[("bob.leading.zero", "0301")][7] == "0301"
    for phone in Phone.objects.all():
        assert phone.sip_ha1 not in text and phone.voicemail_pin not in text
    assert alice.password not in text
    sheet = xlsx_rows(export(client, "xlsx"))
    assert sheet[0] == importexport.COLUMNS
    assert any(row[7] == "0301" for row in sheet[1:])  # text cells keep the leading zero


# -- a bad line imports nothing ----------------------------------------------------------------
BAD_FILE = "\n".join([
    HEADER,
    "carla,Carla,Dupont,carla@example.com,Support,stats,yes,2401,,,",
    "denis,Denis,Roy,,Support,,yes,2402,Denis Roy,25,no",
    "emile,Emile,Faure,,Support,,yes,24x3,Emile Faure,20,yes",
    "",
]).encode()


@pytest.mark.django_db
def test_a_csv_with_one_bad_line_imports_nothing_and_names_the_line_and_the_column():
    _admin, client = admin_client()
    users, phones = User.objects.count(), Phone.objects.count()
    response = upload(client, "users.csv", BAD_FILE)
    plan = response.context["plan"]
    assert not plan.ok
    assert [(p.line, p.column) for p in plan.problems] == [(4, "extension")]
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "<td data-label=\"Line\">4</td>" in page and "<code>extension</code>" in page
    assert "2 to 10 digits" in page
    assert 'name="confirm"' not in page  # nothing to confirm
    # The confirmation step refuses too: nothing was kept to import.
    assert client.post(reverse("user-import"), {"confirm": "1"}).status_code == 302
    records = importexport.read_file("users.csv", BAD_FILE)
    plan, outcome = importexport.run(records)
    assert outcome is None and not plan.ok
    assert (User.objects.count(), Phone.objects.count()) == (users, phones)
    assert not Department.objects.filter(name="Support").exists()


@pytest.mark.django_db
def test_every_kind_of_bad_line_is_reported():
    admin, _client = admin_client()
    Phone(extension="2501", name="Taken", sip_ha1="0" * 32).save()
    lines = [
        HEADER,
        ",No,Username,,,,yes,,,,",                                   # 2 username empty
        "bad user!,A,B,,,,yes,,,,",                                  # 3 username invalid
        "fanny,Fan;ny,B,,,,yes,,,,",                                 # 4 first_name
        "gil,G,B,not-mail,,,yes,,,,",                                # 5 email
        "hugo,H,B,,Dept [x],,yes,,,,",                               # 6 department
        "ines,I,B,,,nonexistent,yes,,,,",                            # 7 profiles
        "jules,J,B,,,,maybe,,,,",                                    # 8 active
        "karl,K,B,,,,yes,,Name,,",                                   # 9 phone w/o extension
        "leo,L,B,,,,yes,2502,Leo,4,yes",                             # 10 ring_timeout
        "leo,L,B,,,,yes,2503,Leo,abc,yes",                           # 11 ring_timeout
        "leo,Leon,B,,,,yes,2504,Leo,20,yes",                         # 12 differs from 10
        "mia,M,B,,,,yes,2502,Mia,20,yes",                            # 13 extension on 10
        "nora,N,B,,,,yes,2505,Nora <x>,20,yes",                      # 14 phone_name
        "olga,O,B,,,,yes,2506,Olga,20,perhaps",                      # 15 voicemail_enabled
        f"{admin.username},,,,,stats,no,,,,",                        # 16 self lock-out
    ]
    records = importexport.read_file("users.csv", "\n".join(lines).encode())
    problems = {(p.line, p.column) for p in importexport.check(records, admin).problems}
    expected = {(2, "username"), (3, "username"), (4, "first_name"), (5, "email"),
                (6, "department"), (7, "profiles"), (8, "active"), (9, "phone_name"),
                (10, "ring_timeout"), (11, "ring_timeout"), (12, "first_name"),
                (13, "extension"), (14, "phone_name"), (15, "voicemail_enabled"),
                (16, "active"), (16, "profiles")}
    assert problems == expected


# -- files that are not a table of users ------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(("name", "data", "message"), [
    ("users.csv", b"", "empty"),
    ("users.csv", b"\n\n  \n", "The file is empty."),
    ("users.csv", HEADER.encode() + b"\n", "a header line but no data"),
    ("users.pdf", b"%PDF-1.4\x00\x01\x02binary", "neither CSV nor XLSX"),
    ("users.xlsx", b"PK\x03\x04 not really a zip", "cannot be read"),
    ("users.csv", b"name,phone\nAlice,2001\n", "Missing: username"),
    ("users.csv", (HEADER + ",colour\n").encode() + b"a,,,,,,,,,,,red\n",
     "Unknown or repeated: colour"),
    ("users.csv", b"x" * (importexport.MAX_BYTES + 1), "too big"),
])
def test_a_bad_file_is_refused_with_a_clear_message(name, data, message):
    _admin, client = admin_client()
    users = User.objects.count()
    response = upload(client, name, data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("file", []))
    assert message in errors, errors
    assert response.context["plan"] is None
    assert User.objects.count() == users


@pytest.mark.django_db
def test_too_many_lines_are_refused(monkeypatch):
    monkeypatch.setattr(importexport, "MAX_ROWS", 3)
    rows = [HEADER] + [f"u{i},,,,,,yes,,,," for i in range(4)]
    with pytest.raises(importexport.ImportFileError, match="too many lines"):
        importexport.read_file("users.csv", "\n".join(rows).encode())


@pytest.mark.django_db
def test_an_xlsx_that_unpacks_to_too_much_is_refused(monkeypatch):
    _admin, client = admin_client()
    data = export(client, "xlsx")
    monkeypatch.setattr(importexport, "MAX_XLSX_UNPACKED", 1000)
    with pytest.raises(importexport.ImportFileError, match="too big"):
        importexport.read_file("users.xlsx", data)


@pytest.mark.django_db
def test_a_french_spreadsheet_csv_is_read():
    """Excel in French writes ";" between cells and cp1252 text."""
    data = (HEADER.replace(",", ";") + "\r\nzoe;Zoé;Éléonore;;;;oui;;;;\r\n").encode("cp1252")
    records = importexport.read_file("users.csv", data)
    assert records[0].values["first_name"] == "Zoé"
    plan = importexport.check(records)
    assert plan.ok and plan.lines[0].user_action == "create"


@pytest.mark.django_db
def test_a_spreadsheet_with_numbers_is_read():
    """Cells typed in a spreadsheet come back as numbers and booleans."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(importexport.COLUMNS))
    sheet.append(["paul", "Paul", "Simon", None, None, None, True, 2601, None, 30.0, False])
    buffer = io.BytesIO()
    book.save(buffer)
    records = importexport.read_file("users.xlsx", buffer.getvalue())
    values = records[0].values
    assert (values["extension"], values["ring_timeout"], values["active"],
            values["voicemail_enabled"]) == ("2601", "30", "yes", "no")
    assert importexport.check(records).ok


# -- the page, end to end ---------------------------------------------------------------------
@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_import_page_preview_then_confirm_creates_phones_that_register(asterisk, request):
    sipp = request.getfixturevalue("sip")  # SIPp phones (tests/conftest.py)
    _admin, client = admin_client()
    data = "\n".join([HEADER, "rose,Rose,Petit,,Accueil,,yes,2701,,,",
                      "rose,Rose,Petit,,Accueil,,yes,2702,Rose 2,15,no"]).encode()
    preview = upload(client, "users.csv", data)
    plan = preview.context["plan"]
    assert plan.ok
    assert [(line.user_action, line.phone_action) for line in plan.lines] == [
        ("create", "create"), ("same", "create")]
    assert not User.objects.filter(username="rose").exists()  # a preview saves nothing
    assert 'name="confirm"' in preview.content.decode()

    done = client.post(reverse("user-import"), {"confirm": "1"})
    rose = User.objects.get(username="rose")
    assert rose.department.name == "Accueil" and rose.phones.count() == 2
    rows = {row[0][1]: row[3][1] for row in done.context["table"]["rows"]}
    assert set(rows) == {"2701", "2702"}
    phone = Phone.objects.get(extension="2701")
    sipp.register(phone.sip_username, rows["2701"]).assert_ok("REGISTER after import")
    # The records left the session: confirming twice imports nothing more.
    assert client.post(reverse("user-import"), {"confirm": "1"}).status_code == 302


def test_the_import_needs_the_right_to_create_users(db):
    user = User.objects.create_user("joe", password="correct horse battery staple")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    assert client.get(reverse("user-import")).status_code == 403
    assert client.get(reverse("user-export")).status_code == 403
