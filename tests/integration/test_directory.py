"""Directory: the merged list, private contacts, import, phone books, click-to-call.

The click-to-call test is a real call: SIPp plays the user's phone and the called phone,
Asterisk (through AMI ``Originate``) rings the first, then dials the second.
"""

from __future__ import annotations

import hashlib
from xml.etree import ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from centrex.core import roles
from centrex.core.models import AuditEntry
from centrex.directory.models import Contact
from centrex.telephony.services import create_phone_with_user
from tests.factories import api_client, make_department, make_phone, make_user
from tests.factories import client_for as signed_in

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def contact(owner, last, number="0612345678", *, private=False, **fields) -> Contact:
    c = Contact(owner=owner, last_name=last, number1=number, private=private, **fields)
    c.full_clean()
    c.save()
    return c


@pytest.fixture
def people():
    sales = make_department("Sales")
    alice = make_user("alice", first_name="Alice", last_name="Martin", department=sales)
    bob = make_user("bob", first_name="Bob", last_name="Durand")
    admin = make_user("boss", profile=roles.ADMIN, last_name="Boss")
    make_phone("201", user=alice)
    make_phone("202", user=bob)
    shared = contact(admin, "Dupont", "+33140000000", first_name="Jean", company="ACME")
    secret = contact(alice, "Zorglub", "0699999999", private=True, company="Secretco")
    return {"alice": alice, "bob": bob, "admin": admin, "shared": shared, "secret": secret}


def client_for(user) -> Client:
    """Signed in, reading the pages in English (French is the default)."""
    return signed_in(user, HTTP_ACCEPT_LANGUAGE="en")


def rows(response) -> list[tuple]:
    return [(r["object"].kind, r["object"].last) for r in response.context["rows"]]


# -- the list ------------------------------------------------------------------------------
def test_list_merges_users_and_contacts_sorts_searches_and_pages(people):
    page = client_for(people["bob"]).get("/directory/")
    assert page.status_code == 200
    assert rows(page) == [("contact", "Dupont"), ("user", "Durand"), ("user", "Martin")]
    text = page.content.decode()
    assert "ACME" in text and "Sales" in text and "+33140000000" in text
    assert "Zorglub" not in text  # alice's private contact
    french = signed_in(people["bob"]).get("/directory/").content.decode()
    assert "Annuaire" in french and "Appeler" in french and "Société ou service" in french

    alice = client_for(people["alice"])
    assert [k for k, _ in rows(alice.get("/directory/", {"sort": "-last"}))] == [
        "contact", "user", "user", "contact"]
    assert rows(alice.get("/directory/", {"sort": "-last"}))[0] == ("contact", "Zorglub")
    assert rows(alice.get("/directory/", {"q": "secretco"})) == [("contact", "Zorglub")]
    assert rows(alice.get("/directory/", {"q": "201"})) == [("user", "Martin")]
    assert rows(alice.get("/directory/", {"q": "jean"})) == [("contact", "Dupont")]
    assert rows(alice.get("/directory/", {"q": "sales"})) == [("user", "Martin")]
    assert rows(alice.get("/directory/", {"sort": "num1"}))[0] == ("contact", "Dupont")

    for n in range(30):
        contact(people["admin"], f"Many{n:02d}", f"01000000{n:02d}")
    first = alice.get("/directory/")
    second = alice.get("/directory/", {"page": 2})
    assert first.context["total"] == 34
    assert len(first.context["rows"]) == 25 and len(second.context["rows"]) == 9
    assert not {r for r in rows(first)} & {r for r in rows(second)}


def test_call_buttons_only_for_users_with_a_phone(people):
    mine = client_for(people["alice"]).get("/directory/").content.decode()
    assert 'form="directory-call" name="number" value="202"' in mine
    assert 'value="201"' not in mine  # not to call oneself
    assert 'form="directory-call"' not in client_for(people["admin"]).get(
        "/directory/").content.decode()
    response = client_for(people["admin"]).post("/directory/call/", {"number": "201"},
                                                 follow=True)
    assert "You have no phone" in response.content.decode()


