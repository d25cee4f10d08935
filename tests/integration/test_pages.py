"""The administration pages and "My account", through Django's test client.

Pages that only touch the database run without Asterisk; those that change phones (which
must reach Asterisk) or show their live state use the session's managed Asterisk and a real
SIP registration (SIPp). Assertions are on English text (the client asks for English) or on
data, so they do not depend on the French catalogue being compiled.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from centrex.core.models import AuditEntry, Department, SiteSettings, User
from centrex.pbx.apply import ApplyError
from centrex.pbx.connection import Target
from centrex.telephony import services
from centrex.telephony.models import Phone
from centrex.telephony.services import create_phone_with_user
from tests.integration.test_apply import endpoint_exists
from tests.sipp import free_udp_port

PASSWORD = "correct horse battery staple"


def make_user(username: str, *profiles: str, **fields) -> User:
    user = User.objects.create_user(username, password=PASSWORD, **fields)
    user.groups.add(*Group.objects.filter(name__in=profiles))
    return user


def client_for(user: User) -> Client:
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def admin(db) -> User:
    return make_user("boss", "admin", first_name="Bea", last_name="Boss")


@pytest.fixture
def web(admin) -> Client:
    return client_for(admin)


def offline_phone(extension: str, name: str = "Desk", user: User | None = None) -> Phone:
    """A phone saved without applying (for pages that only read it)."""
    phone = Phone(extension=extension, name=name, user=user)
    phone.set_sip_password()
    phone.save()
    return phone


def text(response) -> str:
    return response.content.decode()


def errors_of(response, form: str = "form") -> dict:
    return response.context[form].errors


@pytest.fixture
def asterisk_down(monkeypatch):
    """Asterisk unreachable: AMI points at a closed port."""
    closed = Target(mode="external", ami={"host": "127.0.0.1", "port": 9, "username": "x",
                                          "secret": "y"},
                    config_dir=Path("/nonexistent"), spool_dir=Path("/nonexistent"),
                    sip_host="127.0.0.1", sip_port=5060, realtime_db=Path("/nonexistent"))
    monkeypatch.setattr(services, "target", lambda: closed)


# -- every page renders ----------------------------------------------------------------------
LIST_AND_FORM_PAGES = ["user-list", "user-create", "user-import", "department-list",
                       "department-create", "phone-list", "phone-create", "journal",
                       "site-settings", "account"]


@pytest.mark.parametrize("name", LIST_AND_FORM_PAGES)
def test_pages_render_for_an_administrator(web, name, asterisk_down):
    response = web.get(reverse(name))
    assert response.status_code == 200
    assert "<h1>" in text(response)


def test_detail_pages_render(web, admin, asterisk_down):
    dept = Department.objects.create(name="Sales")
    alice = make_user("alice", "stats", first_name="Alice", last_name="Martin",
                      department=dept)
    phone = offline_phone("2001", "Alice Martin", alice)
    for url in [alice.get_absolute_url(), reverse("user-edit", args=[alice.pk]),
                reverse("user-delete", args=[alice.pk]),
                reverse("user-password", args=[alice.pk]), dept.get_absolute_url(),
                reverse("department-edit", args=[dept.pk]),
                reverse("department-delete", args=[dept.pk]), phone.get_absolute_url(),
                reverse("phone-edit", args=[phone.pk]), reverse("phone-delete", args=[phone.pk]),
                reverse("phone-secret", args=[phone.pk]),
                AuditEntry.objects.first().get_absolute_url()]:
        response = web.get(url)
        assert response.status_code == 200, url
    page = text(web.get(alice.get_absolute_url()))
    assert "Alice Martin" in page and "2001" in page and "Sales" in page
    assert "Global statistics" in page  # profiles by their label


def test_a_plain_user_cannot_open_the_administration(db, asterisk_down):
    plain = client_for(make_user("joe"))
    for name in ["user-list", "user-create", "department-list", "phone-list", "journal",
                 "site-settings"]:
        assert plain.get(reverse(name)).status_code == 403, name
    assert plain.get(reverse("account")).status_code == 200


def test_pages_ask_anonymous_visitors_to_sign_in(db):
    response = Client(HTTP_HOST="127.0.0.1").get(reverse("user-list"))
    assert response.status_code == 302 and reverse("signin") in response["Location"]


# -- users -------------------------------------------------------------------------------------
def user_data(**overrides) -> dict:
    data = {"username": "alice", "first_name": "Alice", "last_name": "Martin",
            "email": "alice@example.com", "is_active": "on", "profiles": ["stats"],
            "give_password": "on"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_user_created_without_a_phone_gets_a_first_password_shown_once(web):
    response = web.post(reverse("user-create"), user_data())
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    alice = User.objects.get(username="alice")
    password = response.context["items"][1]["value"]
    assert alice.check_password(password) and alice.must_change_password
    assert list(alice.groups.values_list("name", flat=True)) == ["stats"]
    assert password in text(response)
    assert password not in text(web.get(alice.get_absolute_url()))
    assert AuditEntry.objects.filter(action="profiles_changed", object_id=str(alice.pk)).exists()


def test_user_created_without_a_first_password_cannot_sign_in(web):
    response = web.post(reverse("user-create"), user_data(give_password=None))
    alice = User.objects.get(username="alice")
    assert response.status_code == 302 and response["Location"] == alice.get_absolute_url()
    assert not alice.has_usable_password()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"username": ""}, "username"),
    ({"username": "alice martin!"}, "username"),
    ({"first_name": "Alice\n[evil]"}, "first_name"),
    ({"last_name": "Mar;tin"}, "last_name"),
    ({"email": "not-an-email"}, "email"),
    ({"extension": "12a"}, "extension"),
    ({"extension": "2001;Hangup"}, "extension"),
    ({"extension": "2050", "phone_name": "Desk <1>"}, "phone_name"),
    ({"profiles": ["nonexistent"]}, "profiles"),
])
def test_user_form_names_the_wrong_field_and_saves_nothing(web, overrides, field):
    users = User.objects.count()
    response = web.post(reverse("user-create"), user_data(**overrides))
    assert response.status_code == 200
    assert field in errors_of(response), errors_of(response)
    assert User.objects.count() == users and not Phone.objects.exists()
    assert 'class="errorlist' in text(response)


def test_user_form_refuses_a_taken_user_name_and_extension(web, admin):
    offline_phone("2001")
    response = web.post(reverse("user-create"),
                        user_data(username=admin.username, extension="2001"))
    errors = errors_of(response)
    assert "username" in errors and "extension" in errors
    assert "This extension is already used." in errors["extension"]


def test_user_edit_changes_fields_and_profiles(web):
    alice = make_user("alice", "stats")
    dept = Department.objects.create(name="Support")
    response = web.post(reverse("user-edit", args=[alice.pk]), user_data(
        first_name="Alicia", department=dept.pk, profiles=["compta", "appels"]))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.first_name == "Alicia" and alice.department == dept
    assert sorted(alice.groups.values_list("name", flat=True)) == ["appels", "compta"]
    entry = AuditEntry.objects.filter(action="profiles_changed").first()
    assert entry.changes == {"profiles": [["stats"], ["appels", "compta"]]}


def test_administrators_cannot_lock_themselves_out(web, admin):
    response = web.post(reverse("user-edit", args=[admin.pk]), user_data(
        username=admin.username, is_active=None, profiles=["stats"]))
    assert {"is_active", "profiles"} <= set(errors_of(response))
    response = web.post(reverse("user-delete", args=[admin.pk]))
    assert response.status_code == 302
    assert User.objects.filter(pk=admin.pk).exists()


def test_giving_a_new_password_shows_it_once(web):
    alice = make_user("alice")
    assert web.get(reverse("user-password", args=[alice.pk])).status_code == 200
    response = web.post(reverse("user-password", args=[alice.pk]))
    password = response.context["items"][1]["value"]
    alice.refresh_from_db()
    assert alice.check_password(password) and alice.must_change_password
    assert response["Cache-Control"] == "no-store"


def test_deleting_a_user_without_phones(web):
    alice = make_user("alice")
    page = text(web.get(reverse("user-delete", args=[alice.pk])))
    assert "Delete the user" in page
    response = web.post(reverse("user-delete", args=[alice.pk]))
    assert response.status_code == 302 and not User.objects.filter(username="alice").exists()
    assert AuditEntry.objects.filter(action="delete", object_type="core.User").exists()


def test_an_apply_refused_by_asterisk_saves_nothing(web, monkeypatch):
    def refuse():
        raise ApplyError("refused for the test")

    monkeypatch.setattr(services, "apply", refuse)
    response = web.post(reverse("user-create"), user_data(extension="2070"))
    assert response.status_code == 200
    assert "Asterisk did not take the change" in text(response)
    assert "refused for the test" in text(response)
    assert not User.objects.filter(username="alice").exists()
    assert not Phone.objects.exists()


# -- departments -----------------------------------------------------------------------------
def test_department_create_edit_delete(web):
    response = web.post(reverse("department-create"), {"name": "Sales"})
    dept = Department.objects.get(name="Sales")
    assert response["Location"] == dept.get_absolute_url()
    response = web.post(reverse("department-create"), {"name": "Sales"})
    assert "A department with this name exists." in errors_of(response)["name"]
    response = web.post(reverse("department-create"), {"name": "Sales [2]"})
    assert "name" in errors_of(response)
    web.post(reverse("department-edit", args=[dept.pk]), {"name": "Sales team"})
    dept.refresh_from_db()
    assert dept.name == "Sales team"
    alice = make_user("alice", department=dept)
    assert "alice" in text(web.get(dept.get_absolute_url()))
    response = web.post(reverse("department-delete", args=[dept.pk]))
    assert response.status_code == 302 and not Department.objects.exists()
    alice.refresh_from_db()
    assert alice.department is None


# -- the list helper -------------------------------------------------------------------------
def rows_of(response) -> list[str]:
    return [str(row["object"]) for row in response.context["rows"]]


def test_lists_sort_search_and_paginate(web):
    Department.objects.bulk_create(Department(name=f"Dept {i:02d}") for i in range(30))
    url = reverse("department-list")
    first = web.get(url)
    assert first.context["total"] == 30 and len(rows_of(first)) == 25
    assert rows_of(first)[0] == "Dept 00"
    second = web.get(url, {"page": 2})
    assert rows_of(second) == [f"Dept {i}" for i in range(25, 30)]
    assert rows_of(web.get(url, {"sort": "-name"}))[0] == "Dept 29"
    assert rows_of(web.get(url, {"q": "dept 1"})) == [f"Dept {i}" for i in range(10, 20)]
    assert rows_of(web.get(url, {"sort": "password"}))[0] == "Dept 00"  # not a column
    assert web.get(url, {"page": "999"}).context["page"].number == 2  # last page
    page = text(web.get(url, {"q": "dept 1"}))
    assert "sort=-name" in page and "q=dept+1" in page  # sort links keep the search


def test_list_search_across_a_relation_does_not_repeat_rows(web):
    alice = make_user("alice")
    offline_phone("2011", user=alice)
    offline_phone("2012", user=alice)
    assert rows_of(web.get(reverse("user-list"), {"q": "201"})) == ["alice"]


def test_list_export_follows_the_search(web):
    Department.objects.bulk_create(Department(name=n) for n in ["Sales", "Support", "R&D"])
    response = web.get(reverse("department-list"), {"q": "s", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines == ["Name,Users,Phones", "Sales,0,0", "Support,0,0"]
    xlsx = web.get(reverse("department-list"), {"export": "xlsx"})
    assert xlsx.content[:2] == b"PK"


# -- journal -----------------------------------------------------------------------------------
def test_journal_filters_and_shows_before_and_after(web, admin):
    dept = Department.objects.create(name="Sales")
    web.post(reverse("department-edit", args=[dept.pk]), {"name": "Sales team"})
    url = reverse("journal")
    updates = web.get(url, {"action": "update", "object_type": "core.Department"})
    assert len(rows_of(updates)) == 1
    entry = updates.context["rows"][0]["object"]
    assert entry.actor_name == admin.username
    today = timezone.localdate()
    assert rows_of(web.get(url, {"action": "update", "since": today.isoformat()}))
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert rows_of(web.get(url, {"since": tomorrow})) == []
    assert rows_of(web.get(url, {"actor": "nobody"})) == []
    assert rows_of(web.get(url, {"q": "Sales team", "action": "update"}))
    bad = web.get(url, {"since": tomorrow, "until": today.isoformat()})
    assert "until" in bad.context["filters"].errors and rows_of(bad) == []
    page = text(web.get(entry.get_absolute_url()))
    assert "Sales" in page and "Sales team" in page and 'class="before"' in page
    exported = web.get(url, {"action": "update", "export": "csv"})
    lines = b"".join(exported.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("When,Who,Source,Address,Action,Object type,Object")
    assert len(lines) == 2 and "Sales team" in lines[1] and lines[1].endswith(",Name")


def test_journal_masks_secrets(web):
    alice = make_user("alice")
    web.post(reverse("user-password", args=[alice.pk]))
    entry = AuditEntry.objects.filter(object_type="core.User", action="update").first()
    page = text(web.get(entry.get_absolute_url()))
    assert "••••••" in page and alice.password not in page


def test_journal_is_for_journal_readers_only(db):
    assert client_for(make_user("joe", "stats")).get(reverse("journal")).status_code == 403


# -- site settings ---------------------------------------------------------------------------
def test_site_settings_validate_networks(web):
    url = reverse("site-settings")
    response = web.post(url, {"admin_networks": "10.0.0.0/8\nnot a network"})
    assert "Line 2 is not a network" in text(response)
    response = web.post(url, {"admin_networks": "10.0.0.0/8"})
    assert "Your own address (127.0.0.1)" in text(response)
    assert SiteSettings.get().admin_networks == ""
    response = web.post(url, {"admin_networks": " 127.0.0.0/8 \n\n192.168.1.0/24"})
    assert response.status_code == 302
    assert SiteSettings.get().admin_networks == "127.0.0.0/8\n192.168.1.0/24"


# -- phones (these reach Asterisk) -------------------------------------------------------------
def test_phone_page_when_asterisk_is_unreachable(web, asterisk_down):
    phone = offline_phone("2090")
    response = web.get(phone.get_absolute_url())
    assert response.status_code == 200
    assert "Asterisk cannot be reached" in text(response)
    listing = web.get(reverse("phone-list"))
    assert listing.status_code == 200 and "Asterisk cannot be reached" in text(listing)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_user_created_with_a_phone_registers_and_the_phone_page_shows_it(asterisk, request):
    sipp = request.getfixturevalue("sip")  # SIPp phones (tests/conftest.py)
    web = client_for(make_user("boss", "admin"))
    response = web.post(reverse("user-create"), user_data(extension="2101",
                                                          phone_name="Alice M."))
    assert response.status_code == 200, errors_of(response)
    shown = {i["key"]: i["value"] for i in response.context["items"]}
    phone = Phone.objects.get(extension="2101")
    assert phone.user.username == "alice" and phone.name == "Alice M."
    assert shown["sip_username"] == phone.sip_username
    assert shown["sip_server"] == f"127.0.0.1:{asterisk.sip_port}"

    before = text(web.get(phone.get_absolute_url()))
    assert "No device is registered" in before
    port = free_udp_port()
    sipp.register(phone.sip_username, shown["sip_password"], local_port=port).assert_ok()
    page = web.get(phone.get_absolute_url())
    assert page.context["reg"].registered
    assert f"127.0.0.1:{port}" in text(page) and "centrex-tests-sipp" in text(page)
    assert shown["sip_password"] not in text(page)
    listing = web.get(reverse("phone-list"))
    row = next(r for r in listing.context["rows"] if r["object"].pk == phone.pk)
    assert [str(v) for _c, v in row["cells"]][4:6] == ["registered", f"127.0.0.1:{port}"]


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_regenerating_the_secret_shows_it_once_and_only_it_works(asterisk, request):
    sipp = request.getfixturevalue("sip")  # SIPp phones (tests/conftest.py)
    web = client_for(make_user("boss", "admin"))
    phone, old = create_phone_with_user("2102", "Bob Secret")
    url = reverse("phone-secret", args=[phone.pk])
    assert "new SIP secret" in text(web.get(url))
    response = web.post(url)
    new = {i["key"]: i["value"] for i in response.context["items"]}["sip_password"]
    assert new != old and new in text(response)
    assert response["Cache-Control"] == "no-store"
    assert new not in text(web.get(phone.get_absolute_url()))
    assert sipp.register_refused(phone.sip_username, old).ok
    sipp.register(phone.sip_username, new).assert_ok("REGISTER with the new secret")
    assert AuditEntry.objects.filter(action="secret_regenerated",
                                     object_id=str(phone.pk)).exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_phone_create_edit_delete_reach_asterisk(asterisk):
    web = client_for(make_user("boss", "admin"))
    carol = make_user("carol", first_name="Carol", last_name="Lee")
    new_url = f"{reverse('phone-create')}?user={carol.pk}"
    assert web.get(new_url).context["form"].initial["name"] == "Carol Lee"
    response = web.post(new_url, {"extension": "2103", "name": "Carol Lee", "user": carol.pk,
                                  "ring_timeout": 25, "voicemail_enabled": "on"})
    assert response.status_code == 200
    phone = Phone.objects.get(extension="2103")
    assert endpoint_exists(asterisk, phone.sip_username)

    response = web.post(reverse("phone-create"), {"extension": "2103", "name": "Dup",
                                                  "ring_timeout": 20})
    assert "This extension is already used." in errors_of(response)["extension"]
    response = web.post(reverse("phone-edit", args=[phone.pk]), {
        "extension": "2104", "name": "Carol L.", "user": carol.pk, "ring_timeout": 4,
        "new_pin": "12"})
    assert {"ring_timeout", "new_pin"} <= set(errors_of(response))

    response = web.post(reverse("phone-edit", args=[phone.pk]), {
        "extension": "2104", "name": "Carol L.", "user": carol.pk, "ring_timeout": 30,
        "new_pin": "482913"})
    assert response.status_code == 302
    phone.refresh_from_db()
    assert (phone.extension, phone.voicemail_pin, phone.ring_timeout) == ("2104", "482913", 30)
    assert "exten => 2104," in (asterisk.etc_dir / "centrex_extensions.conf").read_text()

    web.post(reverse("phone-delete", args=[phone.pk]))
    assert not Phone.objects.exists()
    assert not endpoint_exists(asterisk, phone.sip_username)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_deleting_a_user_with_their_phones(asterisk):
    web = client_for(make_user("boss", "admin"))
    phone, _password = create_phone_with_user("2105", "Dan Gone")
    page = text(web.get(reverse("user-delete", args=[phone.user.pk])))
    assert "2105" in page and "Delete their phones too" in page
    web.post(reverse("user-delete", args=[phone.user.pk]), {"with_phones": "on"})
    assert not Phone.objects.exists()
    assert not endpoint_exists(asterisk, phone.sip_username)


# -- my account ------------------------------------------------------------------------------
def test_account_without_a_phone(db):
    joe = client_for(make_user("joe", first_name="Joe"))
    page = text(joe.get(reverse("account")))
    assert "No phone is assigned to you." in page
    assert reverse("account-pin") not in page
    assert joe.get(reverse("account-pin")).status_code == 302


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_account_shows_my_phone_and_changes_my_pin(asterisk):
    phone, _password = create_phone_with_user("2106", "Eve Pin")
    eve = client_for(phone.user)
    page = text(eve.get(reverse("account")))
    assert "2106" in page and phone.sip_username in page and reverse("account-pin") in page
    url = reverse("account-pin")
    cases = [({"pin": "12ab", "confirm": "12ab"}, "pin"),
             ({"pin": "1234", "confirm": "1234"}, "pin"),
             ({"pin": "5555", "confirm": "5555"}, "pin"),
             ({"pin": "2106", "confirm": "2106"}, "pin"),
             ({"pin": "482913", "confirm": "482914"}, "confirm")]
    for data, field in cases:
        assert field in errors_of(eve.post(url, data)), data
    response = eve.post(url, {"pin": "482913", "confirm": "482913"})
    assert response.status_code == 302
    phone.refresh_from_db()
    assert phone.voicemail_pin == "482913"
    record = (asterisk.etc_dir / "centrex_voicemail_realtime.conf").read_text()
    assert "482913" in record
