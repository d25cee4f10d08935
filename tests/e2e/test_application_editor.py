"""The scenario editor in a real browser (Playwright + Debian's chromium, headless): an
administrator signs in, opens an application's scenario, adds a block and a menu, gives
key 1 a target but leaves key 2 without one: the save is refused and the menu action is
marked; once key 2 has its target, the save makes a new revision holding exactly what was
built, and the arrows of the jumps are drawn. Numbers 3760-3769."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from centrex.ivr.models import Application, Sound
from tests.e2e.test_browser import LAPTOP, browser, shoot  # noqa: F401
from tests.factories import make_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long editor passphrase"


def test_the_editor_builds_a_menu_refuses_a_key_without_target_then_saves(
        asterisk, portal, request):
    admin = make_user("editor.admin", password=PASSWORD, first_name="Eve", last_name="Editor")
    admin.groups.add(Group.objects.get(name="admin"))
    sound = Sound.objects.create(name="Bienvenue", kind=Sound.PROMPT, ready=True)
    app = Application.objects.create(name="Editeur", number="3760")
    context = request.getfixturevalue("browser").new_context(viewport=LAPTOP, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(30_000)
    url = f"{portal}/manage/applications/{app.pk}/scenario/"
    page.goto(url)
    page.fill("#id_username", admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(url)
    page.wait_for_selector("#block-incoming")

    # A second block "sales", ending the call.
    page.once("dialog", lambda dialog: dialog.accept("sales"))
    page.click("#add-block")
    page.wait_for_selector("#block-sales")

    # In "incoming": a menu before the hang-up, playing the prompt; 1 goes to sales.
    page.select_option("#block-incoming .add-action select", "menu")
    menu = "#block-incoming .action[data-action='1']"
    page.click(f"{menu} button[title='Move up']")
    menu = "#block-incoming .action[data-action='0'][data-type='menu']"
    page.wait_for_selector(menu)
    page.select_option(f"{menu} [data-field='sound'] select", str(sound.pk))
    page.select_option(f"{menu} select[data-key='1']", "sales")
    page.select_option(f"{menu} select[data-key='2']", "incoming")
    page.select_option(f"{menu} [data-field='on_timeout'] select", "incoming")
    page.select_option(f"{menu} [data-field='on_invalid'] select", "sales")
    page.wait_for_selector("#editor-arrows path.jump[data-to='sales']", state="attached")

    # Key 2 loses its target: "—" is offered, the server refuses, the action is marked.
    page.select_option(f"{menu} select[data-key='2']", "")
    page.evaluate("() => { window.__noReload = 1; }")
    # The select keeps an empty key out of the data; give it one explicitly to be refused.
    page.evaluate("""() => {
      const s = document.querySelector(
        "#block-incoming .action[data-action='0'] select[data-key='2']");
      s.append(new Option("?", "nowhere")); s.value = "nowhere";
      s.dispatchEvent(new Event("change"));
    }""")
    page.click("#save-scenario")
    page.wait_for_selector(f"{menu}.has-error")
    assert "There is no block" in page.inner_text(menu)
    assert Application.objects.get(pk=app.pk).revision == 1
    shoot(page, "editor-refused")

    page.select_option(f"{menu} select[data-key='2']", "sales")
    page.click("#save-scenario")
    page.wait_for_selector("#editor-saved")
    assert page.evaluate("() => window.__noReload") == 1
    shoot(page, "editor-saved")

    saved = Application.objects.get(pk=app.pk)
    assert saved.revision == 2
    assert [b["id"] for b in saved.scenario["blocks"]] == ["incoming", "sales"]
    first = saved.scenario["blocks"][0]["actions"]
    assert [a["type"] for a in first] == ["menu", "hangup"]
    assert first[0]["sound"] == sound.pk
    assert first[0]["choices"] == {"1": "sales", "2": "sales"}
    assert (first[0]["on_timeout"], first[0]["on_invalid"]) == ("incoming", "sales")
    context.close()
