"""The journal of changes: every change made through the pages, the API or the command line
records who, when, from where and what changed (before/after of each field), with secrets
masked, deletes included.

A probe view mounted next to the real URL map makes ORM changes inside a real request (the
whole middleware stack), so the plumbing is tested whatever pages exist; the real pages and
API operations are exercised too, as they appear.
"""

from __future__ import annotations

import json
import re

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import include, path, reverse

from centrex.core import audit, roles
from centrex.core.models import AuditEntry, Department, SiteSettings, User
from centrex.telephony.models import Phone
from tests.factories import (
    PASSWORD,
    api_token,
    client_for,
    make_department,
    make_phone,
    make_user,
    token_model,
)
from tests.integration.helpers import centrex

pytestmark = pytest.mark.django_db

MASK = audit.MASK


def entries(**filters) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


def entry_for(obj, action: str) -> AuditEntry:
    found = entries(object_type=obj._meta.label, object_id=str(obj.pk), action=action)
    assert len(found) == 1, (action, obj, [(e.action, e.changes) for e in entries()])
    return found[0]


def assert_no_secret(*secrets: str) -> None:
    """No journal entry holds any of these values, in any field."""
    for entry in AuditEntry.objects.all():
        text = json.dumps(entry.changes, ensure_ascii=False) + entry.object_repr
        for secret in secrets:
            assert secret not in text, (secret, entry.action, entry.changes)


# -- a probe view: ORM changes inside a real web request ---------------------------------------
def _probe(request):
    """Create, change and delete a department and a phone, as a page would."""
    dept = Department.objects.create(name="Probe")
    dept.name = "Probe renamed"
    dept.save()
    owner = User.objects.get(username=request.GET["owner"])
    phone = make_phone("777", user=owner, voicemail_pin="4321")
    phone.voicemail_pin = "8765"
    phone.ring_timeout = 30
    phone.save()
    request.session["probe"] = {"department": dept.pk, "phone": phone.pk}
    phone.delete()
    dept.delete()
    return HttpResponse("ok")


urlpatterns = [
    path("probe/", _probe),
    path("api/probe/", _probe),
    path("", include("centrex.urls")),
]


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("prefix,source", [("", "web"), ("api/", "api")])
def test_orm_changes_in_a_request_are_journaled_with_who_where_and_what(prefix, source):
    actor = make_user("alice", profile="admin")
    client = client_for(actor)
    AuditEntry.objects.all().delete()
    response = client.get(f"/{prefix}probe/", {"owner": "alice"}, REMOTE_ADDR="198.51.100.23")
    assert response.status_code == 200

    got = entries()
    assert [(e.object_type, e.action) for e in got] == [
        ("core.Department", "create"), ("core.Department", "update"),
        ("telephony.Phone", "create"), ("telephony.Phone", "update"),
        ("telephony.Phone", "delete"), ("core.Department", "delete"),
    ]
    for entry in got:
        assert entry.source == source
        assert entry.actor == actor and entry.actor_name == "alice"
        assert entry.address == "198.51.100.23"
        assert entry.at is not None
    dept_create, dept_update, phone_create, phone_update, phone_delete, dept_delete = got

    assert dept_create.changes["name"] == [None, "Probe"]
    assert dept_update.changes == {"name": ["Probe", "Probe renamed"]}
    assert dept_update.object_repr == "Probe renamed"
    assert dept_delete.changes["name"] == ["Probe renamed", None]
    assert dept_delete.object_id == str(client.session["probe"]["department"])

    assert phone_create.changes["extension"] == [None, "777"]
    assert phone_create.changes["voicemail_pin"] == [MASK, MASK]
    assert phone_create.changes["sip_ha1"] == [MASK, MASK]
    assert phone_update.changes == {"voicemail_pin": [MASK, MASK], "ring_timeout": [20, 30]}
    assert phone_delete.changes["extension"] == ["777", None]
    assert phone_delete.changes["user_id"] == [actor.pk, None]
    assert phone_delete.changes["sip_ha1"] == [MASK, MASK]
    assert_no_secret("4321", "8765")


