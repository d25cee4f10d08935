"""The REST API (/api/v1/): CRUD, validation, permission and scope per profile, tokens, and
phones that really reach Asterisk."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from centrex.api import tokens
from centrex.api.main import operation_rules
from centrex.api.models import ApiToken
from centrex.core.models import AuditEntry, Department, User
from centrex.pbx.ami.sync import run_action_list
from centrex.pbx.apply import ApplyError
from centrex.telephony.models import Phone, digest_ha1
from tests.sipp import SippRunner

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

API = "/api/v1"


class Api:
    """A JSON client that authenticates with a personal token (or not at all)."""

    def __init__(self, user: User | None = None, token: str | None = None) -> None:
        self.client = Client()
        self.token = token or (tokens.issue(user, "tests")[1] if user else None)

    def call(self, method: str, path: str, body: object = None, **query):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} \
            if body is not None else {"data": query or None}
        return getattr(self.client, method)(API + path, headers=headers, **kwargs)

    def get(self, path: str, **query):
        return self.call("get", path, **query)

    def post(self, path: str, body: object = None):
        return self.call("post", path, {} if body is None else body)

    def put(self, path: str, body: object):
        return self.call("put", path, body)

    def patch(self, path: str, body: object):
        return self.call("patch", path, body)

    def delete(self, path: str):
        return self.call("delete", path)


def make_user(username: str, profile: str | None = None, department: Department | None = None,
              **fields) -> User:
    user = User.objects.create_user(username=username, department=department, **fields)
    if profile:
        user.groups.add(Group.objects.get(name=profile))
    return user


@pytest.fixture
def admin() -> User:
    return make_user("root", "admin", first_name="Ada", last_name="Admin")


@pytest.fixture
def org():
    """Two departments, a department head of the first, a member of each, a phone each."""
    sales = Department.objects.create(name="Sales")
    support = Department.objects.create(name="Support")
    chef = make_user("chef", "chef_de_service", sales)
    alice = make_user("alice", None, sales)
    bob = make_user("bob", None, support)
    # Straight to the database (automatic apply is off in tests): these tests read only.
    Phone.objects.create(extension="301", name="Alice", user=alice, sip_ha1="0" * 32)
    Phone.objects.create(extension="302", name="Bob", user=bob, sip_ha1="0" * 32)
    return {"sales": sales, "support": support, "chef": chef, "alice": alice, "bob": bob}


def asterisk_endpoints(asterisk) -> set[str]:
    """The PJSIP endpoints Asterisk runs now, asked through AMI."""
    _response, events = run_action_list(asterisk.ami, "PJSIPShowEndpoints")
    return {event["ObjectName"] for event in events}


def names(response, key: str) -> list[str]:
    assert response.status_code == 200, response.content
    return [item[key] for item in response.json()["items"]]


# -- CRUD ----------------------------------------------------------------------------------
def test_departments_crud(admin):
    api = Api(admin)
    created = api.post("/departments", {"name": "Comptabilité"})
    assert created.status_code == 201, created.content
    dept = created.json()
    assert api.get(f"/departments/{dept['id']}").json() == dept
    assert api.patch(f"/departments/{dept['id']}", {"name": "Compta"}).json()["name"] == "Compta"
    assert api.put(f"/departments/{dept['id']}", {"name": "Finance"}).json()["name"] == "Finance"
    assert names(api.get("/departments"), "name") == ["Finance"]
    assert api.delete(f"/departments/{dept['id']}").status_code == 204
    assert api.get(f"/departments/{dept['id']}").status_code == 404


def test_users_crud_with_search_sort_pages_and_journal(admin):
    api = Api(admin)
    sales = Department.objects.create(name="Sales")
    created = api.post("/users", {
        "username": "chloe", "first_name": "Chloé", "last_name": "Petit",
        "email": "chloe@example.org", "department": sales.pk,
        "give_password": True, "profiles": ["chef_de_service"],
    })
    assert created.status_code == 201, created.content
    user = created.json()
    assert user["department"] == sales.pk and user["profiles"] == ["chef_de_service"]
    chloe = User.objects.get(username="chloe")
    assert chloe.check_password(user["first_password"]) and chloe.must_change_password
    assert "first_password" not in api.get(f"/users/{user['id']}").json()
    for n in range(30):
        make_user(f"user{n:02}", last_name=f"Zed{n:02}")

    page = api.get("/users", page=2, page_size=10, sort="-username").json()
    assert page["count"] == 32 and page["page"] == 2 and len(page["items"]) == 10
    assert page["items"][0]["username"] == "user19"
    assert names(api.get("/users", q="PETIT"), "username") == ["chloe"]

    assert api.patch(f"/users/{user['id']}", {"last_name": "Grand"}).json()["last_name"] == "Grand"
    replaced = api.put(f"/users/{user['id']}", {"username": "chloe.p"}).json()
    assert replaced["username"] == "chloe.p" and replaced["first_name"] == ""
    assert replaced["profiles"] == ["chef_de_service"]  # absent: unchanged
    assert api.delete(f"/users/{user['id']}").status_code == 204
    assert api.get(f"/users/{user['id']}").status_code == 404

    # The journal says who (the token's owner), through what, and never the password.
    entries = AuditEntry.objects.filter(object_type="core.User", object_id=str(user["id"]))
    assert {e.action for e in entries} >= {"create", "update", "delete"}
    assert {(e.actor_id, e.source) for e in entries} == {(admin.pk, "api")}
    create = entries.get(action="create", changes__has_key="username")
    assert create.changes["password"] == ["••••••", "••••••"]
    assert entries.filter(changes__has_key="profiles").exists()


def test_phone_crud_reaches_asterisk(asterisk, admin):
    api = Api(admin)
    owner = make_user("dora")
    created = api.post("/phones", {"extension": "451", "name": "Dora Lee", "user": owner.pk,
                                   "voicemail_pin": "2468"})
    assert created.status_code == 201, created.content
    phone = created.json()
    password, sip_username = phone["sip_password"], phone["sip_username"]
    assert phone["sip_port"] == asterisk.sip_port and phone["user"] == owner.pk
    assert sip_username in asterisk_endpoints(asterisk)
    stored = Phone.objects.get(pk=phone["id"])
    assert stored.sip_ha1 == digest_ha1(sip_username, password)
    assert stored.voicemail_pin == "2468"

    # Read back: no secret of any kind.
    read = api.get(f"/phones/{phone['id']}")
    assert read.status_code == 200
    for secret in (password, stored.sip_ha1, "2468"):
        assert secret not in read.content.decode()
    assert "sip_password" not in read.json()

    assert api.patch(f"/phones/{phone['id']}", {"name": "Dora L."}).json()["name"] == "Dora L."
    assert api.put(f"/phones/{phone['id']}", {"extension": "452", "name": "Dora"}).json() \
        ["extension"] == "452"
    assert "'452' =>" in asterisk.cli("dialplan show 452@centrex-internal")
    assert "'451' =>" not in asterisk.cli("dialplan show 451@centrex-internal")

    regenerated = api.post(f"/phones/{phone['id']}/secret")
    assert regenerated.status_code == 200, regenerated.content
    new_password = regenerated.json()["sip_password"]
    assert new_password != password
    assert Phone.objects.get(pk=phone["id"]).sip_ha1 == digest_ha1(sip_username, new_password)

    assert api.delete(f"/phones/{phone['id']}").status_code == 204
    assert not Phone.objects.filter(pk=phone["id"]).exists()
    assert sip_username not in asterisk_endpoints(asterisk)


def test_a_phone_made_through_the_api_registers_with_the_credentials_shown(
        asterisk, admin, tmp_path):
    api = Api(admin)
    phone = api.post("/phones", {"extension": "461", "name": "Eve Sip"}).json()
    sip = SippRunner(asterisk.sip_port, tmp_path / "sipp")
    try:
        sip.register(phone["sip_username"], phone["sip_password"]).assert_ok("REGISTER")
        new = api.post(f"/phones/{phone['id']}/secret").json()["sip_password"]
        sip.register_refused(phone["sip_username"], phone["sip_password"]).assert_ok(
            "REGISTER with the replaced password must be refused")
        sip.register(phone["sip_username"], new).assert_ok("REGISTER with the new password")
    finally:
        sip.close()


def test_a_change_asterisk_refuses_is_not_saved(admin, monkeypatch):
    def refuse(**_kwargs):
        raise ApplyError("Asterisk refused the new configuration")

    monkeypatch.setattr("centrex.telephony.services.apply", refuse)
    api = Api(admin)
    refused = api.post("/phones", {"extension": "761", "name": "Refused"})
    assert refused.status_code == 503 and refused.json()["detail"]
    assert not Phone.objects.exists()
    phone = Phone.objects.create(extension="762", name="Before", sip_ha1="0" * 32)
    assert api.patch(f"/phones/{phone.pk}", {"name": "After"}).status_code == 503
    assert api.delete(f"/phones/{phone.pk}").status_code == 503
    assert Phone.objects.get(pk=phone.pk).name == "Before"


# -- validation ----------------------------------------------------------------------------
def test_invalid_values_name_each_field(admin):
    api = Api(admin)
    Phone.objects.create(extension="601", name="Taken", sip_ha1="0" * 32)
    bad = api.post("/phones", {"extension": "12a;Hangup", "name": "Mallory\n[evil]",
                               "ring_timeout": 1, "voicemail_pin": "12"})
    assert bad.status_code == 400
    body = bad.json()
    assert body["detail"]
    assert set(body["errors"]) == {"extension", "name", "ring_timeout", "voicemail_pin"}
    assert all(isinstance(m, str) for msgs in body["errors"].values() for m in msgs)
    duplicate = api.post("/phones", {"extension": "601", "name": "Other", "user": 10**9})
    assert duplicate.status_code == 400
    assert set(duplicate.json()["errors"]) == {"extension", "user"}
    assert Phone.objects.count() == 1

    bad_user = api.post("/users", {"username": "a b", "email": "nope", "profiles": ["wizard"]})
    assert bad_user.status_code == 400
    assert set(bad_user.json()["errors"]) == {"username", "email", "profiles"}
    assert not User.objects.filter(username="a b").exists()
    assert api.post("/departments", {"name": "A;B"}).json()["errors"].keys() == {"name"}

    # Requests that do not match the schema: 422, with the field named.
    missing = api.post("/phones", {"name": "No extension"})
    assert missing.status_code == 422 and "extension" in missing.json()["errors"]
    assert "page" in api.get("/users", page=0).json()["errors"]
    assert "sort" in api.get("/users", sort="password").json()["errors"]
    assert api.get("/users/0").status_code == 422
    assert api.get(f"/users/{2**70}").status_code == 422
    wrong_type = api.post("/departments", {"name": 42})
    assert wrong_type.status_code == 422 and "name" in wrong_type.json()["errors"]
    not_json = api.client.post(f"{API}/departments", data="{oops", content_type="application/json",
                               headers={"Authorization": f"Bearer {api.token}"})
    assert not_json.status_code == 400 and not_json.json()["detail"]
    surrogate = api.client.post(f"{API}/departments", data='{"name": "\\ud800"}',
                                content_type="application/json",
                                headers={"Authorization": f"Bearer {api.token}"})
    assert surrogate.status_code == 400


def test_french_by_default_english_on_request(admin):
    api = Api(admin)
    fr = api.post("/departments", {"name": "A;B"}).json()
    en = api.client.post(f"{API}/departments", data='{"name": "A;B"}',
                         content_type="application/json",
                         headers={"Authorization": f"Bearer {api.token}",
                                  "Accept-Language": "en"}).json()
    assert fr["errors"]["name"] != en["errors"]["name"]
    assert "cannot contain" in en["errors"]["name"][0]


def test_new_password_is_shown_once(admin, org):
    api = Api(admin)
    alice = org["alice"]
    given = api.post(f"/users/{alice.pk}/password")
    assert given.status_code == 200, given.content
    password = given.json()["first_password"]
    alice.refresh_from_db()
    assert alice.check_password(password) and alice.must_change_password
    assert password not in api.get(f"/users/{alice.pk}").content.decode()
    assert Api(org["chef"]).post(f"/users/{alice.pk}/password").status_code == 403


def test_own_account_cannot_be_deleted_or_deactivated(admin):
    api = Api(admin)
    assert api.delete(f"/users/{admin.pk}").status_code == 400
    refused = api.patch(f"/users/{admin.pk}", {"is_active": False})
    assert refused.status_code == 400 and "is_active" in refused.json()["errors"]
    assert User.objects.get(pk=admin.pk).is_active


# -- permission and scope ------------------------------------------------------------------
def test_admin_sees_everything(admin, org):
    api = Api(admin)
    assert names(api.get("/users", sort="username"), "username") == \
        ["alice", "bob", "chef", "root"]
    assert names(api.get("/phones"), "extension") == ["301", "302"]
    assert names(api.get("/departments"), "name") == ["Sales", "Support"]


def test_department_head_reads_their_department_only(org):
    api = Api(org["chef"])
    assert names(api.get("/users", sort="username"), "username") == ["alice", "chef"]
    assert names(api.get("/phones"), "extension") == ["301"]
    assert names(api.get("/departments"), "name") == ["Sales"]
    assert api.get(f"/users/{org['alice'].pk}").status_code == 200
    # Out of scope looks exactly like not there.
    out_of_scope, absent = api.get(f"/users/{org['bob'].pk}"), api.get("/users/999999")
    assert out_of_scope.status_code == absent.status_code == 404
    assert out_of_scope.json() == absent.json()
    assert api.get(f"/phones/{org['bob'].phones.get().pk}").status_code == 404
    assert api.get(f"/departments/{org['support'].pk}").status_code == 404
    # Reading is not writing.
    assert api.post("/users", {"username": "eve"}).status_code == 403
    assert api.patch(f"/users/{org['alice'].pk}", {"last_name": "X"}).status_code == 403
    assert api.delete(f"/phones/{org['alice'].phones.get().pk}").status_code == 403


def test_plain_user_reads_only_themselves(org):
    api = Api(org["alice"])
    assert names(api.get("/users"), "username") == ["alice"]
    assert names(api.get("/phones"), "extension") == ["301"]
    assert names(api.get("/departments"), "name") == ["Sales"]
    assert api.get(f"/users/{org['chef'].pk}").status_code == 404
    assert api.patch(f"/users/{org['alice'].pk}", {"last_name": "X"}).status_code == 403
    assert api.post(f"/phones/{org['alice'].phones.get().pk}/secret").status_code == 403
    assert api.post("/departments", {"name": "Mine"}).status_code == 403
    assert api.delete(f"/departments/{org['sales'].pk}").status_code == 403
    assert Department.objects.filter(pk=org["sales"].pk).exists()


def test_only_an_administrator_changes_profiles(org):
    # A user allowed to change users (but not an administrator) cannot grant profiles.
    from django.contrib.auth.models import Permission

    hr = make_user("hr")
    hr.user_permissions.add(Permission.objects.get(codename="change_user"))
    api = Api(hr)
    hr.department = org["sales"]
    hr.save()
    hr.groups.add(Group.objects.get(name="chef_de_service"))
    refused = api.patch(f"/users/{org['alice'].pk}", {"profiles": ["admin"]})
    assert refused.status_code == 403
    assert not org["alice"].groups.exists()
    assert api.patch(f"/users/{org['alice'].pk}", {"last_name": "Martin"}).status_code == 200


def test_anonymous_and_bad_tokens_get_401(org):
    user_id = org["alice"].pk
    for api in (Api(), Api(token="cxt_not-a-real-token"), Api(token="garbage")):
        for response in (api.get("/users"), api.get(f"/users/{user_id}"),
                         api.post("/departments", {"name": "X"}),
                         api.delete(f"/users/{user_id}")):
            assert response.status_code == 401
            assert response.json()["detail"]
    assert Department.objects.count() == 2


# Writes open to every signed-in caller, each checking the object itself (its own rules,
# tested with its app): a user's own directory contacts (docs/directory.md).
SELF_SERVICE_WRITES = {
    "/api/v1/contacts", "/api/v1/contacts/{id}",
    "/api/v1/phones/{id}/forwards",  # own forwards (docs/forwards.md)
    # own voicemail (docs/voicemail.md) and own free-seating login (docs/features.md)
    "/api/v1/voicemail/mailboxes/{mailbox_id}/delete",
    "/api/v1/voicemail/mailboxes/{mailbox_id}/move",
    "/api/v1/voicemail/mailboxes/{mailbox_id}/notification",
    "/api/v1/hotdesk-logins/{id}",
}


def test_every_operation_declares_its_rule():
    rules = operation_rules()
    assert ("POST", "/api/v1/phones", "telephony.add_phone") in rules
    assert ("GET", "/api/v1/users/{id}", "authenticated") in rules
    writes = [(path, rule) for method, path, rule in rules if method != "GET"]
    open_writes = {path for path, rule in writes if rule == "authenticated"}
    assert writes and open_writes <= SELF_SERVICE_WRITES, open_writes - SELF_SERVICE_WRITES
    schema = Client().get(f"{API}/openapi.json").json()
    documented = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
    assert documented == {(m, p) for m, p, _ in rules}


def test_reference_page_and_json_for_everything_else():
    page = Client().get(f"{API}/docs/")
    assert page.status_code == 200
    assert "/api/v1/phones/{id}/secret" in page.content.decode()
    assert Client().get(f"{API}/").json()["openapi"] == f"{API}/openapi.json"
    missing = Client().get(f"{API}/nothing/here")
    assert missing.status_code == 404 and missing.json()["detail"]
    not_allowed = Client().put(f"{API}/users")
    assert not_allowed.status_code == 405 and not_allowed.json()["detail"]
    assert set(not_allowed["Allow"].split(", ")) == {"GET", "POST"}


# -- tokens --------------------------------------------------------------------------------
def test_token_pages_create_use_and_revoke(org):
    alice, browser = org["alice"], Client()
    browser.force_login(alice)
    assert browser.get("/account/tokens/new/").status_code == 200
    page = browser.post("/account/tokens/new/", {"name": "My script"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    clear = re.search(r"cxt_[A-Za-z0-9_-]{40,}", page.content.decode()).group(0)
    token = ApiToken.objects.get(owner=alice)
    assert token.token_hash != clear and clear not in json.dumps(
        list(AuditEntry.objects.values("changes")))
    # The list shows the prefix only.
    listing = browser.get("/account/tokens/").content.decode()
    assert token.prefix in listing and clear not in listing

    api = Api(token=clear)
    assert names(api.get("/users"), "username") == ["alice"]
    assert ApiToken.objects.get(pk=token.pk).last_used is not None

    # Someone else cannot revoke it; a GET does not revoke it.
    other = Client()
    other.force_login(org["bob"])
    assert other.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert browser.get(f"/account/tokens/{token.pk}/revoke/").status_code == 405
    assert api.get("/users").status_code == 200

    assert browser.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert api.get("/users").status_code == 401
    actions = list(AuditEntry.objects.filter(object_type="api.ApiToken")
                   .order_by("id").values_list("action", "actor_id"))
    assert actions == [("create", alice.pk), ("revoke", alice.pk)]


def test_token_name_is_validated_and_anonymous_visitors_sign_in(org):
    browser = Client()
    assert browser.get("/account/tokens/").status_code == 302
    browser.force_login(org["alice"])
    page = browser.post("/account/tokens/new/", {"name": "bad\nname;"})
    assert page.status_code == 200 and not ApiToken.objects.exists()


def test_a_disabled_owner_disables_the_token(org):
    api = Api(org["alice"])
    assert api.get("/users").status_code == 200
    User.objects.filter(pk=org["alice"].pk).update(is_active=False)
    assert api.get("/users").status_code == 401


def test_a_printed_password_is_changed_before_the_session_calls_the_api(admin):
    admin.must_change_password = True
    admin.save()
    browser = Client()
    browser.force_login(admin)
    assert browser.get(f"{API}/users").status_code == 403


def test_session_calls_need_csrf_for_changes(admin):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin)
    assert browser.get(f"{API}/users").status_code == 200
    body = {"data": '{"name": "Sales"}', "content_type": "application/json"}
    assert browser.post(f"{API}/departments", **body).status_code == 403
    browser.get("/account/tokens/")  # any page sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    created = browser.post(f"{API}/departments", headers={"X-CSRFToken": csrf}, **body)
    assert created.status_code == 201, created.content