# -- private contacts ------------------------------------------------------------------------
def test_private_contacts_are_seen_and_changed_only_by_their_creator(people):
    secret, shared = people["secret"], people["shared"]
    bob, admin, alice = (client_for(people[n]) for n in ("bob", "admin", "alice"))
    for other in (bob, admin):
        assert other.get(f"/directory/contacts/{secret.pk}/edit/").status_code == 404
        assert other.post(f"/directory/contacts/{secret.pk}/delete/").status_code == 404
        assert "Zorglub" not in other.get("/directory/", {"q": "zorg"}).content.decode()
        assert "Zorglub" not in other.get("/directory/contacts/export/").getvalue().decode()
    assert Contact.objects.filter(pk=secret.pk).exists()

    response = alice.post(f"/directory/contacts/{secret.pk}/edit/", {
        "last_name": "Zorglub", "company": "Secretco", "number1": "06 99 99 99 98"})
    assert response.status_code == 302, response.content
    secret.refresh_from_db()
    assert secret.number1 == "0699999998" and secret.private
    assert AuditEntry.objects.filter(object_type="directory.Contact",
                                     object_id=str(secret.pk), action="update").exists()

    # Shared contacts: managed by administrators only.
    assert alice.get(f"/directory/contacts/{shared.pk}/edit/").status_code == 403
    assert alice.post(f"/directory/contacts/{shared.pk}/delete/").status_code == 403
    assert admin.get(f"/directory/contacts/{shared.pk}/edit/").status_code == 200
    # A plain user's new contact is private, whatever they send.
    bob.post("/directory/contacts/new/", {"last_name": "Bobsfriend", "number1": "0612",
                                          "private": ""})
    made = Contact.objects.get(last_name="Bobsfriend")
    assert made.private and made.owner == people["bob"]
    assert "Bobsfriend" not in alice.get("/directory/").content.decode()
    admin.post("/directory/contacts/new/", {"last_name": "Everybody", "number1": "0613"})
    assert not Contact.objects.get(last_name="Everybody").private

    assert bob.post(f"/directory/contacts/{made.pk}/delete/").status_code == 302
    assert not Contact.objects.filter(pk=made.pk).exists()


def test_numbers_and_names_are_validated(people):
    alice = client_for(people["alice"])
    for bad in ("12a4", "1", "+", "0612;4", "+" + "1" * 21, "**1"):
        response = alice.post("/directory/contacts/new/", {"last_name": "X", "number1": bad})
        assert response.status_code == 200, bad
        assert response.context["form"].errors, bad
    response = alice.post("/directory/contacts/new/", {"last_name": "Bad\nName",
                                                       "number1": "0612"})
    assert response.context["form"].errors
    response = alice.post("/directory/contacts/new/", {"last_name": "", "number1": "0612"})
    assert response.context["form"].errors
    assert not Contact.objects.filter(owner=people["alice"]).exclude(
        last_name="Zorglub").exists()


# -- import and export ---------------------------------------------------------------------
def upload(client: Client, text: str):
    return client.post("/directory/contacts/import/", {
        "file": SimpleUploadedFile("contacts.csv", text.encode(), "text/csv")})


HEADER = "first_name;last_name;company;number1;number2;number3;private\n"


def test_import_is_all_or_nothing_and_export_reimports(people):
    admin = client_for(people["admin"])
    before = Contact.objects.count()
    bad = HEADER + "Ann;Ok;;0611111111;;;no\nBen;Bad;;12ab;;;no\nCid;;;;;;maybe\n"
    response = upload(admin, bad)
    problems = {(p.line, p.column) for p in response.context["plan"].problems}
    assert (3, "number1") in problems and (4, "private") in problems, problems
    assert admin.post("/directory/contacts/import/", {"confirm": "1"}).status_code == 302
    assert Contact.objects.count() == before  # nothing imported

    good = HEADER + "Ann;Ok;;06 11 11 11 11;;;no\nBen;Fine;Co;0622;+4122;;yes\n"
    response = upload(admin, good)
    assert response.context["plan"].ok
    admin.post("/directory/contacts/import/", {"confirm": "1"})
    assert Contact.objects.count() == before + 2
    assert Contact.objects.get(last_name="Ok").number1 == "0611111111"
    assert Contact.objects.get(last_name="Fine").private

    exported = admin.get("/directory/contacts/export/").getvalue().decode("utf-8-sig")
    assert exported.splitlines()[0] == HEADER.strip().replace(";", ",")
    assert "Ok" in exported and "Zorglub" not in exported

    # A plain user imports private contacts only.
    alice = client_for(people["alice"])
    response = upload(alice, HEADER + "Dan;Shared;;0633;;;no\n")
    assert [p.column for p in response.context["plan"].problems] == ["private"]
    response = upload(alice, HEADER + "Dan;Mine;;0633;;;\n")
    assert response.context["plan"].ok
    alice.post("/directory/contacts/import/", {"confirm": "1"})
    assert Contact.objects.get(last_name="Mine").private
    assert Contact.objects.get(last_name="Mine").owner == people["alice"]