def test_unchanged_save_writes_no_entry():
    dept = make_department("Sales")
    before = AuditEntry.objects.count()
    dept.save()
    assert AuditEntry.objects.count() == before


def test_changes_outside_any_request_are_attributed_to_the_system():
    dept = make_department("Sales")
    entry = entry_for(dept, "create")
    assert entry.source == "system" and entry.actor is None and entry.address == ""


# -- real pages ------------------------------------------------------------------------------
def test_password_change_page_is_journaled_with_the_password_masked():
    user = make_user("alice")
    old_hash = user.password
    AuditEntry.objects.all().delete()
    new = "the quick brown fox sleeps"
    response = client_for(user).post(reverse("account-password"),
                                     {"current": PASSWORD, "new": new, "confirm": new},
                                     REMOTE_ADDR="198.51.100.5")
    assert response.status_code == 302
    entry = entry_for(user, "update")
    assert entry.source == "web" and entry.actor == user and entry.address == "198.51.100.5"
    assert entry.changes["password"] == [MASK, MASK]
    user.refresh_from_db()
    assert_no_secret(new, old_hash, user.password, PASSWORD)


def test_sign_in_is_journaled_with_the_user_and_address():
    user = make_user("alice")
    AuditEntry.objects.all().delete()
    Client().post("/signin/", {"username": "alice", "password": PASSWORD},
                  REMOTE_ADDR="198.51.100.6")
    entry = entry_for(user, "sign_in")
    assert entry.source == "web" and entry.address == "198.51.100.6"
    assert entry.actor == user, "the journal says who signed in in its 'who' column"
    assert_no_secret(PASSWORD)


def test_failed_sign_in_never_records_the_password_typed():
    make_user("alice")
    Client().post("/signin/", {"username": "alice", "password": "my real password, typo"},
                  REMOTE_ADDR="198.51.100.7")
    failed = entries(action="sign_in_failed")
    assert len(failed) == 1 and failed[0].address == "198.51.100.7"
    assert_no_secret("my real password")


def test_department_pages_journal_create_change_and_delete():
    admin = make_user("root", profile="admin")
    client = client_for(admin)
    where = {"REMOTE_ADDR": "198.51.100.11"}
    AuditEntry.objects.all().delete()
    assert client.post(reverse("department-create"), {"name": "Support"},
                       **where).status_code == 302
    dept = Department.objects.get(name="Support")
    assert client.post(reverse("department-edit", args=[dept.pk]), {"name": "Helpdesk"},
                       **where).status_code == 302
    assert client.post(reverse("department-delete", args=[dept.pk]), **where).status_code == 302
    assert not Department.objects.filter(pk=dept.pk).exists()

    created, changed, deleted = (entry_for(dept, a) for a in ("create", "update", "delete"))
    assert created.changes == {"id": [None, dept.pk], "name": [None, "Support"]}
    assert changed.changes == {"name": ["Support", "Helpdesk"]}
    assert deleted.changes == {"id": [dept.pk, None], "name": ["Helpdesk", None]}
    for entry in (created, changed, deleted):
        assert (entry.source, entry.actor, entry.address) == ("web", admin, "198.51.100.11")


def _profile_entries(user: User) -> list[AuditEntry]:
    return [e for e in entries(object_type="core.User", object_id=str(user.pk))
            if "profiles" in e.changes]


def test_user_page_journals_profile_changes():
    """Giving someone the admin profile is the most sensitive change there is."""
    admin = make_user("root", profile="admin")
    user = make_user("alice", profile="appels")
    AuditEntry.objects.all().delete()
    response = client_for(admin).post(reverse("user-edit", args=[user.pk]), {
        "username": "alice", "first_name": "Alice", "last_name": "Martin", "email": "",
        "department": "", "is_active": "on", "profiles": ["admin", "appels"],
    }, REMOTE_ADDR="198.51.100.12")
    assert response.status_code == 302, response.context and response.context["form"].errors
    found = _profile_entries(user)
    assert len(found) == 1
    assert found[0].changes["profiles"] == [["appels"], ["admin", "appels"]]
    assert (found[0].actor, found[0].source, found[0].address) == (
        admin, "web", "198.51.100.12")


