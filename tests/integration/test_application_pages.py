"""The applications' pages and API against the managed Asterisk (docs/applications.md): the
form with public numbers, the editor's save endpoint (a valid scenario is a new revision,
an invalid one a 400 naming block and action, nothing changed), export → import gives the
same application, a bad import changes nothing, the flow image, web services, the API.
The calls through scenarios are in test_applications.py; the editor in a browser in
tests/e2e/test_application_editor.py. Numbers 3780-3799."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from centrex.ivr import application_services as services
from centrex.ivr.models import Application, Sound, WebService
from centrex.routing.models import InboundNumber
from tests.factories import api_client, client_for, user_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

MENU = {"blocks": [
    {"id": "incoming", "name": "Accueil", "actions": [
        {"type": "menu", "sound": None, "choices": {"1": "sales", "2": "support"},
         "on_timeout": "support", "on_invalid": "support"}]},
    {"id": "sales", "name": "Ventes", "actions": [
        {"type": "transfer", "kind": "internal", "number": "3781"}]},
    {"id": "support", "name": "Support", "actions": [{"type": "hangup"}]},
]}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def menu_scenario(db):
    from tests.integration.test_calls import new_line

    new_line("3781", "Sam Sales")
    sound = Sound.objects.create(name="Accueil", kind=Sound.PROMPT, ready=True)
    data = json.loads(json.dumps(MENU))
    data["blocks"][0]["actions"][0]["sound"] = sound.pk
    return data


def test_the_form_creates_the_application_with_its_public_numbers(asterisk):
    admin = client_for(user_for("admin"), HTTP_ACCEPT_LANGUAGE="en")
    made = admin.post("/manage/applications/new/", {
        "name": "Standard", "number": "3790", "public_numbers": "0155003790, 0155003791",
        "active": "on", "call_rights": "local,mobile"})
    assert made.status_code == 302, made.content.decode()
    app = Application.objects.get(name="Standard")
    assert sorted(InboundNumber.objects.filter(target="3790").values_list(
        "number", flat=True)) == ["0155003790", "0155003791"]
    listing = admin.get("/manage/applications/").content.decode()
    assert "Standard" in listing and "0155003790, 0155003791" in listing
    assert "3790" in asterisk.cli("dialplan show 3790@centrex-ivr")

    # A number routed elsewhere is refused, and nothing changes.
    InboundNumber.objects.create(number="0155003799", target="3781")
    refused = admin.post(f"/manage/applications/{app.pk}/edit/", {
        "name": "Standard", "number": "3790", "public_numbers": "0155003799",
        "active": "on", "call_rights": "local"})
    assert refused.status_code == 200 and "Already routed elsewhere" in refused.content.decode()
    assert InboundNumber.objects.filter(target="3790").count() == 2
    assert Application.objects.get(pk=app.pk).call_rights == "local,mobile"

    # Deleting it removes its public numbers.
    assert admin.post(f"/manage/applications/{app.pk}/delete/").status_code == 302
    assert not InboundNumber.objects.filter(target="3790").exists()


def test_the_editor_saves_a_valid_scenario_and_points_at_errors(asterisk, menu_scenario):
    admin = client_for(user_for("admin"), HTTP_ACCEPT_LANGUAGE="en")
    app = Application.objects.create(name="Menu", number="3791")
    url = f"/manage/applications/{app.pk}/scenario/"
    page = admin.get(url).content.decode()
    assert 'id="editor-data"' in page and "editor.js" in page

    saved = admin.post(url, json.dumps(menu_scenario), content_type="application/json")
    assert saved.status_code == 200, saved.content
    app.refresh_from_db()
    assert app.revision == 2 and app.scenario["blocks"][1]["id"] == "sales"
    assert "b_sales" in asterisk.cli(f"dialplan show centrex-ivr-{app.pk}-r2")

    broken = json.loads(json.dumps(menu_scenario))
    broken["blocks"][0]["actions"][0]["choices"]["3"] = ""  # a key with no target
    refused = admin.post(url, json.dumps(broken), content_type="application/json")
    assert refused.status_code == 400
    error = refused.json()["errors"][0]
    assert (error["block"], error["action"], error["field"]) == ("incoming", 0, "choices")
    app.refresh_from_db()
    assert app.revision == 2

    plain = client_for(user_for("user"), HTTP_ACCEPT_LANGUAGE="en")
    assert plain.post(url, json.dumps(menu_scenario),
                      content_type="application/json").status_code == 403


def test_export_then_import_gives_the_same_application(asterisk, menu_scenario):
    admin = client_for(user_for("admin"), HTTP_ACCEPT_LANGUAGE="en")
    app = Application.objects.create(name="Copie", number="3792", comment="à copier")
    services.save_application(app, ["0155003792"])
    services.save_scenario(app, menu_scenario)
    exported = admin.get(f"/manage/applications/{app.pk}/export.json")
    assert exported["Content-Disposition"].startswith("attachment")
    data = json.loads(exported.content)
    assert data["scenario"]["blocks"][0]["actions"][0]["sound"] == "Accueil"  # a name

    services.delete_application(Application.objects.get(pk=app.pk))
    upload = SimpleUploadedFile("copie.json", exported.content, "application/json")
    imported = admin.post("/manage/applications/import/", {"file": upload})
    assert imported.status_code == 302, imported.content.decode()
    copy = Application.objects.get(name="Copie")
    assert copy.scenario == Application.objects.get(pk=app.pk).scenario \
        if Application.objects.filter(pk=app.pk).exists() else True
    assert copy.scenario == services.scenario.validate(menu_scenario)
    assert (copy.number, copy.comment) == ("3792", "à copier")
    assert services.public_numbers(copy) == ["0155003792"]

    # A file naming a sound this system lacks: nothing is imported, the error says where.
    data["application"]["name"] = "Autre"
    data["application"]["number"] = "3793"
    data["application"]["public_numbers"] = ["0155003793"]
    data["scenario"]["blocks"][0]["actions"][0]["sound"] = "Inconnu"
    bad = SimpleUploadedFile("autre.json", json.dumps(data).encode(), "application/json")
    refused = admin.post("/manage/applications/import/", {"file": bad})
    assert refused.status_code == 200
    assert "block incoming, action 1, sound" in refused.content.decode()
    assert not Application.objects.filter(name="Autre").exists()
    assert not InboundNumber.objects.filter(number="0155003793").exists()
    junk = SimpleUploadedFile("junk.json", b"not json", "application/json")
    assert "not JSON" in admin.post("/manage/applications/import/",
                                    {"file": junk}).content.decode()


def test_the_flow_image_shows_every_block_and_jump(asterisk, menu_scenario):
    admin = client_for(user_for("admin"), HTTP_ACCEPT_LANGUAGE="en")
    app = Application.objects.create(name="Flux", number="3794")
    services.save_scenario(app, menu_scenario)
    image = admin.get(f"/manage/applications/{app.pk}/flow.svg")
    assert image["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(image.content)  # noqa: S314 - the portal's own image
    ns = "{http://www.w3.org/2000/svg}"
    ids = {g.get("id") for g in root.iter(f"{ns}g")}
    assert {"block-incoming", "block-sales", "block-support"} <= ids
    assert len([p for p in root.iter(f"{ns}path") if p.get("class") == "jump"]) == 4
    assert image.content == admin.get(f"/manage/applications/{app.pk}/flow.svg").content
    download = admin.get(f"/manage/applications/{app.pk}/flow.svg?download=1")
    assert 'filename="flux.svg"' in download["Content-Disposition"]


def test_web_services_pages_and_a_used_one_cannot_be_deleted(asterisk):
    admin = client_for(user_for("admin"), HTTP_ACCEPT_LANGUAGE="en")
    assert admin.post("/manage/web-services/new/", {
        "name": "crm", "url": "http://127.0.0.1:9999/route", "timeout": "2"}).status_code == 302
    bad = admin.post("/manage/web-services/new/", {
        "name": "evil", "url": "http://x/?a=${SHELL}", "timeout": "2"})
    assert bad.status_code == 200 and not WebService.objects.filter(name="evil").exists()
    service = WebService.objects.get(name="crm")
    app = Application.objects.create(name="Web", number="3795")
    services.save_scenario(app, {"blocks": [{"id": "incoming", "actions": [
        {"type": "http", "service": service.pk, "variable": "ROUTE", "fallback": "incoming"},
        {"type": "hangup"}]}]})
    admin.post(f"/manage/web-services/{service.pk}/delete/")
    assert WebService.objects.filter(pk=service.pk).exists()
    assert "crm" in admin.get("/manage/web-services/").content.decode()


def test_the_api_creates_an_application_and_replaces_its_scenario(asterisk, menu_scenario):
    api = api_client(user_for("admin"), HTTP_ACCEPT_LANGUAGE="en")
    made = api.post("/api/v1/applications", json.dumps({
        "name": "Api", "number": "3796", "public_numbers": ["0155003796"]}),
        content_type="application/json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["public_numbers"] == ["0155003796"]
    put = api.put(f"/api/v1/applications/{pk}/scenario", json.dumps(menu_scenario),
                  content_type="application/json")
    assert put.status_code == 200, put.content
    bad = json.loads(json.dumps(menu_scenario))
    bad["blocks"][1]["actions"][0]["number"] = "9999999"
    refused = api.put(f"/api/v1/applications/{pk}/scenario", json.dumps(bad),
                      content_type="application/json")
    assert refused.status_code == 400
    assert "block sales, action 1, number" in json.dumps(refused.json(), ensure_ascii=False)
    assert Application.objects.get(pk=pk).revision == 2
    exported = api.get(f"/api/v1/applications/{pk}/export").json()
    api.delete(f"/api/v1/applications/{pk}")
    again = api.post("/api/v1/applications/import", json.dumps(exported),
                     content_type="application/json")
    assert again.status_code == 201, again.content
    assert api.get(f"/api/v1/applications/{again.json()['id']}/scenario").json() == \
        Application.objects.get(name="Api").scenario
    plain = api_client(user_for("user"))
    assert plain.get(f"/api/v1/applications/{again.json()['id']}").status_code == 403
    assert plain.put(f"/api/v1/applications/{again.json()['id']}/scenario",
                     json.dumps(menu_scenario),
                     content_type="application/json").status_code == 403


def test_pages_render_in_french_and_english(asterisk, menu_scenario):
    admin = client_for(user_for("admin"), HTTP_ACCEPT_LANGUAGE="en")
    app = Application.objects.create(name="Langues", number="3797")
    for path in ("/manage/applications/", f"/manage/applications/{app.pk}/scenario/",
                 "/manage/web-services/"):
        english = admin.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        admin.cookies.load({"django_language": "fr"})
        french = admin.get(path).content.decode()
        admin.cookies.pop("django_language")
        assert english != french, path