# -- phone books ---------------------------------------------------------------------------
def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def digest_get(client: Client, url: str, user: str, password: str, *, realm="centrex"):
    """GET with HTTP Digest (qop=auth), answering the server's challenge as a phone does."""
    first = client.get(url)
    assert first.status_code == 401
    challenge = first["WWW-Authenticate"]
    assert challenge.startswith("Digest ") and 'realm="centrex"' in challenge
    nonce = challenge.split('nonce="')[1].split('"')[0]
    ha1 = _md5(f"{user}:{realm}:{password}")
    ha2 = _md5(f"GET:{url}")
    answer = _md5(f"{ha1}:{nonce}:00000001:abcdef:auth:{ha2}")
    header = (f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{url}", '
              f'qop=auth, nc=00000001, cnonce="abcdef", response="{answer}", algorithm=MD5')
    return client.get(url, HTTP_AUTHORIZATION=header)


def test_phone_books_need_the_phones_digest_credentials_and_hold_no_private_contact(
        asterisk, people):
    phone, password = create_phone_with_user("2801", "Carol Phonebook")
    client = Client()
    for url in ("/directory/phonebook/yealink.xml", "/directory/phonebook/grandstream.xml"):
        assert client.get(url).status_code == 401
        wrong = digest_get(client, url, phone.sip_username, password + "x")
        assert wrong.status_code == 401
        assert digest_get(client, url, "nobody", password).status_code == 401
        assert client.get(url, HTTP_AUTHORIZATION="Basic Zm9vOmJhcg==").status_code == 401
        forged = client.get(url, HTTP_AUTHORIZATION=(
            f'Digest username="{phone.sip_username}", realm="centrex", nonce="1.x", '
            f'uri="{url}", response="0"'))
        assert forged.status_code == 401

        response = digest_get(client, url, phone.sip_username, password)
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("application/xml")
        root = ET.fromstring(response.content)  # noqa: S314 — our own answer, well-formed
        text = response.content.decode()
        assert "Zorglub" not in text and "0699999999" not in text  # private
        assert "Dupont" in text and "+33140000000" in text and "2801" in text
        if "yealink" in url:
            assert root.tag == "YealinkIPPhoneDirectory"
            names = {e.findtext("Name"): [t.text for t in e.findall("Telephone")]
                     for e in root.findall("DirectoryEntry")}
            assert names["Alice Martin"] == ["201"]
            assert names["Jean Dupont"] == ["+33140000000"]
        else:
            assert root.tag == "AddressBook" and root.findtext("version") == "1"
            assert {p.findtext("accountindex") for p in root.iter("Phone")} == {"0"}
            people_ = {(c.findtext("FirstName"), c.findtext("LastName")):
                       [p.findtext("phonenumber") for p in c.findall("Phone")]
                       for c in root.findall("Contact")}
            assert people_[("Alice", "Martin")] == ["201"]
            assert people_[("Jean", "Dupont")] == ["+33140000000"]