def test_api_journals_profile_changes():
    admin = make_user("root", profile="admin")
    user = make_user("alice", profile="appels")
    AuditEntry.objects.all().delete()
    client = Client(headers={"Authorization": f"Bearer {api_token(admin)}"})
    response = client.patch(f"/api/v1/users/{user.pk}", {"profiles": ["admin", "appels"]},
                            content_type="application/json", REMOTE_ADDR="198.51.100.13")
    assert response.status_code == 200, response.content
    found = _profile_entries(user)
    assert len(found) == 1
    assert found[0].changes["profiles"] == [["appels"], ["admin", "appels"]]
    assert (found[0].actor, found[0].source, found[0].address) == (
        admin, "api", "198.51.100.13")


def test_site_settings_changes_are_journaled():
    settings = SiteSettings.get()
    settings.admin_networks = "10.0.0.0/8"
    settings.save()
    entry = entry_for(settings, "update")
    assert entry.changes == {"admin_networks": ["", "10.0.0.0/8"]}


# -- API tokens ------------------------------------------------------------------------------
needs_tokens = pytest.mark.skipif(token_model() is None, reason="no API token model yet")


@needs_tokens
def test_token_creation_and_revocation_are_journaled_without_the_secret():
    from centrex.api import tokens

    user = make_user("alice")
    with audit.acting("web", user=user, address="198.51.100.9"):
        token, clear = tokens.issue(user, "backup script")
        tokens.revoke(token)
    created = entry_for(token, "create")
    assert created.actor == user and created.source == "web"
    assert created.changes["token_hash"] == [MASK, MASK]
    assert created.changes["name"] == [None, "backup script"]
    entry_for(token, "revoke")
    assert_no_secret(clear, token.token_hash, tokens.digest(clear))


# -- the REST API ----------------------------------------------------------------------------
API = "/api/v1"


def test_api_changes_are_journaled_with_the_token_owner():
    admin = make_user("root", profile="admin")
    client = Client(headers={"Authorization": f"Bearer {api_token(admin)}"})
    where = {"REMOTE_ADDR": "198.51.100.10"}
    AuditEntry.objects.all().delete()

    response = client.post(f"{API}/departments", {"name": "Support"},
                           content_type="application/json", **where)
    assert response.status_code == 201, response.content
    dept = Department.objects.get(name="Support")
    response = client.patch(f"{API}/departments/{dept.pk}", {"name": "Helpdesk"},
                            content_type="application/json", **where)
    assert response.status_code == 200, response.content
    response = client.delete(f"{API}/departments/{dept.pk}", **where)
    assert response.status_code == 204, response.content

    created, changed, deleted = (entry_for(dept, a) for a in ("create", "update", "delete"))
    assert created.changes["name"] == [None, "Support"]
    assert changed.changes == {"name": ["Support", "Helpdesk"]}
    assert deleted.changes["name"] == ["Helpdesk", None]
    for entry in (created, changed, deleted):
        assert (entry.source, entry.actor, entry.address) == ("api", admin, "198.51.100.10")
        assert entry.actor_name == "root"