# -- the API -------------------------------------------------------------------------------
def test_api_contacts_follow_the_same_rules(people):
    alice, bob, admin = (api_client(people[n]) for n in ("alice", "bob", "admin"))
    secret, shared = people["secret"], people["shared"]
    listed = {c["last_name"] for c in alice.get("/api/v1/contacts").json()["items"]}
    assert listed == {"Zorglub", "Dupont"}
    listed = {c["last_name"] for c in bob.get("/api/v1/contacts").json()["items"]}
    assert listed == {"Dupont"}
    assert bob.get(f"/api/v1/contacts/{secret.pk}").status_code == 404
    assert admin.get(f"/api/v1/contacts/{secret.pk}").status_code == 404
    assert bob.patch(f"/api/v1/contacts/{secret.pk}", {"last_name": "Hacked"},
                     content_type="application/json").status_code == 404
    assert bob.delete(f"/api/v1/contacts/{secret.pk}").status_code == 404
    assert bob.patch(f"/api/v1/contacts/{shared.pk}", {"last_name": "Hacked"},
                     content_type="application/json").status_code == 403
    assert alice.get("/api/v1/contacts", {"q": "zorg"}).json()["count"] == 1

    made = bob.post("/api/v1/contacts", {"last_name": "Viaapi", "number1": "0644",
                                         "private": False}, content_type="application/json")
    assert made.status_code == 403, made.content  # shared: managers only
    made = bob.post("/api/v1/contacts", {"last_name": "Viaapi", "number1": "0644"},
                    content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["private"] is True
    bad = bob.post("/api/v1/contacts", {"last_name": "Bad", "number1": "06;44"},
                   content_type="application/json")
    assert bad.status_code == 400 and "number1" in bad.json()["errors"]
    pk = made.json()["id"]
    assert bob.patch(f"/api/v1/contacts/{pk}", {"company": "Bobco"},
                     content_type="application/json").json()["company"] == "Bobco"
    assert alice.get(f"/api/v1/contacts/{pk}").status_code == 404
    shared_made = admin.post("/api/v1/contacts", {"last_name": "Allofus", "number1": "0655",
                                                  "private": False},
                             content_type="application/json")
    assert shared_made.status_code == 201, shared_made.content
    assert bob.delete(f"/api/v1/contacts/{pk}").status_code == 204
    assert not Contact.objects.filter(pk=pk).exists()


# -- click-to-call (a real call) -----------------------------------------------------------
def test_click_to_call_rings_my_phone_then_dials_the_number(asterisk, sip):
    me, my_password = create_phone_with_user("2901", "Dora Clicker")
    other, other_password = create_phone_with_user("2902", "Eve Target")
    target = contact(me.user, "Targetco", "2902", private=True, first_name="Eve")

    mine = sip.callee(me.sip_username, my_password, "uas_answer", ring_ms=500, timeout=30)
    theirs = sip.callee(other.sip_username, other_password, "uas_answer", ring_ms=500,
                        timeout=30)
    page = client_for(me.user)
    response = page.post("/directory/call/", {"number": target.number1}, follow=True)
    assert "Your phone 2901 rings" in response.content.decode(), response.content

    invite = mine.wait_for_log("INVITE FROM", timeout=15)
    assert "Eve Targetco" in invite, invite  # my phone shows whom it is about to call
    mine.wait_for_log("ANSWERED", timeout=10)
    # Only once my phone answered does Asterisk dial the number, from my extension.
    their_invite = theirs.wait_for_log("INVITE FROM", timeout=15)
    assert "<sip:2901@" in their_invite, their_invite
    theirs.wait_for_log("ANSWERED", timeout=10)
    channels = asterisk.cli("core show channels concise")
    assert f"PJSIP/{me.sip_username}-" in channels and f"PJSIP/{other.sip_username}-" in \
        channels, channels
    asterisk.cli("channel request hangup all")
    for side, proc in (("my phone", mine), ("the called phone", theirs)):
        result = proc.wait(timeout=10)
        result.assert_ok(side)
        assert result.has_log("ANSWERED") and result.has_log("HUNG UP BY PEER"), \
            result.describe()


def test_click_to_call_refuses_bad_numbers(people):
    response = client_for(people["alice"]).post("/directory/call/", {"number": "20;1"},
                                                follow=True)
    assert "phone number is made of" in response.content.decode()
    assert client_for(people["alice"]).get("/directory/call/").status_code == 405