def test_api_user_password_is_masked():
    admin = make_user("root", profile="admin")
    client = Client(headers={"Authorization": f"Bearer {api_token(admin)}"})
    secret = "a long secret sentence here"
    response = client.post(f"{API}/users", {"username": "bob", "password": secret},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    bob = User.objects.get(username="bob")
    assert entry_for(bob, "create").changes["password"] == [MASK, MASK]
    assert_no_secret(secret, bob.password)


# -- the command line ------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_cli_init_admin_is_journaled_as_the_command_line():
    proc = centrex("init-admin", "--username", "chief")
    assert proc.returncode == 0, proc.stderr
    printed = re.search(r"Password[^:]*:\s*(\S+)", proc.stdout).group(1)
    admin = User.objects.get(username="chief")
    created = entry_for(admin, "create")
    assert created.source == "cli"
    assert created.actor is None and created.actor_name.endswith("(command line)")
    assert created.address == ""
    assert created.changes["username"] == [None, "chief"]
    assert created.changes["password"] == [MASK, MASK]
    assert_no_secret(printed, admin.password)


@pytest.mark.django_db(transaction=True)
def test_cli_first_admin_profile_is_journaled():
    """The administrator profile the first admin gets is a change like any other."""
    assert centrex("init-admin", "--username", "chief").returncode == 0
    admin = User.objects.get(username="chief")
    found = [e for e in entries(object_type="core.User", object_id=str(admin.pk))
             if "profiles" in e.changes]
    assert found, "the first administrator's profile left no journal entry"
    assert found[0].changes["profiles"][1] == [roles.ADMIN]
    assert found[0].source == "cli"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_cli_phone_create_is_journaled_as_the_command_line(asterisk):
    proc = centrex("phone", "create", "--extension", "281", "--name", "Audit Trail",
                   "--department", "Audit", "--json")
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(proc.stdout)
    phone = Phone.objects.get(extension="281")
    for obj in (phone, phone.user, Department.objects.get(name="Audit")):
        entry = entry_for(obj, "create")
        assert entry.source == "cli", obj
        assert entry.actor_name.endswith("(command line)"), obj
    created = entry_for(phone, "create")
    assert created.changes["extension"] == [None, "281"]
    assert created.changes["name"] == [None, "Audit Trail"]
    assert created.changes["user_id"] == [None, phone.user_id]
    assert created.changes["sip_ha1"] == [MASK, MASK]
    assert created.changes["voicemail_pin"] == [MASK, MASK]
    assert_no_secret(shown["sip_password"], shown["voicemail_pin"], phone.sip_ha1)


# -- phones through the pages (applied to a real Asterisk) -------------------------------------
def _shown_secret(response) -> str:
    match = re.search(r'data-key="sip_password"><code class="secret">([^<]+)</code>',
                      response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_phone_pages_are_journaled_with_secrets_masked(asterisk):
    admin = make_user("root", profile="admin")
    owner = make_user("alice")
    client = client_for(admin)
    where = {"REMOTE_ADDR": "198.51.100.14"}
    AuditEntry.objects.all().delete()

    response = client.post(reverse("phone-create"), {
        "extension": "291", "name": "Alice Desk", "user": owner.pk, "ring_timeout": 25,
        "voicemail_enabled": "on"}, **where)
    assert response.status_code == 200, response.content
    first_secret = _shown_secret(response)
    phone = Phone.objects.get(extension="291")
    response = client.post(reverse("phone-secret", args=[phone.pk]), **where)
    second_secret = _shown_secret(response)
    pin_response = client_for(owner).post(reverse("account-pin"),
                                          {"pin": "480213", "confirm": "480213"}, **where)
    assert pin_response.status_code == 302
    assert client.post(reverse("phone-delete", args=[phone.pk]), **where).status_code == 302

    created = entry_for(phone, "create")
    assert created.changes["extension"] == [None, "291"]
    assert created.changes["ring_timeout"] == [None, 25]
    assert created.changes["sip_ha1"] == created.changes["voicemail_pin"] == [MASK, MASK]
    regenerated = entry_for(phone, "secret_regenerated")
    pin_changes = [e for e in entries(object_type="telephony.Phone", object_id=str(phone.pk),
                                      action="update") if "voicemail_pin" in e.changes]
    assert len(pin_changes) == 1 and pin_changes[0].changes["voicemail_pin"] == [MASK, MASK]
    assert pin_changes[0].actor == owner
    deleted = entry_for(phone, "delete")
    assert deleted.changes["extension"] == ["291", None]
    for entry in (created, regenerated, deleted):
        assert (entry.source, entry.actor, entry.address) == ("web", admin, "198.51.100.14")
    assert_no_secret(first_secret, second_secret, "480213")
